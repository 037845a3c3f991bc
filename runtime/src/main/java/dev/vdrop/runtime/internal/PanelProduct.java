package dev.vdrop.runtime.internal;

import static dev.vdrop.runtime.internal.PanelMicroKernels.panels1x1;
import static dev.vdrop.runtime.internal.PanelMicroKernels.panels1x4;
import static dev.vdrop.runtime.internal.PanelMicroKernels.panels3x1;
import static dev.vdrop.runtime.internal.PanelMicroKernels.panels3x4;

import dev.vdrop.runtime.Mat;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Thin products {@code C = op(A) · X + beta · C} in SIMD lanes, for the steps of a recurrence.
 *
 * <p>{@link #load} only remembers A; the first {@link #multiply} copies op(A) into panels of one
 * vector's worth of rows, each panel's columns one after another ({@code panels[(p · depth + k) ·
 * lanes + i] = op(A)[p · lanes + i, k]}), so a step streams through A once, in order, whatever
 * its layout was. The products then run on the cores' share of panels: each takes three panels
 * (48 rows in float32 with 512-bit vectors) and four columns of X at a time, twelve vector
 * accumulators updated by fused multiply-adds, over blocks of 128 values of k so the panels'
 * slice stays in the L1 cache while the columns pass over it ({@link PanelMicroKernels}). A
 * general GEMM (OpenBLAS) packs A again at every call, which for a product only a few columns wide
 * is much of the work; here it is laid out once
 * per {@link #load}, at the first product. docs/kernels.md has the
 * measurements against OpenBLAS.
 *
 * <p>Batches wider than {@link #MAX_COLUMNS} (MC dropout's K · B columns) go to BLAS, as do
 * matrices smaller than the minimum size given and matrices outside int-indexed native buffers.
 * float32 and float64 are twins.
 */
final class PanelProduct implements StepProduct {
    private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> DOUBLES = DoubleVector.SPECIES_PREFERRED;
    /** Wider X goes to BLAS, which is faster once the product is no longer thin. */
    static final int MAX_COLUMNS = 64;
    /** Values of k per block: three panels' slice of 128 columns (24 KB in float32) stays in L1. */
    private static final int DEPTH_BLOCK = 128;
    /** Products with fewer multiply-adds run on the caller alone. */
    private static final long PARALLEL_WORK = 1 << 19;
    /**
     * The smallest op(A), in elements, worth laying out: below it the steps gain too little over
     * BLAS to pay for the copy. The SMALL models' U' (an LSTM's 800 × 200, a GRU's 600 × 200) are
     * above.
     */
    static final long DEFAULT_MINIMUM_SIZE = 1 << 16;

    private final long minimumSize;
    /**
     * Whether the panels are this product's own rather than its thread's shared buffer: for the
     * products of several MC samples in one pass, each with its own U', which take turns at every
     * step ({@link SampleWeights}).
     */
    private final boolean ownPanels;

    /** @param minimumSize the fewest elements of op(A) for which the panels are used; BLAS below */
    PanelProduct(long minimumSize) {
        this(minimumSize, false);
    }

    /**
     * @param minimumSize the fewest elements of op(A) for which the panels are used; BLAS below
     * @param ownPanels whether the panels are kept by this product (several products in turn) or in
     *     the thread's shared buffer (one product at a time)
     */
    PanelProduct(long minimumSize, boolean ownPanels) {
        this.minimumSize = minimumSize;
        this.ownPanels = ownPanels;
    }

    private final MaskedWeights weights = new MaskedWeights();
    private boolean transposed;
    /**
     * Whether the next product runs through each core's panels last to first. Each core keeps the
     * same share of panels from step to step and turns round at every product, so it starts on the
     * panels it has just used, still in its L2 cache: a share larger than the L2 would otherwise be
     * read from L3 whole at every step.
     */
    private boolean descending;
    private boolean packed;
    /** op(A) is rows × depth. */
    private int rows;
    private int depth;
    private int panels;
    /**
     * What a thread's {@link Panels} records as the owner of its buffer: an object of this
     * product's own, so the buffer does not keep a product (and its weights) reachable.
     */
    private final Object key = new Object();
    /** This product's panels while it is the one laid out in its thread's {@link Panels}. */
    private float[] floatPanels;
    private double[] doublePanels;
    private float[] floatX = new float[0];
    private double[] doubleX = new double[0];

    @Override
    public void load(Mat a, Mat mask, boolean transposed) {
        weights.set(a, mask);
        this.transposed = transposed;
        this.rows = transposed ? a.cols() : a.rows();
        this.depth = transposed ? a.rows() : a.cols();
        this.packed = false;
    }

    @Override
    public void loadSample(Mat a, WeightMaskStream mask) {
        weights.set(a, mask);
        this.transposed = false;
        this.rows = a.rows();
        this.depth = a.cols();
        this.packed = false;
    }

    @Override
    public void multiply(Mat x, double beta, Mat c) {
        if (weights.source() == null) {
            throw new IllegalStateException("multiply before load");
        }
        int n = x.cols();
        if (x.rows() != depth || c.rows() != rows || c.cols() != n) {
            throw new IllegalArgumentException(String.format("step product shapes do not fit: op(A) %d × %d, X %s, C %s",
                    rows, depth, x.shape(), c.shape()));
        }
        if (!usesPanels(x, c)) {
            Blas.gemm(transposed, false, 1, weights.whole(), x, beta, c);
            return;
        }
        long start = ProductProfile.ON ? System.nanoTime() : 0;
        multiplyThroughPanels(x, beta, c, n, c.dataType() == DataType.FLOAT, true);
        if (ProductProfile.ON) {
            ProductProfile.add(ProductProfile.STEP_PANELS, transposed, false, rows, n, depth, System.nanoTime() - start);
        }
    }

    /**
     * Whether {@link #multiply} with these operands runs through the panels (else through BLAS):
     * X thin enough, op(A) large enough, everything of one data type in int-indexed buffers.
     */
    boolean usesPanels(Mat x, Mat c) {
        Mat source = weights.source();
        Mat mask = weights.mask();
        int n = x.cols();
        DataType type = c.dataType();
        boolean thin = n > 0 && n <= MAX_COLUMNS && rows > 0 && depth > 0 && (long) rows * depth >= minimumSize;
        return thin && x.dataType() == type && source.dataType() == type && ColumnArrays.inBuffers(source, x, c)
                && (mask == null || ColumnArrays.inBuffers(mask));
    }

    /**
     * {@link #multiply} through the panels on this thread alone (laying them out too, at the first
     * product): for a caller that splits its own work over the cores, one product per part. The
     * same values as {@link #multiply}: each row of C is summed in the same order however the
     * panels are shared out. Not counted by {@link ProductProfile}.
     *
     * @throws IllegalStateException when the operands do not take the panels ({@link #usesPanels})
     */
    void multiplyOnThisThread(Mat x, double beta, Mat c) {
        if (weights.source() == null || x.rows() != depth || c.rows() != rows || c.cols() != x.cols()
                || !usesPanels(x, c)) {
            throw new IllegalStateException("a product on one thread needs the panels: op(A) " + rows + " × " + depth
                    + ", X " + x.shape() + ", C " + c.shape());
        }
        multiplyThroughPanels(x, beta, c, x.cols(), c.dataType() == DataType.FLOAT, false);
    }

    @Override
    public void close() {
        weights.close();
        if (!ownPanels) {
            Panels shared = Panels.OF_THREAD.get();
            if (shared.owner == key) {
                shared.owner = null;
            }
        }
        floatPanels = null;
        doublePanels = null;
    }

    /**
     * One buffer of panels per thread, for whichever product laid its matrix out last on it: a
     * segment's layers and passes use one U' at a time, so every product on a thread (every layer,
     * direction and segment) shares one buffer instead of holding its own. A product whose panels
     * another one has overwritten lays them out again.
     */
    private static final class Panels {
        static final ThreadLocal<Panels> OF_THREAD = ThreadLocal.withInitial(Panels::new);

        float[] floats = new float[0];
        double[] doubles = new double[0];
        /** The key of the product whose panels the buffer holds, or null. */
        Object owner;
    }

    /** @param shareOut whether to split the work over the cores (else this thread does all of it) */
    private void multiplyThroughPanels(Mat x, double beta, Mat c, int n, boolean isFloat, boolean shareOut) {
        int lanes = isFloat ? FLOATS.length() : DOUBLES.length();
        panels = (rows + lanes - 1) / lanes;
        int parts = shareOut && (long) rows * depth * n >= PARALLEL_WORK
                ? Math.min(Parallel.THREADS, Math.max(1, panels / 3)) : 1;
        if (ownPanels) {
            if (!packed) {
                if (isFloat) {
                    floatPanels = grow(floatPanels == null ? new float[0] : floatPanels, panels * depth * lanes);
                } else {
                    doublePanels = grow(doublePanels == null ? new double[0] : doublePanels, panels * depth * lanes);
                }
                Parallel.forEachPart(parts, part -> pack(isFloat, lanes, part, parts));
                packed = true;
            }
        } else {
            Panels shared = Panels.OF_THREAD.get();
            if (!packed || shared.owner != key) {
                // laid out again when another product has used this thread's panels since (the layers of a
                // generated pass take turns, so that does not happen there)
                if (isFloat) {
                    floatPanels = shared.floats = grow(shared.floats, panels * depth * lanes);
                } else {
                    doublePanels = shared.doubles = grow(shared.doubles, panels * depth * lanes);
                }
                shared.owner = key;
                Parallel.forEachPart(parts, part -> pack(isFloat, lanes, part, parts));
                packed = true;
            }
        }
        boolean down = descending;
        descending = !descending;
        if (isFloat) {
            floatX = grow(floatX, depth * n);
            ColumnArrays.read(x, floatX);
            Parallel.forEachPart(parts, part -> multiplyFloats(beta, c, n, part, parts, down));
        } else {
            doubleX = grow(doubleX, depth * n);
            ColumnArrays.read(x, doubleX);
            Parallel.forEachPart(parts, part -> multiplyDoubles(beta, c, n, part, parts, down));
        }
    }

    private static float[] grow(float[] array, int size) {
        return array.length >= size ? array : new float[size];
    }

    private static double[] grow(double[] array, int size) {
        return array.length >= size ? array : new double[size];
    }

    // ---------------------------------------------------------------------------------------------
    // Panels

    /** What a panel costs on its own (1 × 4 kernel, bound by FMA latency) relative to one of a triple. */
    private static final double SINGLE_PANEL_COST = 1.8;

    /**
     * Panels [first, end) of part {@code part} of {@code parts} (a core's share, the same when
     * packing and when multiplying): whole triples, with the 1–2 panels left over at the end of the last
     * part, split so each part's cost is about equal. Parts may be empty when there are few triples.
     */
    private int firstPanel(int part, int parts) {
        int triples = panels / 3;
        double cost = 3 * triples + SINGLE_PANEL_COST * (panels % 3);
        return 3 * Math.min(triples, (int) Math.round(cost * part / parts / 3));
    }

    private int endPanel(int part, int parts) {
        return part == parts - 1 ? panels : firstPanel(part + 1, parts);
    }

    private void pack(boolean isFloat, int lanes, int part, int parts) {
        int from = firstPanel(part, parts);
        int to = endPanel(part, parts);
        Mat source = weights.source();
        // U' = U ⊙ M as it is laid out, when there is a mask (a matrix, or a sample's stream)
        boolean masked = weights.masked();
        if (!transposed) {
            // A is rows × depth: this part's rows of column k in one read, then each panel p's
            // lanes of them to panel p's slot k
            int r0 = from * lanes;
            int count = Math.min(rows, to * lanes) - r0;
            if (count <= 0) {
                return;
            }
            if (isFloat) {
                float[] column = Scratch.OF_THREAD.get().panelFloats(to * lanes - r0);
                float[] maskColumn = Scratch.OF_THREAD.get().panelMaskFloats(to * lanes - r0);
                FloatBuffer values = source.floats();
                for (int k = 0; k < depth; k++) {
                    values.get(source.index(r0, k), column, 0, count);
                    if (masked) {
                        weights.readMask(r0, k, count, maskColumn, 0);
                        VectorElementwise.multiplyInto(column, maskColumn, count);
                    }
                    for (int p = from; p < to; p++) {
                        System.arraycopy(column, (p - from) * lanes, floatPanels, (p * depth + k) * lanes, lanes);
                    }
                }
            } else {
                double[] column = Scratch.OF_THREAD.get().panelDoubles(to * lanes - r0);
                double[] maskColumn = Scratch.OF_THREAD.get().panelMaskDoubles(to * lanes - r0);
                DoubleBuffer values = source.doubles();
                for (int k = 0; k < depth; k++) {
                    values.get(source.index(r0, k), column, 0, count);
                    if (masked) {
                        weights.readMask(r0, k, count, maskColumn, 0);
                        for (int i = 0; i < count; i++) {
                            column[i] *= maskColumn[i];
                        }
                    }
                    for (int p = from; p < to; p++) {
                        System.arraycopy(column, (p - from) * lanes, doublePanels, (p * depth + k) * lanes, lanes);
                    }
                }
            }
            return;
        }
        // A is depth × rows: its column r is row r of op(A). A panel's columns in one read, then
        // written out slot by slot (k), each slot one value of every column
        if (isFloat) {
            float[] columns = Scratch.OF_THREAD.get().panelFloats(lanes * depth);
            float[] maskColumns = Scratch.OF_THREAD.get().panelMaskFloats(lanes * depth);
            FloatBuffer values = source.floats();
            for (int p = from; p < to; p++) {
                int r0 = p * lanes;
                int count = Math.min(lanes, rows - r0);
                for (int i = 0; i < count; i++) {
                    values.get(source.index(0, r0 + i), columns, i * depth, depth);
                    if (masked) {
                        weights.readMask(0, r0 + i, depth, maskColumns, i * depth);
                    }
                }
                if (masked) {
                    VectorElementwise.multiplyInto(columns, maskColumns, count * depth);
                }
                int at = p * depth * lanes;
                for (int k = 0; k < depth; k++) {
                    for (int i = 0; i < count; i++) {
                        floatPanels[at + k * lanes + i] = columns[i * depth + k];
                    }
                }
            }
        } else {
            double[] columns = Scratch.OF_THREAD.get().panelDoubles(lanes * depth);
            double[] maskColumns = Scratch.OF_THREAD.get().panelMaskDoubles(lanes * depth);
            DoubleBuffer values = source.doubles();
            for (int p = from; p < to; p++) {
                int r0 = p * lanes;
                int count = Math.min(lanes, rows - r0);
                for (int i = 0; i < count; i++) {
                    values.get(source.index(0, r0 + i), columns, i * depth, depth);
                    if (masked) {
                        weights.readMask(0, r0 + i, depth, maskColumns, i * depth);
                        for (int k = 0; k < depth; k++) {
                            columns[i * depth + k] *= maskColumns[i * depth + k];
                        }
                    }
                }
                int at = p * depth * lanes;
                for (int k = 0; k < depth; k++) {
                    for (int i = 0; i < count; i++) {
                        doublePanels[at + k * lanes + i] = columns[i * depth + k];
                    }
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Products, one core's share of panels: out = beta · C (those rows), += panels · X (triples, then
    // the 1–2 panels left over; last to first when descending), back to C

    private void multiplyFloats(double beta, Mat c, int n, int part, int parts, boolean descending) {
        int lanes = FLOATS.length();
        int from = firstPanel(part, parts);
        int to = endPanel(part, parts);
        if (from >= to) {
            return;
        }
        int r0 = from * lanes;
        int count = Math.min(rows, to * lanes) - r0;
        int ldo = (to - from) * lanes;
        float[] out = Scratch.OF_THREAD.get().panelFloats(ldo * n);
        FloatBuffer cb = c.floats();
        for (int j = 0; j < n; j++) {
            if (beta == 0) {
                java.util.Arrays.fill(out, j * ldo, j * ldo + count, 0f);
            } else {
                cb.get(c.index(r0, j), out, j * ldo, count);
                if (beta != 1) {
                    for (int i = j * ldo; i < j * ldo + count; i++) {
                        out[i] *= (float) beta;
                    }
                }
            }
        }
        float[] a = floatPanels;
        float[] x = floatX;
        int triples = (to - from) / 3;
        int groups = triples + (to - from) % 3;
        for (int g0 = 0; g0 < groups; g0++) {
            int g = descending ? groups - 1 - g0 : g0;
            boolean triple = g < triples;
            int p = triple ? from + 3 * g : from + 3 * triples + (g - triples);
            int row = (p - from) * lanes;
            for (int k0 = 0; k0 < depth; k0 += DEPTH_BLOCK) {
                int k1 = Math.min(depth, k0 + DEPTH_BLOCK);
                int j = 0;
                for (; j + 4 <= n; j += 4) {
                    if (triple) {
                        panels3x4(a, p, depth, k0, k1, x, j, out, ldo, row);
                    } else {
                        panels1x4(a, p, depth, k0, k1, x, j, out, ldo, row);
                    }
                }
                for (; j < n; j++) {
                    if (triple) {
                        panels3x1(a, p, depth, k0, k1, x, j, out, ldo, row);
                    } else {
                        panels1x1(a, p, depth, k0, k1, x, j, out, ldo, row);
                    }
                }
            }
        }
        for (int j = 0; j < n; j++) {
            cb.put(c.index(r0, j), out, j * ldo, count);
        }
    }

    private void multiplyDoubles(double beta, Mat c, int n, int part, int parts, boolean descending) {
        int lanes = DOUBLES.length();
        int from = firstPanel(part, parts);
        int to = endPanel(part, parts);
        if (from >= to) {
            return;
        }
        int r0 = from * lanes;
        int count = Math.min(rows, to * lanes) - r0;
        int ldo = (to - from) * lanes;
        double[] out = Scratch.OF_THREAD.get().panelDoubles(ldo * n);
        DoubleBuffer cb = c.doubles();
        for (int j = 0; j < n; j++) {
            if (beta == 0) {
                java.util.Arrays.fill(out, j * ldo, j * ldo + count, 0d);
            } else {
                cb.get(c.index(r0, j), out, j * ldo, count);
                if (beta != 1) {
                    for (int i = j * ldo; i < j * ldo + count; i++) {
                        out[i] *= beta;
                    }
                }
            }
        }
        double[] a = doublePanels;
        double[] x = doubleX;
        int triples = (to - from) / 3;
        int groups = triples + (to - from) % 3;
        for (int g0 = 0; g0 < groups; g0++) {
            int g = descending ? groups - 1 - g0 : g0;
            boolean triple = g < triples;
            int p = triple ? from + 3 * g : from + 3 * triples + (g - triples);
            int row = (p - from) * lanes;
            for (int k0 = 0; k0 < depth; k0 += DEPTH_BLOCK) {
                int k1 = Math.min(depth, k0 + DEPTH_BLOCK);
                int j = 0;
                for (; j + 4 <= n; j += 4) {
                    if (triple) {
                        panels3x4(a, p, depth, k0, k1, x, j, out, ldo, row);
                    } else {
                        panels1x4(a, p, depth, k0, k1, x, j, out, ldo, row);
                    }
                }
                for (; j < n; j++) {
                    if (triple) {
                        panels3x1(a, p, depth, k0, k1, x, j, out, ldo, row);
                    } else {
                        panels1x1(a, p, depth, k0, k1, x, j, out, ldo, row);
                    }
                }
            }
        }
        for (int j = 0; j < n; j++) {
            cb.put(c.index(r0, j), out, j * ldo, count);
        }
    }
}
