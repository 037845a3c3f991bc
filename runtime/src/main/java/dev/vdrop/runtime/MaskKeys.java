package dev.vdrop.runtime;

import java.util.Arrays;

/**
 * What the masks of MC-dropout prediction are drawn from, row by row of a workspace: a seed, each
 * row's example key and sample index k, and the position of the workspace's first step in its
 * sequence ({@link Workspace#sampleMasks(MaskKeys, DropoutMode)}). A mask column depends on these
 * and on nothing else — not on the other rows, their order, how many samples share a pass or how
 * many threads draw — so an example's prediction is the same alone or in any batch.
 *
 * <p>The contract. Let D(s, v) = {@link Rng#drawAt Rng.drawAt}(s, v + 1), draw v + 1 of the
 * SplitMix64 stream at state s (the state {@link Rng#split} would seed after v draws), and id(M)
 * the 64-bit FNV-1a hash of the characters of the mask's name M as {@link Workspace#masks()} names
 * it ({@code lstm1.x}, {@code lstm1.h.f}, {@code lstm1.U}; {@link #maskId}). Mask M is drawn from
 * the streams whose states are
 * <ul>
 *   <li>per sequence (variational, tied or per gate): column r, for row r:
 *       s = D(D(D(seed, id(M)), key_r), k_r);</li>
 *   <li>per step (Zaremba): column t·B + r, for row r at step t of the workspace:
 *       s = D(D(D(D(seed, id(M)), key_r), k_r), position + t), the step counted in the whole
 *       sequence;</li>
 *   <li>weight drop, one matrix over U per sample k: s = D(D(seed, id(M)), k), multiplying U for
 *       every row of sample k. A pass of several samples gives each sample's rows their own
 *       U ⊙ M_k, so its rows must be contiguous blocks of equal size, each of one sample
 *       ({@link #samples}'s layout).</li>
 * </ul>
 * Element i of a column (or of the weight-drop matrix, column by column) is kept, as 1/(1 − p),
 * when half of draw ⌊i/2⌋ + 1 of its stream ({@code Rng.drawAt(s, i / 2 + 1)}: the high 32 bits
 * for even i, the low ones for odd i) is at least ⌈p · 2^32⌉, and is 0 otherwise — the bits of
 * training's sampler, from a stream per column. Embedding dropout is off in MC.
 *
 * <p>Variational masks do not depend on the position: to read a sequence in segments, sample with
 * {@link #atPosition} of each segment's first step; those come out the same, per-step ones fresh.
 *
 * <p>Rows and samples: {@link #of} gives one row per example, all sample 0; {@link #samples} lays
 * out K samples of B examples as K·B rows, row k·B + b being sample firstSample + k of example b,
 * the layout of {@code McPredictor} and {@code Perplexity}; {@link #rows} any other layout.
 * Immutable.
 */
public final class MaskKeys {
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private final long seed;
    private final long[] keys;
    private final int[] sampleOf;
    private final long position;

    private MaskKeys(long seed, long[] keys, int[] sampleOf, long position) {
        this.seed = seed;
        this.keys = keys;
        this.sampleOf = sampleOf;
        this.position = position;
    }

    /**
     * One row per example, every row sample 0, at position 0.
     *
     * @param seed the seed of every mask
     * @param exampleKeys row r's example key, copied
     * @return the keys
     * @throws IllegalArgumentException when there are no keys
     */
    public static MaskKeys of(long seed, long[] exampleKeys) {
        return samples(seed, exampleKeys, 0, 1);
    }

    /**
     * K samples of B examples as K·B rows: row k·B + b is sample {@code firstSample + k} of
     * {@code exampleKeys[b]}; at position 0. Samples 0–3 in one pass and 4–9 in another draw the
     * masks that samples 0–9 in one pass draw.
     *
     * @param seed the seed of every mask
     * @param exampleKeys the B examples' keys, copied
     * @param firstSample the sample index of rows 0 … B − 1, at least 0
     * @param samples K, at least 1
     * @return the keys
     * @throws IllegalArgumentException when there are no keys, firstSample is negative, samples is
     *     below 1, or the rows do not fit an int
     */
    public static MaskKeys samples(long seed, long[] exampleKeys, int firstSample, int samples) {
        int b = exampleKeys.length;
        if (b == 0) {
            throw new IllegalArgumentException("mask keys need at least one example");
        }
        if (firstSample < 0) {
            throw new IllegalArgumentException("a sample index must be at least 0, got " + firstSample);
        }
        if (samples < 1 || (long) firstSample + samples - 1 > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("samples " + firstSample + " to " + ((long) firstSample + samples - 1)
                    + ": at least one, with int indices");
        }
        if ((long) b * samples > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(samples + " samples of " + b + " examples are too many rows for a workspace");
        }
        long[] keys = new long[b * samples];
        int[] sampleOf = new int[b * samples];
        for (int k = 0; k < samples; k++) {
            System.arraycopy(exampleKeys, 0, keys, k * b, b);
            Arrays.fill(sampleOf, k * b, (k + 1) * b, firstSample + k);
        }
        return new MaskKeys(seed, keys, sampleOf, 0);
    }

