package dev.vdrop.runtime;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasColMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_daxpy;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_ddot;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_dgemm;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_dgemv;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_dnrm2;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_dscal;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_dsdot;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_saxpy;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_sgemm;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_sgemv;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_snrm2;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_sscal;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Matrix products straight into OpenBLAS (the library ND4J itself links), on column-major
 * {@link Mat} views with their own leading dimension: no copies, no c-order results, no
 * per-call INDArray bookkeeping.
 */
public final class Blas {
    /**
     * GEMMs from this many multiply-adds on (a millisecond or more) tell {@link Parallel}'s idle
     * workers to park instead of spinning against OpenBLAS's threads; a recurrence's per-step
     * products, far smaller, do not.
     */
    private static final long LARGE_GEMM = 1L << 24;

    private Blas() {}

    /** Seconds spent in {@link #gemm} since the last {@link #resetProfile} (only with {@code -Dvdrop.blas.profile=true}). */
    public static double profiledSeconds() {
        return ProductProfile.seconds(ProductProfile.GEMM);
    }

    /** Floating-point operations done by {@link #gemm} since the last reset (only when profiling). */
    public static long profiledFlops() {
        return (long) ProductProfile.flops(ProductProfile.GEMM);
    }

    /** Forgets the profile so far: {@link ProductProfile#reset()}. */
    public static void resetProfile() {
        ProductProfile.reset();
    }

