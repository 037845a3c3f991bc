package dev.vdrop.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;

class DropoutsTest {
    /** Kept fraction within 5 binomial sigmas of 1 − p, kept values exactly 1/(1 − p), on whole and strided matrices. */
    @ParameterizedTest
    @CsvSource({"0.1,false", "0.5,false", "0.9,false", "0.3,true"})
    void masksAreBernoulliWithInvertedScaling(double p, boolean strided) {
        Mat whole = Mat.zeros(DataType.FLOAT, 301, 200);
        Mat mask = strided ? whole.rows(1, 299) : whole;
        Dropouts.sample(mask, p, new Rng(42));
        long n = (long) mask.rows() * mask.cols();
        long kept = 0;
        float scale = (float) (1 / (1 - p));
        for (int c = 0; c < mask.cols(); c++) {
            for (int r = 0; r < mask.rows(); r++) {
                double v = mask.get(r, c);
                if (v != 0) {
                    assertEquals(scale, v, 0.0);
                    kept++;
                }
            }
        }
        double sigma = Math.sqrt(n * p * (1 - p));
        assertTrue(Math.abs(kept - n * (1 - p)) <= 5 * sigma, "kept " + kept + " of " + n + " at p = " + p);
        if (strided) {
            assertEquals(0.0, whole.get(0, 7), 0.0, "rows outside the view stay untouched");
        }
    }

    @ParameterizedTest
    @CsvSource({"1.0", "-0.1", "NaN"})
    void probabilitiesOutsideTheRangeAreRefused(double p) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Dropouts.sample(Mat.zeros(DataType.FLOAT, 2, 2), p, new Rng(1)));
        assertEquals("a dropout probability must be in [0, 1), got " + p, e.getMessage());
    }
}
