package dev.vdrop.runtime.internal;

import dev.vdrop.runtime.Mat;

/**
 * The few element-wise loops every generated network shares: applying dropout masks and
 * accumulating products. Activations are {@code rows × TB} with column {@code t·B + b}; a
 * per-sequence mask is {@code rows × B} and applies to column {@code col mod B}.
 *
 * <p>For generated code, through the kernels ({@code Kernels}: SIMD or plain Java); not API (see
 * the package).
 */
public final class Elementwise {
    /**
     * From this many elements on, a whole-matrix operation is one native ND4J call (vectorised,
     * on every core) instead of a Java loop; below it the call's fixed cost would dominate.
     */
    static final long NATIVE_FROM = 16_384;

    private Elementwise() {}

    /**
     * {@code dst = src ⊙ mask}, the mask's column {@code col mod B} for column col (one mask per sequence).
     *
     * @param dst rows × TB, written; may be src
     * @param src rows × TB
     * @param mask rows × B
     */
    public static void maskPerSequence(Mat dst, Mat src, Mat mask) {
        Kernels.CURRENT.maskPerSequence(dst, src, mask);
    }

    /**
     * {@code dst = src ⊙ mask}, all three of one shape (a fresh mask at every step).
     *
     * @param dst written; may be src
     * @param src the activations
     * @param mask the mask, of src's shape
     */
    public static void maskPerStep(Mat dst, Mat src, Mat mask) {
        multiply(dst, src, mask);
    }

    /**
     * {@code dst += src ⊙ mask} with one mask per sequence.
     *
     * @param dst rows × TB, added to
     * @param src rows × TB
     * @param mask rows × B, column {@code col mod B} for column col
     */
    public static void addMaskedPerSequence(Mat dst, Mat src, Mat mask) {
        int batch = mask.cols();
        for (int c = 0; c < dst.cols(); c++) {
            int s = c % batch;
            for (int r = 0; r < dst.rows(); r++) {
                dst.set(r, c, dst.get(r, c) + src.get(r, c) * mask.get(r, s));
            }
        }
    }

    /**
     * {@code dst[:, dstCol] = factor · src[:, srcCol]}: an embedding lookup (two matrices with the same rows).
     *
     * @param dst the matrix written
     * @param dstCol its column
     * @param src the matrix read (the embedding)
     * @param srcCol its column (the token id)
     * @param factor the scale (embedding dropout's mask value, or 1)
     */
    public static void copyColumn(Mat dst, int dstCol, Mat src, int srcCol, double factor) {
        Kernels.CURRENT.scaleColumn(dst, dstCol, src, srcCol, factor, false);
    }

    /**
     * {@code dst[:, dstCol] += factor · src[:, srcCol]}: an embedding gradient.
     *
     * @param dst the matrix added to (the embedding's gradient)
     * @param dstCol its column (the token id)
     * @param src the matrix read
     * @param srcCol its column
     * @param factor the scale
     */
    public static void addToColumn(Mat dst, int dstCol, Mat src, int srcCol, double factor) {
        Kernels.CURRENT.scaleColumn(dst, dstCol, src, srcCol, factor, true);
    }

    /**
     * {@code dst = a ⊙ b}, all three of one shape.
     *
     * @param dst written; may be a or b
     * @param a the first factor
     * @param b the second factor
     * @throws IllegalArgumentException when the shapes differ
     */
    public static void multiply(Mat dst, Mat a, Mat b) {
        Kernels.CURRENT.multiply(dst, a, b);
    }

    /**
     * {@code dst += scratch ⊙ mask}, leaving {@code scratch ⊙ mask} in scratch: the gradient of a
     * weight-dropped matrix, ∂U += ∂U' ⊙ M, with ∂U' in scratch.
     *
     * @param dst ∂U, added to
     * @param scratch on entry ∂U', on exit ∂U' ⊙ M
     * @param mask M
     * @throws IllegalArgumentException when the shapes differ
     */
    public static void addMasked(Mat dst, Mat scratch, Mat mask) {
        Kernels.CURRENT.addMasked(dst, scratch, mask);
    }

    /**
     * {@code dst[r] += Σ_c src[r, c]}; dst is a column vector.
     *
     * @param dst rows × 1, added to
     * @param src rows × columns
     */
    public static void addColumnSums(Mat dst, Mat src) {
        if (large(src) && dst.cols() == 1 && dst.isContiguous() && dst.dataType() == src.dataType()) {
            Blas.addRowSums(dst, src);
            return;
        }
        for (int c = 0; c < src.cols(); c++) {
            for (int r = 0; r < src.rows(); r++) {
                dst.set(r, 0, dst.get(r, 0) + src.get(r, c));
            }
        }
    }

    static boolean large(Mat m) {
        return (long) m.rows() * m.cols() >= NATIVE_FROM;
    }

    /**
     * tanh(x) = 1 − 2 / (e^{2x} + 1), through the JIT's {@code Math.exp} intrinsic: on Java 17
     * {@code Math.tanh} is a native call per element. Absolute error about 2·10⁻¹⁶; ±1 in the limits.
     *
     * @param x the argument
     * @return tanh(x)
     */
    public static double tanh(double x) {
        return 1 - 2 / (Math.exp(2 * x) + 1);
    }

    /**
     * σ(z) = 1 / (1 + e^{−z}).
     *
     * @param z the argument
     * @return σ(z)
     */
    public static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }
}
