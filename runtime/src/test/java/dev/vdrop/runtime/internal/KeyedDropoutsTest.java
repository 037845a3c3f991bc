package dev.vdrop.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdrop.runtime.DropoutMode;
import dev.vdrop.runtime.MaskKeys;
import dev.vdrop.runtime.Mat;
import java.util.function.IntToLongFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Keyed masks ({@link MaskKeys}, {@code Dropouts.sampleKeyed…}): the documented bits, computed
 * here from SplitMix64 and FNV-1a written out; Bernoulli statistics and independence between
 * neighbouring keys, samples, steps and masks; the same column whatever the layout and the number
 * of parts; the refusals.
 */
class KeyedDropoutsTest {
    private static final long GAMMA = 0x9e3779b97f4a7c15L;

    /** Draw k (from 1) of the SplitMix64 stream at {@code state} (Steele, Lea &amp; Flood 2014), written out. */
    private static long splitMix(long state, long k) {
        long z = state + k * GAMMA;
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** The contract's D(s, v). */
    private static long child(long state, long key) {
        return splitMix(state, key + 1);
    }

    private static long fnv1a(String name) {
        long h = 0xcbf29ce484222325L;
        for (char c : name.toCharArray()) {
            h = (h ^ c) * 0x100000001b3L;
        }
        return h;
    }

    /** Element i of a stream at {@code state}: half of draw ⌊i/2⌋ + 1 against ⌈p · 2^32⌉. */
    private static boolean kept(long state, long i, double p) {
        long bits = splitMix(state, i / 2 + 1);
        long half = i % 2 == 0 ? bits >>> 32 : bits & 0xffffffffL;
        return half >= (long) Math.ceil(p * 0x1p32);
    }

    @Test
    void theWrittenOutSplitMixIsTheReferenceOne() {
        // SplitMix64 seeded with 0: its first output, as the reference implementation prints it.
        assertEquals(0xe220a8397b1dcdafL, splitMix(0, 1));
    }

    @ParameterizedTest
    @CsvSource({"FLOAT,0.3", "DOUBLE,0.55"})
    void keyedMasksHoldTheDocumentedBits(DataType type, double p) {
        long seed = 77;
        long[] examples = {12, -3, 40};
        MaskKeys keys = MaskKeys.samples(seed, examples, 5, 2).atPosition(9);
        int units = 37;
        int rows = keys.rows();
        int steps = 3;
        double scale = type == DataType.FLOAT ? (float) (1 / (1 - p)) : 1 / (1 - p);

        Mat perSequence = Mat.zeros(type, units, rows);
        Dropouts.sampleKeyedPerSequence(perSequence, p, keys, "lstm2.h.f");
        Mat perStep = Mat.zeros(type, units, steps * rows);
        Dropouts.sampleKeyedPerStep(perStep, p, keys, "lstm1.x");
        for (int r = 0; r < rows; r++) {
            long key = examples[r % 3];
            int sample = 5 + r / 3;
            long variational = child(child(child(seed, fnv1a("lstm2.h.f")), key), sample);
            for (int i = 0; i < units; i++) {
                assertEquals(kept(variational, i, p) ? scale : 0, perSequence.get(i, r), 0.0, "per sequence, row " + r + ", unit " + i);
            }
            for (int t = 0; t < steps; t++) {
                long step = child(child(child(child(seed, fnv1a("lstm1.x")), key), sample), 9 + t);
                for (int i = 0; i < units; i++) {
                    assertEquals(kept(step, i, p) ? scale : 0, perStep.get(i, t * rows + r), 0.0,
                            "per step, row " + r + ", step " + t + ", unit " + i);
                }
            }
        }

        Mat weights = Mat.zeros(type, 20, 7);
        Dropouts.sampleKeyedPerPass(weights, p, MaskKeys.samples(seed, examples, 4, 1), "lstm1.U");
        long pass = child(child(seed, fnv1a("lstm1.U")), 4);
        for (int c = 0; c < 7; c++) {
            for (int r = 0; r < 20; r++) {
                assertEquals(kept(pass, c * 20L + r, p) ? scale : 0, weights.get(r, c), 0.0, "U mask (" + r + ", " + c + ")");
            }
        }
    }

    /**
     * 32 examples × 4 samples × 3 steps of a 301-unit per-step mask (115,584 elements). The kept
     * count is Binomial(n, 1 − p): within 4σ = 4·√(n p (1 − p)) of n(1 − p) (a sampler with the
     * right rate fails this one time in 16,000). Columns that must be independent — neighbouring
     * keys, samples, steps, and two masks' same column — keep an element together with
     * probability (1 − p)²: the count of elements kept in both of such pairs lies within 4σ of
     * n(1 − p)², σ² = n q (1 − q), q = (1 − p)². A key, sample, step or mask the streams ignored
     * would keep every element together, n(1 − p) of them: 300σ away here.
     */
    @Test
    void keyedMasksAreBernoulliAndIndependentAcrossKeysSamplesStepsAndMasks() {
        double p = 0.4;
        int units = 301;
        int examples = 32;
        int samples = 4;
        int steps = 3;
        int rows = examples * samples;
        MaskKeys keys = MaskKeys.samples(2024, MaskKeys.range(0, examples), 0, samples).atPosition(5);
        Mat x = Mat.zeros(DataType.FLOAT, units, steps * rows);
        Mat y = Mat.zeros(DataType.FLOAT, units, steps * rows);
        Dropouts.sampleKeyedPerStep(x, p, keys, "lstm1.x");
        Dropouts.sampleKeyedPerStep(y, p, keys, "lstm1.y");

        long n = (long) units * steps * rows;
        long keptCount = 0;
        for (int c = 0; c < x.cols(); c++) {
            for (int r = 0; r < units; r++) {
                keptCount += x.get(r, c) != 0 ? 1 : 0;
            }
        }
        assertWithinFourSigma("kept", keptCount, n, 1 - p);

        double both = (1 - p) * (1 - p);
        JointCount keysApart = new JointCount();
        JointCount samplesApart = new JointCount();
        JointCount stepsApart = new JointCount();
        JointCount masksApart = new JointCount();
        for (int t = 0; t < steps; t++) {
            for (int k = 0; k < samples; k++) {
                for (int b = 0; b < examples; b++) {
                    int column = t * rows + k * examples + b;
                    if (b + 1 < examples) {
                        keysApart.add(x, column, x, column + 1);
                    }
                    if (k + 1 < samples) {
                        samplesApart.add(x, column, x, column + examples);
                    }
                    if (t + 1 < steps) {
                        stepsApart.add(x, column, x, column + rows);
                    }
                    masksApart.add(x, column, y, column);
                }
            }
        }
        assertWithinFourSigma("kept together by neighbouring keys", keysApart.both, keysApart.n, both);
        assertWithinFourSigma("kept together by neighbouring samples", samplesApart.both, samplesApart.n, both);
        assertWithinFourSigma("kept together by neighbouring steps", stepsApart.both, stepsApart.n, both);
        assertWithinFourSigma("kept together by two masks", masksApart.both, masksApart.n, both);
    }

    private static final class JointCount {
        long n;
        long both;

        void add(Mat a, int ca, Mat b, int cb) {
            for (int r = 0; r < a.rows(); r++) {
                n++;
                both += a.get(r, ca) != 0 && b.get(r, cb) != 0 ? 1 : 0;
            }
        }
    }

    private static void assertWithinFourSigma(String what, long count, long n, double q) {
        double mean = n * q;
        double sigma = Math.sqrt(n * q * (1 - q));
        assertTrue(Math.abs(count - mean) <= 4 * sigma,
                String.format("%s: %d of %d, expected %.0f ± %.0f (4σ)", what, count, n, mean, 4 * sigma));
    }

    /**
     * An example's column is the same alone and among others, in another order, with its samples
     * split otherwise, and at a later position for the steps it shares; it differs from a
     * neighbour's. The batch's mask is large enough to be sampled in parts (one per core), the
     * single row's is sampled on the caller alone.
     */
    @Test
    void aRowsMasksDependOnItsKeysOnly() {
        double p = 0.5;
        int units = 600;
        int steps = 2;
        long seed = 5;
        long[] examples = {9, 4, 7, 1, 8, 3, 2, 6};
        // 8 examples × 30 samples × 2 steps × 600 units = 288,000 elements: sampled in parts
        MaskKeys batch = MaskKeys.samples(seed, examples, 0, 30).atPosition(10);
        Mat big = Mat.zeros(DataType.DOUBLE, units, steps * batch.rows());
        Dropouts.sampleKeyedPerStep(big, p, batch, "lstm2.y");
        MaskKeys alone = MaskKeys.samples(seed, new long[] {7}, 13, 1).atPosition(11);
        Mat small = Mat.zeros(DataType.DOUBLE, units, steps);
        Dropouts.sampleKeyedPerStep(small, p, alone, "lstm2.y");
        // example 7 is b = 2; sample 13 at step 11 is step 1 of the batch (position 10), step 0 alone
        assertColumnsEqual(big, 1 * batch.rows() + 13 * 8 + 2, small, 0, "step 11");
        assertFalse(columnsEqual(big, 1 * batch.rows() + 13 * 8 + 3, small, 0), "a neighbour's column differs");

        MaskKeys reordered = MaskKeys.rows(seed, new long[] {3, 7, 3}, new int[] {0, 13, 2});
        Mat variational = Mat.zeros(DataType.FLOAT, units, 3);
        Dropouts.sampleKeyedPerSequence(variational, p, reordered, "lstm1.h");
        Mat all = Mat.zeros(DataType.FLOAT, units, 8 * 20);
        Dropouts.sampleKeyedPerSequence(all, p, MaskKeys.samples(seed, examples, 0, 20), "lstm1.h");
        assertColumnsEqual(all, 13 * 8 + 2, variational, 1, "example 7, sample 13");
        assertColumnsEqual(all, 2 * 8 + 5, variational, 2, "example 3, sample 2");
        assertFalse(columnsEqual(variational, 0, variational, 2), "another sample of the same example differs");
    }

    /** The parts take whole columns, and each column depends on its stream only: 1 to 7 parts give the same bits. */
    @ParameterizedTest
    @CsvSource({"FLOAT", "DOUBLE"})
    void keyedColumnsDoNotDependOnTheNumberOfParts(DataType type) {
        long threshold = (long) Math.ceil(0.35 * 0x1p32);
        IntToLongFunction stream = c -> child(123, c);
        Mat one = Mat.zeros(type, 4099, 23); // a column longer than a chunk, of odd length
        Dropouts.sampleColumns(one, threshold, 2, stream, 1);
        for (int parts : new int[] {2, 3, 7}) {
            Mat split = Mat.zeros(type, 4099, 23);
            Dropouts.sampleColumns(split, threshold, 2, stream, parts);
            for (int c = 0; c < 23; c++) {
                assertColumnsEqual(one, c, split, c, parts + " parts");
            }
        }
        for (int r = 0; r < 4099; r += 1000) {
            assertEquals(kept(child(123, 5), r, 0.35) ? 2 : 0, one.get(r, 5), 0.0, "column 5, row " + r);
        }
    }

    @Test
    void keysAWorkspaceCannotUseAreRefused() {
        MaskKeys keys = MaskKeys.samples(1, new long[] {3, 4}, 0, 2);
        assertEquals("keyed masks are for prediction (DropoutMode.MC or OFF); training draws its masks in sequence "
                        + "from its generator: sampleMasks(rng, TRAIN)",
                assertThrows(IllegalArgumentException.class, () -> Dropouts.checkKeys(keys, DropoutMode.TRAIN, 4)).getMessage());
        assertEquals("the mask keys are for 4 rows, the workspace has 5",
                assertThrows(IllegalArgumentException.class, () -> Dropouts.checkKeys(keys, DropoutMode.MC, 5)).getMessage());
        Dropouts.checkKeys(keys, DropoutMode.OFF, 4);
        // weight drop: blocks of rows of one sample each, of equal size (MaskKeys.samples's layout)
        Dropouts.checkSampleBlocks(keys);
        MaskKeys interleaved = MaskKeys.rows(1, new long[] {3, 3, 4, 4}, new int[] {0, 1, 0, 1});
        assertEquals(4, Dropouts.sampleBlocks(interleaved).length, "blocks of one row each are blocks too");
        MaskKeys unequal = MaskKeys.rows(1, new long[] {3, 4, 3, 4, 5}, new int[] {0, 0, 1, 1, 1});
        assertEquals("a model with weight drop multiplies each sample's rows by its own mask over U, so the rows of a pass "
                        + "must be blocks of equal size, each of one sample (MaskKeys.samples: row k·B + b is sample k of "
                        + "example b); these keys begin with 2 rows of sample 0, and row 4 (sample 1) breaks that layout",
                assertThrows(IllegalArgumentException.class, () -> Dropouts.checkSampleBlocks(unequal)).getMessage());
        MaskKeys longer = MaskKeys.rows(1, new long[] {3, 4, 3, 4, 5, 6}, new int[] {0, 0, 1, 1, 1, 1});
        assertThrows(IllegalArgumentException.class, () -> Dropouts.checkSampleBlocks(longer), "a run of 4 after one of 2");
        assertEquals("lstm.x: a mask of 3 × 5 for 4 rows",
                assertThrows(IllegalArgumentException.class,
                        () -> Dropouts.sampleKeyedPerSequence(Mat.zeros(DataType.FLOAT, 3, 5), 0.5, keys, "lstm.x")).getMessage());
        assertEquals("lstm.y: a per-step mask of 3 × 6 for 4 rows",
                assertThrows(IllegalArgumentException.class,
                        () -> Dropouts.sampleKeyedPerStep(Mat.zeros(DataType.FLOAT, 3, 6), 0.5, keys, "lstm.y")).getMessage());
        assertEquals("a dropout probability must be in [0, 1), got 1.0",
                assertThrows(IllegalArgumentException.class,
                        () -> Dropouts.sampleKeyedPerSequence(Mat.zeros(DataType.FLOAT, 3, 4), 1.0, keys, "lstm.x")).getMessage());
    }

    private static boolean columnsEqual(Mat a, int ca, Mat b, int cb) {
        for (int r = 0; r < a.rows(); r++) {
            if (a.get(r, ca) != b.get(r, cb)) {
                return false;
            }
        }
        return true;
    }

    private static void assertColumnsEqual(Mat a, int ca, Mat b, int cb, String what) {
        assertTrue(columnsEqual(a, ca, b, cb), what + ": column " + ca + " vs " + cb);
    }
}
