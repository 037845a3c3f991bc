package dev.vdrop.runtime.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vdrop.runtime.mc.Coverage;
import dev.vdrop.runtime.mc.Interval;
import dev.vdrop.runtime.mc.RegressionPrediction;
import java.util.List;
import org.junit.jupiter.api.Test;

class RegressionMetricsTest {
    // Errors y - ŷ: -0.5, 0, 1, -2.
    private static final double[] TRUTHS = {1, 2, 3, 4};
    private static final double[] PREDICTIONS = {1.5, 2, 2, 6};

    @Test
    void rmseByHand() {
        // Squares 0.25, 0, 1, 4: mean 5.25/4 = 1.3125, sqrt 1.1456439.
        assertEquals(1.1456439237389600, RegressionMetrics.rmse(TRUTHS, PREDICTIONS), 1e-15);
    }

    @Test
    void maeByHand() {
        // (0.5 + 0 + 1 + 2)/4 = 0.875.
        assertEquals(0.875, RegressionMetrics.mae(TRUTHS, PREDICTIONS), 0);
    }

    @Test
    void smapeByHand() {
        // 2·0.5/(1 + 1.5) = 0.4; 0; 2·1/(3 + 2) = 0.4; 2·2/(4 + 6) = 0.4. (100/4)·1.2 = 30.
        assertEquals(30, RegressionMetrics.smape(TRUTHS, PREDICTIONS), 1e-13);
        // 0/0 is 0: (100/2)(0 + 2·1/(2 + 1)) = 33.33.
        assertEquals(100.0 / 3, RegressionMetrics.smape(new double[] {0, 2}, new double[] {0, 1}), 1e-13);
        // Opposite signs reach the maximum: 2·2/(1 + 1) = 2, 200%.
        assertEquals(200, RegressionMetrics.smape(new double[] {1}, new double[] {-1}), 0);
        // A truth of 0 and a prediction not 0: 2|ŷ|/|ŷ| = 2, 200%.
        assertEquals(200, RegressionMetrics.smape(new double[] {0}, new double[] {0.3}), 0);
    }

    @Test
    void seasonalNaiveScaleByHand() {
        double[] training = {1, 3, 2, 5, 4};
        // m = 2: |2 - 1| + |5 - 3| + |4 - 2| = 5 over 3 = 1.6667.
        assertEquals(5.0 / 3, RegressionMetrics.seasonalNaiveScale(training, 2), 1e-15);
        // m = 1: |3 - 1| + |2 - 3| + |5 - 2| + |4 - 5| = 7 over 4 = 1.75.
        assertEquals(1.75, RegressionMetrics.seasonalNaiveScale(training, 1), 0);
        // m = 4: |4 - 1| over 1 = 3.
        assertEquals(3, RegressionMetrics.seasonalNaiveScale(training, 4), 0);
    }

    @Test
    void maseByHand() {
        // MAE 0.875 over the m = 1 scale 1.75: 0.5.
        assertEquals(0.5, RegressionMetrics.mase(TRUTHS, PREDICTIONS,
                RegressionMetrics.seasonalNaiveScale(new double[] {1, 3, 2, 5, 4}, 1)), 0);
        assertEquals(0.4375, RegressionMetrics.mase(TRUTHS, PREDICTIONS, 2), 0);
    }

    @Test
    void coverageGoesThroughCoverage() {
        // [0, 1] holds 1 (end included), [0, 1] does not hold 1.5, [-1, 3] holds 2.
        Coverage c = RegressionMetrics.coverage(new double[] {1, 1.5, 2},
                List.of(new Interval(0, 1), new Interval(0, 1), new Interval(-1, 3)));
        assertEquals(2, c.inside());
        assertEquals(3, c.trials());
        // N(0, 1) at 95%: ±1.959964. 1.9 inside, 2.0 outside; mean 10 with variance 4: ±3.919928, 13.9 inside.
        List<RegressionPrediction> predictions = List.of(RegressionPrediction.of(new double[] {0}, 1),
                RegressionPrediction.of(new double[] {0}, 1), RegressionPrediction.of(new double[] {10}, 4));
        Coverage mc = RegressionMetrics.coverage(new double[] {1.9, 2.0, 13.9}, predictions, 0.95);
        assertEquals(2, mc.inside());
        assertEquals(3, mc.trials());
        assertEquals(10, RegressionMetrics.means(predictions)[2], 0);
    }

    @Test
    void badInputIsNamed() {
        assertEquals("got 4 truths but 3 predictions; give one per example", assertThrows(IllegalArgumentException.class,
                () -> RegressionMetrics.rmse(TRUTHS, new double[3])).getMessage());
        assertEquals("no example: a metric needs N >= 1 (got 0 truths)", assertThrows(IllegalArgumentException.class,
                () -> RegressionMetrics.mae(new double[0], new double[0])).getMessage());
        assertEquals("example 2: prediction NaN is not finite", assertThrows(IllegalArgumentException.class,
                () -> RegressionMetrics.smape(TRUTHS, new double[] {1, 2, Double.NaN, 4})).getMessage());
        assertEquals("example 0: truth Infinity is not finite", assertThrows(IllegalArgumentException.class,
                () -> RegressionMetrics.rmse(new double[] {Double.POSITIVE_INFINITY}, new double[] {1})).getMessage());
        assertEquals("the MASE scale must be finite and > 0, got 0.0", assertThrows(IllegalArgumentException.class,
                () -> RegressionMetrics.mase(TRUTHS, PREDICTIONS, 0)).getMessage());
        assertEquals("the season must be >= 1, got 0", assertThrows(IllegalArgumentException.class,
                () -> RegressionMetrics.seasonalNaiveScale(new double[] {1, 2}, 0)).getMessage());
        assertEquals("a seasonal-naive scale with season 2 needs more than 2 training values, got 2",
                assertThrows(IllegalArgumentException.class,
                        () -> RegressionMetrics.seasonalNaiveScale(new double[] {1, 2}, 2)).getMessage());
        assertEquals("example 1: training value NaN is not finite", assertThrows(IllegalArgumentException.class,
                () -> RegressionMetrics.seasonalNaiveScale(new double[] {1, Double.NaN, 3}, 1)).getMessage());
        assertEquals("got 1 truths but 2 predictions; give one per example", assertThrows(IllegalArgumentException.class,
                () -> RegressionMetrics.coverage(new double[] {1}, List.of(RegressionPrediction.of(new double[] {0}, 1),
                        RegressionPrediction.of(new double[] {0}, 1)), 0.9)).getMessage());
    }
}
