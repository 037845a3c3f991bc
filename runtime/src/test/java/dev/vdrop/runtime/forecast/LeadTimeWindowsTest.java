package dev.vdrop.runtime.forecast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdrop.runtime.mc.RegressionPrediction;
import dev.vdrop.runtime.series.Examples;
import dev.vdrop.runtime.series.Normalizer;
import dev.vdrop.runtime.series.Windows;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Windows of several steps, missing values dropping windows (counted by hand), row features, the
 * runtime's plain {@link Windows} as the special case, and the settings and data refused.
 */
class LeadTimeWindowsTest {
    private static final double EPS = 1e-12;
    private static final FittedScale IDENTITY = FittedScale.global(Normalizer.of(0, 1));

    /** 60 values 0, 1, …, with NaN at the given indices. */
    private static double[] series(int... missing) {
        double[] x = new double[60];
        for (int t = 0; t < x.length; t++) {
            x[t] = t;
        }
        for (int m : missing) {
            x[m] = Double.NaN;
        }
        return x;
    }

    private static LeadTimeWindows windows(int window, int lead, int steps, int period, Scale scale) {
        return LeadTimeWindows.builder().window(window).lead(lead).steps(steps).period(period).scale(scale).build();
    }

    /** Per row 100 + t and −t. */
    private static double[][] rowFeatures() {
        double[][] rows = new double[60][2];
        for (int t = 0; t < 60; t++) {
            rows[t][0] = 100 + t;
            rows[t][1] = -t;
        }
        return rows;
    }

    /**
     * Window 5, lead 1, test span from 48. One step: origins 4..46 (43 windows); a NaN at 30 is an
     * input of origins 30..34 and the target of 29: 6 dropped. Three steps: origins 4..44 (41),
     * inputs as before, targets of 27..29: 8 dropped. Differences read one value more: origins
     * 5..46 (42), inputs of 30..35 and the target of 29: 7 dropped.
     */
    @Test
    void trainingWindowsTouchingAMissingValueAreDroppedNotTheRows() {
        double[] x = series(30);
        WindowOrigins one = windows(5, 1, 1, 7, Scale.GLOBAL).trainOrigins(x, null, 48);
        assertEquals(37, one.size());
        assertEquals(6, one.dropped());
        assertEquals(4, one.get(0));
        assertEquals(46, one.get(one.size() - 1));
        for (int o : one.kept()) {
            assertTrue(o < 29 || o > 34, "origin " + o + " touches 30");
        }
        WindowOrigins three = windows(5, 1, 3, 7, Scale.GLOBAL).trainOrigins(x, null, 48);
        assertEquals(41 - 8, three.size());
        assertEquals(8, three.dropped());
        assertEquals(44, three.get(three.size() - 1), "the last targets 45, 46, 47 are before the test span");
        WindowOrigins difference = windows(5, 1, 1, 7, Scale.DIFFERENCE).trainOrigins(x, null, 48);
        assertEquals(42 - 7, difference.size());
        assertEquals(7, difference.dropped());
        assertEquals(5, difference.get(0));
    }

    /**
     * Test origins 47..58, one per test value 48..59 at step 1. A NaN at 52 is an input of origins
     * 52..56 (5 dropped) and the target of origin 51, which is kept and forecast but not scored.
     */
    @Test
    void aMissingTestValueDropsTheWindowsReadingItAndIsNotScored() {
        double[] x = series(52);
        LeadTimeWindows windows = windows(5, 1, 2, 7, Scale.WINDOW);
        WindowOrigins origins = windows.testOrigins(x, null, 48);
        assertEquals(7, origins.size());
        assertEquals(5, origins.dropped());
        assertArrayEquals(new int[] {47, 48, 49, 50, 51, 57, 58}, origins.kept());
        ScaledWindows test = windows.examples(x, null, origins, FittedScale.window(1), i -> "value " + i);
        assertTrue(Double.isNaN(test.targets()[4][0]), "origin 51's first target, 52, is missing");
        assertTrue(Double.isNaN(test.targets()[6][1]), "origin 58's second target, 60, is past the data");
        assertEquals(1, test.targets()[6][0], 0.0, "origin 58 to 59: (59 − 58)/1");
        assertEquals(2, test.steps());
        assertArrayEquals(new int[] {49, 50, 51, 52, 53, 59, 60}, test.targetIndex(1));
    }

