package dev.vdrop.runtime.series;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class NormalizerTest {
    @Test
    void fitsOnTheTrainingSpanOnly() {
        // Training span {1, 2, 3, 4}: mean 2.5; squared deviations 2.25 + 0.25 + 0.25 + 2.25 = 5,
        // population variance 5/4, std sqrt(1.25).
        double[] values = {1, 2, 3, 4, 100, 200};
        Normalizer n = Normalizer.fit(values, 0, 4);
        assertEquals(2.5, n.mean(), 1e-15);
        assertEquals(Math.sqrt(1.25), n.std(), 1e-15);
        assertEquals(1.5 / Math.sqrt(1.25), n.normalize(4), 1e-15);
        assertEquals(97.5 / Math.sqrt(1.25), n.normalize(100), 1e-12);

        double[] changedTest = {1, 2, 3, 4, -7, 1e6};
        Normalizer same = Normalizer.fit(changedTest, 0, 4);
        assertEquals(n.mean(), same.mean());
        assertEquals(n.std(), same.std());
    }

    @Test
    void fitsAnInnerSpan() {
        // {10, 20}: mean 15, std 5.
        Normalizer n = Normalizer.fit(new double[] {-1e9, 10, 20, 1e9}, 1, 3);
        assertEquals(15, n.mean(), 0);
        assertEquals(5, n.std(), 0);
        assertArrayEquals(new double[] {-1, 0, 1}, n.normalize(new double[] {10, 15, 20}), 0);
        assertArrayEquals(new double[] {10, 15, 20}, n.denormalize(new double[] {-1, 0, 1}), 0);
        assertEquals(25 * 0.5, n.denormalizeVariance(0.5), 0);
    }

    @Test
    void denormalizeInvertsNormalize() {
        Normalizer n = Normalizer.fit(new double[] {3.7, -1.2, 8.8, 0.4}, 0, 4);
        for (double x : new double[] {-100, -1.2, 0, 5.5, 1e4}) {
            assertEquals(x, n.denormalize(n.normalize(x)), 1e-9 * Math.max(1, Math.abs(x)));
        }
    }

    @Test
    void refusesAConstantSpan() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Normalizer.fit(new double[] {4, 4, 4, 9}, 0, 3));
        assertEquals("the training span [0, 3) is constant (every value is 4.0), so its standard deviation is 0"
                + " and it cannot be standardised", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Normalizer.fit(new double[] {1, 2}, 1, 2));
    }

    @Test
    void refusesBadSpansAndValues() {
        double[] v = {1, 2, 3};
        assertEquals("the training span [0, 4) must be a non-empty range within [0, 3)",
                assertThrows(IllegalArgumentException.class, () -> Normalizer.fit(v, 0, 4)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Normalizer.fit(v, 2, 2));
        assertThrows(IllegalArgumentException.class, () -> Normalizer.fit(v, -1, 2));
        assertEquals("value 1 of the training span is NaN; a normaliser needs finite values",
                assertThrows(IllegalArgumentException.class,
                        () -> Normalizer.fit(new double[] {1, Double.NaN, 3}, 0, 3)).getMessage());
    }
}
