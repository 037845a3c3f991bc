package dev.vdrop.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdrop.runtime.MaskKeys;
import dev.vdrop.runtime.Mat;
import dev.vdrop.runtime.Rng;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * One U' per sample ({@link SampleWeights}): block g of a product over three samples' rows is, bit
 * for bit, the product a pass of that sample alone makes — {@link RecurrentWeights} loaded with the
 * mask {@link Dropouts#sampleKeyedPerPass} draws for it — both where the vector kernels lay U' out
 * in panels (800 × 200, as the SMALL model's) and where the product goes to BLAS (37 × 11, below the
 * panels' minimum size); the same for the gate-by-gate products; a mask's stream read from any
 * element equals the drawn matrix; and the refusals. Bit for bit because the arithmetic is the
 * same: the same kernel on the same columns, U ⊙ M the same products.
 */
class SampleWeightsTest {
    private static final long SEED = 77;
    private static final String NAME = "lstm2.U";
    private static final double P = 0.5;

    static Stream<Arguments> shapes() {
        return Stream.of(DataType.FLOAT, DataType.DOUBLE).flatMap(type -> Stream.of(
                Arguments.of(type, 800, 200, 3), Arguments.of(type, 37, 11, 2), Arguments.of(type, 800, 200, 1)));
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void eachBlockIsThePassOfItsSampleAlone(DataType type, int rows, int depth, int examples) {
        Rng rng = new Rng(rows + depth);
        Mat u = BlasTest.random(type, rows, depth, rng);
        MaskKeys keys = MaskKeys.samples(SEED, MaskKeys.range(5, examples), 4, 3);
        Mat x = BlasTest.random(type, depth, 3 * examples, rng);
        Mat start = BlasTest.random(type, rows, 3 * examples, rng);
        Mat c = copy(start);
        try (SampleWeights weights = new SampleWeights()) {
            weights.sample(P, keys, NAME);
            assertTrue(weights.several());
            weights.load(u);
            weights.multiply(x, 1, c);
            weights.multiply(x, 1, c);
            for (int g = 0; g < 3; g++) {
                Mat alone = copy(start.columns(g * examples, examples));
                Mat mask = Mat.zeros(type, rows, depth);
                Dropouts.sampleKeyedPerPass(mask, P, MaskKeys.samples(SEED, MaskKeys.range(5, examples), 4 + g, 1), NAME);
                try (RecurrentWeights one = new RecurrentWeights()) {
                    one.load(u, mask);
                    one.multiply(x.columns(g * examples, examples), 1, alone);
                    one.multiply(x.columns(g * examples, examples), 1, alone);
                }
                assertBitwise(alone, c.columns(g * examples, examples), "block " + g);
            }
            // the gates, one by one, against BLAS on the rows of U ⊙ M
            weights.loadGates(u);
            int units = rows / 4;
            if (rows % 4 == 0) {
                Mat gate = Mat.zeros(type, units, 3 * examples);
                weights.multiplyGate(2, x, 0, gate);
                for (int g = 0; g < 3; g++) {
                    Mat mask = Mat.zeros(type, rows, depth);
                    Dropouts.sampleKeyedPerPass(mask, P, MaskKeys.samples(SEED, MaskKeys.range(5, examples), 4 + g, 1), NAME);
                    Mat dropped = Mat.zeros(type, rows, depth);
                    Elementwise.multiply(dropped, u, mask);
                    Mat expected = Mat.zeros(type, units, examples);
                    Blas.gemm(false, false, 1, dropped.rows(2 * units, units), x.columns(g * examples, examples), 0, expected);
                    assertBitwise(expected, gate.columns(g * examples, examples), "gate g of block " + g);
                }
            }
        }
    }

    /**
     * The next batch of an MC prediction: a load from the same U with the same masks keeps the
     * blocks' U' (no new layout, the same products bit for bit); a changed element of U, or masks
     * of other samples, lays out again, and the products are those of fresh weights.
     */
    @ParameterizedTest
    @MethodSource("shapes")
    void aLoadFromUnchangedWeightsAndMasksKeepsTheLayoutsAndAnyChangeLaysOutAgain(DataType type, int rows, int depth,
                                                                                 int examples) {
        Rng rng = new Rng(rows * depth);
        Mat u = BlasTest.random(type, rows, depth, rng);
        MaskKeys keys = MaskKeys.samples(SEED, MaskKeys.range(0, examples), 0, 3);
        Mat x = BlasTest.random(type, depth, 3 * examples, rng);
        try (SampleWeights weights = new SampleWeights()) {
            weights.sample(P, keys, NAME);
            weights.load(u);
            Mat first = Mat.zeros(type, rows, 3 * examples);
            weights.multiply(x, 0, first);
            assertEquals(1, weights.laidOuts());

            weights.sample(P, MaskKeys.samples(SEED, MaskKeys.range(40, examples), 0, 3), NAME);
            weights.load(u);
            Mat again = Mat.zeros(type, rows, 3 * examples);
            weights.multiply(x, 0, again);
            assertEquals(1, weights.laidOuts(), "other examples, the same samples: the same U'");
            assertBitwise(first, again, "the kept U'");

            u.set(rows - 1, depth - 1, u.get(rows - 1, depth - 1) + 0.25);
            weights.load(u);
            assertEquals(2, weights.laidOuts(), "one element of U changed");
            assertBitwise(fresh(u, keys, x), product(weights, x, rows), "after U changed");

            MaskKeys others = MaskKeys.samples(SEED, MaskKeys.range(0, examples), 3, 3);
            weights.sample(P, others, NAME);
            weights.load(u);
            assertEquals(3, weights.laidOuts(), "other samples");
            assertBitwise(fresh(u, others, x), product(weights, x, rows), "other samples");

            weights.sample(0.25, others, NAME);
            weights.load(u);
            assertEquals(4, weights.laidOuts(), "another probability");
            weights.clear();
            weights.sample(P, others, NAME);
            weights.load(u);
            assertEquals(5, weights.laidOuts(), "after clear(), which frees the layouts");
        }
    }

    private static Mat product(SampleWeights weights, Mat x, int rows) {
        Mat c = Mat.zeros(x.dataType(), rows, x.cols());
        weights.multiply(x, 0, c);
        return c;
    }

    private static Mat fresh(Mat u, MaskKeys keys, Mat x) {
        Mat c = Mat.zeros(u.dataType(), u.rows(), x.cols());
        try (SampleWeights weights = new SampleWeights()) {
            weights.sample(P, keys, NAME);
            weights.load(u);
            weights.multiply(x, 0, c);
        }
        return c;
    }

    @Test
    void theStreamIsTheDrawnMaskFromAnyElement() {
        Mat mask = Mat.zeros(DataType.FLOAT, 40, 7);
        MaskKeys keys = MaskKeys.samples(SEED, new long[] {1}, 9, 1);
        Dropouts.sampleKeyedPerPass(mask, 0.3, keys, NAME);
        WeightMaskStream stream = Dropouts.weightMaskStream(0.3, SEED, NAME, 9);
        int zeros = 0;
        for (int first : new int[] {0, 1, 39, 40, 121, 250}) {
            for (int count : new int[] {1, 2, 5, 30}) {
                if (first + count > 280) {
                    continue;
                }
                float[] floats = new float[count + 3];
                double[] doubles = new double[count + 3];
                stream.fill(floats, 3, count, first);
                stream.fill(doubles, 3, count, first);
                for (int j = 0; j < count; j++) {
                    int i = first + j;
                    float expected = (float) mask.get(i % 40, i / 40);
                    assertEquals(expected, floats[3 + j], 0f, "element " + i);
                    assertEquals(expected == 0 ? 0 : 1 / 0.7, doubles[3 + j], 0, "element " + i + " in float64");
                    zeros += expected == 0 ? 1 : 0;
                }
            }
        }
        assertTrue(zeros > 0, "some elements dropped");
    }

    @Test
    void refusesWhatItCannotDo() {
        try (SampleWeights weights = new SampleWeights()) {
            assertFalse(weights.several());
            assertThrows(IllegalStateException.class, () -> weights.load(Mat.zeros(DataType.FLOAT, 8, 2)));
            weights.sample(P, MaskKeys.samples(SEED, new long[] {1, 2}, 3, 1), NAME);
            assertFalse(weights.several(), "rows of one sample: one U' for the pass");
            weights.checkBackward();
            weights.sample(P, MaskKeys.samples(SEED, new long[] {1, 2}, 0, 2), NAME);
            assertTrue(weights.several());
            weights.checkPass(Packing.equal(4, 3));
            Packing ragged = Packing.equal(4, 3).next(new int[] {3, 2, 3, 3});
            assertEquals("a pass of 2 weight-drop samples multiplies each sample's block of rows by its own U', which needs"
                            + " sequences of equal length; for sequences of different lengths, sample one at a time"
                            + " (MaskKeys.samples with one sample per pass)",
                    assertThrows(IllegalArgumentException.class, () -> weights.checkPass(ragged)).getMessage());
            assertThrows(IllegalStateException.class, weights::checkBackward);
            weights.load(Mat.zeros(DataType.FLOAT, 8, 2));
            assertThrows(IllegalStateException.class,
                    () -> weights.multiply(Mat.zeros(DataType.FLOAT, 2, 3), 0, Mat.zeros(DataType.FLOAT, 8, 3)),
                    "3 columns are no 2 equal blocks");
            weights.clear();
            assertFalse(weights.several());
        }
    }

    private static void assertBitwise(Mat expected, Mat actual, String what) {
        for (int j = 0; j < expected.cols(); j++) {
            for (int i = 0; i < expected.rows(); i++) {
                assertEquals(expected.get(i, j), actual.get(i, j), 0.0, what + " (" + i + ", " + j + ")");
            }
        }
    }

    private static Mat copy(Mat m) {
        Mat copy = Mat.zeros(m.dataType(), m.rows(), m.cols());
        copy.copyFrom(m);
        return copy;
    }
}
