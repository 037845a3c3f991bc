package dev.vdrop.runtime.internal;

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

import dev.vdrop.runtime.Mat;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Matrix products straight into OpenBLAS (the library ND4J itself links), on column-major
 * {@link Mat} views with their own leading dimension: no copies, no c-order results, no
 * per-call INDArray bookkeeping.
 *
 * <p>OpenBLAS runs one thread per call, and large products are split over the cores by
 * {@link Parallel}'s team, one part per core. The OpenBLAS that ND4J ships is built with its own
 * pthreads, which busy-wait (yielding) for some 2^28 cycles after every call whatever
 * {@code OMP_WAIT_POLICY} says; on a machine with few cores they take a core from the recurrence's
 * step products that follow (docs/kernels.md). The first use of this class therefore sets ND4J's
 * BLAS to one thread, which holds for the whole process: ND4J's own matrix products in the same
 * JVM then run on one core too.
 *
 * <p>For generated code and the runtime's trainers; not API (see the package).
 */
public final class Blas {
    /** Products from this many multiply-adds on are split over the cores: a part must outweigh handing it over. */
    private static final long PARALLEL_GEMM = 1L << 21;
    /** Vectors from this many elements on are updated ({@link #axpy}) or summed in parts over the cores. */
    private static final int PARALLEL_VECTOR = 1 << 20;

    static {
        Nd4j.factory().blas().setMaxThreads(1);
    }

    private Blas() {}

    /**
     * Seconds spent in {@link #gemm} since the last {@link #resetProfile} (only with {@code -Dvdrop.blas.profile=true}).
     *
     * @return the seconds, 0 when not profiling
     */
    public static double profiledSeconds() {
        return ProductProfile.seconds(ProductProfile.GEMM);
    }

