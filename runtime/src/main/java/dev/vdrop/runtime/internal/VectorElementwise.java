package dev.vdrop.runtime.internal;

import static dev.vdrop.runtime.internal.ColumnArrays.read;

import dev.vdrop.runtime.Mat;
import java.nio.FloatBuffer;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector kernels' simple element-wise loops, float32: weight drop's whole-matrix products
 * ({@link Elementwise#multiply}, {@link Elementwise#addMasked}), per-sequence masks
 * ({@link Elementwise#maskPerSequence}) and embedding columns ({@link Elementwise#copyColumn}).
 * Each copies its elements through this thread's {@link Scratch} arrays in blocks. {@link
 * VectorKernels} checks the matrices and calls them.
 */
final class VectorElementwise {
    private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;
    private static final int THREADS = Parallel.THREADS;

    private VectorElementwise() {}

    // ---------------------------------------------------------------------------------------------
    // Whole-matrix products (weight drop): linear ranges over the cores, in chunks through arrays

    /** Elements per chunk of {@link #multiply} and {@link #addMasked}: three chunks stay in L1. */
    private static final int ELEMENT_CHUNK = 2048;
    /** Matrices from this many elements on are split over the cores. */
    private static final long ELEMENT_PARALLEL = 1 << 16;

    /** {@code dst = a ⊙ b}, for contiguous float32 matrices of one shape in native buffers. */
    static void multiply(Mat dst, Mat a, Mat b) {
        byChunks(dst, (from, count, x, y) -> {
            readLinear(a, from, x, count);
            readLinear(b, from, y, count);
            multiplyInto(x, y, count);
            writeLinear(x, dst, from, count);
        });
    }

    /** {@code dst += scratch ⊙ mask}, leaving the product in scratch; the matrices as for {@link #multiply}. */
    static void addMasked(Mat dst, Mat scratch, Mat mask) {
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

    /** Elements [from, from + count) in column order, with two arrays of this thread's to work in. */
    private interface Chunk {
        void run(int from, int count, float[] x, float[] y);
    }

    private static void byChunks(Mat m, Chunk chunk) {
        int n = m.rows() * m.cols();
        int parts = n >= ELEMENT_PARALLEL ? THREADS : 1;
        Parallel.forEachPart(parts, part -> {
            int end = (int) ((long) n * (part + 1) / parts);
            Scratch scratch = Scratch.OF_THREAD.get();
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

    // ---------------------------------------------------------------------------------------------
    // Dropout masks

    /** {@link Elementwise#maskPerSequence}, for float32 matrices in native buffers. */
    static void maskPerSequence(Mat dst, Mat src, Mat mask) {
        int rows = dst.rows();
        int batch = mask.cols();
        Scratch scratch = Scratch.OF_THREAD.get();
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

    /** {@code dst[:, dstCol] (+)= factor · src[:, srcCol]}, for float32 matrices in native buffers. */
    static void scaleColumn(Mat dst, int dstCol, Mat src, int srcCol, double factor, boolean add) {
        int rows = dst.rows();
        Scratch scratch = Scratch.OF_THREAD.get();
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
}
