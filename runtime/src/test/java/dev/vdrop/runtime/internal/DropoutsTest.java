package dev.vdrop.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdrop.runtime.Mat;
import dev.vdrop.runtime.Rng;
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

    /**
     * Masks large enough to be sampled in parts, in chunks, hold the bits of the sequential
     * definition: element i is kept when half of draw ⌊i/2⌋ + 1 (high for even i) is at least
     * p · 2^32; and the generator ends where ⌈n/2⌉ draws leave it. Odd sizes, not a multiple of
     * the chunk.
     */
    @ParameterizedTest
    @CsvSource({"FLOAT,0.4", "DOUBLE,0.65"})
    void partsAndChunksDrawTheSequentialBits(DataType type, double p) {
        int rows = 1301;
        int cols = 487;
        Mat mask = Mat.zeros(type, rows, cols);
        Rng rng = new Rng(2024);
        Dropouts.sample(mask, p, rng);
        Rng sequential = new Rng(2024);
        long threshold = (long) Math.ceil(p * 0x1p32);
        double kept = type == DataType.FLOAT ? (float) (1 / (1 - p)) : 1 / (1 - p);
        long n = (long) rows * cols;
        long bits = 0;
        for (long i = 0; i < n; i++) {
            if (i % 2 == 0) {
                bits = sequential.nextLong();
            }
            long half = i % 2 == 0 ? bits >>> 32 : bits & 0xffffffffL;
            double expected = half >= threshold ? kept : 0;
            int r = (int) (i % rows);
            int c = (int) (i / rows);
            if (mask.get(r, c) != expected) {
                assertEquals(expected, mask.get(r, c), "element " + i);
            }
        }
        assertEquals(sequential.nextLong(), rng.nextLong(), "the generator advances by ⌈n/2⌉ draws");
    }
}
