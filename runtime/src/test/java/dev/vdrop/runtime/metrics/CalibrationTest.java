package dev.vdrop.runtime.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdrop.runtime.mc.ClassPrediction;
import java.util.List;
import org.junit.jupiter.api.Test;

class CalibrationTest {
    @Test
    void everyEdgeGoesToTheBinBelowIt() {
        // k / 15.0 is the upper edge of bin k - 1, included; the next double up is in bin k. A plain
        // ceil(15c) - 1 gets one of these wrong: 15 · nextUp(11 / 15.0) rounds to exactly 11.0, bin 10.
        for (int k = 1; k <= 15; k++) {
            assertEquals(k - 1, Calibration.bin(k / 15.0), "confidence " + k + "/15");
            if (k < 15) {
                assertEquals(k, Calibration.bin(Math.nextUp(k / 15.0)), "just above " + k + "/15");
            }
            assertEquals(k - 1, Calibration.bin(Math.nextDown(k / 15.0)), "just below " + k + "/15");
        }
        assertEquals(0, Calibration.bin(0));
        assertEquals(0, Calibration.bin(Double.MIN_VALUE));
        assertEquals(7, Calibration.bin(0.5)); // (7/15, 8/15] = (0.467, 0.533]
        assertEquals(8, Calibration.bin(0.6)); // 0.6 == 9 / 15.0: the upper edge of bin 8
        assertEquals(14, Calibration.bin(1));
    }

    @Test
    void eceByHandWithConfidencesOnEdges() {
        // conf  right  bin
        // 0.9   yes    13 (13/15, 14/15] = (0.867, 0.933]
        // 0.9   no     13
        // 0.6   yes     8: 0.6 is exactly the edge 9/15, included in the bin below
        // 1.0   yes    14: the last edge, 15/15
        // 0.5   no      7
        // Bin 13: n 2, conf 0.9, acc 0.5, |0.5 - 0.9| = 0.4; bin 8: |1 - 0.6| = 0.4; bin 14: |1 - 1| = 0;
        // bin 7: |0 - 0.5| = 0.5. ECE = (2/5)·0.4 + (1/5)·0.4 + (1/5)·0 + (1/5)·0.5 = 0.16 + 0.08 + 0.1 = 0.34.
        Calibration calibration = Calibration.of(new double[] {0.9, 0.9, 0.6, 1.0, 0.5},
                new boolean[] {true, false, true, true, false});
        assertEquals(0.34, calibration.expectedCalibrationError(), 1e-15);
        assertEquals(5, calibration.examples());
        List<Calibration.Bin> bins = calibration.bins();
        assertEquals(15, bins.size());
        assertEquals(new Calibration.Bin(13 / 15.0, 14 / 15.0, 2, 0.9, 0.5), bins.get(13));
        assertEquals(new Calibration.Bin(8 / 15.0, 9 / 15.0, 1, 0.6, 1), bins.get(8));
        assertEquals(1, bins.get(14).count());
        assertEquals(1.0, bins.get(14).upper(), 0);
        assertEquals(0.0, bins.get(7).accuracy(), 0);
        assertEquals(0, bins.get(9).count()); // nothing at 0.6 went up a bin
        int counted = 0;
        for (int b = 0; b < 15; b++) {
            counted += bins.get(b).count();
            if (b != 7 && b != 8 && b != 13 && b != 14) {
                assertTrue(bins.get(b).isEmpty(), "bin " + b);
                assertTrue(Double.isNaN(bins.get(b).meanConfidence()), "bin " + b);
                assertTrue(Double.isNaN(bins.get(b).accuracy()), "bin " + b);
            }
            assertEquals(b / 15.0, bins.get(b).lower(), 0);
        }
        assertEquals(5, counted);
        assertThrows(UnsupportedOperationException.class, () -> bins.remove(0));
    }

    @Test
    void uniformPredictionsLandAtOneOverC() {
        // C = 3, p̄ = [1/3, 1/3, 1/3]: confidence 1/3 == 5 / 15.0, the upper edge of bin 4. Label 0 is
        // right (argmax ties to 0): bin 4 has n 1, acc 1, |1 - 1/3| = 2/3 = ECE.
        double third = 1.0 / 3;
        Calibration three = Calibration.of(List.of(ClassPrediction.of(new double[][] {{third, third, third}})),
                new int[] {0});
        assertEquals(1, three.bins().get(4).count());
        assertEquals(2.0 / 3, three.expectedCalibrationError(), 1e-15);
        // C = 2, p̄ = [0.5, 0.5], label 1: wrong (argmax 0), bin 7, ECE |0 - 0.5| = 0.5.
        Calibration two = Calibration.of(List.of(ClassPrediction.of(new double[][] {{0.5, 0.5}})), new int[] {1});
        assertEquals(1, two.bins().get(7).count());
        assertEquals(0.5, two.expectedCalibrationError(), 0);
        // C = 1: confidence 1, always right, bin 14, ECE 0.
        Calibration one = Calibration.of(List.of(ClassPrediction.of(new double[][] {{1}})), new int[] {0});
        assertEquals(1, one.bins().get(14).count());
        assertEquals(0, one.expectedCalibrationError(), 0);
    }

    @Test
    void aMeanRoundedAboveOneCountsAsOne() {
        // A float softmax may sum to 1 + 5e-5 (within the tolerance): confidence 1.00005 is taken as 1.
        Calibration c = Calibration.of(List.of(ClassPrediction.of(new double[][] {{1.00005, 0}})), new int[] {0});
        assertEquals(1, c.bins().get(14).count());
        assertEquals(1.0, c.bins().get(14).meanConfidence(), 0);
    }

    @Test
    void perfectlyCalibratedBinsHaveNoError() {
        // Four at 0.75, three right: bin 11 (0.733, 0.8], acc 0.75 = conf: ECE 0.
        Calibration c = Calibration.of(new double[] {0.75, 0.75, 0.75, 0.75}, new boolean[] {true, true, false, true});
        assertEquals(0, c.expectedCalibrationError(), 0);
        assertEquals(4, c.bins().get(11).count());
    }

    @Test
    void badInputIsNamed() {
        assertEquals("example 1: confidence 1.5 is not in [0, 1]", assertThrows(IllegalArgumentException.class,
                () -> Calibration.of(new double[] {0.5, 1.5}, new boolean[2])).getMessage());
        assertEquals("example 0: confidence NaN is not in [0, 1]", assertThrows(IllegalArgumentException.class,
                () -> Calibration.of(new double[] {Double.NaN}, new boolean[1])).getMessage());
        assertEquals("got 2 confidences but 1 correct flags; give one per example",
                assertThrows(IllegalArgumentException.class,
                        () -> Calibration.of(new double[] {0.5, 0.5}, new boolean[1])).getMessage());
        assertEquals("no example: a metric needs N >= 1 (got 0 confidences)", assertThrows(IllegalArgumentException.class,
                () -> Calibration.of(new double[0], new boolean[0])).getMessage());
        assertEquals("example 0: label 2 is outside [0, 2)", assertThrows(IllegalArgumentException.class,
                () -> Calibration.of(List.of(ClassPrediction.of(new double[][] {{0.5, 0.5}})), new int[] {2})).getMessage());
    }
}
