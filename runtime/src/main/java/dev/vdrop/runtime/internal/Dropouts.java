package dev.vdrop.runtime.internal;

import dev.vdrop.runtime.Mat;
import dev.vdrop.runtime.Rng;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Samples inverted-dropout masks: each element is 0 with probability p and 1/(1 − p) otherwise,
 * so a unit keeps its expected value. Generated code asks for masks here and never draws random
 * numbers itself.
 *
 * <p>For generated code; not API (see the package).
 */
public final class Dropouts {
    private Dropouts() {}

    /**
     * Fills {@code mask} with independent Bernoulli(1 − p) / (1 − p) values, column by column.
     *
     * @param mask the mask, overwritten
     * @param p the probability of a 0, in [0, 1)
     * @param rng the source of the draws: ⌈elements / 2⌉ of them for a contiguous mask, one per element otherwise
     * @throws IllegalArgumentException when p is outside [0, 1)
     */
    public static void sample(Mat mask, double p, Rng rng) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException("a dropout probability must be in [0, 1), got " + p);
        }
        double kept = 1 / (1 - p);
        // Each 64-bit draw gives two 32-bit uniforms: u < p ⇔ bits < p · 2^32.
        long threshold = (long) Math.ceil(p * 0x1p32);
        if (mask.isContiguous()) {
            sampleContiguous(mask, threshold, kept, rng);
            return;
        }
        for (int c = 0; c < mask.cols(); c++) {
            for (int r = 0; r < mask.rows(); r++) {
                mask.set(r, c, kept * keepBit(rng.nextLong() >>> 32, threshold));
            }
        }
    }

    /** Elements per chunk of a part: filled in an array, then copied into the mask at once. */
    private static final int CHUNK = 4096;
    /** Masks smaller than this are sampled on the caller alone. */
    private static final long PARALLEL_SIZE = 1 << 18;
    private static final ThreadLocal<float[]> FLOAT_CHUNK = ThreadLocal.withInitial(() -> new float[CHUNK]);
    private static final ThreadLocal<double[]> DOUBLE_CHUNK = ThreadLocal.withInitial(() -> new double[CHUNK]);

    /**
     * The contiguous case: element i of the mask is decided by half of draw ⌊i/2⌋ + 1, the high 32
     * bits for even i and the low ones for odd i; kept when that half is at least the threshold.
     * Draws are computed where they are needed ({@link Rng#drawAt}), so the cores take a share of
     * the mask each and the bits do not depend on how many there are. Branch-free: a
     * data-dependent branch would be mispredicted half the time.
     */
    private static void sampleContiguous(Mat mask, long threshold, double kept, Rng rng) {
        long n = (long) mask.rows() * mask.cols();
        long state = rng.state();
        rng.skip((n + 1) / 2);
        boolean inBuffer = mask.bytes() != null;
        int parts = inBuffer && n >= PARALLEL_SIZE ? Parallel.THREADS : 1;
        long pairs = (n + 1) / 2;
        Parallel.forEachPart(parts, part -> {
            long from = 2 * (pairs * part / parts);
            long to = Math.min(n, 2 * (pairs * (part + 1) / parts));
            if (!inBuffer) {
                for (long i = from; i < to; i++) {
                    mask.setLinear(i, kept * keep(state, i, threshold));
                }
            } else if (mask.dataType() == DataType.FLOAT) {
                float[] chunk = FLOAT_CHUNK.get();
                FloatBuffer out = mask.floats();
                for (long start = from; start < to; start += CHUNK) {
                    int count = (int) Math.min(CHUNK, to - start);
                    fill(chunk, count, (float) kept, state, start, threshold);
                    out.put(mask.index(0, 0) + (int) start, chunk, 0, count);
                }
            } else {
                double[] chunk = DOUBLE_CHUNK.get();
                DoubleBuffer out = mask.doubles();
                for (long start = from; start < to; start += CHUNK) {
                    int count = (int) Math.min(CHUNK, to - start);
                    fill(chunk, count, kept, state, start, threshold);
                    out.put(mask.index(0, 0) + (int) start, chunk, 0, count);
                }
            }
        });
    }

    /** 1 if element i is kept, else 0: the high (even i) or low (odd i) half of draw ⌊i/2⌋ + 1 against the threshold. */
    private static int keep(long state, long i, long threshold) {
        long bits = Rng.drawAt(state, (i >>> 1) + 1);
        return keepBit((i & 1) == 0 ? bits >>> 32 : bits & 0xffffffffL, threshold);
    }

    /** chunk[j] = kept · keep(start + j) for j < count; start is even, so one draw serves each pair. */
    private static void fill(float[] chunk, int count, float kept, long state, long start, long threshold) {
        long draw = (start >>> 1) + 1;
        int j = 0;
        for (; j + 1 < count; j += 2, draw++) {
            long bits = Rng.drawAt(state, draw);
            chunk[j] = kept * keepBit(bits >>> 32, threshold);
            chunk[j + 1] = kept * keepBit(bits & 0xffffffffL, threshold);
        }
        if (j < count) {
            chunk[j] = kept * keepBit(Rng.drawAt(state, draw) >>> 32, threshold);
        }
    }

    private static void fill(double[] chunk, int count, double kept, long state, long start, long threshold) {
        long draw = (start >>> 1) + 1;
        int j = 0;
        for (; j + 1 < count; j += 2, draw++) {
            long bits = Rng.drawAt(state, draw);
            chunk[j] = kept * keepBit(bits >>> 32, threshold);
            chunk[j + 1] = kept * keepBit(bits & 0xffffffffL, threshold);
        }
        if (j < count) {
            chunk[j] = kept * keepBit(Rng.drawAt(state, draw) >>> 32, threshold);
        }
    }

    /** 1 when the 32-bit uniform {@code u} is at least the threshold (kept), else 0; both below 2^33. */
    private static int keepBit(long u, long threshold) {
        return (int) (~(u - threshold) >>> 63);
    }
}