    /**
     * Any layout: row r is sample {@code rowSamples[r]} of example {@code rowKeys[r]}; at position 0.
     *
     * @param seed the seed of every mask
     * @param rowKeys each row's example key, copied
     * @param rowSamples each row's sample index, at least 0, copied
     * @return the keys
     * @throws IllegalArgumentException when there are no rows, the arrays differ in length, or a
     *     sample index is negative
     */
    public static MaskKeys rows(long seed, long[] rowKeys, int[] rowSamples) {
        if (rowKeys.length == 0 || rowKeys.length != rowSamples.length) {
            throw new IllegalArgumentException("mask keys need a key and a sample index for each row, at least one row; got "
                    + rowKeys.length + " keys and " + rowSamples.length + " sample indices");
        }
        for (int s : rowSamples) {
            if (s < 0) {
                throw new IllegalArgumentException("a sample index must be at least 0, got " + s);
            }
        }
        return new MaskKeys(seed, rowKeys.clone(), rowSamples.clone(), 0);
    }

    /**
     * The keys {@code first, first + 1, …}: examples keyed by their index in what the caller passes.
     *
     * @param first the first key
     * @param count how many, at least 0
     * @return the keys
     */
    public static long[] range(long first, int count) {
        long[] out = new long[count];
        for (int i = 0; i < count; i++) {
            out[i] = first + i;
        }
        return out;
    }

    /**
     * The same rows for a workspace whose first step is step {@code position} of its sequences:
     * only per-step masks change with it.
     *
     * @param position the first step's index in the sequence, at least 0
     * @return the keys at that position
     * @throws IllegalArgumentException when position is negative
     */
    public MaskKeys atPosition(long position) {
        if (position < 0) {
            throw new IllegalArgumentException("a position in a sequence must be at least 0, got " + position);
        }
        return new MaskKeys(seed, keys, sampleOf, position);
    }

    /** {@return the seed of every mask} */
    public long seed() {
        return seed;
    }

    /** {@return the position of the workspace's first step in its sequences} */
    public long position() {
        return position;
    }

    /** {@return the number of rows, the batch of the workspace these keys are for} */
    public int rows() {
        return keys.length;
    }

    /**
     * The example key of a row.
     *
     * @param row the row, from 0
     * @return its example key
     */
    public long exampleKey(int row) {
        return keys[row];
    }

    /**
     * The sample index k of a row.
     *
     * @param row the row, from 0
     * @return its sample index
     */
    public int sample(int row) {
        return sampleOf[row];
    }

    /** {@return whether every row is of one sample index: a pass with weight drop then has one U'} */
    public boolean oneSample() {
        for (int s : sampleOf) {
            if (s != sampleOf[0]) {
                return false;
            }
        }
        return true;
    }

    /**
     * The mask id of the contract: 64-bit FNV-1a over the name's characters (UTF-16 code units),
     * offset basis 0xcbf29ce484222325, prime 0x100000001b3. Stable and specific to the name, so
     * adding a layer changes no other layer's masks.
     *
     * @param mask the mask's name, as {@link Workspace#masks()} names it
     * @return its id
     */
    public static long maskId(String mask) {
        long h = FNV_OFFSET;
        for (int i = 0; i < mask.length(); i++) {
            h = (h ^ mask.charAt(i)) * FNV_PRIME;
        }
        return h;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MaskKeys m && seed == m.seed && position == m.position && Arrays.equals(keys, m.keys)
                && Arrays.equals(sampleOf, m.sampleOf);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(seed) * 31 * 31 + Long.hashCode(position) * 31 + Arrays.hashCode(keys) ^ Arrays.hashCode(sampleOf);
    }

    @Override
    public String toString() {
        return "MaskKeys[seed " + seed + ", " + keys.length + " rows, position " + position + "]";
    }
}
