package dev.vdrop.runtime;

import java.util.Map;

/**
 * A generated network's workspace for segments of {@code batch} sequences of up to {@code steps}
 * steps: the buffers, dropout masks and carried state of truncated back-propagation through time,
 * allocated once and reused from segment to segment.
 *
 * <p>Call order for training: {@link #sampleMasks} when a segment starts, {@link #forward(Object,
 * Object)}, which returns the loss, then {@link #backward()}, which adds the gradients to the
 * parameters' gradient buffers. The state (h, c) a segment ends in is where the next one starts,
 * detached: gradients stop at the segment boundary.
 *
 * <p>Not thread-safe: a workspace's buffers, masks and state change with every call, so one thread
 * uses it at a time. Threads that predict on one network each take their own
 * ({@link Network#workspace}); the network itself may be shared for prediction.
 *
 * <p><b>Sequences of any length.</b> A batch is {@code batch} rows (Java arrays) of 1 to
 * {@code steps} steps each; their lengths may differ (as Keras's masking and PyTorch's packed
 * sequences allow). Each sequence runs its own steps and no others: a sequence's state after a pass
 * is its h and c at its own last step, a head at the last step reads each sequence there, and the
 * loss and every gradient are those of the sequences run one by one — the loss is each sequence's
 * loss summed over its steps, averaged over the {@code batch} sequences, so a batch of one gives
 * that sequence's summed loss. Such a <em>ragged</em> pass packs the sequences (sorted by length,
 * longest first; at step t only the sequences still running), so it computes nothing for a
 * sequence past its end; a batch whose sequences all have {@code steps} steps runs exactly as a
 * workspace that takes only such batches. Masks keep the batch's order whatever the lengths:
 * column b of a per-sequence mask is sequence b's, column t·B + b of a per-step mask its step t.
 *
 * @param <I> the input: {@code int[][]} token ids or {@code double[][][]} feature vectors, {@code [batch][length]…}
 * @param <T> the targets: {@code int[][]}/{@code int[]} class ids or {@code double[][][]}/{@code double[][]} values,
 *            at every step (a row as long as its sequence) or the last
 */
public interface Workspace<I, T> extends AutoCloseable {
    /** {@return the number of sequences per segment, B} */
    int batch();

    /** {@return the most steps a sequence of a segment may have, T} */
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
     * <p>With weight drop ({@link #hasWeightDrop()}) each sample has its own mask over U, and a
     * pass of several samples multiplies each sample's rows by their own U' = U ⊙ M_k at every
     * step (everything else of the pass stays batched): the rows must then be contiguous blocks of
     * equal size, each of one sample — {@link MaskKeys#samples}'s layout, row k·B + b for sample k
     * of example b. Such a pass needs sequences of equal length ({@link #forward} refuses a ragged
     * batch) and has no backward pass ({@link #backward()} refuses it).
     *
     * @param keys one key and sample index per row ({@link #batch()} of them), the seed, the position
     * @param mode {@code MC} or {@code OFF}
     * @throws IllegalArgumentException for {@code TRAIN} (training draws in sequence:
     *     {@link #sampleMasks(Rng, DropoutMode)}), keys of another number of rows, or, with
     *     weight drop, rows that are not blocks of equal size each of one sample
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

    /**
     * {@return a copy of the state the next forward pass starts from, one column per sequence in the
     * batch's order: after a pass, each sequence's h and c at its own last step}
     */
    RecurrentState state();

    /**
     * The next forward pass starts from a given state: sequence b of the next batch from column b,
     * whatever the lengths.
     *
     * @param state the state, copied; as {@link #state()} returns it, of a workspace of the same model
     * @throws IllegalArgumentException when the state has another number of layers
     */
    void setState(RecurrentState state);

    /**
     * Forward pass over one segment with the current masks, from the carried state.
     *
     * @param input the segment's input, {@code [batch][length]} ids or {@code [batch][length][features]}
     *     values, each sequence 1 to {@code steps} steps long
     * @param targets the segment's targets, at every step (each row as long as its sequence) or the
     *     last (one per sequence, for its own last step), as the output layer predicts
     * @return the loss: the cross-entropy or Gaussian negative log-likelihood, summed over each
     *     sequence's steps and the outputs and averaged over the sequences
     * @throws IllegalArgumentException naming the sequence and both lengths when a sequence is longer
     *     than {@code steps} or its targets have another length, or when there are not {@code batch}
     *     sequences or a sequence is empty
     */
    double forward(I input, T targets);

    /**
     * Forward pass without targets, for prediction; read the result with {@link #output()}.
     *
     * @param input the segment's input, {@code [batch][length]} ids or {@code [batch][length][features]}
     *     values, each sequence 1 to {@code steps} steps long
     */
    void forward(I input);

    /** Adds the last forward pass's gradients to the parameters' gradient buffers. */
    void backward();

    /**
     * The last forward pass's probabilities or predicted means, one column per prediction. Valid
     * until {@link #backward()}, which reuses the buffer for the output gradient.
     *
     * <p>A head at the last step has one column per sequence, b for sequence b. A head at every
     * step has one per step of each sequence, N = Σ len in all: when every sequence has
     * {@code steps} steps, column t·B + b is step t of sequence b; otherwise the pass's packed
     * layout — the sequences sorted by length, longest first (ties in the batch's order), and step
     * t's columns, one per sequence still running in that order, after those of the steps before
     * (b_t sequences run at step t; step t starts at column b_0 + … + b_{t−1}).
     *
     * @return the output buffer: classes (or outputs) × predictions
     */
    Mat output();

    /**
     * ∂L/∂x_t after {@link #backward()}: the gradient of the loss with respect to the first LSTM's
     * input (the feature vectors, or the embedding's output after embedding dropout), width × N, in
     * the columns of {@link #output()} for a head at every step (column t·B + b when every sequence
     * has {@code steps} steps).
     *
     * @return the input-gradient buffer
     * @throws IllegalStateException before the first {@link #backward()}
     */
    Mat inputGradient();

    /**
     * {@return every mask of the model by name, as the live buffers: for inspection and tests; in the
     * batch's order whatever the sequences' lengths (column b, or t·B + b, for sequence b)}
     */
    Map<String, Mat> masks();

    /**
     * Frees the workspace's native buffers now rather than when the garbage collector finds them:
     * a workspace of a large model holds hundreds of megabytes off the Java heap. The workspace must
     * not be used afterwards.
     */
    @Override
    void close();

    /**
     * {@return whether the model drops weights of U: one mask over U per pass, shared by all rows,
     * except in an MC pass of several samples ({@link #sampleMasks(MaskKeys, DropoutMode)}), where
     * each sample's block of rows has its own}
     */
    boolean hasWeightDrop();

    /** {@return whether the model has per-step (Zaremba) masks} */
    boolean hasStepMasks();
}
