package dev.vdrop.runtime.internal;

import dev.vdrop.runtime.Mat;
import dev.vdrop.runtime.Rng;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The kernels in SIMD lanes through {@code jdk.incubator.vector}. Each call copies the columns it
 * works on from the native buffers into per-thread Java arrays (one memcpy per contiguous block),
 * computes there, and copies the results back: on arrays the JIT compiles every vector operation to
 * instructions, where on direct byte buffers JDK 17 now and then falls back to boxing each vector
 * (tens of MB of garbage per step). Each loop is a small method of its own with one exp at most,
 * for the same reason. Loaded by {@link Kernels} only when the module is present.
 */
final class VectorKernels implements Kernels {
    private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> DOUBLES = DoubleVector.SPECIES_PREFERRED;
    private static final int THREADS = Parallel.THREADS;
    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();

    private final PlainKernels plain = new PlainKernels();

    /** Per-thread scratch arrays, grown on demand and kept: slot k of the float or double kind. */
    static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** Slot of {@link #SCRATCH} that {@link PanelProduct} uses; the kernels here use the lower ones. */
    static final int PANEL_SLOT = 7;

    static final class Scratch {
        private final float[][] floats = new float[8][0];
        private final double[][] doubles = new double[8][0];
        /** The last, part-filled lane group of an exp, padded to a whole one. */
        final float[] tailFloats = new float[FLOATS.length()];
        final double[] tailDoubles = new double[DOUBLES.length()];

        float[] floats(int slot, int size) {
            if (floats[slot].length < size) {
                floats[slot] = new float[size];
            }
            return floats[slot];
        }

        double[] doubles(int slot, int size) {
            if (doubles[slot].length < size) {
                doubles[slot] = new double[size];
            }
            return doubles[slot];
        }
    }

    /**
     * Runs every kernel once, on small matrices in both precisions, before any real work: the first
     * run loads the vector classes and fills the vector API's caches that the JIT folds into
     * constants. Compiled before that, JDK 17's C2 now and then leaves vector operations as calls to
     * their boxed fallbacks (tens of MB of garbage per training step, and half the speed).
     */
    VectorKernels() {
        synchronized (VectorKernels.class) {
            if (!warmedUp) {
                warmedUp = true;
                warmUp(DataType.FLOAT);
                warmUp(DataType.DOUBLE);
            }
        }
    }

    private static boolean warmedUp;

    private void warmUp(DataType type) {
        int units = FLOATS.length() + 3;
        int batch = 5;
        Rng rng = new Rng(1);
        Mat z = random(type, 4 * units, batch, rng);
        Mat bias = random(type, 4 * units, 1, rng);
        Mat cPrev = random(type, units, batch, rng);
        Mat c = Mat.zeros(type, units, batch);
        Mat tanhC = Mat.zeros(type, units, batch);
        Mat h = Mat.zeros(type, units, batch);
        lstmForward(z, bias, cPrev, c, tanhC, h);
        Mat dz = Mat.zeros(type, 4 * units, batch);
        lstmBackward(z, tanhC, cPrev, random(type, units, batch, rng), random(type, units, batch, rng), c, dz);
        maskPerSequence(h, h, random(type, units, 1, rng));
        scaleColumn(h, 0, cPrev, 1, 0.5, true);
        scaleColumn(h, 1, cPrev, 0, 0.5, false);
        Mat sums = Mat.zeros(type, 4 * units, 1);
        addBiasAndSoftmax(z, bias, sums);
        multiply(c, cPrev, h);
        addMasked(h, tanhC, cPrev);
        StepProduct product = new PanelProduct(0);
        for (boolean transposed : new boolean[] {false, true}) {
            try (Mat u = random(type, 4 * units, 4 * units, rng)) {
                product.load(u, u, transposed);
                product.multiply(dz, 1, z);
            }
        }
        product.close();
        for (Mat m : new Mat[] {z, bias, cPrev, c, tanhC, h, dz, sums}) {
            m.close();
        }
    }

    private static Mat random(DataType type, int rows, int cols, Rng rng) {
        Mat m = Mat.zeros(type, rows, cols);
        for (int j = 0; j < cols; j++) {
            for (int i = 0; i < rows; i++) {
                m.set(i, j, rng.uniform(-1, 1));
            }
        }
        return m;
    }

    // ---------------------------------------------------------------------------------------------
    // Whole-matrix products (weight drop): linear ranges over the cores, in chunks through arrays

    /** Elements per chunk of {@link #multiply} and {@link #addMasked}: three chunks stay in L1. */
    private static final int ELEMENT_CHUNK = 2048;
    /** Matrices from this many elements on are split over the cores. */
    private static final long ELEMENT_PARALLEL = 1 << 16;

    @Override
    public void multiply(Mat dst, Mat a, Mat b) {
        if (!wholeFloats(dst, a, b)) {
            plain.multiply(dst, a, b);
            return;
        }
        byChunks(dst, (from, count, x, y) -> {
            readLinear(a, from, x, count);
            readLinear(b, from, y, count);
            multiplyInto(x, y, count);
            writeLinear(x, dst, from, count);
        });
    }

    @Override
    public void addMasked(Mat dst, Mat scratch, Mat mask) {
        if (!wholeFloats(dst, scratch, mask)) {
            plain.addMasked(dst, scratch, mask);
            return;
        }
        byChunks(dst, (from, count, x, y) -> {
            readLinear(scratch, from, x, count);
            readLinear(mask, from, y, count);
            multiplyInto(x, y, count);
            writeLinear(x, scratch, from, count);
            readLinear(dst, from, y, count);
            addInto(y, x, count);
            writeLinear(y, dst, from, count);
        });
    }

    /** float32 matrices of one shape, each contiguous in a native buffer. */
    private static boolean wholeFloats(Mat dst, Mat a, Mat b) {
        PlainKernels.checkSameShape(dst, a, b);
        return dst.dataType() == DataType.FLOAT && a.dataType() == DataType.FLOAT && b.dataType() == DataType.FLOAT
                && dst.isContiguous() && a.isContiguous() && b.isContiguous() && inBuffers(dst, a, b);
    }

    /** Elements [from, from + count) in column order, with two arrays of this thread's to work in. */
    private interface Chunk {
        void run(int from, int count, float[] x, float[] y);
    }

    private static void byChunks(Mat m, Chunk chunk) {
        int n = m.rows() * m.cols();
        int parts = n >= ELEMENT_PARALLEL ? THREADS : 1;
        Parallel.forEachPart(parts, part -> {
            int end = (int) ((long) n * (part + 1) / parts);
            Scratch scratch = SCRATCH.get();
            float[] x = scratch.floats(0, ELEMENT_CHUNK);
            float[] y = scratch.floats(1, ELEMENT_CHUNK);
            for (int from = (int) ((long) n * part / parts); from < end; from += ELEMENT_CHUNK) {
                chunk.run(from, Math.min(ELEMENT_CHUNK, end - from), x, y);
            }
        });
    }

    private static void readLinear(Mat m, int from, float[] to, int count) {
        m.floats().get(m.index(0, 0) + from, to, 0, count);
    }

    private static void writeLinear(float[] from, Mat m, int at, int count) {
        m.floats().put(m.index(0, 0) + at, from, 0, count);
    }

    /** x ← x ⊙ y. */
    static void multiplyInto(float[] x, float[] y, int count) {
        int whole = FLOATS.loopBound(count);
        for (int j = 0; j < whole; j += FLOATS.length()) {
            FloatVector.fromArray(FLOATS, x, j).mul(FloatVector.fromArray(FLOATS, y, j)).intoArray(x, j);
        }
        for (int j = whole; j < count; j++) {
            x[j] *= y[j];
        }
    }

    /** y ← y + x. */
    private static void addInto(float[] y, float[] x, int count) {
        int whole = FLOATS.loopBound(count);
        for (int j = 0; j < whole; j += FLOATS.length()) {
            FloatVector.fromArray(FLOATS, y, j).add(FloatVector.fromArray(FLOATS, x, j)).intoArray(y, j);
        }
        for (int j = whole; j < count; j++) {
            y[j] += x[j];
        }
    }

    @Override
    public StepProduct stepProduct() {
        return new PanelProduct(PanelProduct.DEFAULT_MINIMUM_SIZE);
    }

    @Override
    public String description() {
        return "vector (" + FLOATS.length() + " × float32 / " + DOUBLES.length() + " × float64 lanes, jdk.incubator.vector)";
    }

    static boolean inBuffers(Mat... mats) {
        for (Mat m : mats) {
            if (m.bytes() == null) {
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------------------------------------
    // Copies between a matrix (any leading dimension) and an array holding it column after column

    static void read(Mat m, float[] to) {
        read(m, 0, m.cols(), to);
    }

    /** Columns [from, from + count) of m into {@code to}, column after column. */
    static void read(Mat m, int from, int count, float[] to) {
        FloatBuffer buffer = m.floats();
        if (m.isContiguous() || count == 1) {
            buffer.get(m.index(0, from), to, 0, m.rows() * count);
            return;
        }
        for (int c = 0; c < count; c++) {
            buffer.get(m.index(0, from + c), to, c * m.rows(), m.rows());
        }
    }

    private static void write(float[] from, Mat m) {
        write(from, m, 0, m.cols());
    }

    /** {@code from}, column after column, into columns [at, at + count) of m. */
    private static void write(float[] from, Mat m, int at, int count) {
        FloatBuffer buffer = m.floats();
        if (m.isContiguous() || count == 1) {
            buffer.put(m.index(0, at), from, 0, m.rows() * count);
            return;
        }
        for (int c = 0; c < count; c++) {
            buffer.put(m.index(0, at + c), from, c * m.rows(), m.rows());
        }
    }

    static void read(Mat m, double[] to) {
        read(m, 0, m.cols(), to);
    }

    /** Columns [from, from + count) of m into {@code to}, column after column. */
    static void read(Mat m, int from, int count, double[] to) {
        DoubleBuffer buffer = m.doubles();
        if (m.isContiguous() || count == 1) {
            buffer.get(m.index(0, from), to, 0, m.rows() * count);
            return;
        }
        for (int c = 0; c < count; c++) {
            buffer.get(m.index(0, from + c), to, c * m.rows(), m.rows());
        }
    }

    private static void write(double[] from, Mat m) {
        write(from, m, 0, m.cols());
    }

    /** {@code from}, column after column, into columns [at, at + count) of m. */
    private static void write(double[] from, Mat m, int at, int count) {
        DoubleBuffer buffer = m.doubles();
        if (m.isContiguous() || count == 1) {
            buffer.put(m.index(0, at), from, 0, m.rows() * count);
            return;
        }
        for (int c = 0; c < count; c++) {
            buffer.put(m.index(0, at + c), from, c * m.rows(), m.rows());
        }
    }

    // ---------------------------------------------------------------------------------------------
    // LSTM step

    @Override
    public void lstmForward(Mat z, Mat bias, Mat cPrev, Mat c, Mat tanhC, Mat h) {
        if (!inBuffers(z, bias, cPrev, c, tanhC, h)) {
            plain.lstmForward(z, bias, cPrev, c, tanhC, h);
            return;
        }
        boolean isFloat = h.dataType() == DataType.FLOAT;
        byColumns(h.rows(), h.cols(), (from, count) -> {
            if (isFloat) {
                lstmForwardFloat(z, bias, cPrev, c, tanhC, h, from, count);
            } else {
                lstmForwardDouble(z, bias, cPrev, c, tanhC, h, from, count);
            }
        });
    }

    @Override
    public void lstmBackward(Mat gates, Mat tanhC, Mat cPrev, Mat dy, Mat dhNext, Mat dcNext, Mat dz) {
        if (!inBuffers(gates, tanhC, cPrev, dy, dhNext, dcNext, dz)) {
            plain.lstmBackward(gates, tanhC, cPrev, dy, dhNext, dcNext, dz);
            return;
        }
        boolean isFloat = dy.dataType() == DataType.FLOAT;
        byColumns(dy.rows(), dy.cols(), (from, count) -> {
            if (isFloat) {
                lstmBackwardFloat(gates, tanhC, cPrev, dy, dhNext, dcNext, dz, from, count);
            } else {
                lstmBackwardDouble(gates, tanhC, cPrev, dy, dhNext, dcNext, dz, from, count);
            }
        });
    }

    /** Cells per step from which a step's cell update splits its columns over the cores. */
    private static final int CELL_PARALLEL_WORK = 1 << 13;

    /** Columns [from, from + count) of a step: every column's cells depend on that column only. */
    private interface ColumnRange {
        void run(int from, int count);
    }

    /** Runs {@code range} over a step's {@code cols} columns, split over the cores when the step has many cells. */
    private static void byColumns(int units, int cols, ColumnRange range) {
        int parts = (long) units * cols >= CELL_PARALLEL_WORK ? Math.min(THREADS, cols) : 1;
        if (parts <= 1) {
            range.run(0, cols);
            return;
        }
        Parallel.forEachPart(parts, part -> {
            int from = (int) ((long) cols * part / parts);
            int to = (int) ((long) cols * (part + 1) / parts);
            range.run(from, to - from);
        });
    }

    private static void lstmForwardFloat(Mat z, Mat bias, Mat cPrev, Mat c, Mat tanhC, Mat h, int from, int count) {
        int units = h.rows();
        int batch = count;
        Scratch scratch = SCRATCH.get();
        float[] zs = scratch.floats(0, 4 * units * batch);
        float[] bs = scratch.floats(1, 4 * units);
        float[] ps = scratch.floats(2, units * batch);
        float[] cs = scratch.floats(3, units * batch);
        float[] ts = scratch.floats(4, units * batch);
        float[] hs = scratch.floats(5, units * batch);
        read(z, from, count, zs);
        read(bias, bs);
        read(cPrev, from, count, ps);
        for (int s = 0; s < batch; s++) {
            int z0 = 4 * units * s;
            // i, f = σ(z + b) (rows 0 … 2H), g = tanh(z + b), o = σ(z + b), in place
            sigmoidRows(zs, z0, bs, 0, 2 * units);
            tanhRows(zs, z0 + 2 * units, bs, 2 * units, units);
            sigmoidRows(zs, z0 + 3 * units, bs, 3 * units, units);
            cellRows(zs, z0, units, ps, cs, ts, hs, units * s);
        }
        write(zs, z, from, count);
        write(cs, c, from, count);
        write(ts, tanhC, from, count);
        write(hs, h, from, count);
    }

    /** x ← σ(x + b) for {@code count} elements from x[x0] and b[b0]: σ(v) = 1 / (1 + e^{−v}). */
    private static void sigmoidRows(float[] x, int x0, float[] b, int b0, int count) {
        scaledSum(x, x0, b, b0, count, -1f);
        expRows(x, x0, count, 0f);
        logistic(x, x0, count, 1f, 0f);
    }

    /** x ← tanh(x + b): tanh(v) = 2 / (1 + e^{−2v}) − 1. */
    private static void tanhRows(float[] x, int x0, float[] b, int b0, int count) {
        scaledSum(x, x0, b, b0, count, -2f);
        expRows(x, x0, count, 0f);
        logistic(x, x0, count, 2f, -1f);
    }

    /** c = f ⊙ c_{t-1} + i ⊙ g, tanh(c), h = o ⊙ tanh(c) for the column whose gates start at z[z0]. */
    private static void cellRows(float[] z, int z0, int units, float[] cPrev, float[] c, float[] tanhC, float[] h, int at) {
        int whole = FLOATS.loopBound(units);
        for (int j = 0; j < whole; j += FLOATS.length()) {
            FloatVector cell = FloatVector.fromArray(FLOATS, z, z0 + units + j).mul(FloatVector.fromArray(FLOATS, cPrev, at + j))
                    .add(FloatVector.fromArray(FLOATS, z, z0 + j).mul(FloatVector.fromArray(FLOATS, z, z0 + 2 * units + j)));
            cell.intoArray(c, at + j);
            cell.mul(-2f).intoArray(tanhC, at + j);
        }
        for (int j = whole; j < units; j++) {
            c[at + j] = z[z0 + units + j] * cPrev[at + j] + z[z0 + j] * z[z0 + 2 * units + j];
            tanhC[at + j] = -2 * c[at + j];
        }
        expRows(tanhC, at, units, 0f);
        logistic(tanhC, at, units, 2f, -1f);
        multiply(z, z0 + 3 * units, tanhC, at, h, at, units);
    }

    /** x ← factor · (x + b). */
    private static void scaledSum(float[] x, int x0, float[] b, int b0, int count, float factor) {
        int whole = FLOATS.loopBound(count);
        for (int j = 0; j < whole; j += FLOATS.length()) {
            FloatVector.fromArray(FLOATS, x, x0 + j).add(FloatVector.fromArray(FLOATS, b, b0 + j)).mul(factor)
                    .intoArray(x, x0 + j);
        }
        for (int j = whole; j < count; j++) {
            x[x0 + j] = factor * (x[x0 + j] + b[b0 + j]);
        }
    }

    /** x ← a / (1 + x) + c. */
    private static void logistic(float[] x, int x0, int count, float a, float c) {
        FloatVector one = FloatVector.broadcast(FLOATS, 1f);
        FloatVector numerator = FloatVector.broadcast(FLOATS, a);
        int whole = FLOATS.loopBound(count);
        for (int j = 0; j < whole; j += FLOATS.length()) {
            numerator.div(FloatVector.fromArray(FLOATS, x, x0 + j).add(one)).add(c).intoArray(x, x0 + j);
        }
        for (int j = whole; j < count; j++) {
            x[x0 + j] = a / (1 + x[x0 + j]) + c;
        }
    }

    /** out = x ⊙ y. */
    private static void multiply(float[] x, int x0, float[] y, int y0, float[] out, int o0, int count) {
        int whole = FLOATS.loopBound(count);
        for (int j = 0; j < whole; j += FLOATS.length()) {
            FloatVector.fromArray(FLOATS, x, x0 + j).mul(FloatVector.fromArray(FLOATS, y, y0 + j)).intoArray(out, o0 + j);
        }
        for (int j = whole; j < count; j++) {
            out[o0 + j] = x[x0 + j] * y[y0 + j];
        }
    }

    private static void lstmBackwardFloat(Mat gates, Mat tanhC, Mat cPrev, Mat dy, Mat dhNext, Mat dcNext, Mat dz, int from, int count) {
        int units = dy.rows();
        int batch = count;
        Scratch scratch = SCRATCH.get();
        float[] gs = scratch.floats(0, 4 * units * batch);
        float[] ts = scratch.floats(1, units * batch);
        float[] ps = scratch.floats(2, units * batch);
        float[] ys = scratch.floats(3, units * batch);
        float[] hs = scratch.floats(4, units * batch);
        float[] cs = scratch.floats(5, units * batch);
        float[] ds = scratch.floats(6, 4 * units * batch);
        read(gates, from, count, gs);
        read(tanhC, from, count, ts);
        read(cPrev, from, count, ps);
        read(dy, from, count, ys);
        read(dhNext, from, count, hs);
        read(dcNext, from, count, cs);
        for (int s = 0; s < batch; s++) {
            cellGradientRows(gs, 4 * units * s, units, ts, ps, ys, hs, cs, ds, units * s);
        }
        write(cs, dcNext, from, count);
        write(ds, dz, from, count);
    }

    /** {@link LstmCell#backward} for one column: gates and ∂z from g[g0], the H-row vectors from [at]. */
    private static void cellGradientRows(float[] g, int g0, int units, float[] tanhC, float[] cPrev, float[] dy,
                                         float[] dhNext, float[] dcNext, float[] dz, int at) {
        FloatVector one = FloatVector.broadcast(FLOATS, 1f);
        int whole = FLOATS.loopBound(units);
        for (int j = 0; j < whole; j += FLOATS.length()) {
            FloatVector i = FloatVector.fromArray(FLOATS, g, g0 + j);
            FloatVector f = FloatVector.fromArray(FLOATS, g, g0 + units + j);
            FloatVector gg = FloatVector.fromArray(FLOATS, g, g0 + 2 * units + j);
            FloatVector o = FloatVector.fromArray(FLOATS, g, g0 + 3 * units + j);
            FloatVector tc = FloatVector.fromArray(FLOATS, tanhC, at + j);
            FloatVector dh = FloatVector.fromArray(FLOATS, dy, at + j).add(FloatVector.fromArray(FLOATS, dhNext, at + j));
            FloatVector dc = dh.mul(o).mul(one.sub(tc.mul(tc))).add(FloatVector.fromArray(FLOATS, dcNext, at + j));
            dc.mul(f).intoArray(dcNext, at + j);
            dc.mul(gg).mul(i).mul(one.sub(i)).intoArray(dz, g0 + j);
            dc.mul(FloatVector.fromArray(FLOATS, cPrev, at + j)).mul(f).mul(one.sub(f)).intoArray(dz, g0 + units + j);
            dc.mul(i).mul(one.sub(gg.mul(gg))).intoArray(dz, g0 + 2 * units + j);
            dh.mul(tc).mul(o).mul(one.sub(o)).intoArray(dz, g0 + 3 * units + j);
        }
        for (int j = whole; j < units; j++) {
            float i = g[g0 + j];
            float f = g[g0 + units + j];
            float gg = g[g0 + 2 * units + j];
            float o = g[g0 + 3 * units + j];
            float tc = tanhC[at + j];
            float dh = dy[at + j] + dhNext[at + j];
            float dc = dh * o * (1 - tc * tc) + dcNext[at + j];
            dcNext[at + j] = dc * f;
            dz[g0 + j] = dc * gg * i * (1 - i);
            dz[g0 + units + j] = dc * cPrev[at + j] * f * (1 - f);
            dz[g0 + 2 * units + j] = dc * i * (1 - gg * gg);
            dz[g0 + 3 * units + j] = dh * tc * o * (1 - o);
        }
    }

    private static void lstmForwardDouble(Mat z, Mat bias, Mat cPrev, Mat c, Mat tanhC, Mat h, int from, int count) {
        int units = h.rows();
        int batch = count;
        Scratch scratch = SCRATCH.get();
        double[] zs = scratch.doubles(0, 4 * units * batch);
        double[] bs = scratch.doubles(1, 4 * units);
        double[] ps = scratch.doubles(2, units * batch);
        double[] cs = scratch.doubles(3, units * batch);
        double[] ts = scratch.doubles(4, units * batch);
        double[] hs = scratch.doubles(5, units * batch);
        read(z, from, count, zs);
        read(bias, bs);
        read(cPrev, from, count, ps);
        for (int s = 0; s < batch; s++) {
            int z0 = 4 * units * s;
            sigmoidRows(zs, z0, bs, 0, 2 * units);
            tanhRows(zs, z0 + 2 * units, bs, 2 * units, units);
            sigmoidRows(zs, z0 + 3 * units, bs, 3 * units, units);
            cellRows(zs, z0, units, ps, cs, ts, hs, units * s);
        }
        write(zs, z, from, count);
        write(cs, c, from, count);
        write(ts, tanhC, from, count);
        write(hs, h, from, count);
    }

    private static void sigmoidRows(double[] x, int x0, double[] b, int b0, int count) {
        scaledSum(x, x0, b, b0, count, -1);
        expRows(x, x0, count, 0);
        logistic(x, x0, count, 1, 0);
    }

    private static void tanhRows(double[] x, int x0, double[] b, int b0, int count) {
        scaledSum(x, x0, b, b0, count, -2);
        expRows(x, x0, count, 0);
        logistic(x, x0, count, 2, -1);
    }

    private static void cellRows(double[] z, int z0, int units, double[] cPrev, double[] c, double[] tanhC, double[] h,
                                 int at) {
        int whole = DOUBLES.loopBound(units);
        for (int j = 0; j < whole; j += DOUBLES.length()) {
            DoubleVector cell = DoubleVector.fromArray(DOUBLES, z, z0 + units + j).mul(DoubleVector.fromArray(DOUBLES, cPrev, at + j))
                    .add(DoubleVector.fromArray(DOUBLES, z, z0 + j).mul(DoubleVector.fromArray(DOUBLES, z, z0 + 2 * units + j)));
            cell.intoArray(c, at + j);
            cell.mul(-2).intoArray(tanhC, at + j);
        }
        for (int j = whole; j < units; j++) {
            c[at + j] = z[z0 + units + j] * cPrev[at + j] + z[z0 + j] * z[z0 + 2 * units + j];
            tanhC[at + j] = -2 * c[at + j];
        }
        expRows(tanhC, at, units, 0);
        logistic(tanhC, at, units, 2, -1);
        multiply(z, z0 + 3 * units, tanhC, at, h, at, units);
    }

    private static void scaledSum(double[] x, int x0, double[] b, int b0, int count, double factor) {
        int whole = DOUBLES.loopBound(count);
        for (int j = 0; j < whole; j += DOUBLES.length()) {
            DoubleVector.fromArray(DOUBLES, x, x0 + j).add(DoubleVector.fromArray(DOUBLES, b, b0 + j)).mul(factor)
                    .intoArray(x, x0 + j);
        }
        for (int j = whole; j < count; j++) {
            x[x0 + j] = factor * (x[x0 + j] + b[b0 + j]);
        }
    }

    private static void logistic(double[] x, int x0, int count, double a, double c) {
        DoubleVector one = DoubleVector.broadcast(DOUBLES, 1);
        DoubleVector numerator = DoubleVector.broadcast(DOUBLES, a);
        int whole = DOUBLES.loopBound(count);
        for (int j = 0; j < whole; j += DOUBLES.length()) {
            numerator.div(DoubleVector.fromArray(DOUBLES, x, x0 + j).add(one)).add(c).intoArray(x, x0 + j);
        }
        for (int j = whole; j < count; j++) {
            x[x0 + j] = a / (1 + x[x0 + j]) + c;
        }
    }

    private static void multiply(double[] x, int x0, double[] y, int y0, double[] out, int o0, int count) {
        int whole = DOUBLES.loopBound(count);
        for (int j = 0; j < whole; j += DOUBLES.length()) {
            DoubleVector.fromArray(DOUBLES, x, x0 + j).mul(DoubleVector.fromArray(DOUBLES, y, y0 + j)).intoArray(out, o0 + j);
        }
        for (int j = whole; j < count; j++) {
            out[o0 + j] = x[x0 + j] * y[y0 + j];
        }
    }

    private static void lstmBackwardDouble(Mat gates, Mat tanhC, Mat cPrev, Mat dy, Mat dhNext, Mat dcNext, Mat dz, int from, int count) {
        int units = dy.rows();
        int batch = count;
        Scratch scratch = SCRATCH.get();
        double[] gs = scratch.doubles(0, 4 * units * batch);
        double[] ts = scratch.doubles(1, units * batch);
        double[] ps = scratch.doubles(2, units * batch);
        double[] ys = scratch.doubles(3, units * batch);
        double[] hs = scratch.doubles(4, units * batch);
        double[] cs = scratch.doubles(5, units * batch);
        double[] ds = scratch.doubles(6, 4 * units * batch);
        read(gates, from, count, gs);
        read(tanhC, from, count, ts);
        read(cPrev, from, count, ps);
        read(dy, from, count, ys);
        read(dhNext, from, count, hs);
        read(dcNext, from, count, cs);
        for (int s = 0; s < batch; s++) {
            cellGradientRows(gs, 4 * units * s, units, ts, ps, ys, hs, cs, ds, units * s);
        }
        write(cs, dcNext, from, count);
        write(ds, dz, from, count);
    }

    private static void cellGradientRows(double[] g, int g0, int units, double[] tanhC, double[] cPrev, double[] dy,
                                         double[] dhNext, double[] dcNext, double[] dz, int at) {
        DoubleVector one = DoubleVector.broadcast(DOUBLES, 1);
        int whole = DOUBLES.loopBound(units);
        for (int j = 0; j < whole; j += DOUBLES.length()) {
            DoubleVector i = DoubleVector.fromArray(DOUBLES, g, g0 + j);
            DoubleVector f = DoubleVector.fromArray(DOUBLES, g, g0 + units + j);
            DoubleVector gg = DoubleVector.fromArray(DOUBLES, g, g0 + 2 * units + j);
            DoubleVector o = DoubleVector.fromArray(DOUBLES, g, g0 + 3 * units + j);
            DoubleVector tc = DoubleVector.fromArray(DOUBLES, tanhC, at + j);
            DoubleVector dh = DoubleVector.fromArray(DOUBLES, dy, at + j).add(DoubleVector.fromArray(DOUBLES, dhNext, at + j));
            DoubleVector dc = dh.mul(o).mul(one.sub(tc.mul(tc))).add(DoubleVector.fromArray(DOUBLES, dcNext, at + j));
            dc.mul(f).intoArray(dcNext, at + j);
            dc.mul(gg).mul(i).mul(one.sub(i)).intoArray(dz, g0 + j);
            dc.mul(DoubleVector.fromArray(DOUBLES, cPrev, at + j)).mul(f).mul(one.sub(f)).intoArray(dz, g0 + units + j);
            dc.mul(i).mul(one.sub(gg.mul(gg))).intoArray(dz, g0 + 2 * units + j);
            dh.mul(tc).mul(o).mul(one.sub(o)).intoArray(dz, g0 + 3 * units + j);
        }
        for (int j = whole; j < units; j++) {
            double i = g[g0 + j];
            double f = g[g0 + units + j];
            double gg = g[g0 + 2 * units + j];
            double o = g[g0 + 3 * units + j];
            double tc = tanhC[at + j];
            double dh = dy[at + j] + dhNext[at + j];
            double dc = dh * o * (1 - tc * tc) + dcNext[at + j];
            dcNext[at + j] = dc * f;
            dz[g0 + j] = dc * gg * i * (1 - i);
            dz[g0 + units + j] = dc * cPrev[at + j] * f * (1 - f);
            dz[g0 + 2 * units + j] = dc * i * (1 - gg * gg);
            dz[g0 + 3 * units + j] = dh * tc * o * (1 - o);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Dropout masks

    @Override
    public void maskPerSequence(Mat dst, Mat src, Mat mask) {
        if (!inBuffers(dst, src, mask) || dst.dataType() != DataType.FLOAT) {
            plain.maskPerSequence(dst, src, mask);
            return;
        }
        int rows = dst.rows();
        int batch = mask.cols();
        Scratch scratch = SCRATCH.get();
        float[] masks = scratch.floats(0, rows * batch);
        read(mask, masks);
        int block = Math.max(1, (1 << 16) / Math.max(1, rows));
        float[] x = scratch.floats(1, rows * block);
        FloatBuffer from = src.floats();
        FloatBuffer to = dst.floats();
        for (int first = 0; first < dst.cols(); first += block) {
            int count = Math.min(block, dst.cols() - first);
            for (int c = 0; c < count; c++) {
                from.get(src.index(0, first + c), x, c * rows, rows);
                multiplyRows(x, c * rows, masks, (first + c) % batch * rows, rows);
                to.put(dst.index(0, first + c), x, c * rows, rows);
            }
        }
    }

    /** x[x0 …] ⊙= m[m0 …] over {@code count} elements. */
    private static void multiplyRows(float[] x, int x0, float[] m, int m0, int count) {
        int whole = FLOATS.loopBound(count);
        for (int j = 0; j < whole; j += FLOATS.length()) {
            FloatVector.fromArray(FLOATS, x, x0 + j).mul(FloatVector.fromArray(FLOATS, m, m0 + j)).intoArray(x, x0 + j);
        }
        for (int j = whole; j < count; j++) {
            x[x0 + j] *= m[m0 + j];
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Columns

    @Override
    public void scaleColumn(Mat dst, int dstCol, Mat src, int srcCol, double factor, boolean add) {
        if (!inBuffers(dst, src) || dst.dataType() != DataType.FLOAT) {
            plain.scaleColumn(dst, dstCol, src, srcCol, factor, add);
            return;
        }
        int rows = dst.rows();
        Scratch scratch = SCRATCH.get();
        float[] from = scratch.floats(0, rows);
        float[] to = scratch.floats(1, rows);
        src.floats().get(src.index(0, srcCol), from, 0, rows);
        if (add) {
            dst.floats().get(dst.index(0, dstCol), to, 0, rows);
        }
        scaleInto(from, (float) factor, to, add, rows);
        dst.floats().put(dst.index(0, dstCol), to, 0, rows);
    }

    /** to = factor · from, or to += factor · from. */
    private static void scaleInto(float[] from, float factor, float[] to, boolean add, int count) {
        for (int r = 0; r < count; r++) {
            to[r] = add ? to[r] + factor * from[r] : factor * from[r];
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Softmax over each column

    @Override
    public void addBiasAndSoftmax(Mat logits, Mat bias, Mat probabilitySums) {
        if (!inBuffers(logits, bias) || logits.dataType() != DataType.FLOAT) {
            plain.addBiasAndSoftmax(logits, bias, probabilitySums);
            return;
        }
        int rows = logits.rows();
        // Columns are independent: split them over the cores; each part sums its own probabilities.
        int parts = (int) Math.max(1, Math.min(THREADS, (long) rows * logits.cols() / (1 << 16)));
        float[][] partSums = probabilitySums == null ? null : new float[parts][];
        Parallel.forEachPart(parts, part -> {
            int from = (int) ((long) logits.cols() * part / parts);
            int to = (int) ((long) logits.cols() * (part + 1) / parts);
            float[] sums = softmaxColumns(logits, bias, from, to, probabilitySums != null);
            if (partSums != null) {
                partSums[part] = sums;
            }
        });
        if (partSums != null) {
            for (int r = 0; r < rows; r++) {
                double sum = 0;
                for (float[] sums : partSums) {
                    sum += sums[r];
                }
                probabilitySums.set(r, 0, probabilitySums.get(r, 0) + sum);
            }
        }
    }

    /**
     * Columns [from, to): a = logits + bias, p = exp(a − max a) / Σ exp(a − max a); returns Σ p over
     * these columns per row when asked (a new array: the parts run on different threads).
     */
    private static float[] softmaxColumns(Mat logits, Mat bias, int from, int to, boolean sum) {
        int rows = logits.rows();
        Scratch scratch = SCRATCH.get();
        float[] a = scratch.floats(0, rows);
        float[] b = scratch.floats(1, rows);
        float[] laneSums = scratch.floats(2, FLOATS.length());
        float[] sums = sum ? new float[rows] : null;
        read(bias, b);
        // three passes per column, each a read and a write: logits + bias (and max) out of the native
        // buffer, exp (and Σ), the scaled probabilities back into it
        ByteBuffer bytes = logits.bytes();
        for (int col = from; col < to; col++) {
            int at = logits.index(0, col) * Float.BYTES;
            float max = addAndMax(bytes, at, b, a, rows);
            float total = expAndSum(a, max, rows, laneSums);
            scaleInto(a, 1 / total, bytes, at, sums, rows);
        }
        return sums;
    }

    /** a ← logits + b, the logits read from {@code bytes} at byte {@code at}; returns max a (two running maxima). */
    private static float addAndMax(ByteBuffer bytes, int at, float[] b, float[] a, int count) {
        int lanes = FLOATS.length();
        int step = lanes * Float.BYTES;
        FloatVector even = FloatVector.broadcast(FLOATS, Float.NEGATIVE_INFINITY);
        FloatVector odd = even;
        int r = 0;
        for (; r + 2 * lanes <= count; r += 2 * lanes) {
            int byteAt = at + r * Float.BYTES;
            FloatVector v = FloatVector.fromByteBuffer(FLOATS, bytes, byteAt, NATIVE).add(FloatVector.fromArray(FLOATS, b, r));
            FloatVector w = FloatVector.fromByteBuffer(FLOATS, bytes, byteAt + step, NATIVE)
                    .add(FloatVector.fromArray(FLOATS, b, r + lanes));
            v.intoArray(a, r);
            w.intoArray(a, r + lanes);
            even = even.max(v);
            odd = odd.max(w);
        }
        float max = even.max(odd).reduceLanes(VectorOperators.MAX);
        for (; r < count; r++) {
            a[r] = bytes.getFloat(at + r * Float.BYTES) + b[r];
            max = Math.max(max, a[r]);
        }
        return max;
    }

    /** a ← exp(a − shift); returns Σ a, added in a fixed order: lane-wise sums, then the lanes in order, then the tail. */
    private static float expAndSum(float[] a, float shift, int count, float[] laneSums) {
        expRows(a, 0, count, -shift, laneSums);
        double total = 0;
        for (int lane = 0; lane < FLOATS.length(); lane++) {
            total += laneSums[lane];
        }
        for (int r = FLOATS.loopBound(count); r < count; r++) {
            total += a[r];
        }
        return (float) total;
    }

    /** {@code bytes} from byte {@code at} ← a · factor, and sums += a · factor unless sums is null. */
    private static void scaleInto(float[] a, float factor, ByteBuffer bytes, int at, float[] sums, int count) {
        int whole = FLOATS.loopBound(count);
        for (int r = 0; r < whole; r += FLOATS.length()) {
            FloatVector p = FloatVector.fromArray(FLOATS, a, r).mul(factor);
            p.intoByteBuffer(bytes, at + r * Float.BYTES, NATIVE);
            if (sums != null) {
                FloatVector.fromArray(FLOATS, sums, r).add(p).intoArray(sums, r);
            }
        }
        for (int r = whole; r < count; r++) {
            float p = a[r] * factor;
            bytes.putFloat(at + r * Float.BYTES, p);
            if (sums != null) {
                sums[r] += p;
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // exp, σ and tanh from additions, multiplications and bit shifts only. The incubator's EXP and
    // TANH are faster still, but their results depend on whether the JIT has compiled the loop yet
    // (intrinsic or Java fallback), and a run must not depend on that; IEEE +, ×, fma and bit moves
    // give the same bits either way.

    /** 1.5 · 2^23: adding it rounds a float to an integer, kept in the low bits of the mantissa. */
    private static final float ROUND_F = 0x1.8p23f;
    private static final int ROUND_F_BITS = Float.floatToRawIntBits(ROUND_F);
    private static final double ROUND_D = 0x1.8p52;
    private static final long ROUND_D_BITS = Double.doubleToRawLongBits(ROUND_D);

    /**
     * x ← e^{x + shift}, lane by lane: e^v = 2^n · e^r with n = round(v / ln 2) and r = v − n ln 2
     * (ln 2 in two parts, Cody and Waite), |r| ≤ ln 2 / 2, e^r by its Taylor polynomial of degree 7
     * (truncation error below 10⁻⁸), v clamped to [−87, 88] where 2^n stays a normal float. The
     * only place the vector exp is written out: the loops around it pass arrays, never vectors, so a
     * call the JIT does not inline costs a call, not a boxed vector per lane group.
     */
    static void expRows(float[] x, int x0, int count, float shift) {
        expRows(x, x0, count, shift, null);
    }

    /**
     * {@link #expRows(float[], int, int, float)}, and the sum of the results lane by lane into
     * {@code laneSums} unless it is null (the tail's values are not in it).
     */
    private static void expRows(float[] x, int x0, int count, float shift, float[] laneSums) {
        int whole = FLOATS.loopBound(count);
        expLanes(x, x0, whole, shift, laneSums);
        if (whole < count) {
            // the last few values through the same lanes, padded: a value's exp does not depend on
            // where it falls in the array, and a short row (200 units) does not pay for scalar exps
            float[] tail = SCRATCH.get().tailFloats;
            System.arraycopy(x, x0 + whole, tail, 0, count - whole);
            expLanes(tail, 0, tail.length, shift, null);
            System.arraycopy(tail, 0, x, x0 + whole, count - whole);
        }
    }

    /** x ← e^{x + shift} for the {@code whole} (a multiple of the lanes) values from x[x0]; their lane-wise sums into laneSums unless null. */
    private static void expLanes(float[] x, int x0, int whole, float shift, float[] laneSums) {
        // constants as vectors once, outside the loop; the clamp as compare and blend, which
        // compiles to two instructions where max and min (Java's NaN and −0 rules) take several
        FloatVector low = FloatVector.broadcast(FLOATS, -87f);
        FloatVector high = FloatVector.broadcast(FLOATS, 88f);
        FloatVector lnTwoHigh = FloatVector.broadcast(FLOATS, -0.693359375f);
        FloatVector lnTwoLow = FloatVector.broadcast(FLOATS, 2.12194440e-4f);
        FloatVector one = FloatVector.broadcast(FLOATS, 1f);
        FloatVector half = FloatVector.broadcast(FLOATS, 1f / 2);
        FloatVector sixth = FloatVector.broadcast(FLOATS, 1f / 6);
        FloatVector c4 = FloatVector.broadcast(FLOATS, 1f / 24);
        FloatVector c5 = FloatVector.broadcast(FLOATS, 1f / 120);
        FloatVector totals = FloatVector.zero(FLOATS);
        for (int j = 0; j < whole; j += FLOATS.length()) {
            FloatVector v = FloatVector.fromArray(FLOATS, x, x0 + j).add(shift);
            v = v.blend(low, v.lt(low)).blend(high, v.compare(VectorOperators.GT, high));
            FloatVector t = v.fma(1.44269504f, ROUND_F);
            FloatVector n = t.sub(ROUND_F);
            // r = v − n ln 2: the high part of ln 2 (exact in n's few bits), then the low part
            FloatVector r = n.fma(lnTwoLow, n.fma(lnTwoHigh, v));
            // Horner, each step one fused multiply-add: 1 + r(1 + r(1/2 + r(1/6 + … + r/5040)))
            FloatVector p = r.fma(1f / 5040, 1f / 720).fma(r, c5).fma(r, c4).fma(r, sixth).fma(r, half).fma(r, one).fma(r, one);
            FloatVector twoToN = ((IntVector) t.reinterpretAsInts()).sub(ROUND_F_BITS - 127)
                    .lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            FloatVector e = p.mul(twoToN);
            e.intoArray(x, x0 + j);
            totals = totals.add(e);
        }
        if (laneSums != null) {
            totals.intoArray(laneSums, 0);
        }
    }

    /** x ← e^{x + shift} in float64: the Taylor polynomial of degree 13 (error below 10⁻¹⁷), v in [−708, 709]. */
    static void expRows(double[] x, int x0, int count, double shift) {
        int whole = DOUBLES.loopBound(count);
        expLanes(x, x0, whole, shift);
        if (whole < count) {
            double[] tail = SCRATCH.get().tailDoubles;
            System.arraycopy(x, x0 + whole, tail, 0, count - whole);
            expLanes(tail, 0, tail.length, shift);
            System.arraycopy(tail, 0, x, x0 + whole, count - whole);
        }
    }

    private static void expLanes(double[] x, int x0, int whole, double shift) {
        DoubleVector low = DoubleVector.broadcast(DOUBLES, -708);
        DoubleVector high = DoubleVector.broadcast(DOUBLES, 709);
        DoubleVector lnTwoHigh = DoubleVector.broadcast(DOUBLES, -0.6931471803691238);
        DoubleVector lnTwoLow = DoubleVector.broadcast(DOUBLES, -1.9082149292705877e-10);
        for (int j = 0; j < whole; j += DOUBLES.length()) {
            DoubleVector v = DoubleVector.fromArray(DOUBLES, x, x0 + j).add(shift);
            v = v.blend(low, v.lt(low)).blend(high, v.compare(VectorOperators.GT, high));
            DoubleVector t = v.fma(1.4426950408889634, ROUND_D);
            DoubleVector n = t.sub(ROUND_D);
            DoubleVector r = n.fma(lnTwoLow, n.fma(lnTwoHigh, v));
            DoubleVector p = DoubleVector.broadcast(DOUBLES, 1.0 / FACTORIALS[13]);
            for (int k = 12; k >= 0; k--) {
                p = p.fma(r, DoubleVector.broadcast(DOUBLES, 1.0 / FACTORIALS[k]));
            }
            DoubleVector twoToN = ((LongVector) t.reinterpretAsLongs()).sub(ROUND_D_BITS - 1023)
                    .lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
            p.mul(twoToN).intoArray(x, x0 + j);
        }
    }

    private static final double[] FACTORIALS = factorials(13);

    private static double[] factorials(int n) {
        double[] f = new double[n + 1];
        f[0] = 1;
        for (int k = 1; k <= n; k++) {
            f[k] = f[k - 1] * k;
        }
        return f;
    }
}