    @Test
    void rowFeaturesFollowTheValueAndThePhase() {
        double[] x = series();
        double[][] rows = rowFeatures();
        rows[10][1] = Double.NaN;
        LeadTimeWindows windows = windows(3, 2, 1, 4, Scale.GLOBAL);
        WindowOrigins origins = windows.trainOrigins(x, rows, 48);
        // origins 2..45; the NaN feature of row 10 is read by origins 10..12
        assertEquals(44 - 3, origins.size());
        assertEquals(3, origins.dropped());
        ScaledWindows train = windows.examples(x, rows, origins, IDENTITY, i -> "value " + i);
        double[][] first = train.inputs()[0]; // origin 2: rows 0, 1, 2
        assertEquals(5, first[0].length);
        assertArrayEquals(new double[] {1, Math.sin(Math.PI / 2), Math.cos(Math.PI / 2), 101, -1}, first[1], EPS);
        assertEquals(4, train.targets()[0][0], 0.0, "lead 2 from origin 2");
        assertEquals(List.of("value", "season_sin", "season_cos", "day_sin", "day_cos"),
                windows.inputNames(List.of("day_sin", "day_cos")));
        assertEquals(10, windows.firstMissing(x, rows, 11));
        assertEquals(-1, windows.firstMissing(x, rows, 13));
    }

    /** With dates the row features carry the calendar: a step reads the value and the row's own features, no phase. */
    @Test
    void withoutThePhaseAStepReadsTheValueAndTheRowsFeatures() {
        double[] x = series();
        double[][] rows = rowFeatures();
        LeadTimeWindows windows = LeadTimeWindows.builder().window(3).lead(2).build();
        ScaledWindows train = windows.examples(x, rows, windows.trainOrigins(x, rows, 48), IDENTITY);
        assertEquals(3, windows.features(2));
        assertArrayEquals(new double[] {1, 101, -1}, train.inputs()[0][1], EPS);
        assertEquals(List.of("value", "doy_sin", "doy_cos"), windows.inputNames(List.of("doy_sin", "doy_cos")));
    }

    /** With lead 1 the training windows are exactly the runtime's {@code Windows} with horizon 1. */
    @Test
    void leadOneWindowsAreTheRuntimesWindows() {
        double[] z = new double[60];
        for (int t = 0; t < z.length; t++) {
            z[t] = Math.sin(t * 0.7) + t * 0.01;
        }
        int testStart = Windows.testStart(z.length);
        Examples expected = Windows.builder().window(9).period(7).build().split(z).train();
        LeadTimeWindows windows = windows(9, 1, 1, 7, Scale.GLOBAL);
        // the identity standardisation (mean 0, std 1): the windows read z as it is
        ScaledWindows actual = windows.examples(z, null, windows.trainOrigins(z, null, testStart), IDENTITY);
        assertEquals(expected.size(), actual.size());
        assertArrayEquals(expected.targetIndex(), actual.targetIndex());
        double[][][] inputs = expected.inputs();
        double[][] targets = expected.targets();
        double[][][] actualInputs = actual.inputs();
        double[][] actualTargets = actual.targets();
        for (int e = 0; e < expected.size(); e++) {
            assertArrayEquals(targets[e], actualTargets[e], 0.0);
            for (int s = 0; s < 9; s++) {
                assertArrayEquals(inputs[e][s], actualInputs[e][s], 0.0, "example " + e + ", step " + s);
            }
        }
    }

    /** A test window for lead H ends H steps before its target: it never sees the H − 1 values in between. */
    @Test
    void leadTimeWindowsSeeNothingAfterTheirOrigin() {
        double[] z = new double[50];
        for (int t = 0; t < z.length; t++) {
            z[t] = t;
        }
        LeadTimeWindows windows = windows(5, 3, 1, 7, Scale.GLOBAL);
        ScaledWindows test = windows.examples(z, null, windows.testOrigins(z, null, 40), IDENTITY);
        assertEquals(10, test.size());
        for (int e = 0; e < test.size(); e++) {
            int t = test.targetIndex()[e];
            assertEquals(40 + e, t);
            assertEquals(t - 3, test.origin(e));
            assertEquals(t, test.targets()[e][0], 0.0);
            assertEquals(t - 3, test.inputs()[e][4][0], 0.0, "the last input is the value H steps before the target");
            assertEquals(t - 7, test.inputs()[e][0][0], 0.0);
        }
    }

