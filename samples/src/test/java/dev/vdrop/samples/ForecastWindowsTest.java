package dev.vdrop.samples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdrop.runtime.mc.RegressionPrediction;
import dev.vdrop.runtime.series.Normalizer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Windows of several steps, missing values dropping windows (counted by hand), row features, and
 * the per-step scores against small cases computed by hand.
 */
class ForecastWindowsTest {
    private static final double EPS = 1e-12;

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

    /**
     * Window 5, lead 1, test span from 48. One step: origins 4..46 (43 windows); a NaN at 30 is an
     * input of origins 30..34 and the target of 29: 6 dropped. Three steps: origins 4..44 (41),
     * inputs as before, targets of 27..29: 8 dropped. Differences read one value more: origins
     * 5..46 (42), inputs of 30..35 and the target of 29: 7 dropped.
     */
    @Test
    void trainingWindowsTouchingAMissingValueAreDroppedNotTheRows() {
        double[] x = series(30);
        LeadTimeWindows.Origins one = new LeadTimeWindows(5, 1, 1, 7, Scale.GLOBAL).trainOrigins(x, null, 48);
        assertEquals(37, one.size());
        assertEquals(6, one.dropped());
        assertEquals(4, one.kept()[0]);
        assertEquals(46, one.kept()[one.size() - 1]);
        for (int o : one.kept()) {
            assertTrue(o < 29 || o > 34, "origin " + o + " touches 30");
        }
        LeadTimeWindows.Origins three = new LeadTimeWindows(5, 1, 3, 7, Scale.GLOBAL).trainOrigins(x, null, 48);
        assertEquals(41 - 8, three.size());
        assertEquals(8, three.dropped());
        assertEquals(44, three.kept()[three.size() - 1], "the last targets 45, 46, 47 are before the test span");
        LeadTimeWindows.Origins difference = new LeadTimeWindows(5, 1, 1, 7, Scale.DIFFERENCE).trainOrigins(x, null, 48);
        assertEquals(42 - 7, difference.size());
        assertEquals(7, difference.dropped());
        assertEquals(5, difference.kept()[0]);
    }

    /**
     * Test origins 47..58, one per test value 48..59 at step 1. A NaN at 52 is an input of origins
     * 52..56 (5 dropped) and the target of origin 51, which is kept and forecast but not scored.
     */
    @Test
    void aMissingTestValueDropsTheWindowsReadingItAndIsNotScored() {
        double[] x = series(52);
        LeadTimeWindows windows = new LeadTimeWindows(5, 1, 2, 7, Scale.WINDOW);
        LeadTimeWindows.Origins origins = windows.testOrigins(x, null, 48);
        assertEquals(7, origins.size());
        assertEquals(5, origins.dropped());
        assertArrayEquals(new int[] {47, 48, 49, 50, 51, 57, 58}, origins.kept());
        LeadTimeWindows.Part test = windows.examples(x, null, origins, Scaling.window(1), i -> "value " + i);
        assertTrue(Double.isNaN(test.targets()[4][0]), "origin 51's first target, 52, is missing");
        assertTrue(Double.isNaN(test.targets()[6][1]), "origin 58's second target, 60, is past the data");
        assertEquals(1, test.targets()[6][0], 0.0, "origin 58 to 59: (59 − 58)/1");
    }

    @Test
    void rowFeaturesFollowTheValueAndThePhase() {
        double[] x = series();
        double[][] rows = new double[60][2];
        for (int t = 0; t < 60; t++) {
            rows[t][0] = 100 + t;
            rows[t][1] = -t;
        }
        rows[10][1] = Double.NaN;
        LeadTimeWindows windows = new LeadTimeWindows(3, 2, 1, 4, Scale.GLOBAL);
        LeadTimeWindows.Origins origins = windows.trainOrigins(x, rows, 48);
        // origins 2..45; the NaN feature of row 10 is read by origins 10..12
        assertEquals(44 - 3, origins.size());
        assertEquals(3, origins.dropped());
        LeadTimeWindows.Part train = windows.examples(x, rows, origins, Scaling.global(Normalizer.of(0, 1)), i -> "value " + i);
        double[][] first = train.inputs()[0]; // origin 2: rows 0, 1, 2
        assertEquals(5, first[0].length);
        assertArrayEquals(new double[] {1, Math.sin(Math.PI / 2), Math.cos(Math.PI / 2), 101, -1}, first[1], EPS);
        assertEquals(4, train.targets()[0][0], 0.0, "lead 2 from origin 2");
        assertEquals(List.of("value", "season_sin", "season_cos", "day_sin", "day_cos"),
                windows.inputNames(List.of("day_sin", "day_cos")));
    }

