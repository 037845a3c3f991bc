package dev.vdrop.runtime.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AurocTest {
    @Test
    void aSmallCaseByHand() {
        // Positives score 0.35 and 0.8, negatives 0.1 and 0.4. Pairs (positive, negative):
        // (0.35, 0.1) 1, (0.35, 0.4) 0, (0.8, 0.1) 1, (0.8, 0.4) 1: 3 of 4 = 0.75.
        assertEquals(0.75, Auroc.of(new double[] {0.1, 0.4, 0.35, 0.8}, new boolean[] {false, false, true, true}), 0);
    }

    @Test
    void tiesCountOneHalf() {
        // Positives 0.5, 0.5, 0.9; negatives 0.5, 0.2. Pairs: (0.5, 0.5) ½, (0.5, 0.2) 1, twice;
        // (0.9, 0.5) 1, (0.9, 0.2) 1. Sum 5 of 3·2 = 6 pairs: 5/6.
        double[] scores = {0.5, 0.5, 0.2, 0.9, 0.5};
        boolean[] positives = {true, false, false, true, true};
        assertEquals(5.0 / 6, Auroc.of(scores, positives), 1e-15);
    }

    @Test
    void allScoresEqualIsOneHalfAndAPerfectInversionIsZero() {
        assertEquals(0.5, Auroc.of(new double[] {1, 1, 1}, new boolean[] {true, false, false}), 0);
        assertEquals(0, Auroc.of(new double[] {0.1, 0.2, 0.9}, new boolean[] {true, true, false}), 0);
        assertEquals(1, Auroc.of(new double[] {0.1, 0.2, 0.9}, new boolean[] {false, false, true}), 0);
    }

    @Test
    void signedZerosAndInfinitiesAreOrdinaryScores() {
        // -0.0 == 0.0: the pair (0.0 positive, -0.0 negative) is a tie, ½; (+∞, -0.0) 1. (1.5)/2 = 0.75.
        assertEquals(0.75, Auroc.of(new double[] {0.0, -0.0, Double.POSITIVE_INFINITY},
                new boolean[] {true, false, true}), 0);
    }

    @Test
    void undefinedWithoutPositivesOrNegatives() {
        assertTrue(Double.isNaN(Auroc.of(new double[] {0.1, 0.2}, new boolean[] {false, false}))); // every prediction right
        assertTrue(Double.isNaN(Auroc.of(new double[] {0.1, 0.2}, new boolean[] {true, true}))); // every one wrong
    }

    @Test
    void matchesAPairCountOnRandomDataWithTies() {
        SplittableRandom random = new SplittableRandom(18);
        for (int trial = 0; trial < 200; trial++) {
            int n = 1 + random.nextInt(60);
            double[] scores = new double[n];
            boolean[] positives = new boolean[n];
            for (int i = 0; i < n; i++) {
                scores[i] = random.nextInt(8) / 4.0; // few distinct values: many ties
                positives[i] = random.nextInt(3) == 0;
            }
            double expected = bruteForce(scores, positives);
            double actual = Auroc.of(scores, positives);
            if (Double.isNaN(expected)) {
                assertTrue(Double.isNaN(actual), "trial " + trial);
            } else {
                // Both sums are of halves and integers below 2^53: exact; the one division rounds once.
                assertEquals(expected, actual, 1e-15, "trial " + trial);
            }
        }
    }

    /** Every (positive, negative) pair: 1 when the positive scores higher, ½ on a tie. */
    private static double bruteForce(double[] scores, boolean[] positives) {
        double sum = 0;
        int pairs = 0;
        for (int i = 0; i < scores.length; i++) {
            for (int j = 0; j < scores.length; j++) {
                if (positives[i] && !positives[j]) {
                    pairs++;
                    if (scores[i] > scores[j]) {
                        sum += 1;
                    } else if (scores[i] == scores[j]) {
                        sum += 0.5;
                    }
                }
            }
        }
        return pairs == 0 ? Double.NaN : sum / pairs;
    }

    @Test
    void badInputIsNamed() {
        assertEquals("got 2 scores but 3 positive flags; give one per example",
                assertThrows(IllegalArgumentException.class,
                        () -> Auroc.of(new double[] {1, 2}, new boolean[] {true, false, true})).getMessage());
        assertEquals("no example: a metric needs N >= 1 (got 0 scores)",
                assertThrows(IllegalArgumentException.class, () -> Auroc.of(new double[0], new boolean[0])).getMessage());
        assertEquals("example 1: the score is NaN",
                assertThrows(IllegalArgumentException.class,
                        () -> Auroc.of(new double[] {1, Double.NaN}, new boolean[] {true, false})).getMessage());
    }
}
