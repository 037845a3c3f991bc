package dev.vdrop.runtime.series;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Values beyond what the forecaster's arithmetic holds are refused, named by index or by the CSV's line. */
class SeriesLimitsTest {
    @Test
    void theBoundKeepsTheSumOfSquaredDeviationsFinite() {
        // 2³¹ − 1 deviations of at most 2·MAX_MAGNITUDE, squared and summed: finite in double
        double worst = 2 * Normalizer.MAX_MAGNITUDE;
        assertTrue(Double.isFinite(worst * worst * Integer.MAX_VALUE));
        // ten times larger and a single square already overflows
        assertTrue(Double.isInfinite(Math.pow(20 * Normalizer.MAX_MAGNITUDE, 2) * 1e10));
        // values at the bound itself are taken
        Normalizer n = Normalizer.fit(new double[] {-Normalizer.MAX_MAGNITUDE, Normalizer.MAX_MAGNITUDE}, 0, 2);
        assertEquals(Normalizer.MAX_MAGNITUDE, n.std(), 0.0);
        assertArrayEquals(new double[] {-1, 1}, n.normalize(new double[] {-Normalizer.MAX_MAGNITUDE, Normalizer.MAX_MAGNITUDE}),
                0.0);
    }

    @Test
    void aValueTooLargeForTheFitIsNamedByTheCsvsLine() {
        Csv csv = Csv.parse("day,births\n0,100\n\n1,1e308\n2,102\n", "births.csv");
        double[] values = csv.column("births");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Normalizer.fit(values, 0, 3, row -> csv.where(row, "births")));
        assertEquals("births.csv line 4, column births: 1.0E308 is too large for the model's arithmetic: standardising "
                + "squares the deviations from the mean and sums them in double, which holds values within ±1.0E149 only",
                e.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Normalizer.fit(values, 0, 3)).getMessage()
                .startsWith("value 1 of the training span: 1.0E308 is too large"));
    }

    @Test
    void aValueThatStandardisesBeyondFloat32IsRefused() {
        Normalizer n = Normalizer.fit(new double[] {1, 2, 3}, 0, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> n.normalize(new double[] {1, 2, 1e60}));
        assertTrue(e.getMessage().startsWith("value 2: 1.0E60 standardises to "), e.getMessage());
        assertTrue(e.getMessage().contains("beyond float32's range (±3.4028235E38)"), e.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> n.normalize(new double[] {Double.NaN}))
                .getMessage().startsWith("value 0 is NaN"));
        // 1e30 standardises to about 1.2e30: finite in float, taken
        assertEquals((1e30 - 2) / n.std(), n.normalize(new double[] {1e30})[0], 0.0);
    }

    @Test
    void windowsRefuseAValueBeyondFloat32() {
        double[] series = new double[40];
        for (int i = 0; i < series.length; i++) {
            series[i] = Math.sin(i);
        }
        series[35] = 1e39;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Windows.builder().window(3).build().split(series));
        assertTrue(e.getMessage().startsWith("value 35 of the series is 1.0E39, beyond float32's range"), e.getMessage());
    }

    @Test
    void windowsNearTheLargestIntDoNotWrapAround() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Windows.builder().window(Integer.MAX_VALUE).horizon(Integer.MAX_VALUE).build().split(new double[50]));
        assertTrue(e.getMessage().endsWith("it needs a training span of at least 4294967294 values"), e.getMessage());
    }
}