    /**
     * Floating-point operations done by {@link #gemm} since the last reset (only when profiling).
     *
     * @return 2·m·n·k summed over the products, 0 when not profiling
     */
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
     * @param transA whether op(A) is Aᵀ
     * @param transB whether op(B) is Bᵀ
     * @param alpha the factor of the product
     * @param a A
     * @param b B
     * @param beta the factor of C's old values (0: C is overwritten)
     * @param c C, m × n, overwritten
     * @throws IllegalArgumentException when the shapes or data types do not fit
     */
    public static void gemm(boolean transA, boolean transB, double alpha, Mat a, Mat b, double beta, Mat c) {
        int m = transA ? a.cols() : a.rows();
        int k = transA ? a.rows() : a.cols();
        int kb = transB ? b.cols() : b.rows();
        int n = transB ? b.rows() : b.cols();
        if (k != kb || c.rows() != m || c.cols() != n) {
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
        int cores = (long) m * n * k >= PARALLEL_GEMM ? Parallel.THREADS : 1;
        if (cores == 1) {
            gemmOnThisThread(transA, transB, alpha, a, b, beta, c);
        } else if (k >= DEEP * Math.max(m, n)) {
            gemmByDepth(transA, transB, alpha, a, b, beta, c, Math.min(cores, k));
        } else {
            gemmByRowsOrColumns(transA, transB, alpha, a, b, beta, c, cores);
        }
        if (ProductProfile.ON) {
            ProductProfile.add(ProductProfile.GEMM, transA, transB, m, n, k, System.nanoTime() - start);
        }
    }

    /** Products at least this many times deeper (k) than wide (m, n) are split along k. */
    private static final int DEEP = 4;

    /**
     * C split by rows, each part reading all of op(B), or by columns, each reading all of op(A):
     * whichever of m and n is larger.
     */
    private static void gemmByRowsOrColumns(boolean transA, boolean transB, double alpha, Mat a, Mat b, double beta,
                                            Mat c, int cores) {
        int m = c.rows();
        int n = c.cols();
        boolean byRows = m >= n;
        int split = byRows ? m : n;
        int parts = Math.min(cores, split);
        Parallel.forEachPart(parts, part -> {
            int from = (int) ((long) split * part / parts);
            int count = (int) ((long) split * (part + 1) / parts) - from;
            if (byRows) {
                gemmOnThisThread(transA, transB, alpha, transA ? a.columns(from, count) : a.rows(from, count), b, beta,
                        c.rows(from, count));
            } else {
                gemmOnThisThread(transA, transB, alpha, a, transB ? b.rows(from, count) : b.columns(from, count), beta,
                        c.columns(from, count));
            }
        });
    }

    /** Each part's own product over a slice of k, for {@link #gemmByDepth}; grown when one is too small. */
    private static final ThreadLocal<Mat[]> DEPTH_PARTIALS = ThreadLocal.withInitial(() -> new Mat[2]);

    /**
     * A deep product ({@code ∂y = D ∂a}: 10,000 deep, a few hundred wide) split along k, so no
     * part reads all of either operand: part 0 adds its slice's product to beta · C, the others
     * write theirs to a buffer of their own, added to C at the end.
     */
    private static void gemmByDepth(boolean transA, boolean transB, double alpha, Mat a, Mat b, double beta, Mat c,
                                    int parts) {
        int k = transA ? a.rows() : a.cols();
        Mat[] partials = new Mat[parts];
        Parallel.forEachPart(parts, part -> {
            int from = (int) ((long) k * part / parts);
            int count = (int) ((long) k * (part + 1) / parts) - from;
            Mat aSlice = transA ? a.rows(from, count) : a.columns(from, count);
            Mat bSlice = transB ? b.columns(from, count) : b.rows(from, count);
            if (part == 0) {
                gemmOnThisThread(transA, transB, alpha, aSlice, bSlice, beta, c);
            } else {
                partials[part] = partial(c);
                gemmOnThisThread(transA, transB, alpha, aSlice, bSlice, 0, partials[part]);
            }
        });
        for (int part = 1; part < parts; part++) {
            for (int j = 0; j < c.cols(); j++) {
                addColumn(partials[part], c, j);
            }
        }
    }

    /** This thread's buffer of C's shape and type (contents undefined). */
    private static Mat partial(Mat c) {
        Mat[] buffers = DEPTH_PARTIALS.get();
        int slot = c.dataType() == DataType.FLOAT ? 0 : 1;
        Mat buffer = buffers[slot];
        long size = (long) c.rows() * c.cols();
        if (buffer == null || (long) buffer.rows() * buffer.cols() < size) {
            if (buffer != null) {
                buffer.close();
            }
            buffer = Mat.zeros(c.dataType(), (int) Math.min(Integer.MAX_VALUE, Math.max(size, 1L << 16)), 1);
            buffers[slot] = buffer;
        }
        return buffer.prefix(c.rows(), c.cols());
    }

    /** {@code c[:, j] += from[:, j]}. */
    private static void addColumn(Mat from, Mat c, int j) {
        if (c.dataType() == DataType.FLOAT) {
            cblas_saxpy(c.rows(), 1f, ((FloatPointer) from.pointer()).getPointer((long) j * from.leadingDimension()), 1,
                    ((FloatPointer) c.pointer()).getPointer((long) j * c.leadingDimension()), 1);
        } else {
            cblas_daxpy(c.rows(), 1, ((DoublePointer) from.pointer()).getPointer((long) j * from.leadingDimension()), 1,
                    ((DoublePointer) c.pointer()).getPointer((long) j * c.leadingDimension()), 1);
        }
    }

    private static void gemmOnThisThread(boolean transA, boolean transB, double alpha, Mat a, Mat b, double beta, Mat c) {
        int m = transA ? a.cols() : a.rows();
        int k = transA ? a.rows() : a.cols();
        int n = transB ? b.rows() : b.cols();
        int ta = transA ? CblasTrans : CblasNoTrans;
        int tb = transB ? CblasTrans : CblasNoTrans;
        if (c.dataType() == DataType.FLOAT) {
            cblas_sgemm(CblasColMajor, ta, tb, m, n, k, (float) alpha, (FloatPointer) a.pointer(), a.leadingDimension(),
                    (FloatPointer) b.pointer(), b.leadingDimension(), (float) beta, (FloatPointer) c.pointer(), c.leadingDimension());
        } else {
            cblas_dgemm(CblasColMajor, ta, tb, m, n, k, alpha, (DoublePointer) a.pointer(), a.leadingDimension(),
                    (DoublePointer) b.pointer(), b.leadingDimension(), beta, (DoublePointer) c.pointer(), c.leadingDimension());
        }
    }

    /**
     * The Euclidean norm of all elements of a contiguous matrix, no allocation: √(x·x) by BLAS dot
     * (float32 summed in double, dsdot), cheaper than nrm2, which scales as it goes to avoid
     * overflow; nrm2 only when the dot product overflows.
     *
     * @param m the matrix
     * @return ‖m‖₂ over all its elements
     */
    public static double norm(Mat m) {
        long n = (long) m.rows() * m.cols();
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

    private static double sumOfSquares(Mat m, boolean isFloat, int n) {
        // two halves, in parallel where there are two cores; two on every machine, so the bits do
        // not depend on the core count
        int parts = n >= PARALLEL_VECTOR ? 2 : 1;
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

    /**
     * Σ x² over the listed columns of m (each column contiguous, dsdot for float32), in their order.
     *
     * @param m the matrix
     * @param columns the columns to sum, each once
     * @return the sum of the squares of their elements
     */
    public static double sumOfSquaresOfColumns(Mat m, int[] columns) {
        // one pointer moved from column to column: no Pointer object per column
        double total = 0;
        if (m.dataType() == DataType.FLOAT) {
            FloatPointer x = new FloatPointer(m.pointer());
            long base = x.position();
            for (int c : columns) {
                x.position(base + (long) c * m.leadingDimension());
                total += cblas_dsdot(m.rows(), x, 1, x, 1);
            }
        } else {
            DoublePointer x = new DoublePointer(m.pointer());
            long base = x.position();
            for (int c : columns) {
                x.position(base + (long) c * m.leadingDimension());
                total += cblas_ddot(m.rows(), x, 1, x, 1);
            }
        }
        return total;
    }

    /**
     * {@code y += alpha · x} over every element of two contiguous matrices of one shape and data
     * type, in parts over the cores when large.
     *
     * @param alpha the factor of x
     * @param x the matrix added
     * @param y the matrix added to
     * @throws IllegalArgumentException when the shapes or data types differ, or either is not contiguous
     */
    public static void axpy(double alpha, Mat x, Mat y) {
        if (x.rows() != y.rows() || x.cols() != y.cols() || x.dataType() != y.dataType() || !x.isContiguous()
                || !y.isContiguous()) {
            throw new IllegalArgumentException("axpy needs two contiguous matrices of one shape and type, got " + x.shape()
                    + " " + x.dataType() + " and " + y.shape() + " " + y.dataType());
        }
        long n = (long) x.rows() * x.cols();
        int parts = n >= PARALLEL_VECTOR ? Parallel.THREADS : 1;
        Parallel.forEachPart(parts, part -> {
            long from = n * part / parts;
            int count = (int) (n * (part + 1) / parts - from);
            if (y.dataType() == DataType.FLOAT) {
                cblas_saxpy(count, (float) alpha, ((FloatPointer) x.pointer()).getPointer(from), 1,
                        ((FloatPointer) y.pointer()).getPointer(from), 1);
            } else {
                cblas_daxpy(count, alpha, ((DoublePointer) x.pointer()).getPointer(from), 1,
                        ((DoublePointer) y.pointer()).getPointer(from), 1);
            }
        });
    }

    /**
     * {@code y[:, c] += alpha · x[:, c]} for the listed columns c (x and y of one shape and data type).
     *
     * @param alpha the factor of x
     * @param x the matrix added
     * @param y the matrix added to
     * @param columns the columns to update, each once
     */
    public static void axpyColumns(double alpha, Mat x, Mat y, int[] columns) {
        if (y.dataType() == DataType.FLOAT) {
            FloatPointer from = new FloatPointer(x.pointer());
            FloatPointer to = new FloatPointer(y.pointer());
            long fromBase = from.position();
            long toBase = to.position();
            for (int c : columns) {
                cblas_saxpy(y.rows(), (float) alpha, from.position(fromBase + (long) c * x.leadingDimension()), 1,
                        to.position(toBase + (long) c * y.leadingDimension()), 1);
            }
        } else {
            DoublePointer from = new DoublePointer(x.pointer());
            DoublePointer to = new DoublePointer(y.pointer());
            long fromBase = from.position();
            long toBase = to.position();
            for (int c : columns) {
                cblas_daxpy(y.rows(), alpha, from.position(fromBase + (long) c * x.leadingDimension()), 1,
                        to.position(toBase + (long) c * y.leadingDimension()), 1);
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
        if (y.cols() != 1 || y.rows() != a.rows() || !y.isContiguous() || y.dataType() != a.dataType()) {
            throw new IllegalArgumentException("row sums of " + a.shape() + " " + a.dataType()
                    + " do not fit into " + y.shape() + " " + y.dataType());
        }
        if (a.rows() == 0 || a.cols() == 0) {
            return;
        }
        boolean isFloat = a.dataType() == DataType.FLOAT;
        Mat ones = ones(isFloat, a.cols());
        // rows in parts over the cores: each part's sums are its own
        int parts = (long) a.rows() * a.cols() >= PARALLEL_VECTOR ? Math.min(Parallel.THREADS, a.rows()) : 1;
        Parallel.forEachPart(parts, part -> {
            int from = (int) ((long) a.rows() * part / parts);
            int count = (int) ((long) a.rows() * (part + 1) / parts) - from;
            Mat rows = a.rows(from, count);
            Mat sums = y.rows(from, count);
            if (isFloat) {
                cblas_sgemv(CblasColMajor, CblasNoTrans, count, a.cols(), 1f, (FloatPointer) rows.pointer(), a.leadingDimension(),
                        (FloatPointer) ones.pointer(), 1, 1f, (FloatPointer) sums.pointer(), 1);
            } else {
                cblas_dgemv(CblasColMajor, CblasNoTrans, count, a.cols(), 1, (DoublePointer) rows.pointer(), a.leadingDimension(),
                        (DoublePointer) ones.pointer(), 1, 1, (DoublePointer) sums.pointer(), 1);
            }
        });
    }

    private static Mat ones(boolean isFloat, int count) {
        Mat ones = isFloat ? floatOnes : doubleOnes;
        if (ones != null && ones.rows() >= count) {
            return ones;
        }
        ones = Mat.zeros(isFloat ? DataType.FLOAT : DataType.DOUBLE, Math.max(count, ones == null ? 0 : 2 * ones.rows()), 1);
        ones.fill(1);
        if (isFloat) {
            floatOnes = ones;
        } else {
            doubleOnes = ones;
        }
        return ones;
    }

    /**
     * Multiplies every element of a contiguous matrix by {@code factor} (BLAS scal).
     *
     * @param m the matrix, changed in place
     * @param factor the factor
     */
    public static void scale(Mat m, double factor) {
        long n = (long) m.rows() * m.cols();
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
