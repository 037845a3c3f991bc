package dev.vdrop.spark;

import dev.vdrop.runtime.Network;
import dev.vdrop.runtime.NetworkConfig;
import dev.vdrop.runtime.model.ModelFile;
import dev.vdrop.samples.SeriesForecasterGruNetwork;
import dev.vdrop.samples.SeriesForecasterNetwork;
import dev.vdrop.samples.TextClassifierGruNetwork;
import dev.vdrop.samples.TextClassifierNetwork;
import java.util.List;

/**
 * The network factories of the samples' models: the text classifier, whose model files
 * {@code vdrop classify} writes ({@code TextClassifierNetwork} and its GRU twin), and the forecaster
 * of {@code vdrop forecast} ({@code SeriesForecasterNetwork} and its GRU twin), by the class the
 * file names.
 */
public final class SampleModels {
    private SampleModels() {}

    /**
     * {@return a factory of the samples' classifiers ({@code vdrop classify --cell lstm} or {@code gru});
     * any other class is refused with an {@link IllegalArgumentException} naming it}
     */
    public static NetworkFactory classifiers() {
        return SampleModels::classifier;
    }

    /**
     * {@return a factory of the samples' forecasters ({@code SeriesForecasterNetwork}, {@code
     * SeriesForecasterGruNetwork}), with the file's features, outputs and data type; any other class
     * is refused with an {@link IllegalArgumentException} naming it}
     */
    public static NetworkFactory forecasters() {
        return SampleModels::forecaster;
    }

    /** {@return a factory of any of the samples' classifiers and forecasters, by the file's class} */
    public static NetworkFactory all() {
        return file -> FORECASTERS.contains(file.modelClass()) ? forecaster(file) : classifier(file);
    }

    /**
     * {@return a factory of replicas of {@code network}, one of the samples' classifiers (LSTM or
     * GRU), for {@link DataParallelTrainer}: the same class and sizes, the default data type}
     *
     * @throws IllegalArgumentException when {@code network} is another class, or not of float32
     */
    public static ReplicaFactory replicasOf(Network<int[][], int[]> network) {
        int vocabulary = network.sizes().vocabulary().orElseThrow();
        int classes = network.sizes().classes().orElseThrow();
        if (!Parameters.isFloat(network.parameters())) {
            throw new IllegalArgumentException("the samples' replicas are of float32; " + network.getClass().getName()
                    + " is not");
        }
        if (network instanceof TextClassifierNetwork) {
            return () -> TextClassifierNetwork.builder().vocabulary(vocabulary).classes(classes).build();
        }
        if (network instanceof TextClassifierGruNetwork) {
            return () -> TextClassifierGruNetwork.builder().vocabulary(vocabulary).classes(classes).build();
        }
        throw new IllegalArgumentException(network.getClass().getName() + " is not one of the samples' classifiers ("
                + TextClassifierNetwork.class.getName() + ", " + TextClassifierGruNetwork.class.getName() + ")");
    }

    private static final List<String> FORECASTERS = List.of(SeriesForecasterNetwork.class.getName(),
            SeriesForecasterGruNetwork.class.getName());

    private static Network<?, ?> forecaster(ModelFile file) {
        if (!FORECASTERS.contains(file.modelClass()) || file.sizes().features().isEmpty()
                || file.sizes().outputs().isEmpty()) {
            throw new IllegalArgumentException(file.file() + " holds a " + file.modelClass() + ", which is not one of the "
                    + "samples' forecasters (" + String.join(", ", FORECASTERS) + "); score it through McScorer with a "
                    + "NetworkFactory of your own");
        }
        int features = file.sizes().features().getAsInt();
        int outputs = file.sizes().outputs().getAsInt();
        NetworkConfig config = NetworkConfig.builder().dataType(file.dataType()).build();
        if (file.modelClass().equals(SeriesForecasterNetwork.class.getName())) {
            return SeriesForecasterNetwork.builder().features(features).outputs(outputs).config(config).build();
        }
        return SeriesForecasterGruNetwork.builder().features(features).outputs(outputs).config(config).build();
    }

    private static Network<?, ?> classifier(ModelFile file) {
        int vocabulary = file.sizes().vocabulary().orElseThrow(() -> notOurs(file));
        int classes = file.sizes().classes().orElseThrow(() -> notOurs(file));
        NetworkConfig config = NetworkConfig.builder().dataType(file.dataType()).build();
        if (file.modelClass().equals(TextClassifierNetwork.class.getName())) {
            return TextClassifierNetwork.builder().vocabulary(vocabulary).classes(classes).config(config).build();
        }
        if (file.modelClass().equals(TextClassifierGruNetwork.class.getName())) {
            return TextClassifierGruNetwork.builder().vocabulary(vocabulary).classes(classes).config(config).build();
        }
        throw notOurs(file);
    }

    private static IllegalArgumentException notOurs(ModelFile file) {
        return new IllegalArgumentException(file.file() + " holds a " + file.modelClass()
                + ", which is not one of the samples' classifiers (" + TextClassifierNetwork.class.getName() + ", "
                + TextClassifierGruNetwork.class.getName() + "); score it through McScorer with a NetworkFactory of your own");
    }
}