    /**
     * {@link LeadTimeWindows#at} takes the windows of chosen first targets: a backtest's rows, or the
     * row after the last one (a forecast of the future, its target past the data). A row whose
     * window reads a missing value is dropped and counted.
     */
    @Test
    void theWindowsOfChosenRows() {
        double[] x = series(50);
        LeadTimeWindows windows = windows(4, 1, 2, 7, Scale.WINDOW);
        WindowOrigins origins = windows.at(x, null, new int[] {48, 52, 60});
        assertArrayEquals(new int[] {47, 59}, origins.kept(), "row 52's window reads 48 … 51, 50 among them");
        assertEquals(1, origins.dropped());
        ScaledWindows future = windows.examples(x, null, origins, FittedScale.window(2));
        assertTrue(Double.isNaN(future.targets()[1][0]), "row 60 is past the data");
        assertEquals(new AffineMap(59, 2), future.map(1));
        SeriesPrediction[][] mapped = future.map(new RegressionPrediction[][] {
                {RegressionPrediction.of(new double[] {0.5}, 0), RegressionPrediction.of(new double[] {1}, 0)},
                {RegressionPrediction.of(new double[] {0.5}, 0), RegressionPrediction.of(new double[] {1}, 0)}});
        assertEquals(60, mapped[1][0].mean(), EPS, "59 + 2·0.5");
        assertEquals(61, mapped[1][1].mean(), EPS);
        assertEquals("the first targets' rows must increase, got [52, 48]", assertThrows(IllegalArgumentException.class,
                () -> windows.at(x, null, new int[] {52, 48})).getMessage());
        assertEquals("target 3 has no full window before it: the first row a window can forecast is 4",
                assertThrows(IllegalArgumentException.class, () -> windows.at(x, null, new int[] {3})).getMessage());
    }

    /** Two sets of windows, one after the other; sets of another lead are refused. */
    @Test
    void windowsConcatenateInOrder() {
        double[] x = series();
        LeadTimeWindows windows = windows(4, 1, 1, 7, Scale.GLOBAL);
        ScaledWindows a = windows.examples(x, null, WindowOrigins.of(new int[] {10, 20}, 0), IDENTITY);
        ScaledWindows b = windows.examples(x, null, WindowOrigins.of(new int[] {15}, 0), IDENTITY);
        ScaledWindows both = ScaledWindows.concat(List.of(a, b));
        assertArrayEquals(new int[] {10, 20, 15}, both.origins());
        assertEquals(16, both.targets()[2][0], 0.0);
        ScaledWindows lead2 = windows(4, 2, 1, 7, Scale.GLOBAL).examples(x, null, WindowOrigins.of(new int[] {15}, 0),
                IDENTITY);
        assertThrows(IllegalArgumentException.class, () -> ScaledWindows.concat(List.of(a, lead2)));
        assertThrows(IllegalArgumentException.class, () -> ScaledWindows.concat(List.of()));
    }

    /** The accessors hand out copies: changing one changes nothing the windows hold. */
    @Test
    void windowsAreImmutable() {
        double[] x = series();
        int[] kept = {10, 20};
        WindowOrigins origins = WindowOrigins.of(kept, 0);
        kept[0] = 11;
        assertEquals(10, origins.get(0));
        origins.kept()[0] = 12;
        assertEquals(10, origins.get(0));
        ScaledWindows w = windows(4, 1, 1, 7, Scale.GLOBAL).examples(x, null, origins, IDENTITY);
        w.inputs()[0][0][0] = 99;
        w.targets()[0][0] = 99;
        w.origins()[0] = 99;
        assertEquals(7, w.inputs()[0][0][0], 0.0);
        assertEquals(11, w.targets()[0][0], 0.0);
        assertEquals(10, w.origins()[0]);
        assertThrows(UnsupportedOperationException.class, () -> w.maps().set(0, new AffineMap(0, 1)));
    }

