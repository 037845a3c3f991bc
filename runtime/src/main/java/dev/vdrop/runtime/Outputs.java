package dev.vdrop.runtime;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Output-layer arithmetic and the conversion of column-major results to user-facing arrays. */
public final class Outputs {
    private Outputs() {}

    /** {@code a[:, c] += bias} for every column. */
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
     */
    public static void addBiasAndSoftmax(Mat logits, Mat bias) {
        if (logits.isContiguous() && logits.rows() * (long) logits.cols() > 4096) {
            INDArray a = logits.matrix();
            a.addiColumnVector(bias.matrix());
            Nd4j.exec((org.nd4j.linalg.api.ops.CustomOp) new org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax(a, a, 0));
            return;
        }
        int rows = logits.rows();
        for (int c = 0; c < logits.cols(); c++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int r = 0; r < rows; r++) {
                double a = logits.get(r, c) + bias.get(r, 0);
                logits.set(r, c, a);
                max = Math.max(max, a);
            }
            double sum = 0;
            for (int r = 0; r < rows; r++) {
                double e = Math.exp(logits.get(r, c) - max);
                logits.set(r, c, e);
                sum += e;
            }
            for (int r = 0; r < rows; r++) {
                logits.set(r, c, logits.get(r, c) / sum);
            }
        }
    }

    /** Columns {@code t·B + b} of a {@code features × (T·B)} matrix as a {@code [B, T, features]} array. */
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

    /** A {@code features × B} matrix as a {@code [B, features]} array. */
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
