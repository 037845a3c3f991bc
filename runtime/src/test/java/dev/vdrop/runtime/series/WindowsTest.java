package dev.vdrop.runtime.series;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class WindowsTest {
    private static final Path BIRTHS = Path.of("../samples/src/main/resources/dev/vdrop/samples/data/us-births-1969-1988.csv");

    /** A series whose value is its index, so every feature and target says where it came from. */
    private static double[] indices(int n) {
        double[] s = new double[n];
        for (int i = 0; i < n; i++) {
            s[i] = i;
        }
        return s;
    }

    @Test
    void testSpanIsTheLastTwentyPercent() {
        assertEquals(16, Windows.testStart(20));
        assertEquals(18, Windows.testStart(23)); // 18.4 rounded down: the test span gets the remainder
        assertEquals(5_844, Windows.testStart(7_305));
        assertEquals(0, Windows.testStart(0));
    }

    @Test
    void shapesAndValuesWithoutPhase() {
        Windows w = Windows.builder().window(3).build();
        assertEquals(1, w.horizon());
        assertEquals(0, w.period());
        assertEquals(1, w.features());
        Split split = w.split(indices(20));
        assertEquals(16, split.testStart());
        assertEquals(20, split.rows());
        // Training targets 3..15 (the first needs 3 inputs, the last must precede index 16): 13 examples.
        Examples train = split.train();
        assertEquals(13, train.size());
        double[][][] inputs = train.inputs();
        assertEquals(13, inputs.length);
        assertEquals(3, inputs[0].length);
        assertEquals(1, inputs[0][0].length);
        assertArrayEquals(new double[][] {{0}, {1}, {2}}, inputs[0]);
        assertArrayEquals(new double[] {3}, train.targets()[0]);
        assertArrayEquals(new double[][] {{12}, {13}, {14}}, inputs[12]);
        assertArrayEquals(new double[] {15}, train.targets()[12]);
        assertEquals(3, train.targetIndex()[0]);
        // Test: targets 16..19, one each; the inputs reach back into the training span.
        Examples test = split.test();
        assertArrayEquals(new int[] {16, 17, 18, 19}, test.targetIndex());
        assertArrayEquals(new double[][] {{13}, {14}, {15}}, test.inputs()[0]);
        assertArrayEquals(new double[][] {{16}, {17}, {18}, {19}}, test.targets());
    }

    @Test
    void phaseFeaturesAreSinAndCosOfTheIndexModPeriod() {
        Windows w = Windows.builder().window(5).period(4).build();
        assertEquals(3, w.features());
        double[][] steps = w.split(indices(30)).train().inputs()[0]; // indices 0..4
        // index mod 4 = 0, 1, 2, 3, 0 -> angles 0, π/2, π, 3π/2, 0.
        double[][] expected = {{0, 0, 1}, {1, 1, 0}, {2, 0, -1}, {3, -1, 0}, {4, 0, 1}};
        for (int s = 0; s < 5; s++) {
            assertArrayEquals(expected[s], steps[s], 1e-15, "step " + s);
        }
    }

    @Test
    void noTrainingExampleTouchesTheTestSpan() {
        for (int horizon : new int[] {1, 3, 7}) {
            Windows w = Windows.builder().window(4).horizon(horizon).period(7).build();
            Split split = w.split(indices(103));
            int testStart = split.testStart();
            assertEquals(82, testStart);
            Examples train = split.train();
            assertEquals(82 - 4 - horizon + 1, train.size());
            double[][][] inputs = train.inputs();
            double[][] targets = train.targets();
            for (int e = 0; e < train.size(); e++) {
                assertEquals(horizon, targets[e].length);
                for (double[] step : inputs[e]) {
                    assertTrue(step[0] < testStart, "input " + step[0] + " of training example " + e);
                }
                for (double t : targets[e]) {
                    assertTrue(t < testStart, "target " + t + " of training example " + e + ", horizon " + horizon);
                }
            }
            // The last training example ends right before the test span.
            assertEquals(testStart - 1, targets[train.size() - 1][horizon - 1]);
        }
    }

    @Test
    void everyTestValueIsPredictedExactlyOnce() {
        // 23 rows: test span [18, 23), 5 values; horizon 3 gives blocks [18, 21) and [21, 23).
        for (int horizon : new int[] {1, 2, 3, 5, 6}) {
            Windows w = Windows.builder().window(4).horizon(horizon).build();
            Split split = w.split(indices(23));
            Examples test = split.test();
            int[] times = new int[23];
            double[][] targets = test.targets();
            int[] first = test.targetIndex();
            double[][][] inputs = test.inputs();
            for (int e = 0; e < test.size(); e++) {
                for (int j = 0; j < targets[e].length; j++) {
                    assertEquals(first[e] + j, targets[e][j]); // the value at the recorded index
                    times[(int) targets[e][j]]++;
                }
                // The inputs are the 4 values just before the block.
                for (int s = 0; s < 4; s++) {
                    assertEquals(first[e] - 4 + s, inputs[e][s][0]);
                }
            }
            for (int i = 0; i < 23; i++) {
                assertEquals(i >= 18 ? 1 : 0, times[i], "value " + i + ", horizon " + horizon);
            }
            assertEquals(5, test.targetCount());
        }
        Examples blocks = Windows.builder().window(4).horizon(3).build().split(indices(23)).test();
        assertArrayEquals(new double[][] {{18, 19, 20}, {21, 22}}, blocks.targets());
    }

    @Test
    void accessorsReturnCopies() {
        Examples train = Windows.builder().window(2).build().split(indices(10)).train();
        train.inputs()[0][0][0] = 99;
        train.targets()[0][0] = 99;
        train.targetIndex()[0] = 99;
        assertEquals(0, train.inputs()[0][0][0]);
        assertEquals(2, train.targets()[0][0]);
        assertEquals(2, train.targetIndex()[0]);
    }

    @Test
    void birthsSplitForTheSample() throws IOException {
        Csv csv = Csv.read(BIRTHS);
        double[] births = csv.column("births");
        int testStart = Windows.testStart(births.length);
        // The test span is exactly 1985-01-01 .. 1988-12-31 (1,461 days).
        assertEquals(1985, csv.column("year")[testStart]);
        assertEquals(1, csv.column("month")[testStart]);
        assertEquals(1, csv.column("date_of_month")[testStart]);
        Normalizer normalizer = Normalizer.fit(births, 0, testStart);
        Split split = Windows.builder().window(28).period(7).build().split(normalizer.normalize(births));
        assertEquals(5_844 - 28, split.train().size());
        assertEquals(1_461, split.test().size());
        assertEquals(28, split.train().inputs()[0].length);
        assertEquals(3, split.train().inputs()[0][0].length);
        // Denormalised test targets are the raw births of the test span.
        double[][] targets = split.test().targets();
        assertEquals(births[testStart], normalizer.denormalize(targets[0][0]), 1e-9);
        assertEquals(births[births.length - 1], normalizer.denormalize(targets[1_460][0]), 1e-9);
    }

    @Test
    void builderChecksItsSettings() {
        assertEquals("window is required: set the number of input steps per example with window(n), n >= 1",
                assertThrows(IllegalArgumentException.class, () -> Windows.builder().build()).getMessage());
        assertEquals("window must be at least 1, got -2",
                assertThrows(IllegalArgumentException.class, () -> Windows.builder().window(-2).build()).getMessage());
        assertEquals("horizon must be at least 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> Windows.builder().window(3).horizon(0).build()).getMessage());
        assertEquals("period must be 0 (no phase features) or the season's length >= 2 (e.g. 7 for the day of the week), got 1",
                assertThrows(IllegalArgumentException.class, () -> Windows.builder().window(3).period(1).build()).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Windows.builder().window(3).period(-7).build());
    }

    @Test
    void tooShortOrNonFiniteSeriesIsAnError() {
        Windows w = Windows.builder().window(8).horizon(2).build();
        // 10 rows: training span 8 < 8 + 2.
        assertEquals("a series of 10 values has a training span of 8 (the first 80%), too short for one training example"
                + " of window 8 + horizon 2; it needs a training span of at least 10 values",
                assertThrows(IllegalArgumentException.class, () -> w.split(indices(10))).getMessage());
        double[] s = indices(40);
        s[33] = Double.NaN;
        assertEquals("value 33 of the series is NaN; windows need finite values",
                assertThrows(IllegalArgumentException.class, () -> w.split(s)).getMessage());
    }
}
