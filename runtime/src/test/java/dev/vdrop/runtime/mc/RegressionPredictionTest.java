package dev.vdrop.runtime.mc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RegressionPredictionTest {
    /** Standard normal quantiles from tables: Φ⁻¹(0.9) and Φ⁻¹(0.975). */
    private static final double Z80 = 1.2815515655446004;
    private static final double Z95 = 1.959963984540054;

    @Test
    void varianceDecomposesIntoEpistemicAndAleatoric() {
        // μ = 1, 2, 3, 6: mean 3; deviations -2, -1, 0, 3; squares 4 + 1 + 0 + 9 = 14; 14 / K=4 = 3.5.
        RegressionPrediction p = RegressionPrediction.of(new double[] {1, 2, 3, 6}, 0.5);
        assertEquals(4, p.samples());
        assertEquals(3, p.mean(), 1e-15);
        assertEquals(3.5, p.epistemicVariance(), 1e-15);
        assertEquals(0.5, p.aleatoricVariance(), 0);
        assertEquals(4, p.variance(), 1e-15);
        assertEquals(2, p.std(), 1e-15);
    }

    @Test
    void intervalIsMeanPlusMinusZTimesStd() {
        RegressionPrediction p = RegressionPrediction.of(new double[] {1, 2, 3, 6}, 0.5); // mean 3, std 2
        Interval i95 = p.interval(0.95);
        assertEquals(3 - 2 * Z95, i95.lo(), 1e-9);
        assertEquals(3 + 2 * Z95, i95.hi(), 1e-9);
        Interval i80 = p.interval(0.8);
        assertEquals(3 - 2 * Z80, i80.lo(), 1e-9);
        assertEquals(3 + 2 * Z80, i80.hi(), 1e-9);
    }

    @Test
    void oneSampleHasNoEpistemicVariance() {
        RegressionPrediction p = RegressionPrediction.of(new double[] {7.25}, 4);
        assertEquals(1, p.samples());
        assertEquals(7.25, p.mean(), 0);
        assertEquals(0, p.epistemicVariance(), 0);
        assertEquals(4, p.variance(), 0);
        assertEquals(7.25 + 2 * Z95, p.interval(0.95).hi(), 1e-9);
    }

    @Test
    void perPassNoiseVariancesAreAveraged() {
        // μ = 0, 2: mean 1, epistemic ((-1)² + 1²)/2 = 1; σ² = 1, 3: aleatoric 2.
        RegressionPrediction p = RegressionPrediction.of(new double[] {0, 2}, new double[] {1, 3});
        assertEquals(1, p.mean(), 0);
        assertEquals(1, p.epistemicVariance(), 0);
        assertEquals(2, p.aleatoricVariance(), 0);
        assertEquals(3, p.variance(), 0);
        assertEquals("got 2 sampled means but 1 noise variances; give one per pass",
                assertThrows(IllegalArgumentException.class,
                        () -> RegressionPrediction.of(new double[] {0, 2}, new double[] {1})).getMessage());
    }

    @Test
    void rejectsBadInput() {
        RegressionPrediction p = RegressionPrediction.of(new double[] {0, 1}, 1);
        for (double level : new double[] {0, 1, -0.5, 1.5, Double.NaN}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.interval(level));
            assertEquals("an interval's level must be strictly between 0 and 1 (e.g. 0.95), got " + level, e.getMessage());
        }
        assertEquals("an MC prediction needs at least one sampled mean (K >= 1), got none",
                assertThrows(IllegalArgumentException.class, () -> RegressionPrediction.of(new double[0], 1)).getMessage());
        assertEquals("the noise variance is -1.0; a variance must be finite and >= 0 (pass exp(s), not the log-variance s)",
                assertThrows(IllegalArgumentException.class, () -> RegressionPrediction.of(new double[] {0}, -1)).getMessage());
        assertEquals("sampled mean 1 is NaN; it must be finite",
                assertThrows(IllegalArgumentException.class,
                        () -> RegressionPrediction.of(new double[] {0, Double.NaN}, 1)).getMessage());
    }

    /**
     * The truth is drawn from a Gaussian whose variance is written by hand: two passes at m ± d give
     * epistemic variance d², plus the noise σ². The intervals must cover at their nominal level.
     */
    @Test
    void intervalsCoverAtTheNominalLevelOnGaussianData() {
        int n = 20_000;
        for (double level : new double[] {0.8, 0.95}) {
            SplittableRandom random = new SplittableRandom(level == 0.8 ? 1506_02142L : 1112_5745L);
            double[] truths = new double[n];
            List<Interval> intervals = new ArrayList<>(n);
            List<Interval> aleatoricOnly = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                double m = 3 * random.nextGaussian();
                double d = random.nextDouble(0.5, 2);
                double noise = random.nextDouble(0.1, 2);
                truths[i] = m + Math.sqrt(d * d + noise) * random.nextGaussian();
                RegressionPrediction p = RegressionPrediction.of(new double[] {m - d, m + d}, noise);
                intervals.add(p.interval(level));
                aleatoricOnly.add(RegressionPrediction.of(new double[] {m}, noise).interval(level));
            }
            Coverage coverage = Coverage.of(truths, intervals);
            Interval band = Coverage.fiveSigmaBand(n, level);
            assertTrue(band.contains(coverage.fraction()), "coverage " + coverage + " at level " + level + ", band " + band);
            // Ignoring the epistemic part gives intervals that are too narrow, and the check notices.
            assertFalse(Coverage.of(truths, aleatoricOnly).consistentWith(level), "level " + level);
        }
    }

    /**
     * The truth is drawn from the MC mixture itself, (1/K) Σ N(μ_k, σ²) with K = 50 means drawn around
     * a centre: the moment-matched Gaussian is then close enough to the mixture for honest coverage.
     */
    @Test
    void intervalsCoverTruthsDrawnFromTheMixture() {
        int n = 20_000;
        int k = 50;
        SplittableRandom random = new SplittableRandom(42);
        double[] truths = new double[n];
        List<Interval> i80 = new ArrayList<>(n);
        List<Interval> i95 = new ArrayList<>(n);
        double[] means = new double[k];
        for (int i = 0; i < n; i++) {
            double centre = 10 * random.nextDouble() - 5;
            double spread = random.nextDouble(0.2, 1.5);
            double noise = random.nextDouble(0.2, 1.5);
            for (int j = 0; j < k; j++) {
                means[j] = centre + spread * random.nextGaussian();
            }
            truths[i] = means[random.nextInt(k)] + Math.sqrt(noise) * random.nextGaussian();
            RegressionPrediction p = RegressionPrediction.of(means, noise);
            i80.add(p.interval(0.8));
            i95.add(p.interval(0.95));
        }
        Coverage c80 = Coverage.of(truths, i80);
        Coverage c95 = Coverage.of(truths, i95);
        assertTrue(c80.consistentWith(0.8), c80 + " vs 0.8, band " + Coverage.fiveSigmaBand(n, 0.8));
        assertTrue(c95.consistentWith(0.95), c95 + " vs 0.95, band " + Coverage.fiveSigmaBand(n, 0.95));
    }
}
