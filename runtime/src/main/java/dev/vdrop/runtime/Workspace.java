package dev.vdrop.runtime;

import java.util.Map;

/**
 * A generated network's workspace for segments of {@code batch} sequences × {@code steps} steps:
 * the buffers, dropout masks and carried state of truncated back-propagation through time,
 * allocated once and reused from segment to segment.
 *
 * <p>Call order for training: {@link #sampleMasks} when a segment starts, {@link #forward(Object,
 * Object)}, which returns the loss, then {@link #backward()}, which adds the gradients to the
 * parameters' gradient buffers. The state (h, c) a segment ends in is where the next one starts,
 * detached: gradients stop at the segment boundary. Not thread-safe.
 *
 * @param <I> the input: {@code int[][]} token ids or {@code double[][][]} feature vectors, {@code [batch][steps]…}
 * @param <T> the targets: {@code int[][]}/{@code int[]} class ids or {@code double[][][]}/{@code double[][]} values,
 *            at every step or the last
 */
public interface Workspace<I, T> extends AutoCloseable {
    /** {@return the number of sequences per segment, B} */
    int batch();

    /** {@return the number of steps per segment, T} */
    int steps();

    /**
     * Samples the model's masks for the next forward passes: {@code TRAIN} all of them, {@code MC}
     * all but embedding dropout, {@code OFF} none. They stay until sampled again.
     *
     * @param rng the source of every mask's draws
     * @param mode which masks to draw
     */
    void sampleMasks(Rng rng, DropoutMode mode);

    /**
     * Samples the masks of MC-dropout prediction keyed by example: each row's masks come from
     * streams keyed by the seed, the row's example key and sample index, the mask's name and,
     * for per-step masks, the step's position in the sequence ({@link MaskKeys} states the
     * contract). A row's masks are therefore the same whatever the other rows are, their order,
     * how the samples are split into passes and how many threads draw. {@code MC} draws every
     * mask but embedding dropout, {@code OFF} none. They stay until sampled again; for a sequence
     * read in segments, sample before each with {@link MaskKeys#atPosition} of its first step
     * (per-step masks come out fresh, the others the same).
     *
     * @param keys one key and sample index per row ({@link #batch()} of them), the seed, the position
     * @param mode {@code MC} or {@code OFF}
     * @throws IllegalArgumentException for {@code TRAIN} (training draws in sequence:
     *     {@link #sampleMasks(Rng, DropoutMode)}), keys of another number of rows, or, with
     *     weight drop ({@link #hasWeightDrop()}: one mask over U per pass), rows of several samples
     */
    void sampleMasks(MaskKeys keys, DropoutMode mode);

    /**
     * Draws new per-step (Zaremba) masks and keeps every other mask: for MC-dropout evaluation,
     * where a sample's masks last the whole evaluation but per-step masks stay fresh at every step.
     * Does nothing for a model without per-step masks or when dropout is off.
     *
     * @param rng the source of the masks' draws
     */
    void resampleStepMasks(Rng rng);

    /** No dropout in the next forward passes: the standard dropout approximation. */
    void dropoutOff();

    /** The next forward pass starts from h = c = 0. */
    void resetState();

    /** {@return a copy of the state the next forward pass starts from} */
    RecurrentState state();

    /**
     * The next forward pass starts from a given state.
     *
     * @param state the state, copied; as {@link #state()} returns it, of a workspace of the same model
     * @throws IllegalArgumentException when the state has another number of layers
     */
    void setState(RecurrentState state);

    /**
     * Forward pass over one segment with the current masks, from the carried state.
     *
     * @param input the segment's input, {@code [batch][steps]} ids or {@code [batch][steps][features]} values
     * @param targets the segment's targets, at every step or the last, as the output layer predicts
     * @return the loss: the cross-entropy or Gaussian negative log-likelihood, summed over the
     *     steps and outputs and averaged over the sequences
     */
    double forward(I input, T targets);

    /**
     * Forward pass without targets, for prediction; read the result with {@link #output()}.
     *
     * @param input the segment's input, {@code [batch][steps]} ids or {@code [batch][steps][features]} values
     */
    void forward(I input);

    /** Adds the last forward pass's gradients to the parameters' gradient buffers. */
    void backward();

    /**
     * The last forward pass's probabilities or predicted means, one column per prediction. Valid
     * until {@link #backward()}, which reuses the buffer for the output gradient.
     *
     * @return the output buffer: classes (or outputs) × predictions, column t·B + b
     */
    Mat output();

    /**
     * ∂L/∂x_t after {@link #backward()}: the gradient of the loss with respect to the first LSTM's
     * input (the feature vectors, or the embedding's output after embedding dropout), width × TB,
     * column t·B + b.
     *
     * @return the input-gradient buffer
     * @throws IllegalStateException before the first {@link #backward()}
     */
    Mat inputGradient();

    /** {@return every mask of the model by name, as the live buffers: for inspection and tests} */
    Map<String, Mat> masks();

    /**
     * Frees the workspace's native buffers now rather than when the garbage collector finds them:
     * a workspace of a large model holds hundreds of megabytes off the Java heap. The workspace must
     * not be used afterwards.
     */
    @Override
    void close();

    /** {@return whether the model drops weights of U (one mask per forward pass shared by all rows)} */
    boolean hasWeightDrop();

    /** {@return whether the model has per-step (Zaremba) masks} */
    boolean hasStepMasks();
}
