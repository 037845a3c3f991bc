package dev.vdrop.runtime;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What every generated network offers, whatever its layers: its parameters (with gradient
 * buffers), a summary, segments to train and predict with, and a plain prediction.
 *
 * @param <I> the input type, {@code int[][]} tokens or {@code double[][][]} features
 * @param <T> the target type, see {@link Segment}
 */
public interface Network<I, T> {
    /** The parameters in a fixed order: input layer, LSTMs from the bottom, output layer. */
    List<Parameter> parameters();

    /** The layers, shapes, parameter counts and dropout, as a table. */
    Summary summary();

    /** A workspace for segments of this shape, dropout off and a zero state until told otherwise. */
    Segment<I, T> segment(int batch, int steps);

    /** Forward pass with dropout off from a zero state: probabilities or predicted means. */
    INDArray predict(I input);

    /** The number of trainable values. */
    default long parameterCount() {
        return parameters().stream().mapToLong(Parameter::size).sum();
    }
}
