package dev.vdrop.runtime.forecast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdrop.runtime.mc.Interval;
import dev.vdrop.runtime.mc.RegressionPrediction;
import dev.vdrop.runtime.series.Normalizer;
import org.junit.jupiter.api.Test;

/**
 * The affine maps back to the series' units and the four scalings, against values computed by
 * hand; every tolerance is a few ulps of the values compared (1e-12 on values of order 10).
 */
class FittedScaleTest {
    private static final double EPS = 1e-12;

    private static LeadTimeWindows windows(int window, int steps, Scale scale) {
        return LeadTimeWindows.builder().window(window).steps(steps).period(7).scale(scale).build();
    }

    /**
     * x = 10 + 2z on the mixture of the sampled means 1 and 3 with noise variance 0.25: mean 2,
     * epistemic variance ((1 − 2)² + (3 − 2)²)/2 = 1, in z; mapped: mean 14, variances 4 and 1, and
     * the 95% interval 14 ± 1.959964·√5 = [9.617387, 18.382613].
     */
    @Test
    void anAffineMapMapsTheMixturesMomentsAndIntervals() {
        AffineMap map = new AffineMap(10, 2);
        SeriesPrediction p = map.map(RegressionPrediction.of(new double[] {1, 3}, 0.25));
        assertEquals(14, p.mean(), EPS);
        assertEquals(4, p.epistemicVariance(), EPS);
        assertEquals(1, p.aleatoricVariance(), EPS);
        assertEquals(5, p.variance(), EPS);
        assertEquals(Math.sqrt(5), p.std(), EPS);
        Interval i95 = p.interval(0.95);
        assertEquals(9.617387, i95.lo(), 1e-6);
        assertEquals(18.382613, i95.hi(), 1e-6);
        // the same as the mixture of the mapped samples 12 and 16 with noise variance 2² · 0.25 = 1
        RegressionPrediction mapped = RegressionPrediction.of(new double[] {12, 16}, 1);
        assertEquals(mapped.mean(), p.mean(), EPS);
        assertEquals(mapped.epistemicVariance(), p.epistemicVariance(), EPS);
        assertEquals(mapped.interval(0.8).lo(), p.interval(0.8).lo(), EPS);
        assertEquals(mapped.interval(0.8).hi(), p.interval(0.8).hi(), EPS);
    }

