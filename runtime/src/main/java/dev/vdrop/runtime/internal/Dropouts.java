package dev.vdrop.runtime.internal;

import dev.vdrop.runtime.DropoutMode;
import dev.vdrop.runtime.MaskKeys;
import dev.vdrop.runtime.Mat;
import dev.vdrop.runtime.Rng;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.function.IntToLongFunction;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Samples inverted-dropout masks: each element is 0 with probability p and 1/(1 − p) otherwise,
 * so a unit keeps its expected value. Generated code asks for masks here and never draws random
 * numbers itself.
 *
 * <p>Two ways to draw: {@link #sample} takes the next draws of a generator, in sequence (training:
 * the same seed gives the same run); the {@code sampleKeyed…} methods draw each column from a
 * stream of its own, keyed by the row's example and sample ({@link MaskKeys}: MC prediction, where
 * an example's masks must not depend on the batch it is in).
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
        long threshold = threshold(p);
        double kept = 1 / (1 - p);
        if (mask.isContiguous()) {
            long n = (long) mask.rows() * mask.cols();
            long state = rng.state();
            rng.skip((n + 1) / 2);
            sampleContiguous(mask, threshold, kept, state);
            return;
        }
        for (int c = 0; c < mask.cols(); c++) {
            for (int r = 0; r < mask.rows(); r++) {
                mask.set(r, c, kept * keepBit(rng.nextLong() >>> 32, threshold));
            }
        }
    }

    /** Each 64-bit draw gives two 32-bit uniforms: u < p ⇔ bits < p · 2^32; the threshold is ⌈p · 2^32⌉. */
    private static long threshold(double p) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException("a dropout probability must be in [0, 1), got " + p);
        }
        return (long) Math.ceil(p * 0x1p32);
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
     *
     * @param state the state of the stream the mask is drawn from
     */
    private static void sampleContiguous(Mat mask, long threshold, double kept, long state) {
        long n = (long) mask.rows() * mask.cols();
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

    // ---------------------------------------------------------------------------------------------
    // Keyed masks (MaskKeys): a stream per column, so a column does not depend on the others

    /**
     * Refuses keys a workspace cannot sample from, before any mask is drawn.
     *
     * @param keys the keys
     * @param mode MC or OFF
     * @param batch the workspace's rows
     * @throws IllegalArgumentException for {@code TRAIN} (training draws in sequence from its
     *     generator) or keys of another number of rows
     */
    public static void checkKeys(MaskKeys keys, DropoutMode mode, int batch) {
        if (mode == DropoutMode.TRAIN) {
            throw new IllegalArgumentException("keyed masks are for prediction (DropoutMode.MC or OFF); training draws "
                    + "its masks in sequence from its generator: sampleMasks(rng, TRAIN)");
        }
        if (keys.rows() != batch) {
            throw new IllegalArgumentException("the mask keys are for " + keys.rows() + " rows, the workspace has " + batch);
        }
    }

    /**
     * Refuses keys a pass with weight drop cannot run: such a pass multiplies each sample's rows by
     * that sample's own U' = U ⊙ M_k, so the rows must be contiguous blocks of equal size, each of
     * one sample — {@link MaskKeys#samples}'s layout, row k·B + b for sample k of example b.
     *
     * @param keys the keys
     * @throws IllegalArgumentException when the rows are not such blocks
     */
    public static void checkSampleBlocks(MaskKeys keys) {
        sampleBlocks(keys);
    }

    /**
     * The samples of the blocks of rows a pass with weight drop multiplies by their own U': one
     * per run of rows of one sample, every run as long as the first.
     *
     * @param keys the keys
     * @return block g's sample index at g, G of them; one when every row is of one sample
     * @throws IllegalArgumentException when the runs of rows of one sample differ in length
     */
    static int[] sampleBlocks(MaskKeys keys) {
        int rows = keys.rows();
        int block = 1;
        while (block < rows && keys.sample(block) == keys.sample(0)) {
            block++;
        }
        if (rows % block != 0) {
            throw blockLayout(keys, block, rows - rows % block);
        }
        int[] samples = new int[rows / block];
        for (int g = 0; g < samples.length; g++) {
            int first = g * block;
            samples[g] = keys.sample(first);
            for (int r = first; r < first + block; r++) {
                if (keys.sample(r) != samples[g]) {
                    throw blockLayout(keys, block, r);
                }
            }
            if (first + block < rows && keys.sample(first + block) == samples[g]) {
                throw blockLayout(keys, block, first + block);
            }
        }
        return samples;
    }

    private static IllegalArgumentException blockLayout(MaskKeys keys, int block, int row) {
        return new IllegalArgumentException("a model with weight drop multiplies each sample's rows by its own mask over U, so "
                + "the rows of a pass must be blocks of equal size, each of one sample (MaskKeys.samples: row k·B + b is "
                + "sample k of example b); these keys begin with " + block + " rows of sample " + keys.sample(0)
                + ", and row " + row + " (sample " + keys.sample(row) + ") breaks that layout");
    }

    /**
     * A mask with a column per row (variational: one per sequence), column r from the stream
     * D(D(D(seed, id(name)), key_r), k_r) ({@link MaskKeys}).
     *
     * @param mask the mask, units × rows, overwritten
     * @param p the probability of a 0, in [0, 1)
     * @param keys the rows' keys
     * @param name the mask's name as the workspace's {@code masks()} lists it
     * @throws IllegalArgumentException when p is outside [0, 1) or the mask has another number of columns
     */
    public static void sampleKeyedPerSequence(Mat mask, double p, MaskKeys keys, String name) {
        long threshold = threshold(p);
        checkColumns(mask, keys.rows(), name);
        long base = child(keys.seed(), MaskKeys.maskId(name));
        sampleColumns(mask, threshold, 1 / (1 - p), c -> rowStream(base, keys, c), parts(mask));
    }

    /**
     * A mask with a column per step and row (Zaremba's, fresh at every step), column t·B + r from
     * the stream D(D(D(D(seed, id(name)), key_r), k_r), position + t) ({@link MaskKeys}).
     *
     * @param mask the mask, units × (steps · rows), overwritten
     * @param p the probability of a 0, in [0, 1)
     * @param keys the rows' keys and the position of the first step
     * @param name the mask's name as the workspace's {@code masks()} lists it
     * @throws IllegalArgumentException when p is outside [0, 1) or the columns are no multiple of the rows
     */
    public static void sampleKeyedPerStep(Mat mask, double p, MaskKeys keys, String name) {
        long threshold = threshold(p);
        int rows = keys.rows();
        if (mask.cols() % rows != 0) {
            throw new IllegalArgumentException(name + ": a per-step mask of " + mask.shape() + " for " + rows + " rows");
        }
        long base = child(keys.seed(), MaskKeys.maskId(name));
        long position = keys.position();
        sampleColumns(mask, threshold, 1 / (1 - p),
                c -> child(rowStream(base, keys, c % rows), position + c / rows), parts(mask));
    }

    /**
     * A weight-drop mask over U for the sample of row 0: from the stream D(D(seed, id(name)), k),
     * element i in column-major order — the pass's mask when every row is of sample k. A pass of
     * several samples multiplies each block of rows by its own sample's U ⊙ M_k
     * ({@link SampleWeights}, which draws those masks from {@link #weightMaskStream} as it lays U
     * out); this one is row 0's, for {@code masks()} and a pass of one sample.
     *
     * @param mask the mask over U, overwritten
     * @param p the probability of a 0, in [0, 1)
     * @param keys the rows' keys
     * @param name the mask's name as the workspace's {@code masks()} lists it
     * @throws IllegalArgumentException when p is outside [0, 1)
     */
    public static void sampleKeyedPerPass(Mat mask, double p, MaskKeys keys, String name) {
        long threshold = threshold(p);
        long state = weightMaskState(keys.seed(), name, keys.sample(0));
        double kept = 1 / (1 - p);
        if (mask.isContiguous()) {
            sampleContiguous(mask, threshold, kept, state);
            return;
        }
        for (int c = 0; c < mask.cols(); c++) {
            for (int r = 0; r < mask.rows(); r++) {
                mask.set(r, c, kept * keep(state, (long) c * mask.rows() + r, threshold));
            }
        }
    }

    /**
     * Sample k's weight-drop mask over U as its stream, D(D(seed, id(name)), k): the values
     * {@link #sampleKeyedPerPass} writes for a pass of sample k, computed where they are read.
     *
     * @param p the probability of a 0, in [0, 1)
     * @param seed the keys' seed
     * @param name the mask's name as the workspace's {@code masks()} lists it
     * @param sample k
     * @return the stream
     * @throws IllegalArgumentException when p is outside [0, 1)
     */
    static WeightMaskStream weightMaskStream(double p, long seed, String name, int sample) {
        return new WeightMaskStream(weightMaskState(seed, name, sample), threshold(p), 1 / (1 - p));
    }

    private static long weightMaskState(long seed, String name, int sample) {
        return child(child(seed, MaskKeys.maskId(name)), sample);
    }

    /** The contract's D(s, v): draw v + 1 of the stream at state s. */
    private static long child(long state, long key) {
        return Rng.drawAt(state, key + 1);
    }

    /** D(D(base, key_r), k_r): row r's stream under a mask's base D(seed, id). */
    private static long rowStream(long base, MaskKeys keys, int row) {
        return child(child(base, keys.exampleKey(row)), keys.sample(row));
    }

    private static void checkColumns(Mat mask, int rows, String name) {
        if (mask.cols() != rows) {
            throw new IllegalArgumentException(name + ": a mask of " + mask.shape() + " for " + rows + " rows");
        }
    }

    /** Parts to sample a mask in: one per core for a large mask in a buffer, at most one per column. */
    private static int parts(Mat mask) {
        boolean large = (long) mask.rows() * mask.cols() >= PARALLEL_SIZE && mask.bytes() != null;
        return large ? Math.min(Parallel.THREADS, mask.cols()) : 1;
    }

    /**
     * Fills every column c from the stream at state {@code stream(c)}: element r is kept when half
     * of draw ⌊r/2⌋ + 1 (high for even r) is at least the threshold. The parts take whole columns,
     * so the values do not depend on how many parts there are.
     *
     * @param parts how many parts to split the columns into (package-private for the test that
     *     checks the values do not depend on it)
     */
    static void sampleColumns(Mat mask, long threshold, double kept, IntToLongFunction stream, int parts) {
        int rows = mask.rows();
        int cols = mask.cols();
        boolean inBuffer = mask.bytes() != null;
        Parallel.forEachPart(parts, part -> {
            int from = (int) ((long) cols * part / parts);
            int to = (int) ((long) cols * (part + 1) / parts);
            for (int c = from; c < to; c++) {
                long state = stream.applyAsLong(c);
                if (!inBuffer) {
                    for (int r = 0; r < rows; r++) {
                        mask.set(r, c, kept * keep(state, r, threshold));
                    }
                } else if (mask.dataType() == DataType.FLOAT) {
                    float[] chunk = FLOAT_CHUNK.get();
                    FloatBuffer out = mask.floats();
                    for (int start = 0; start < rows; start += CHUNK) {
                        int count = Math.min(CHUNK, rows - start);
                        fill(chunk, count, (float) kept, state, start, threshold);
                        out.put(mask.index(start, c), chunk, 0, count);
                    }
                } else {
                    double[] chunk = DOUBLE_CHUNK.get();
                    DoubleBuffer out = mask.doubles();
                    for (int start = 0; start < rows; start += CHUNK) {
                        int count = Math.min(CHUNK, rows - start);
                        fill(chunk, count, kept, state, start, threshold);
                        out.put(mask.index(start, c), chunk, 0, count);
                    }
                }
            }
        });
    }

    /** 1 if element i is kept, else 0: the high (even i) or low (odd i) half of draw ⌊i/2⌋ + 1 against the threshold. */
    private static int keep(long state, long i, long threshold) {
        long bits = Rng.drawAt(state, (i >>> 1) + 1);
        return keepBit((i & 1) == 0 ? bits >>> 32 : bits & 0xffffffffL, threshold);
    }

    /**
     * to[at + j] = kept · keep(first + j) for j < count, any first: element i of the stream at
     * {@code state}, as {@link #sampleContiguous} writes it.
     */
    static void fillStream(float[] to, int at, int count, long first, float kept, long state, long threshold) {
        Kernels.CURRENT.fillMask(to, at, count, first, kept, state, threshold);
    }

    /** {@link #fillStream(float[], int, int, long, float, long, long)} one draw at a time: the plain kernels' and the vector tails'. */
    static void fillStreamScalar(float[] to, int at, int count, long first, float kept, long state, long threshold) {
        int j = 0;
        if ((first & 1) != 0 && count > 0) {
            to[at] = kept * keepBit(Rng.drawAt(state, (first >>> 1) + 1) & 0xffffffffL, threshold);
            j = 1;
        }
        long draw = ((first + j) >>> 1) + 1;
        for (; j + 1 < count; j += 2, draw++) {
            long bits = Rng.drawAt(state, draw);
            to[at + j] = kept * keepBit(bits >>> 32, threshold);
            to[at + j + 1] = kept * keepBit(bits & 0xffffffffL, threshold);
        }
        if (j < count) {
            to[at + j] = kept * keepBit(Rng.drawAt(state, draw) >>> 32, threshold);
        }
    }

    /** The float64 twin of {@link #fillStream(float[], int, int, long, float, long, long)}. */
    static void fillStream(double[] to, int at, int count, long first, double kept, long state, long threshold) {
        int j = 0;
        if ((first & 1) != 0 && count > 0) {
            to[at] = kept * keepBit(Rng.drawAt(state, (first >>> 1) + 1) & 0xffffffffL, threshold);
            j = 1;
        }
        long draw = ((first + j) >>> 1) + 1;
        for (; j + 1 < count; j += 2, draw++) {
            long bits = Rng.drawAt(state, draw);
            to[at + j] = kept * keepBit(bits >>> 32, threshold);
            to[at + j + 1] = kept * keepBit(bits & 0xffffffffL, threshold);
        }
        if (j < count) {
            to[at + j] = kept * keepBit(Rng.drawAt(state, draw) >>> 32, threshold);
        }
    }

    /** chunk[j] = kept · keep(start + j) for j < count; start is even, so one draw serves each pair. */
    private static void fill(float[] chunk, int count, float kept, long state, long start, long threshold) {
        fillStream(chunk, 0, count, start, kept, state, threshold);
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
