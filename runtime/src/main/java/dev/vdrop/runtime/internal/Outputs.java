package dev.vdrop.runtime.internal;

import dev.vdrop.runtime.Mat;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Output-layer arithmetic and the conversion of column-major results to user-facing arrays.
 *
 * <p>For generated code; not API (see the package).
 */
public final class Outputs {
    private Outputs() {}

    /**
     * {@code a[:, c] += bias} for every column.
     *
     * @param a the matrix, changed in place
     * @param bias a column of a's rows
     */
    public static void addBias(Mat a, Mat bias) {
        for (int c = 0; c < a.cols(); c++) {
            for (int r = 0; r < a.rows(); r++) {
                a.set(r, c, a.get(r, c) + bias.get(r, 0));
            }
        }
    }

    /**
     * Adds the bias to each column of logits and replaces it by its softmax,
     * {@code p_k = exp(a_k − max a) / Σ_j exp(a_j − max a)}.
     *
     * @param logits classes × columns, replaced by the probabilities
     * @param bias classes × 1
     */
    public static void addBiasAndSoftmax(Mat logits, Mat bias) {
        addBiasAndSoftmax(logits, bias, null);
    }

    /**
     * {@link #addBiasAndSoftmax(Mat, Mat)}, and adds each class's probabilities summed over the
     * columns to {@code probabilitySums} (classes × 1) unless it is null: Σ_c p_c, which the bias
     * gradient of the cross-entropy needs, taken while the probabilities are still in cache.
     *
     * @param logits classes × columns, replaced by the probabilities
     * @param bias classes × 1
     * @param probabilitySums classes × 1, added to; or null
     */
    public static void addBiasAndSoftmax(Mat logits, Mat bias, Mat probabilitySums) {
        Kernels.CURRENT.addBiasAndSoftmax(logits, bias, probabilitySums);
    }

    /**
     * Columns {@code t·B + b} of a {@code features × (T·B)} matrix as a {@code [B, T, features]} array.
     *
     * @param m features × (T·B)
     * @param batch B
     * @param steps T
     * @return a new array of m's data type
     */
    public static INDArray toBatchTimeFeature(Mat m, int batch, int steps) {
        INDArray out = Nd4j.create(m.dataType(), batch, steps, m.rows());
        for (int t = 0; t < steps; t++) {
            for (int b = 0; b < batch; b++) {
                for (int k = 0; k < m.rows(); k++) {
                    out.putScalar(new long[] {b, t, k}, m.get(k, t * batch + b));
                }
            }
        }
        return out;
    }

    /**
     * A pass's outputs, one column per (step, sequence) in the columns of its {@link Packing}, as a
     * {@code [B, steps, features]} array: step t of sequence b at [b, t], zeros past each sequence's
     * end; for the equal packing the same as {@link #toBatchTimeFeature(Mat, int, int)}.
     *
     * @param m features × N (or more columns, of which the pass's first N)
     * @param packing the pass's layout
     * @return a new array of m's data type, [B, the longest sequence's steps, features]
     */
    public static INDArray toBatchTimeFeature(Mat m, Packing packing) {
        int batch = packing.batch();
        INDArray out = Nd4j.create(m.dataType(), batch, packing.steps(), m.rows());
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < packing.length(b); t++) {
                int column = packing.column(b, t);
                for (int k = 0; k < m.rows(); k++) {
                    out.putScalar(new long[] {b, t, k}, m.get(k, column));
                }
            }
        }
        return out;
    }

    /**
     * A {@code features × B} matrix as a {@code [B, features]} array.
     *
     * @param m features × B
     * @return a new array of m's data type
     */
    public static INDArray toBatchFeature(Mat m) {
        INDArray out = Nd4j.create(m.dataType(), m.cols(), m.rows());
        for (int b = 0; b < m.cols(); b++) {
            for (int k = 0; k < m.rows(); k++) {
                out.putScalar(b, k, m.get(k, b));
            }
        }
        return out;
    }
}