    @Test
    void anAffineMapNeedsAPositiveScale() {
        assertThrows(IllegalArgumentException.class, () -> new AffineMap(0, 0));
        assertThrows(IllegalArgumentException.class, () -> new AffineMap(0, -1));
        assertThrows(IllegalArgumentException.class, () -> new AffineMap(Double.NaN, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new AffineMap(1, Double.POSITIVE_INFINITY));
        assertEquals("an affine map x = a + b·z needs a finite a and a finite b > 0, got a = 1.0, b = Infinity", e.getMessage());
        assertThrows(NullPointerException.class, () -> new SeriesPrediction(null, new AffineMap(0, 1)));
    }

    /** Global scaling is the normaliser's z = (x − 5)/2, and maps back with a = 5, b = 2 for every window. */
    @Test
    void globalScalingIsTheNormaliser() {
        FittedScale global = FittedScale.global(Normalizer.of(5, 2));
        double[] x = {1, 2, 4, 7, 11};
        assertEquals(Scale.GLOBAL, global.mode());
        assertEquals(-2, global.input(x, 0, 3), EPS);
        assertEquals(3, global.target(x, 4, 3), EPS);
        assertEquals(new AffineMap(5, 2), global.map(x, 3));
        assertEquals(4, global.reach(4));
        assertEquals(2, global.scale(), 0.0);
    }

    /**
     * x = 1, 2, 4, 7, 11, 16; windows of 3 steps, lead 1, 2 steps, origins 2 and 3. Origin 2 reads
     * x₀..x₂ − 4 = −3, −2, 0 and predicts 7 − 4 = 3, 11 − 4 = 7: squares 9 + 4 + 0 + 9 + 49 = 71;
     * origin 3 reads −5, −3, 0 and predicts 4, 9: 25 + 9 + 0 + 16 + 81 = 131. s = √(202/10).
     */
    @Test
    void windowScalingIsRelativeToTheWindowsLastValue() {
        double[] x = {1, 2, 4, 7, 11, 16};
        LeadTimeWindows windows = windows(3, 2, Scale.WINDOW);
        double s = FittedScale.windowScale(x, new int[] {2, 3}, windows);
        assertEquals(Math.sqrt(20.2), s, EPS);
        assertEquals(4.494441, s, 1e-6);
        assertEquals(s, FittedScale.fit(windows, x, 6, WindowOrigins.of(new int[] {2, 3}, 0)).scale(), 0.0, "through fit");
        FittedScale window = FittedScale.window(s);
        assertEquals(-5 / s, window.input(x, 1, 3), EPS);
        assertEquals(0, window.input(x, 3, 3), 0.0);
        assertEquals(9 / s, window.target(x, 5, 3), EPS);
        assertEquals(new AffineMap(7, s), window.map(x, 3));
        for (int v = 4; v < x.length; v++) {
            assertEquals(x[v], window.map(x, 3).value(window.target(x, v, 3)), EPS, "round trip of x" + v);
        }
    }

    /**
     * Differences of 1, 2, 4, 7, 11 are 1, 2, 3, 4: s_Δ = √(30/4) = 2.738613. The inputs of the
     * window with origin 3 are the differences into x₁..x₃, 1, 2, 3 over s_Δ; its target at 4 is
     * (11 − 7)/s_Δ, mapped back with a = 7, b = s_Δ.
     */
    @Test
    void differenceScalingReadsDifferencesAndPredictsTheChangeFromTheLastValue() {
        double[] x = {1, 2, 4, 7, 11};
        double s = FittedScale.differenceScale(x, 5);
        assertEquals(2.738613, s, 1e-6);
        FittedScale difference = FittedScale.difference(s);
        assertEquals(4, difference.reach(3), "a window of 3 differences reads 4 values");
        assertEquals(4, Scale.DIFFERENCE.reach(3));
        assertArrayEquals(new double[] {1 / s, 2 / s, 3 / s},
                new double[] {difference.input(x, 1, 3), difference.input(x, 2, 3), difference.input(x, 3, 3)}, EPS);
        assertEquals(4 / s, difference.target(x, 4, 3), EPS);
        assertEquals(11, difference.map(x, 3).value(difference.target(x, 4, 3)), EPS);
        // the inputs summed and mapped like a target give the window's last value back from its first
        double sum = 0;
        for (int u = 1; u <= 3; u++) {
            sum += difference.input(x, u, 3);
        }
        assertEquals(x[3], new AffineMap(x[0], s).value(sum), EPS);
    }

    /**
     * x = 2, 4, 6, 8, 12; windows of 3 steps, lead 1, 1 step, origins 2 and 3. Origin 2's level is
     * ν = (2 + 4 + 6)/3 = 4: inputs x/ν − 1 = −½, 0, ½ and target 8/4 − 1 = 1, squares 1.5; origin 3's
     * is 6: −⅓, 0, ⅓ and 12/6 − 1 = 1, squares 11/9. s = √((1.5 + 11/9)/8) = √(49/144) = 7/12, and
     * origin 3 maps back with a = 6, b = 6·7/12 = 3.5.
     */
    @Test
    void meanScalingIsRelativeToTheWindowsMeanLevel() {
        double[] x = {2, 4, 6, 8, 12};
        LeadTimeWindows windows = windows(3, 1, Scale.MEAN);
        double s = FittedScale.meanScale(x, new int[] {2, 3}, windows);
        assertEquals(7.0 / 12, s, EPS);
        FittedScale mean = FittedScale.mean(s, 3);
        assertEquals(4, FittedScale.level(x, 2, 3), EPS);
        assertEquals(-0.5 / s, mean.input(x, 0, 2), EPS);
        assertEquals((4.0 / 6 - 1) / s, mean.input(x, 1, 3), EPS);
        assertEquals(1 / s, mean.target(x, 4, 3), EPS);
        assertEquals(new AffineMap(6, 3.5), mean.map(x, 3));
        assertEquals(12, mean.map(x, 3).value(mean.target(x, 4, 3)), EPS);
        // the spread grows with the level: origin 3's b is 6/4 of origin 2's
        assertEquals(1.5, mean.map(x, 3).b() / mean.map(x, 2).b(), EPS);
    }

    /** Through {@link FittedScale#fit}: the same s, and a window of zeros, which no ratio scales, is refused by its origin. */
    @Test
    void theMeanFitMatchesItsScaleAndRefusesAWindowOfZeros() {
        double[] x = {2, 4, 6, 8, 12, 14};
        LeadTimeWindows windows = windows(3, 1, Scale.MEAN);
        FittedScale fitted = FittedScale.fit(windows, x, 5, WindowOrigins.of(new int[] {2, 3}, 0), i -> "value " + i);
        assertEquals(Scale.MEAN, fitted.mode());
        assertEquals(7.0 / 12, fitted.scale(), EPS);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FittedScale.level(new double[] {0, 0, 0, 5}, 2, 3));
        assertEquals("scale mean cannot scale the window ending at 2: every value in it is 0, so it has no level to "
                + "divide by; use scale window or difference for a series with runs of 0", e.getMessage());
    }

