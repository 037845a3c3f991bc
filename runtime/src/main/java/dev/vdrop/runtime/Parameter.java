package dev.vdrop.runtime;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One parameter tensor of a network and its gradient buffer, which the backward pass fills and
 * an optimiser reads. Vectors are stored as one-column matrices.
 */
public final class Parameter {
    private final String name;
    private final Mat value;
    private final Mat gradient;
    /** Set by {@link #zeroGradient()}: the buffer is to be read as zeros and not cleared yet. */
    private boolean gradientZeroPending;
    /**
     * While no dense writer had the buffer: it is zero outside the columns listed in
     * {@code writtenColumns[0, written)} (see {@link #gradientColumns()}).
     */
    private boolean columnsTracked = true;
    private int[] writtenColumns = new int[0];
    private boolean[] columnWritten = new boolean[0];
    private int written;

    /**
     * A parameter with a zero gradient of the same shape.
     *
     * @param name the name, like {@code lstm1.W}: unique within a network, used by checkpoints
     * @param value the values; the parameter keeps this matrix, not a copy
     */
    public Parameter(String name, Mat value) {
        this.name = name;
        this.value = value;
        this.gradient = Mat.zeros(value.dataType(), value.rows(), value.cols());
    }

    /** {@return the name, like {@code lstm1.W}} */
    public String name() {
        return name;
    }

    /** {@return the values, the matrix the network computes with} */
    public Mat value() {
        return value;
    }

    /**
     * The gradient buffer, zeros after {@link #zeroGradient()} until something is added. The caller
     * may write anywhere in it, so the norm and the SGD step read all of it afterwards.
     *
     * @return the gradient buffer, of the value's shape
     */
    public Mat gradient() {
        if (gradientZeroPending) {
            gradient.zero();
            gradientZeroPending = false;
        }
        columnsTracked = false;
        return gradient;
    }

    /**
     * The gradient buffer for a writer that adds to a few columns only and calls
     * {@link #columnWritten(int)} for each before writing it: an embedding's gradient, one column
     * per word of the segment out of the whole vocabulary. As long as nothing else asks for the
     * buffer, {@link #zeroGradient()} clears only those columns, and {@link Gradients}' norm and SGD
     * step visit only those (a MEDIUM model's embedding gradient is 6.5 M numbers of which a
     * segment writes at most 700 × 650).
     *
     * @return the gradient buffer, of the value's shape
     */
    public Mat gradientColumns() {
        if (gradientZeroPending) {
            gradient.zero();
            gradientZeroPending = false;
            columnsTracked = true;
        }
        return gradient;
    }

    /**
     * Notes that the caller of {@link #gradientColumns()} is about to write a column.
     *
     * @param column the column about to be written
     */
    public void columnWritten(int column) {
        if (!columnsTracked) {
            return;
        }
        if (columnWritten.length == 0) {
            columnWritten = new boolean[gradient.cols()];
            writtenColumns = new int[Math.min(gradient.cols(), 64)];
        }
        if (columnWritten[column]) {
            return;
        }
        if (written == writtenColumns.length) {
            writtenColumns = Arrays.copyOf(writtenColumns, Math.min(gradient.cols(), 2 * written));
        }
        columnWritten[column] = true;
        writtenColumns[written++] = column;
    }

    /**
     * Makes the gradient zero. The buffer is cleared when it is next asked for, unless the first
     * writer overwrites it whole (see {@link #gradientBeta()}): most gradients are a product that
     * can write instead of add, and clearing them all took 3% of a MEDIUM training step. A buffer
     * written by columns only (see {@link #gradientColumns()}) has those columns cleared now.
     */
    public void zeroGradient() {
        if (gradientZeroPending) {
            return;
        }
        if (columnsTracked && (long) written * 8 <= gradient.cols()) {
            for (int i = 0; i < written; i++) {
                gradient.zeroColumn(writtenColumns[i]);
                columnWritten[writtenColumns[i]] = false;
            }
            written = 0;
            return;
        }
        gradientZeroPending = true;
        forgetColumns();
    }

    /**
     * The β for a product that accumulates into the whole gradient, {@code G ← α A B + β G}: 0 right
     * after {@link #zeroGradient()} (the product overwrites the buffer, no clearing needed) and 1
     * once anything was added. Call it only for a write that covers every element, and before
     * {@link #gradient()} in the same call: {@code Blas.gemm(…, p.gradientBeta(), p.gradient())}.
     *
     * @return 0 or 1
     */
    public double gradientBeta() {
        if (gradientZeroPending) {
            gradientZeroPending = false;
            columnsTracked = false;
            return 0;
        }
        return 1;
    }

    private void forgetColumns() {
        for (int i = 0; i < written; i++) {
            columnWritten[writtenColumns[i]] = false;
        }
        written = 0;
        columnsTracked = false;
    }

    /** Whether the gradient is zero without a look at the buffer (zeroed and not written since). */
    boolean gradientKnownZero() {
        return gradientZeroPending || columnsTracked && written == 0;
    }

    /** The columns that may be non-zero, the rest being zero, or null when any element may be. */
    int[] gradientColumnsWritten() {
        return !gradientZeroPending && columnsTracked ? Arrays.copyOf(writtenColumns, written) : null;
    }

    /** The buffer as it is, for {@link Gradients}' reads (which keep the column tracking). */
    Mat gradientBuffer() {
        return gradient;
    }

    /** {@return the number of values, rows × columns} */
    public long size() {
        return (long) value.rows() * value.cols();
    }

    /** {@return the values as an f-order INDArray sharing the parameter's memory} */
    public INDArray array() {
        return value.asINDArray();
    }

    /**
     * Fills the values uniformly from [−scale, scale], column by column.
     *
     * @param rng the source of the draws
     * @param scale the bound, ≥ 0
     */
    public void initUniform(Rng rng, double scale) {
        for (int c = 0; c < value.cols(); c++) {
            for (int r = 0; r < value.rows(); r++) {
                value.set(r, c, rng.uniform(-scale, scale));
            }
        }
    }

    @Override
    public String toString() {
        return name + " " + value.shape();
    }
}
