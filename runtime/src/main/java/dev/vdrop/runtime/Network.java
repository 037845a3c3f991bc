package dev.vdrop.runtime;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What every generated network offers, whatever its layers: its parameters (with gradient
 * buffers), a summary, a {@link Workspace} per segment shape to train and predict with, and a
 * plain prediction.
 *
 * @param <I> the input type, {@code int[][]} tokens or {@code double[][][]} features
 * @param <T> the target type, see {@link Workspace}
 */
public interface Network<I, T> {
    /** The parameters in a fixed order: input layer, LSTMs from the bottom, output layer. */
    List<Parameter> parameters();

    /** The layers, shapes, parameter counts and dropout, as a table. */
    Summary summary();

    /**
     * A workspace for segments of {@code batch} sequences × {@code steps} steps: every buffer of
     * the forward and backward pass, allocated once for that shape. Dropout is off and the state
     * zero until told otherwise; close it when done (it holds native memory).
     *
     * @throws IllegalArgumentException when batch or steps is not positive
     */
    Workspace<I, T> workspace(int batch, int steps);

    /** Forward pass with dropout off from a zero state: probabilities or predicted means. */
    INDArray predict(I input);

    /** The number of trainable values. */
    default long parameterCount() {
        return parameters().stream().mapToLong(Parameter::size).sum();
    }
}
