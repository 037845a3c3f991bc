package dev.vdrop.runtime;

import java.util.List;

/**
 * What every generated network offers, whatever its layers: its parameters (with gradient
 * buffers) and a summary. The generated class adds the forward pass typed for its input
 * ({@code int[][]} tokens or {@code double[][][]} feature vectors).
 */
public interface Network {
    /** The parameters in a fixed order: input layer, LSTMs from the bottom, output layer. */
    List<Parameter> parameters();

    /** The layers, shapes, parameter counts and dropout, as a table. */
    Summary summary();

    /** The number of trainable values. */
    default long parameterCount() {
        return parameters().stream().mapToLong(Parameter::size).sum();
    }
}