    @Test
    void badSettingsAreRefusedWithTheFix() {
        assertEquals("window is required: set the number of input steps per window with window(n), n >= 1",
                assertThrows(IllegalArgumentException.class, () -> LeadTimeWindows.builder().build()).getMessage());
        assertThrows(IllegalArgumentException.class, () -> LeadTimeWindows.builder().window(-1).build());
        assertThrows(IllegalArgumentException.class, () -> LeadTimeWindows.builder().window(3).lead(0).build());
        assertThrows(IllegalArgumentException.class, () -> LeadTimeWindows.builder().window(3).steps(0).build());
        assertEquals("period must be 0 (no phase features) or the season's length >= 2 (e.g. 7 for the day of the week), "
                + "got 1", assertThrows(IllegalArgumentException.class,
                () -> LeadTimeWindows.builder().window(3).period(1).build()).getMessage());
        assertThrows(NullPointerException.class, () -> LeadTimeWindows.builder().scale(null));
        LeadTimeWindows windows = LeadTimeWindows.builder().window(3).build();
        assertEquals(1, windows.lead());
        assertEquals(1, windows.steps());
        assertEquals(0, windows.period());
        assertEquals(Scale.GLOBAL, windows.scale());
        assertThrows(IllegalArgumentException.class, () -> WindowOrigins.of(new int[] {3, 3}, 0));
        assertThrows(IllegalArgumentException.class, () -> WindowOrigins.of(new int[] {3}, -1));
    }

    @Test
    void badDataAreRefusedWithTheFix() {
        double[] x = series();
        LeadTimeWindows windows = windows(3, 1, 1, 7, Scale.WINDOW);
        assertEquals("got 60 values but 59 rows of features; give one row of features per value, or null for none",
                assertThrows(IllegalArgumentException.class, () -> windows.trainOrigins(x, new double[59][1], 48))
                        .getMessage());
        double[][] ragged = new double[60][2];
        ragged[7] = new double[1];
        assertEquals("row 7 has 1 features but row 0 has 2; every row has the same features",
                assertThrows(IllegalArgumentException.class, () -> windows.testOrigins(x, ragged, 48)).getMessage());
        assertEquals("no window has all its targets before 3: a window of 3 steps with lead 1 and 1 steps needs a training "
                + "span of at least 4 rows; use a smaller window or a later test span's start",
                assertThrows(IllegalArgumentException.class, () -> windows.trainOrigins(x, null, 3)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> windows.testOrigins(x, null, 61));
        WindowOrigins origins = windows.trainOrigins(x, null, 48);
        assertEquals("windows cut for scale window cannot be scaled by a global scaling; fit the scaling with these windows "
                + "(FittedScale.fit)", assertThrows(IllegalArgumentException.class,
                () -> windows.examples(x, null, origins, IDENTITY)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> windows(3, 1, 1, 7, Scale.MEAN)
                .examples(x, null, WindowOrigins.of(new int[] {5}, 0), FittedScale.mean(1, 4)), "another mean window");
        assertThrows(IllegalArgumentException.class,
                () -> windows.examples(x, null, WindowOrigins.of(new int[] {1}, 0), FittedScale.window(1)), "before the first origin");
    }

    /** A value that scales beyond float32 is named as the caller calls it. */
    @Test
    void aValueBeyondFloat32IsNamed() {
        double[] x = series();
        x[20] = 1e300;
        LeadTimeWindows windows = windows(3, 1, 1, 7, Scale.WINDOW);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> windows.examples(x, null,
                WindowOrigins.of(new int[] {21}, 0), FittedScale.window(1), i -> "line " + (i + 2)));
        assertTrue(e.getMessage().startsWith("line 22: 1.0E300 scales to "), e.getMessage());
        assertTrue(e.getMessage().contains("under scale window (scale 1.0 fitted on the training span), beyond "
                + "float32's range (±3.4028235E38) in which the network computes"), e.getMessage());
    }
}