    /**
     * {@code C = alpha · op(A) · op(B) + beta · C}, where op transposes when asked.
     *
     * @throws IllegalArgumentException when the shapes or data types do not fit
     */
    public static void gemm(boolean transA, boolean transB, double alpha, Mat a, Mat b, double beta, Mat c) {
        int m = transA ? a.cols : a.rows;
        int k = transA ? a.rows : a.cols;
        int kb = transB ? b.cols : b.rows;
        int n = transB ? b.rows : b.cols;
        if (k != kb || c.rows != m || c.cols != n) {
            throw new IllegalArgumentException(String.format("gemm shapes do not fit: op(A) %d × %d, op(B) %d × %d, C %s",
                    m, k, kb, n, c.shape()));
        }
        if (a.dataType() != c.dataType() || b.dataType() != c.dataType()) {
            throw new IllegalArgumentException("gemm needs one data type, got " + a.dataType() + ", "
                    + b.dataType() + " and " + c.dataType());
        }
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            for (int j = 0; j < n; j++) {
                for (int i = 0; i < m; i++) {
                    c.set(i, j, beta == 0 ? 0 : beta * c.get(i, j));
                }
            }
            return;
        }
        long start = ProductProfile.ON ? System.nanoTime() : 0;
        int ta = transA ? CblasTrans : CblasNoTrans;
        int tb = transB ? CblasTrans : CblasNoTrans;
        boolean large = (long) m * n * k >= LARGE_GEMM;
        if (large) {
            Parallel.nativeCallStarts();
        }
        try {
            if (c.dataType() == DataType.FLOAT) {
                cblas_sgemm(CblasColMajor, ta, tb, m, n, k, (float) alpha, (FloatPointer) a.pointer(), a.ld,
                        (FloatPointer) b.pointer(), b.ld, (float) beta, (FloatPointer) c.pointer(), c.ld);
            } else {
                cblas_dgemm(CblasColMajor, ta, tb, m, n, k, alpha, (DoublePointer) a.pointer(), a.ld,
                        (DoublePointer) b.pointer(), b.ld, beta, (DoublePointer) c.pointer(), c.ld);
            }
        } finally {
            if (large) {
                Parallel.nativeCallDone();
            }
        }
        if (ProductProfile.ON) {
            ProductProfile.add(ProductProfile.GEMM, transA, transB, m, n, k, System.nanoTime() - start);
        }
    }

    /**
     * The Euclidean norm of all elements of a contiguous matrix, no allocation: √(x·x) by BLAS dot
     * (float32 summed in double, dsdot), a third faster than nrm2; nrm2, which scales to avoid
     * overflow, only when the dot product overflows.
     */
    public static double norm(Mat m) {
        long n = (long) m.rows * m.cols;
        if (n == 0) {
            return 0;
        }
        if (!m.isContiguous() || n > Integer.MAX_VALUE) {
            return m.flat().norm2Number().doubleValue();
        }
        boolean isFloat = m.dataType() == DataType.FLOAT;
        double squares = sumOfSquares(m, isFloat, (int) n);
        if (Double.isFinite(squares)) {
            return Math.sqrt(squares);
        }
        return isFloat
                ? cblas_snrm2((int) n, (FloatPointer) m.pointer(), 1)
                : cblas_dnrm2((int) n, (DoublePointer) m.pointer(), 1);
    }

    /**
     * Matrices from this many elements on are summed in two halves, in parallel where there are two
     * cores (OpenBLAS's dot is single-threaded); two on every machine, so the bits do not depend on
     * the core count.
     */
    private static final int PARALLEL_NORM = 1 << 20;

    private static double sumOfSquares(Mat m, boolean isFloat, int n) {
        int parts = n >= PARALLEL_NORM ? 2 : 1;
        double[] partial = new double[parts];
        Parallel.forEachPart(parts, part -> {
            long from = (long) n * part / parts;
            int count = (int) ((long) n * (part + 1) / parts - from);
            if (isFloat) {
                FloatPointer x = ((FloatPointer) m.pointer()).getPointer(from);
                partial[part] = cblas_dsdot(count, x, 1, x, 1);
            } else {
                DoublePointer x = ((DoublePointer) m.pointer()).getPointer(from);
                partial[part] = cblas_ddot(count, x, 1, x, 1);
            }
        });
        double total = 0;
        for (double p : partial) {
            total += p;
        }
        return total;
    }

    /** Σ x² over the listed columns of m (each column contiguous, dsdot for float32), in their order. */
    static double sumOfSquaresOfColumns(Mat m, int[] columns) {
        // one pointer moved from column to column: no Pointer object per column
        double total = 0;
        if (m.dataType() == DataType.FLOAT) {
            FloatPointer x = new FloatPointer(m.pointer());
            long base = x.position();
            for (int c : columns) {
                x.position(base + (long) c * m.ld);
                total += cblas_dsdot(m.rows, x, 1, x, 1);
            }
        } else {
            DoublePointer x = new DoublePointer(m.pointer());
            long base = x.position();
            for (int c : columns) {
                x.position(base + (long) c * m.ld);
                total += cblas_ddot(m.rows, x, 1, x, 1);
            }
        }
        return total;
    }

    /** {@code y[:, c] += alpha · x[:, c]} for the listed columns c (x and y of one shape and data type). */
    static void axpyColumns(double alpha, Mat x, Mat y, int[] columns) {
        if (y.dataType() == DataType.FLOAT) {
            FloatPointer from = new FloatPointer(x.pointer());
            FloatPointer to = new FloatPointer(y.pointer());
            long fromBase = from.position();
            long toBase = to.position();
            for (int c : columns) {
                cblas_saxpy(y.rows, (float) alpha, from.position(fromBase + (long) c * x.ld), 1,
                        to.position(toBase + (long) c * y.ld), 1);
            }
        } else {
            DoublePointer from = new DoublePointer(x.pointer());
            DoublePointer to = new DoublePointer(y.pointer());
            long fromBase = from.position();
            long toBase = to.position();
            for (int c : columns) {
                cblas_daxpy(y.rows, alpha, from.position(fromBase + (long) c * x.ld), 1,
                        to.position(toBase + (long) c * y.ld), 1);
            }
        }
    }

    /** Ones for {@link #addRowSums}, float32 and float64; replaced by a longer vector when one is needed. */
    private static volatile Mat floatOnes;
    private static volatile Mat doubleOnes;

    /**
     * {@code y += A · 1}: the sum of each row of A added to the column vector y (a bias gradient, Σ
     * over a segment's columns), as a gemv against a vector of ones, with no per-call allocation
     * (ND4J's {@code sum(1)} made a new array each time and reduced a column-major matrix along its
     * strided dimension).
     *
     * @throws IllegalArgumentException when y is not a contiguous column with A's rows, or the data types differ
     */
    static void addRowSums(Mat y, Mat a) {
        if (y.cols != 1 || y.rows != a.rows || !y.isContiguous() || y.dataType() != a.dataType()) {
            throw new IllegalArgumentException("row sums of " + a.shape() + " " + a.dataType()
                    + " do not fit into " + y.shape() + " " + y.dataType());
        }
        if (a.rows == 0 || a.cols == 0) {
            return;
        }
        boolean isFloat = a.dataType() == DataType.FLOAT;
        Mat ones = ones(isFloat, a.cols);
        Parallel.runNative(() -> {
            if (isFloat) {
                cblas_sgemv(CblasColMajor, CblasNoTrans, a.rows, a.cols, 1f, (FloatPointer) a.pointer(), a.ld,
                        (FloatPointer) ones.pointer(), 1, 1f, (FloatPointer) y.pointer(), 1);
            } else {
                cblas_dgemv(CblasColMajor, CblasNoTrans, a.rows, a.cols, 1, (DoublePointer) a.pointer(), a.ld,
                        (DoublePointer) ones.pointer(), 1, 1, (DoublePointer) y.pointer(), 1);
            }
        });
    }

    private static Mat ones(boolean isFloat, int count) {
        Mat ones = isFloat ? floatOnes : doubleOnes;
        if (ones != null && ones.rows >= count) {
            return ones;
        }
        ones = Mat.zeros(isFloat ? DataType.FLOAT : DataType.DOUBLE, Math.max(count, ones == null ? 0 : 2 * ones.rows), 1);
        ones.fill(1);
        if (isFloat) {
            floatOnes = ones;
        } else {
            doubleOnes = ones;
        }
        return ones;
    }

    /** Multiplies every element of a contiguous matrix by {@code factor} (BLAS scal). */
    public static void scale(Mat m, double factor) {
        long n = (long) m.rows * m.cols;
        if (n == 0) {
            return;
        }
        if (m.dataType() == DataType.FLOAT) {
            cblas_sscal((int) n, (float) factor, (FloatPointer) m.pointer(), 1);
        } else {
            cblas_dscal((int) n, factor, (DoublePointer) m.pointer(), 1);
        }
    }
}