    /** With dates the row features carry the calendar: a step reads the value and the row's own features, no phase. */
    @Test
    void withoutThePhaseAStepReadsTheValueAndTheRowsFeatures() {
        double[] x = series();
        double[][] rows = new double[60][2];
        for (int t = 0; t < 60; t++) {
            rows[t][0] = 100 + t;
            rows[t][1] = -t;
        }
        LeadTimeWindows windows = new LeadTimeWindows(3, 2, 1, 4, Scale.GLOBAL, false);
        LeadTimeWindows.Part train = windows.examples(x, rows, windows.trainOrigins(x, rows, 48),
                Scaling.global(Normalizer.of(0, 1)), i -> "value " + i);
        assertEquals(3, windows.features(2));
        assertArrayEquals(new double[] {1, 101, -1}, train.inputs()[0][1], EPS);
        assertEquals(List.of("value", "doy_sin", "doy_cos"), windows.inputNames(List.of("doy_sin", "doy_cos")));
    }

    /**
     * Three forecasts with zero variance through the identity map: truths 10, 12, 9, means 11, 12,
     * 7; errors −1, 0, 2: MAE 1, RMSE √(5/3); sMAPE 100/3 · (2/21 + 0 + 4/16) = 11.507937%; MASE
     * 1/2 against an in-sample seasonal-naive MAE of 2; persistence 10, 11, 10 has errors 0, 1, −1:
     * RMSE √(2/3).
     */
    @Test
    void theScoresOfASmallCase() {
        AffineMap identity = new AffineMap(0, 1);
        SeriesPrediction[] p = Arrays.stream(new double[] {11, 12, 7})
                .mapToObj(m -> identity.map(RegressionPrediction.of(new double[] {m}, 0))).toArray(SeriesPrediction[]::new);
        ForecastReport r = ForecastReport.of(1, new int[] {5, 6, 7}, new double[] {10, 12, 9}, p, new double[] {8, 12, 10},
                new double[] {10, 11, 10}, 2);
        assertEquals(1, r.mae(), EPS);
        assertEquals(Math.sqrt(5.0 / 3), r.rmse(), EPS);
        assertEquals(11.507937, r.smape(), 1e-6);
        assertEquals(0.5, r.mase(), EPS);
        assertEquals(Math.sqrt(2.0 / 3), r.persistenceRmse(), EPS);
        assertEquals(Math.sqrt(5.0 / 3), r.naiveRmse(), EPS, "errors 2, 0, −1");
        assertEquals(1.0 / 3, r.coverage(0.95).fraction(), EPS, "zero-width intervals hold only the exact forecast");
    }

    /** x = 1, 3, 2, 6, NaN, 5 at lag 2: pairs |2 − 1|, |6 − 3|, |5 − 6| (the one with the NaN left out): 5/3. */
    @Test
    void theInSampleSeasonalNaiveMaeSkipsMissingPairs() {
        double[] x = {1, 3, 2, 6, Double.NaN, 5};
        assertEquals(5.0 / 3, ForecastReport.inSampleNaiveMae(x, 6, 2), EPS);
        assertTrue(Double.isNaN(ForecastReport.inSampleNaiveMae(x, 6, 6)), "no pair: no scale");
    }

    /**
     * Three steps from origins 47..57 of 0, 1, …, 59 (test span from 48): step j's targets are
     * 48 + j − 1 … 59, so 12, 11 and 10 values are scored; persistence is the origin's value, so its
     * errors are j at step j, and the seasonal-naive lag for leads 1..3 is 7: errors 7.
     */
    @Test
    void laterStepsScoreFewerValuesAndTheirOwnBaselines() {
        double[] x = series();
        LeadTimeWindows windows = new LeadTimeWindows(5, 1, 3, 7, Scale.WINDOW);
        LeadTimeWindows.Part test = windows.examples(x, null, windows.testOrigins(x, null, 48), Scaling.window(1),
                i -> "value " + i);
        assertEquals(12, test.size());
        RegressionPrediction[][] predictions = new RegressionPrediction[12][3];
        for (int e = 0; e < 12; e++) {
            for (int j = 0; j < 3; j++) {
                predictions[e][j] = RegressionPrediction.of(new double[] {j + 1}, 0); // exact: x_o + (j + 1)
            }
        }
        ForecastSteps steps = ForecastSteps.of(x, 48, test, predictions, 7);
        assertEquals(3, steps.steps().size());
        for (int j = 1; j <= 3; j++) {
            ForecastReport r = steps.steps().get(j - 1);
            assertEquals(13 - j, r.size(), "step " + j);
            assertEquals(47 + j, r.index()[0]);
            assertEquals(0, r.rmse(), EPS);
            assertEquals(j, r.persistenceRmse(), EPS);
            assertEquals(7, r.naiveRmse(), EPS);
            assertEquals(0, r.mase(), EPS);
            assertEquals(1, r.coverage(0.95).fraction(), 0.0);
        }
        assertEquals(List.of(12, 11, 10), steps.scores().get("test_points_by_step"));
    }
}
