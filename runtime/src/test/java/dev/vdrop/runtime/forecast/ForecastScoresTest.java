package dev.vdrop.runtime.forecast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdrop.runtime.mc.RegressionPrediction;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The per-step scores against small cases computed by hand. */
class ForecastScoresTest {
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
        StepScores r = StepScores.of(1, new int[] {5, 6, 7}, new double[] {10, 12, 9}, p, new double[] {8, 12, 10},
                new double[] {10, 11, 10}, 2);
        assertEquals(1, r.mae(), EPS);
        assertEquals(Math.sqrt(5.0 / 3), r.rmse(), EPS);
        assertEquals(11.507937, r.smape(), 1e-6);
        assertEquals(0.5, r.mase(), EPS);
        assertEquals(Math.sqrt(2.0 / 3), r.persistenceRmse(), EPS);
        assertEquals(Math.sqrt(5.0 / 3), r.seasonalNaiveRmse(), EPS, "errors 2, 0, −1");
        assertEquals(1, r.seasonalNaiveMae(), EPS);
        assertEquals(1.0 / 3, r.coverage(0.95).fraction(), EPS, "zero-width intervals hold only the exact forecast");
        assertEquals(0, r.meanWidth(0.8), 0.0);
        assertEquals(0, r.rmsNoiseStd(), 0.0);
    }

    /**
     * Two forecasts through x = 100 + 10z, each with sampled means −1 and 1 (epistemic variance 1)
     * and noise variance 3: in the series' units mean 100, variances 100 and 300, standard
     * deviation 20, so the 95% interval is 100 ± 1.959964·20 = [60.80072, 139.19928]; truths 100 and
     * 150, one inside.
     */
    @Test
    void intervalsAndStandardDeviationsAreInTheSeriesUnits() {
        AffineMap map = new AffineMap(100, 10);
        SeriesPrediction p = map.map(RegressionPrediction.of(new double[] {-1, 1}, 3));
        StepScores r = StepScores.of(2, new int[] {8, 9}, new double[] {100, 150}, new SeriesPrediction[] {p, p},
                new double[] {90, 90}, new double[] {95, 95}, 5);
        assertEquals(2, r.step());
        assertArrayEquals(new double[] {10, 10}, r.epistemicStd(), EPS);
        assertArrayEquals(new double[] {Math.sqrt(300), Math.sqrt(300)}, r.noiseStd(), EPS);
        assertEquals(Math.sqrt(300), r.rmsNoiseStd(), EPS);
        assertEquals(60.80072, r.intervals(0.95).get(0).lo(), 1e-5);
        assertEquals(139.19928, r.intervals(0.95).get(0).hi(), 1e-5);
        assertEquals(2 * 1.959964 * 20, r.meanWidth(0.95), 1e-4);
        assertEquals(0.5, r.coverage(0.95).fraction(), 0.0);
        assertEquals(r.mae() / 5, r.mase(), EPS);
    }

    /** x = 1, 3, 2, 6, NaN, 5 at lag 2: pairs |2 − 1|, |6 − 3|, |5 − 6| (the one with the NaN left out): 5/3. */
    @Test
    void theInSampleSeasonalNaiveMaeSkipsMissingPairs() {
        double[] x = {1, 3, 2, 6, Double.NaN, 5};
        assertEquals(5.0 / 3, ForecastScores.inSampleNaiveMae(x, 6, 2), EPS);
        assertTrue(Double.isNaN(ForecastScores.inSampleNaiveMae(x, 6, 6)), "no pair: no scale");
        assertThrows(IllegalArgumentException.class, () -> ForecastScores.inSampleNaiveMae(x, 7, 2));
        assertThrows(IllegalArgumentException.class, () -> ForecastScores.inSampleNaiveMae(x, 6, 0));
    }

    /** Season · ⌈lead / season⌉, in long. */
    @Test
    void theSeasonalNaiveLagIsTheLastSeasonTheWindowSaw() {
        assertEquals(7, ForecastScores.seasonalNaiveLag(7, 1));
        assertEquals(7, ForecastScores.seasonalNaiveLag(7, 7));
        assertEquals(14, ForecastScores.seasonalNaiveLag(7, 8));
        assertEquals(2147483647L, ForecastScores.seasonalNaiveLag(Integer.MAX_VALUE, Integer.MAX_VALUE));
        assertEquals(3_000_000_000L, ForecastScores.seasonalNaiveLag(1_500_000_000, 1_500_000_001), "no int product");
        assertThrows(IllegalArgumentException.class, () -> ForecastScores.seasonalNaiveLag(0, 1));
    }

    /**
     * Three steps from origins 47..57 of 0, 1, …, 59 (test span from 48): step j's targets are
     * 48 + j − 1 … 59, so 12, 11 and 10 values are scored; persistence is the origin's value, so its
     * errors are j at step j, and the seasonal-naive lag for leads 1..3 is 7: errors 7.
     */
    @Test
    void laterStepsScoreFewerValuesAndTheirOwnBaselines() {
        double[] x = series();
        LeadTimeWindows windows = LeadTimeWindows.builder().window(5).steps(3).period(7).scale(Scale.WINDOW).build();
        ScaledWindows test = windows.examples(x, null, windows.testOrigins(x, null, 48), FittedScale.window(1));
        assertEquals(12, test.size());
        RegressionPrediction[][] predictions = exact(12, 3);
        ForecastScores steps = ForecastScores.of(x, 48, test, predictions, 7);
        assertEquals(3, steps.steps().size());
        for (int j = 1; j <= 3; j++) {
            StepScores r = steps.step(j);
            assertEquals(13 - j, r.size(), "step " + j);
            assertEquals(47 + j, r.index()[0]);
            assertEquals(0, r.rmse(), EPS);
            assertEquals(j, r.persistenceRmse(), EPS);
            assertEquals(7, r.seasonalNaiveRmse(), EPS);
            assertEquals(0, r.mase(), EPS);
            assertEquals(1, r.coverage(0.95).fraction(), 0.0);
        }
        assertArrayEquals(new double[] {12, 11, 10}, steps.byStep(StepScores::size), 0.0);
        assertArrayEquals(new double[] {1, 2, 3}, steps.byStep(StepScores::persistenceRmse), EPS);
        assertEquals(3, steps.last().step());
    }

    /**
     * A missing target (row 52) is forecast but not scored, and neither is a value whose
     * seasonal-naive forecast is missing (row 59, at lag 7 row 52): the model and both baselines are
     * scored on the same values. The windows of rows 50, 52 and 59 read 47 … 49, 49 … 51 and
     * 56 … 58, all observed, so all three are kept; only row 50 is scored.
     */
    @Test
    void aMissingTargetOrBaselineIsLeftOutOfTheScores() {
        double[] x = series(52);
        LeadTimeWindows windows = LeadTimeWindows.builder().window(3).scale(Scale.WINDOW).build();
        ScaledWindows test = windows.examples(x, null, windows.at(x, null, new int[] {50, 52, 59}), FittedScale.window(1));
        assertEquals(3, test.size());
        ForecastScores scores = ForecastScores.of(x, 48, test, exact(3, 1), 7);
        assertArrayEquals(new int[] {50}, scores.step(1).index());
        assertEquals(0, scores.last().rmse(), 0.0);
    }

    @Test
    void predictionsOfAnotherShapeAreRefused() {
        double[] x = series();
        LeadTimeWindows windows = LeadTimeWindows.builder().window(5).steps(2).scale(Scale.WINDOW).build();
        ScaledWindows test = windows.examples(x, null, windows.testOrigins(x, null, 48), FittedScale.window(1));
        assertEquals("got predictions for 11 windows, but there are 12; give one row per window, in order",
                assertThrows(IllegalArgumentException.class, () -> ForecastScores.of(x, 48, test, exact(11, 2), 7))
                        .getMessage());
        assertEquals("window 0 has 1 predictions, but 2 steps; the network needs one output per step",
                assertThrows(IllegalArgumentException.class, () -> ForecastScores.of(x, 48, test, exact(12, 1), 7))
                        .getMessage());
        assertThrows(IllegalArgumentException.class, () -> ForecastScores.of(x, 48, test, exact(12, 2), 49),
                "a season longer than the series before the targets");
        AffineMap identity = new AffineMap(0, 1);
        SeriesPrediction p = identity.map(RegressionPrediction.of(new double[] {1}, 0));
        assertThrows(IllegalArgumentException.class, () -> StepScores.of(1, new int[] {1}, new double[] {1, 2},
                new SeriesPrediction[] {p}, new double[] {1}, new double[] {1}, 1));
        assertThrows(IllegalArgumentException.class, () -> StepScores.of(0, new int[] {1}, new double[] {1},
                new SeriesPrediction[] {p}, new double[] {1}, new double[] {1}, 1));
        assertThrows(IllegalArgumentException.class, () -> StepScores.of(1, new int[] {1}, new double[] {Double.NaN},
                new SeriesPrediction[] {p}, new double[] {1}, new double[] {1}, 1));
    }

    /** Every window's prediction of x_o + (j + 1) through the window scaling of scale 1: exact, zero variance. */
    private static RegressionPrediction[][] exact(int windows, int steps) {
        RegressionPrediction[][] predictions = new RegressionPrediction[windows][steps];
        for (int e = 0; e < windows; e++) {
            for (int j = 0; j < steps; j++) {
                predictions[e][j] = RegressionPrediction.of(new double[] {j + 1}, 0);
            }
        }
        return predictions;
    }
}
