package dev.vdrop.runtime.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdrop.runtime.mc.ClassPrediction;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClassificationMetricsTest {
    // Four examples over C = 3 (sample values chosen so every mean is exact in binary or a single value):
    //   example  samples                          p̄                   label  argmax  right  conf
    //   0        [.7 .2 .1] twice                 [0.7, 0.2, 0.1]      0      0       yes    0.7
    //   1        [1 0 0], [0 1 0]                 [0.5, 0.5, 0]        1      0 (tie) no     0.5
    //   2        [.2 .2 .6]                       [0.2, 0.2, 0.6]      2      2       yes    0.6
    //   3        [.25 .75 0], [.5 .5 0]           [0.375, 0.625, 0]    0      1       no     0.625
    // Predictive entropy H[p̄] (nats): 0.8018, ln 2 = 0.6931, 0.9503, 0.6616.
    // Mutual information: 0, ln 2, 0 (K = 1), 0.6616 - (0.5623 + 0.6931)/2 = 0.0338.
    private static final List<ClassPrediction> PREDICTIONS = List.of(
            ClassPrediction.of(new double[][] {{0.7, 0.2, 0.1}, {0.7, 0.2, 0.1}}),
            ClassPrediction.of(new double[][] {{1, 0, 0}, {0, 1, 0}}),
            ClassPrediction.of(new double[][] {{0.2, 0.2, 0.6}}),
            ClassPrediction.of(new double[][] {{0.25, 0.75, 0}, {0.5, 0.5, 0}}));
    private static final int[] LABELS = {0, 1, 2, 0};

    @Test
    void eachMetricByHand() {
        // Right: 0 and 2, 2 of 4.
        assertEquals(0.5, ClassificationMetrics.accuracy(PREDICTIONS, LABELS), 0);
        assertArrayEquals(new boolean[] {true, false, true, false}, ClassificationMetrics.correct(PREDICTIONS, LABELS));
        assertArrayEquals(new boolean[] {false, true, false, true}, ClassificationMetrics.wrong(PREDICTIONS, LABELS));
        // -(ln 0.7 + ln 0.5 + ln 0.6 + ln 0.375)/4 = (0.356675 + 0.693147 + 0.510826 + 0.980829)/4 = 0.635369.
        assertEquals(0.6353692503190986, ClassificationMetrics.negativeLogLikelihood(PREDICTIONS, LABELS), 1e-14);
        // Squared distances to one-hot: 0.3² + 0.2² + 0.1² = 0.14; 0.5² + 0.5² = 0.5; 0.2² + 0.2² + 0.4² = 0.24;
        // 0.625² + 0.625² = 0.78125. Sum 1.66125, over 4: 0.4153125.
        assertEquals(0.4153125, ClassificationMetrics.brierScore(PREDICTIONS, LABELS), 1e-15);
    }

    @Test
    void theSummaryByHand() {
        ClassificationSummary s = ClassificationSummary.of(PREDICTIONS, LABELS);
        assertEquals(4, s.examples());
        assertEquals(0.5, s.accuracy(), 0);
        assertEquals(0.6353692503190986, s.negativeLogLikelihood(), 1e-14);
        assertEquals(0.4153125, s.brierScore(), 1e-15);
        // Bins: 0.5 (wrong) bin 7, |0 - 0.5|; 0.6 (right) bin 8, |1 - 0.6|; 0.625 (wrong) bin 9, |0 - 0.625|;
        // 0.7 (right) bin 10, |1 - 0.7|. ECE = (0.5 + 0.4 + 0.625 + 0.3)/4 = 1.825/4 = 0.45625.
        assertEquals(0.45625, s.expectedCalibrationError(), 1e-15);
        assertEquals(1, s.calibration().bins().get(9).count());
        // Entropy: the wrong ones (0.6931, 0.6616) are both below the right ones (0.8018, 0.9503): AUROC 0.
        assertEquals(0, s.aurocEntropy(), 0);
        // Mutual information: wrong 0.6931 and 0.0338 against right 0 and 0: AUROC 1.
        assertEquals(1, s.aurocMutualInformation(), 0);
        // By entropy ascending: 3 (wrong), 1 (wrong), 0 (right), 2 (right).
        // 50%: ceil(2) = 2 kept, both wrong: 0. 80%: ceil(3.2) = 4: 0.5. 90%: ceil(3.6) = 4: 0.5.
        assertEquals(0, s.accuracyAt50(), 0);
        assertEquals(0.5, s.accuracyAt80(), 0);
        assertEquals(0.5, s.accuracyAt90(), 0);
        // 75%: ceil(3) = 3: 3, 1, 0: 1/3.
        assertEquals(1.0 / 3, ClassificationMetrics.accuracyAtCoverage(PREDICTIONS, LABELS, 0.75), 1e-15);
    }

    @Test
    void entropiesAndMutualInformationsInOrder() {
        double[] h = ClassificationMetrics.predictiveEntropies(PREDICTIONS);
        // -(0.7 ln 0.7 + 0.2 ln 0.2 + 0.1 ln 0.1) = 0.24967 + 0.32189 + 0.23026 = 0.80182.
        assertEquals(0.8018185525433372, h[0], 1e-14);
        assertEquals(Math.log(2), h[1], 1e-15);
        double[] mi = ClassificationMetrics.mutualInformations(PREDICTIONS);
        assertEquals(0, mi[0], 0);
        assertEquals(Math.log(2), mi[1], 1e-15);
        assertEquals(0, mi[2], 0);
        // H[0.375, 0.625] - (H[0.25, 0.75] + H[0.5, 0.5])/2 = 0.661563 - (0.562335 + 0.693147)/2 = 0.033822.
        assertEquals(0.03382207556860539, mi[3], 1e-14);
    }

    @Test
    void aTieOfTheLabelWithALowerClassIsWrong() {
        // p̄ = [0.4, 0.4, 0.2]: argmax 0. Label 0 right, label 1 wrong.
        List<ClassPrediction> tie = List.of(ClassPrediction.of(new double[][] {{0.4, 0.4, 0.2}}));
        assertEquals(1, ClassificationMetrics.accuracy(tie, new int[] {0}), 0);
        assertEquals(0, ClassificationMetrics.accuracy(tie, new int[] {1}), 0);
    }

    @Test
    void aZeroProbabilityOfTheLabelIsFloored() {
        // p̄[y] = 0 for the first, 1 for the second: (-ln 1e-12 + 0)/2 = 27.631021/2 = 13.815511.
        List<ClassPrediction> p = List.of(ClassPrediction.of(new double[][] {{1, 0}}), ClassPrediction.of(new double[][] {{0, 1}}));
        double nll = ClassificationMetrics.negativeLogLikelihood(p, new int[] {1, 1});
        assertTrue(Double.isFinite(nll));
        assertEquals(13.815510557964274, nll, 1e-12);
    }

    @Test
    void brierIsTwoForCertainWrongPredictions() {
        // (1 - 0)² + (0 - 1)² = 2 for each.
        List<ClassPrediction> p = List.of(ClassPrediction.of(new double[][] {{1, 0, 0}}), ClassPrediction.of(new double[][] {{0, 0, 1}}));
        assertEquals(2, ClassificationMetrics.brierScore(p, new int[] {1, 0}), 0);
        assertEquals(0, ClassificationMetrics.brierScore(p, new int[] {0, 2}), 0);
    }

    @Test
    void aurocsAreNaNWhenEveryPredictionIsRight() {
        ClassificationSummary s = ClassificationSummary.of(PREDICTIONS, new int[] {0, 0, 2, 1});
        assertEquals(1, s.accuracy(), 0);
        assertTrue(Double.isNaN(s.aurocEntropy()));
        assertTrue(Double.isNaN(s.aurocMutualInformation()));
    }

    @Test
    void badInputIsNamed() {
        assertEquals("example 3: label 3 is outside [0, 3)", assertThrows(IllegalArgumentException.class,
                () -> ClassificationSummary.of(PREDICTIONS, new int[] {0, 1, 2, 3})).getMessage());
        assertEquals("example 1: label -1 is outside [0, 3)", assertThrows(IllegalArgumentException.class,
                () -> ClassificationMetrics.accuracy(PREDICTIONS, new int[] {0, -1, 2, 0})).getMessage());
        assertEquals("got 4 predictions but 3 labels; give one per example", assertThrows(IllegalArgumentException.class,
                () -> ClassificationMetrics.brierScore(PREDICTIONS, new int[] {0, 1, 2})).getMessage());
        assertEquals("no example: a metric needs N >= 1 (got 0 predictions)", assertThrows(IllegalArgumentException.class,
                () -> ClassificationSummary.of(List.of(), new int[0])).getMessage());
        List<ClassPrediction> mixed = List.of(PREDICTIONS.get(0), ClassPrediction.of(new double[][] {{0.5, 0.5}}));
        assertEquals("example 1: the prediction has 2 classes, example 0's has 3; every prediction must be over the same classes",
                assertThrows(IllegalArgumentException.class,
                        () -> ClassificationMetrics.negativeLogLikelihood(mixed, new int[] {0, 0})).getMessage());
        assertEquals("coverage 0.0 is not in (0, 1]", assertThrows(IllegalArgumentException.class,
                () -> ClassificationMetrics.accuracyAtCoverage(PREDICTIONS, LABELS, 0)).getMessage());
    }
}
