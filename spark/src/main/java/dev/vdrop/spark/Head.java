package dev.vdrop.spark;

import dev.vdrop.runtime.Network;
import dev.vdrop.runtime.model.ModelFile;
import java.io.Serializable;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.List;
import org.apache.spark.sql.types.StructField;

/**
 * What a model predicts, and the MC columns that say it: a classifier's
 * ({@link ClassifierHead}) or a regression model's ({@link RegressionHead}).
 */
sealed interface Head extends Serializable permits ClassifierHead, RegressionHead {
    /** {@return the MC columns, each nullable (a bad row has none), in output order} */
    List<StructField> fields();

    /**
     * The MC values of a batch: K samples of every example, with the masks of (seed, key, sample).
     *
     * @param network the restored network
     * @param inputs the examples as the network reads them: token ids ({@code int[][]}, none empty)
     *     or windows of features ({@code double[][][]})
     * @param samples K
     * @param seed the masks' seed
     * @param keys example i's key at i
     * @param maps per example, the map {@code x = a + b·z} of a regression's predictions to the
     *     data's units as {@code {a, b}}, or null for the network's units; null when no example has one
     * @return per example, the values of {@link #fields()} in order
     */
    List<Object[]> score(Network<?, ?> network, Object inputs, int samples, long seed, long[] keys, double[][] maps);

    /** {@return the prediction type of a network of this head: {@code int[]} or {@code double[][]}} */
    Class<?> prediction();

    /**
     * Checks that a network predicts once per row, as this head reads it: a tagger's or a
     * sequence regression's file has the same labels or outputs but predicts at every step.
     *
     * @param network the network a factory built
     * @throws IllegalArgumentException when its generated class predicts another type
     */
    default void check(Network<?, ?> network) {
        if (typeArgument(network, 1) instanceof Class<?> predicted && predicted != prediction()) {
            throw new IllegalArgumentException(network.getClass().getName() + " predicts "
                    + predicted.getSimpleName() + " (at every step), not one " + prediction().getSimpleName()
                    + " per row; the Spark scorer scores models with a head at the last step");
        }
    }

    /**
     * A type argument of the {@code Network} interface a generated class implements.
     *
     * @param network the network
     * @param index 0 for the input type, 1 for the prediction type
     * @return the type, or null when the class does not say (a raw or generic implementation)
     */
    static Type typeArgument(Network<?, ?> network, int index) {
        for (Class<?> c = network.getClass(); c != null; c = c.getSuperclass()) {
            for (Type t : c.getGenericInterfaces()) {
                if (t instanceof ParameterizedType p && p.getRawType() == Network.class) {
                    return p.getActualTypeArguments()[index];
                }
            }
        }
        return null;
    }

    /**
     * The head of a model file: a classifier when it has class labels, a regression model when it
     * predicts values.
     *
     * @param file the model file
     * @return its head
     * @throws IllegalArgumentException for a language model or a tagger, which have no per-row prediction
     */
    static Head of(ModelFile file) {
        if (!file.info().labels().isEmpty() && file.sizes().classes().isPresent()) {
            return new ClassifierHead(file.info().labels());
        }
        if (file.sizes().outputs().isPresent()) {
            return new RegressionHead(file.sizes().outputs().getAsInt());
        }
        throw new IllegalArgumentException(file.file() + " holds a language model (" + file.modelClass()
                + "): it predicts the next token, not one value per row; score a classifier or a regression model");
    }
}
