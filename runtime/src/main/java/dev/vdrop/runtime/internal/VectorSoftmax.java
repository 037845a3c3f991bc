package dev.vdrop.runtime.internal;

import static dev.vdrop.runtime.internal.ColumnArrays.read;
import static dev.vdrop.runtime.internal.VectorExp.expRows;

import dev.vdrop.runtime.Mat;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Outputs#addBiasAndSoftmax(Mat, Mat, Mat)} in SIMD lanes, float32: three passes per
 * column, each one read and one write, the logits read from and the probabilities written to the
 * native buffer directly. {@link VectorKernels} checks the matrices and calls it.
 */
final class VectorSoftmax {
    private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;
    private static final int THREADS = Parallel.THREADS;
    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();

    private VectorSoftmax() {}

    /** For float32 matrices in native buffers ({@link ColumnArrays#inBuffers}). */
    static void addBiasAndSoftmax(Mat logits, Mat bias, Mat probabilitySums) {
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
        Scratch scratch = Scratch.OF_THREAD.get();
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
}
