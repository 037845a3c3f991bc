package dev.vdrop.runtime.internal;

import dev.vdrop.runtime.Mat;
import dev.vdrop.runtime.RecurrentState;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Where the columns of one forward pass are: the layout of a batch of B sequences whose lengths
 * may differ (PyTorch's packed sequences). The sequences are sorted by length, longest first (a
 * stable sort, so sequences of one length keep the batch's order); at step t the b_t sequences
 * still running — those longer than t — are the first b_t of that order, and step t's columns are
 * {@code [off_t, off_t + b_t)} with {@code off_t = b_0 + … + b_{t−1}}. A pass computes on
 * {@code N = Σ len} columns, nothing for a sequence past its end.
 *
 * <p>When every sequence has the workspace's T steps, b_t = B and off_t = t·B: column t·B + b is
 * step t of sequence b, the layout generated code had before it took sequences of any length, and
 * this class hands every buffer and mask back as it is ({@link #ragged()} is false). A workspace
 * makes that <em>equal</em> packing once and asks it for each pass's ({@link #next}): the
 * equal one itself, or a ragged one.
 *
 * <p>Per-step blocks of a buffer are views ({@link #steps}, {@link #states}); the hidden and cell
 * buffers of a layer, of (T+1)·B columns, hold the state carried in at block 0 (B columns, in the
 * pass's order) and step t's h_t or c_t at columns {@code [B + off_t, B + off_t + b_t)}; step t
 * reads h_{t−1} and c_{t−1} as the first b_t columns of the block before ({@link #running}), so a
 * sequence's state stays where its last step left it. Masks keep the batch's order (column b is
 * sequence b); a ragged pass works on copies sorted into its order ({@link #order},
 * {@link #orderSteps}).
 *
 * <p>For generated code; not API (see the package).
 */
public final class Packing {
    private final int batch;
    /** The steps of the pass: the longest sequence's length. */
    private final int steps;
    /** The workspace's T: the most steps a sequence may have. */
    private final int capacity;
    private final int[] lengths;
    /** rows[j]: the batch row of the j-th longest sequence. */
    private final int[] rows;
    /** positions[b]: where sequence b is in that order. */
    private final int[] positions;
    /** b_t for t < steps. */
    private final int[] widths;
    /** off_t for t ≤ steps; off_steps = N. */
    private final int[] offsets;
    private final boolean ragged;
    /** The workspace's equal packing (this one, for it). */
    private final Packing equal;

    private Packing(int[] lengths, int capacity, Packing equal) {
        this.batch = lengths.length;
        this.capacity = capacity;
        this.lengths = lengths.clone();
        this.rows = byLengthDescending(lengths);
        this.positions = new int[batch];
        for (int j = 0; j < batch; j++) {
            positions[rows[j]] = j;
        }
        this.steps = lengths[rows[0]];
        this.widths = new int[steps];
        this.offsets = new int[steps + 1];
        int running = batch;
        for (int t = 0; t < steps; t++) {
            while (lengths[rows[running - 1]] <= t) {
                running--;
            }
            widths[t] = running;
            offsets[t + 1] = offsets[t] + running;
        }
        this.ragged = equal != null;
        this.equal = equal == null ? this : equal;
    }

    /** The rows in order of length, longest first; rows of one length in the batch's order. */
    private static int[] byLengthDescending(int[] lengths) {
        int[] rows = new int[lengths.length];
        int j = 0;
        int longest = 0;
        for (int length : lengths) {
            longest = Math.max(longest, length);
        }
        // a counting sort, stable by construction: one sweep per length that occurs
        for (int length = longest; length > 0 && j < rows.length; length--) {
            for (int b = 0; b < lengths.length; b++) {
                if (lengths[b] == length) {
                    rows[j++] = b;
                }
            }
        }
        return rows;
    }

    /**
     * The packing of a pass of {@code batch} sequences of {@code steps} steps each: the layout of
     * every buffer as a workspace of that shape allocates it.
     *
     * @param batch B
     * @param steps T
     * @return the equal packing
     * @throws IllegalArgumentException unless both are positive
     */
    public static Packing equal(int batch, int steps) {
        if (batch <= 0 || steps <= 0) {
            throw new IllegalArgumentException("a packing needs a positive batch and number of steps, got " + batch
                    + " × " + steps);
        }
        int[] lengths = new int[batch];
        java.util.Arrays.fill(lengths, steps);
        return new Packing(lengths, steps, null);
    }

    /**
     * The packing of a pass over sequences of these lengths, in the workspace of this packing: its
     * equal packing when every length is the workspace's T, else a ragged one.
     *
     * @param lengths each sequence's steps, in [1, T], one per row of the batch (as
     *     {@code Checks.lengths} returns them)
     * @return the packing of that pass
     * @throws IllegalArgumentException when the lengths do not fit the workspace
     */
    public Packing next(int[] lengths) {
        if (lengths.length != batch) {
            throw new IllegalArgumentException("a pass of this workspace has " + batch + " sequences, got " + lengths.length);
        }
        boolean allFull = true;
        for (int b = 0; b < batch; b++) {
            if (lengths[b] < 1 || lengths[b] > capacity) {
                throw new IllegalArgumentException("sequence " + b + " has " + lengths[b] + " steps; this workspace takes 1 to "
                        + capacity);
            }
            allFull &= lengths[b] == capacity;
        }
        return allFull ? equal : new Packing(lengths, capacity, equal);
    }

    // ---------------------------------------------------------------------------------------------
    // The layout

    /** {@return whether any sequence is shorter than the workspace's T: whether this is not the equal layout} */
    public boolean ragged() {
        return ragged;
    }

    /** {@return B, the sequences of the pass} */
    public int batch() {
        return batch;
    }

    /** {@return the steps the pass runs: the longest sequence's length (T for the equal packing)} */
    public int steps() {
        return steps;
    }

    /** {@return N = Σ len, the columns the pass computes on (T·B for the equal packing)} */
    public int columns() {
        return offsets[steps];
    }

    /**
     * b_t.
     *
     * @param t a step of the pass
     * @return the sequences still running at step t: the first b_t in the pass's order
     */
    public int width(int t) {
        return widths[t];
    }

    /**
     * off_t.
     *
     * @param t a step of the pass, or {@link #steps()}
     * @return the first column of step t (N for t = steps())
     */
    public int offset(int t) {
        return offsets[t];
    }

    /**
     * The batch row at a position of the pass's order.
     *
     * @param j a position, from 0 for the longest sequence
     * @return the row of the batch (the caller's index) of the sequence there
     */
    public int row(int j) {
        return rows[j];
    }

    /**
     * A sequence's length.
     *
     * @param b a row of the batch
     * @return its steps
     */
    public int length(int b) {
        return lengths[b];
    }

    /**
     * Where a step of a sequence is.
     *
     * @param b a row of the batch
     * @param t one of its steps, below {@link #length}
     * @return the column of step t of sequence b among the pass's N: {@code off_t} + its position
     */
    public int column(int b, int t) {
        return offsets[t] + positions[b];
    }

    /**
     * Where a sequence's last step is.
     *
     * @param b a row of the batch
     * @return the column of its last step among the pass's N (in the hidden and cell buffers, B more)
     */
    public int lastColumn(int b) {
        return offsets[lengths[b] - 1] + positions[b];
    }

    // ---------------------------------------------------------------------------------------------
    // Views of a pass's buffers

    /**
     * The steps of a buffer of one column per (step, sequence): block t is {@code [off_t, off_t + b_t)}.
     *
     * @param m a buffer of T·B columns (or of the chunk's)
     * @return one view per step of the pass; for the equal packing {@code m.columnBlocks(B)}
     */
    public Mat[] steps(Mat m) {
        if (!ragged) {
            return m.columnBlocks(batch);
        }
        Mat[] blocks = new Mat[steps];
        for (int t = 0; t < steps; t++) {
            blocks[t] = m.columns(offsets[t], widths[t]);
        }
        return blocks;
    }

    /**
     * The blocks of a hidden or cell buffer of (T+1)·B columns: block 0 is the state carried in (B
     * columns), block t+1 is step t's h_t or c_t, {@code [B + off_t, B + off_t + b_t)}.
     *
     * @param m the buffer
     * @return steps() + 1 views; for the equal packing {@code m.columnBlocks(B)}
     */
    public Mat[] states(Mat m) {
        if (!ragged) {
            return m.columnBlocks(batch);
        }
        Mat[] blocks = new Mat[steps + 1];
        blocks[0] = m.columns(0, batch);
        for (int t = 0; t < steps; t++) {
            blocks[t + 1] = m.columns(batch + offsets[t], widths[t]);
        }
        return blocks;
    }

    /**
     * The steps of the chunk buffer of a pass without targets, which computes the input products
     * of {@code chunkSteps} steps at a time into its first columns: entry t is step t's columns
     * of the chunk that holds it.
     *
     * @param chunk the chunk buffer, chunkSteps·B columns
     * @param chunkSteps the steps per chunk
     * @return one view per step of the pass (for the equal packing, block t mod chunkSteps)
     */
    public Mat[] chunkSteps(Mat chunk, int chunkSteps) {
        Mat[] blocks = new Mat[steps];
        Mat[] equalBlocks = ragged ? null : chunk.columnBlocks(batch);
        for (int t = 0; t < steps; t++) {
            int first = t - t % chunkSteps;
            blocks[t] = ragged ? chunk.columns(offsets[t] - offsets[first], widths[t]) : equalBlocks[t % chunkSteps];
        }
        return blocks;
    }

    /**
     * The columns of steps {@code [from, from + count)} of a buffer of one column per (step, sequence).
     *
     * @param m the buffer
     * @param from the first step
     * @param count the steps
     * @return the view {@code [off_from, off_{from+count})}
     */
    public Mat stepColumns(Mat m, int from, int count) {
        return m.columns(offsets[from], offsets[from + count] - offsets[from]);
    }

    /**
     * The columns of the sequences still running at step t: the first b_t.
     *
     * @param m a block of B columns (a state block, a carried gradient, a mask in the pass's order)
     * @param t a step of the pass
     * @return m itself for the equal packing, else its first b_t columns
     */
    public Mat running(Mat m, int t) {
        return ragged && m.cols() != widths[t] ? m.columns(0, widths[t]) : m;
    }

    /**
     * The columns a pass computes on.
     *
     * @param m a buffer of one column per (step, sequence)
     * @return m itself for the equal packing, else its first N columns
     */
    public Mat columnsOf(Mat m) {
        return ragged && m.cols() != columns() ? m.columns(0, columns()) : m;
    }

    /**
     * h_{t−1} of every step in the columns of z_t, for ∂U' = ∂Z H̃ᵀ in one product: the first
     * T·B columns of the hidden buffer as they are for the equal packing; for a ragged one step
     * t's h_{t−1} (the first b_t columns of the block before) copied to {@code [off_t, off_t + b_t)}
     * of {@code aligned}.
     *
     * @param hidden the hidden buffer, (T+1)·B columns as {@link #states} cuts it
     * @param aligned T·B columns, written for a ragged packing (may be null for the equal one)
     * @return the H̃ of the pass, N columns
     */
    public Mat previousStates(Mat hidden, Mat aligned) {
        if (!ragged) {
            return hidden.columns(0, columns());
        }
        for (int t = 0; t < steps; t++) {
            int from = t == 0 ? 0 : batch + offsets[t - 1];
            copy(hidden.columns(from, widths[t]), aligned.columns(offsets[t], widths[t]));
        }
        return aligned.columns(0, columns());
    }

    // ---------------------------------------------------------------------------------------------
    // Masks: the batch's order in the buffers masks() shows, the pass's order in the copies

    /**
     * Sorts a per-sequence mask into the pass's order: column j of {@code sorted} is the mask of
     * the j-th longest sequence.
     *
     * @param sorted rows × B, written
     * @param mask rows × B, column b for sequence b
     */
    public void order(Mat sorted, Mat mask) {
        for (int j = 0; j < batch; j++) {
            copyColumn(mask, rows[j], sorted, j);
        }
    }

    /**
     * Lays a per-step mask out in the pass's columns: column {@code off_t + j} of {@code packed} is
     * the mask of step t of the j-th longest sequence, column t·B + row(j) of {@code mask}.
     *
     * @param packed rows × T·B, its first N columns written
     * @param mask rows × T·B, column t·B + b for step t of sequence b
     */
    public void orderSteps(Mat packed, Mat mask) {
        for (int t = 0; t < steps; t++) {
            for (int j = 0; j < widths[t]; j++) {
                copyColumn(mask, t * batch + rows[j], packed, offsets[t] + j);
            }
        }
    }

    /**
     * The mask of the sequences running at step t.
     *
     * @param mask the per-sequence mask, rows × B in the batch's order
     * @param sorted its copy in the pass's order ({@link #order}); unused (may be null) for the equal packing
     * @param t a step of the pass
     * @return mask for the equal packing, else the first b_t columns of sorted
     */
    public Mat mask(Mat mask, Mat sorted, int t) {
        return ragged ? sorted.columns(0, widths[t]) : mask;
    }

    /**
     * {@link #mask(Mat, Mat, int)} of gate {@code gate}'s mask, for untied masks (one per gate).
     *
     * @param masks the masks of the gates i, f, g, o, in the batch's order
     * @param sorted their copies in the pass's order; unused (may be null) for the equal packing
     * @param gate 0 to 3
     * @param t a step of the pass
     * @return masks[gate] for the equal packing, else the first b_t columns of sorted[gate]
     */
    public Mat mask(Mat[] masks, Mat[] sorted, int gate, int t) {
        return ragged ? sorted[gate].columns(0, widths[t]) : masks[gate];
    }

    /**
     * {@link #maskPerSequence(Mat, Mat, Mat, Mat)} with gate {@code gate}'s mask, for untied masks.
     *
     * @param dst written, may be src
     * @param src one column per (step, sequence)
     * @param masks the masks of the gates, in the batch's order
     * @param sorted their copies in the pass's order; unused (may be null) for the equal packing
     * @param gate 0 to 3
     */
    public void maskPerSequence(Mat dst, Mat src, Mat[] masks, Mat[] sorted, int gate) {
        maskPerSequence(dst, src, masks[gate], ragged ? sorted[gate] : null);
    }

    /**
     * {@link #addMaskedPerSequence(Mat, Mat, Mat, Mat)} with gate {@code gate}'s mask, for untied masks.
     *
     * @param dst added to
     * @param src one column per (step, sequence)
     * @param masks the masks of the gates, in the batch's order
     * @param sorted their copies in the pass's order; unused (may be null) for the equal packing
     * @param gate 0 to 3
     */
    public void addMaskedPerSequence(Mat dst, Mat src, Mat[] masks, Mat[] sorted, int gate) {
        addMaskedPerSequence(dst, src, masks[gate], ragged ? sorted[gate] : null);
    }

    /**
     * {@code dst = src ⊙ m} over the pass's columns with one mask per sequence:
     * {@link Elementwise#maskPerSequence} for the equal packing; for a ragged one, each run of steps
     * with the same b in one call, with the first b columns of the sorted mask.
     *
     * @param dst written, may be src
     * @param src one column per (step, sequence)
     * @param mask rows × B in the batch's order
     * @param sorted its copy in the pass's order; unused (may be null) for the equal packing
     */
    public void maskPerSequence(Mat dst, Mat src, Mat mask, Mat sorted) {
        if (!ragged) {
            Elementwise.maskPerSequence(dst, src, mask);
            return;
        }
        for (int t = 0; t < steps; ) {
            int end = endOfRun(t);
            int from = offsets[t];
            int count = offsets[end] - from;
            Elementwise.maskPerSequence(dst.columns(from, count), src.columns(from, count), sorted.columns(0, widths[t]));
            t = end;
        }
    }

    /**
     * {@code dst += src ⊙ m} over the pass's columns with one mask per sequence, as
     * {@link #maskPerSequence} applies it.
     *
     * @param dst added to
     * @param src one column per (step, sequence)
     * @param mask rows × B in the batch's order
     * @param sorted its copy in the pass's order; unused (may be null) for the equal packing
     */
    public void addMaskedPerSequence(Mat dst, Mat src, Mat mask, Mat sorted) {
        if (!ragged) {
            Elementwise.addMaskedPerSequence(dst, src, mask);
            return;
        }
        for (int t = 0; t < steps; ) {
            int end = endOfRun(t);
            int from = offsets[t];
            int count = offsets[end] - from;
            Elementwise.addMaskedPerSequence(dst.columns(from, count), src.columns(from, count), sorted.columns(0, widths[t]));
            t = end;
        }
    }

    /**
     * {@code dst = src ⊙ m} over the pass's columns with a fresh mask at every step.
     *
     * @param dst written, may be src
     * @param src one column per (step, sequence)
     * @param mask rows × T·B, column t·B + b (the equal packing's columns)
     * @param packed its copy in the pass's columns ({@link #orderSteps}); unused (may be null) for the equal packing
     */
    public void maskPerStep(Mat dst, Mat src, Mat mask, Mat packed) {
        if (!ragged) {
            Elementwise.maskPerStep(dst, src, mask);
            return;
        }
        Elementwise.maskPerStep(columnsOf(dst), columnsOf(src), columnsOf(packed));
    }

    /** The first step after t whose width differs from step t's (or steps). */
    private int endOfRun(int t) {
        int end = t + 1;
        while (end < steps && widths[end] == widths[t]) {
            end++;
        }
        return end;
    }

    // ---------------------------------------------------------------------------------------------
    // The state a pass starts from and ends in

    /**
     * Puts the state this pass starts from into block 0 of a hidden or cell buffer, in this pass's
     * order: with {@code carry}, where each sequence's last step left it in the previous pass
     * (detached: a copy); without, block 0 as it is (the state set or reset, in the batch's order)
     * sorted into this pass's order.
     *
     * @param state the hidden or cell buffer of a layer, (T+1)·B columns
     * @param previous the previous pass's packing
     * @param carry whether the previous pass's final state is carried in
     */
    public void enter(Mat state, Packing previous, boolean carry) {
        if (carry && !ragged && !previous.ragged) {
            // both equal: the last step's block, as it is
            state.columns(0, batch).copyFrom(state.columns(batch * previous.steps, batch));
        } else if (carry) {
            for (int j = 0; j < batch; j++) {
                copyColumn(state, batch + previous.lastColumn(rows[j]), state, j);
            }
        } else if (ragged) {
            sortInPlace(state.columns(0, batch));
        }
    }

    /** Permutes the B columns of {@code block} from the batch's order into this pass's. */
    private void sortInPlace(Mat block) {
        double[][] columns = new double[batch][block.rows()];
        for (int b = 0; b < batch; b++) {
            for (int r = 0; r < block.rows(); r++) {
                columns[b][r] = block.get(r, b);
            }
        }
        for (int j = 0; j < batch; j++) {
            for (int r = 0; r < block.rows(); r++) {
                block.set(r, j, columns[rows[j]][r]);
            }
        }
    }

    /**
     * A copy of the state the next pass starts from, in the batch's order, as {@code Workspace.state()}
     * returns it: with {@code carry}, where each sequence's last step of this pass left it; without,
     * block 0.
     *
     * @param carry whether the next pass carries this pass's final state in
     * @param hidden each layer's hidden buffer, bottom first
     * @param cells each layer's cell buffer, null for a layer without one (a GRU)
     * @return the state, copied
     */
    public RecurrentState state(boolean carry, List<Mat> hidden, List<Mat> cells) {
        List<Mat> temporary = new ArrayList<>();
        List<Mat> h = new ArrayList<>();
        List<Mat> c = new ArrayList<>();
        for (int layer = 0; layer < hidden.size(); layer++) {
            h.add(finalState(hidden.get(layer), carry, temporary));
            c.add(cells.get(layer) == null ? null : finalState(cells.get(layer), carry, temporary));
        }
        RecurrentState state = new RecurrentState(h, c);
        temporary.forEach(Mat::close);
        return state;
    }

    private Mat finalState(Mat buffer, boolean carry, List<Mat> temporary) {
        if (!carry) {
            return buffer.columns(0, batch);
        }
        if (!ragged) {
            return buffer.columns(batch * steps, batch);
        }
        Mat gathered = Mat.zeros(buffer.dataType(), buffer.rows(), batch);
        temporary.add(gathered);
        for (int b = 0; b < batch; b++) {
            copyColumn(buffer, batch + lastColumn(b), gathered, b);
        }
        return gathered;
    }

    // ---------------------------------------------------------------------------------------------
    // A head at the last step

    /**
     * The last LSTM's output at each sequence's own last step, in the batch's order.
     *
     * @param y the output, one column per (step, sequence)
     * @param gathered H × B, written for a ragged packing (may be null for the equal one)
     * @return the view of the last step's block for the equal packing, else {@code gathered}
     */
    public Mat lastSteps(Mat y, Mat gathered) {
        if (!ragged) {
            return y.columns((steps - 1) * batch, batch);
        }
        for (int b = 0; b < batch; b++) {
            copyColumn(y, lastColumn(b), gathered, b);
        }
        return gathered;
    }

    /**
     * Where the gradient of the last steps' output is written before {@link #scatterLastSteps}.
     *
     * @param dy ∂L/∂y, one column per (step, sequence)
     * @param buffer H × B for a ragged packing (may be null for the equal one)
     * @return the last step's block of dy for the equal packing (written in place), else buffer
     */
    public Mat lastStepsGradient(Mat dy, Mat buffer) {
        return ragged ? buffer : dy.columns((steps - 1) * batch, batch);
    }

    /**
     * Puts each sequence's ∂L/∂y at its last step into dy; nothing for the equal packing, whose
     * {@link #lastStepsGradient} is dy's block already.
     *
     * @param gradient H × B in the batch's order, from {@link #lastStepsGradient}
     * @param dy ∂L/∂y, one column per (step, sequence), zero elsewhere
     */
    public void scatterLastSteps(Mat gradient, Mat dy) {
        if (!ragged) {
            return;
        }
        for (int b = 0; b < batch; b++) {
            copyColumn(gradient, b, dy, lastColumn(b));
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Copies

    private static void copyColumn(Mat src, int srcCol, Mat dst, int dstCol) {
        Kernels.CURRENT.scaleColumn(dst, dstCol, src, srcCol, 1, false);
    }

    /** Copies one block of whole columns into another of the same shape: a bulk copy in native memory where it can. */
    private static void copy(Mat src, Mat dst) {
        src.checkSameShape(dst);
        int n = src.rows() * src.cols();
        boolean bulk = src.isContiguous() && dst.isContiguous() && src.dataType() == dst.dataType()
                && ColumnArrays.inBuffers(src, dst);
        if (bulk && src.dataType() == DataType.FLOAT) {
            FloatBuffer from = src.floats().duplicate();
            from.position(src.index(0, 0)).limit(src.index(0, 0) + n);
            FloatBuffer to = dst.floats().duplicate();
            to.position(dst.index(0, 0));
            to.put(from);
        } else if (bulk) {
            DoubleBuffer from = src.doubles().duplicate();
            from.position(src.index(0, 0)).limit(src.index(0, 0) + n);
            DoubleBuffer to = dst.doubles().duplicate();
            to.position(dst.index(0, 0));
            to.put(from);
        } else {
            for (int c = 0; c < src.cols(); c++) {
                copyColumn(src, c, dst, c);
            }
        }
    }
}
