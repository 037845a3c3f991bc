package dev.vdrop.runtime;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What every generated network offers, whatever its layers: its parameters (with gradient
 * buffers), a summary, a {@link Workspace} per segment shape to train and predict with, and a
 * plain prediction.
 *
 * <p><b>Threads.</b> A trained network may be shared by threads that predict: {@link #workspace}
 * and {@link #predict} give each call buffers of its own, and {@code McPredictor} and
 * {@code Perplexity} take a workspace per call, so prediction only reads the parameters. Threads
 * predicting on one network at once get bitwise what one thread gets (the checks'
 * {@code SharedNetworkThreadsTest}: three threads, MC classification with weight drop, MC
 * forecasts and perplexity). What may not be shared: a {@link Workspace} (its buffers, masks and
 * state are its own), a training run (it writes the parameters and their gradients; no prediction
 * on a network while it trains, nor two runs on one network) and an {@link Rng}.
 *
 * @param <I> the input type, {@code int[][]} tokens or {@code double[][][]} features
 * @param <T> the target type, see {@link Workspace}
 */
public interface Network<I, T> {
    /** {@return the parameters in a fixed order: input layer, LSTMs from the bottom, output layer} */
    List<Parameter> parameters();

    /**
     * {@return the sizes that come from the data — the vocabulary or features, the classes or
     * outputs — each with whether the annotation declares it or it was given when the network was
     * built; trainers check data against them before any work}
     */
    ModelSizes sizes();

    /** {@return the layers, shapes, parameter counts and dropout, as a table} */
    Summary summary();

    /**
     * A workspace for segments of {@code batch} sequences × {@code steps} steps: every buffer of
     * the forward and backward pass, allocated once for that shape. Dropout is off and the state
     * zero until told otherwise; close it when done (it holds native memory).
     *
     * @param batch the sequences per segment, B
     * @param steps the steps per segment, T
     * @return a new workspace of that shape
     * @throws IllegalArgumentException when batch or steps is not positive
     */
    Workspace<I, T> workspace(int batch, int steps);

    /**
     * Forward pass with dropout off from a zero state, in a workspace of its own that is closed
     * before it returns.
     *
     * @param input the sequences, as {@link Workspace#forward(Object)} takes them
     * @return the probabilities {@code [batch, steps, classes]} (or {@code [batch, classes]} for
     *     the last step only), or the predicted means {@code [batch, outputs]}
     */
    INDArray predict(I input);

    /** {@return the number of trainable values} */
    default long parameterCount() {
        return parameters().stream().mapToLong(Parameter::size).sum();
    }
}