    /** A missing value breaks two differences: 1, 2, NaN, 7, 11 keeps 2 − 1 and 11 − 7, s_Δ = √((1 + 16)/2). */
    @Test
    void theDifferenceScaleSkipsMissingPairs() {
        assertEquals(Math.sqrt(8.5), FittedScale.differenceScale(new double[] {1, 2, Double.NaN, 7, 11}, 5), EPS);
    }

    /** The global fit on a series with gaps is the fit of its observed training values. */
    @Test
    void theGlobalFitSkipsMissingValues() {
        double[] x = {1, Double.NaN, 3, 5, Double.NaN, 100};
        LeadTimeWindows windows = LeadTimeWindows.builder().window(1).build();
        FittedScale global = FittedScale.fit(windows, x, 5, WindowOrigins.of(new int[0], 0));
        // mean of 1, 3, 5 is 3; population std √(8/3)
        assertEquals(new AffineMap(3, Math.sqrt(8.0 / 3)), global.map(x, 0));
    }

    /** The observed values of a series with gaps, their rows, and how many lie before the test span. */
    @Test
    void observedValuesKeepTheirRows() {
        double[] x = {1, Double.NaN, 3, 5, Double.NaN, 100};
        ObservedValues seen = ObservedValues.of(x, 4);
        assertArrayEquals(new int[] {0, 2, 3, 5}, seen.rows());
        assertArrayEquals(new double[] {1, 3, 5, 100}, seen.values(), 0.0);
        assertEquals(3, seen.train());
        assertEquals("row 5", seen.naming(r -> "row " + r).apply(3));
        seen.values()[0] = 42;
        assertEquals(1, seen.values()[0], 0.0, "a copy");
        assertThrows(IllegalArgumentException.class, () -> ObservedValues.of(x, 7));
    }

    /** Flat training windows, constant differences of 0, a fit that reaches into the test span: each refused by name. */
    @Test
    void aFitWithoutAScaleOrOnTheTestSpanIsRefused() {
        double[] flat = {1, 2, 5, 5, 5, 5, 5, 9};
        LeadTimeWindows windows = windows(2, 1, Scale.WINDOW);
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> FittedScale.fit(windows, flat, 7, WindowOrigins.of(new int[] {3, 4, 5}, 0)));
        assertEquals("scale window finds no scale in the training span: every training window is flat; use scale global",
                none.getMessage());
        IllegalArgumentException late = assertThrows(IllegalArgumentException.class,
                () -> FittedScale.fit(windows, flat, 6, WindowOrigins.of(new int[] {3, 5}, 0)));
        assertEquals("training window 5 reads rows 4 to 6, not all within the training span [0, 6); take the origins "
                + "from LeadTimeWindows.trainOrigins with the same test span's start", late.getMessage());
        double[] gaps = {1, Double.NaN, 2, Double.NaN, 3, 4};
        IllegalArgumentException noPair = assertThrows(IllegalArgumentException.class,
                () -> FittedScale.fit(windows(1, 1, Scale.DIFFERENCE), gaps, 4, WindowOrigins.of(new int[0], 0)));
        assertTrue(noPair.getMessage().startsWith("scale difference finds no scale in the training span: no two "
                + "neighbouring values are both observed and differ"), noPair.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FittedScale.fit(windows, flat, 0, WindowOrigins.of(new int[0], 0)));
    }

    @Test
    void inputsTargetsAndMapsOutsideTheSeriesAreRefused() {
        double[] x = {1, 2, 4, 7, 11};
        FittedScale window = FittedScale.window(1);
        assertEquals("a target of the window with origin 3 lies after it, at a row from 4 to 4, got 3",
                assertThrows(IllegalArgumentException.class, () -> window.target(x, 3, 3)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> window.input(x, 4, 3));
        assertThrows(IllegalArgumentException.class, () -> window.map(x, 5));
        assertEquals("an input of the window with origin 3 lies at a row from 1 to 3 (a difference reaches back one row), got 0",
                assertThrows(IllegalArgumentException.class, () -> FittedScale.difference(1).input(x, 0, 3)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> FittedScale.mean(1, 3).map(x, 1), "a mean window reads 3 rows");
        assertThrows(IllegalArgumentException.class, () -> FittedScale.window(0));
        assertThrows(IllegalArgumentException.class, () -> FittedScale.difference(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> FittedScale.mean(1, 0));
    }

    @Test
    void aScaleHasALabelAndAReach() {
        assertEquals("difference", Scale.DIFFERENCE.label());
        assertEquals(2147483647L, Scale.GLOBAL.reach(Integer.MAX_VALUE));
        assertEquals(2147483648L, Scale.DIFFERENCE.reach(Integer.MAX_VALUE), "in long: no wrap-around");
        assertThrows(IllegalArgumentException.class, () -> Scale.WINDOW.reach(0));
    }
}
