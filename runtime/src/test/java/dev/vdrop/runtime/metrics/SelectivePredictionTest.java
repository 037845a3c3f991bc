package dev.vdrop.runtime.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SelectivePredictionTest {
    // Uncertainties 0.2, 0.1, 0.2, 0.2, 0.5 with right/wrong T, F, F, F, T. Ascending, ties by index:
    // example 1 (0.1, F), 0 (0.2, T), 2 (0.2, F), 3 (0.2, F), 4 (0.5, T).
    // (Ties by the highest index first would give 1, 3, 2, 0, 4: different answers at x = 0.4 and 0.5.)
    private static final double[] UNCERTAINTY = {0.2, 0.1, 0.2, 0.2, 0.5};
    private static final boolean[] CORRECT = {true, false, false, false, true};

    @Test
    void keepsTheMostCertainWithTiesInIndexOrder() {
        // x = 0.2: ceil(1.0) = 1 kept: example 1, wrong: 0.
        assertEquals(0, SelectivePrediction.accuracyAtCoverage(UNCERTAINTY, CORRECT, 0.2), 0);
        // x = 0.4: ceil(2.0) = 2 kept: examples 1, 0: F, T: 1/2 (1, 3 would give 0).
        assertEquals(0.5, SelectivePrediction.accuracyAtCoverage(UNCERTAINTY, CORRECT, 0.4), 0);
        // x = 0.5: ceil(2.5) = 3 kept: examples 1, 0, 2: F, T, F: 1/3 (1, 3, 2 would give 0).
        assertEquals(1.0 / 3, SelectivePrediction.accuracyAtCoverage(UNCERTAINTY, CORRECT, 0.5), 1e-15);
        // x = 0.8: ceil(4.0) = 4 kept: 1, 0, 2, 3: F, T, F, F: 1/4.
        assertEquals(0.25, SelectivePrediction.accuracyAtCoverage(UNCERTAINTY, CORRECT, 0.8), 0);
        // x = 0.9: ceil(4.5) = 5, all: 2/5, the plain accuracy.
        assertEquals(0.4, SelectivePrediction.accuracyAtCoverage(UNCERTAINTY, CORRECT, 0.9), 1e-15);
        assertEquals(0.4, SelectivePrediction.accuracyAtCoverage(UNCERTAINTY, CORRECT, 1), 1e-15);
    }

    @Test
    void tiesAreBrokenByIndexNotByCorrectness() {
        // Three equal uncertainties; x = 1/3 of N = 3 keeps one: example 0, which is wrong.
        assertEquals(0, SelectivePrediction.accuracyAtCoverage(new double[] {1, 1, 1},
                new boolean[] {false, true, true}, 0.3), 0);
        assertEquals(1, SelectivePrediction.accuracyAtCoverage(new double[] {1, 1, 1},
                new boolean[] {true, false, false}, 0.3), 0);
    }

    @Test
    void theCountIsTheCeilingOfTheDecimalProduct() {
        // 0.7 · 10 is 7.000000000000001 in doubles; read as decimals it is 7.
        assertEquals(7, SelectivePrediction.kept(10, 0.7));
        assertEquals(2, SelectivePrediction.kept(3, 0.5)); // ceil(1.5)
        assertEquals(1, SelectivePrediction.kept(1000, 0.0001)); // ceil(0.1): never 0
        assertEquals(9, SelectivePrediction.kept(10, 0.9));
        assertEquals(91, SelectivePrediction.kept(101, 0.9)); // ceil(90.9)
        assertEquals(5, SelectivePrediction.kept(5, 1));
    }

    @Test
    void badInputIsNamed() {
        assertEquals("coverage 0.0 is not in (0, 1]", assertThrows(IllegalArgumentException.class,
                () -> SelectivePrediction.accuracyAtCoverage(UNCERTAINTY, CORRECT, 0)).getMessage());
        assertEquals("coverage 1.5 is not in (0, 1]", assertThrows(IllegalArgumentException.class,
                () -> SelectivePrediction.accuracyAtCoverage(UNCERTAINTY, CORRECT, 1.5)).getMessage());
        assertEquals("coverage NaN is not in (0, 1]", assertThrows(IllegalArgumentException.class,
                () -> SelectivePrediction.accuracyAtCoverage(UNCERTAINTY, CORRECT, Double.NaN)).getMessage());
        assertEquals("example 2: the uncertainty is NaN", assertThrows(IllegalArgumentException.class,
                () -> SelectivePrediction.accuracyAtCoverage(new double[] {0, 1, Double.NaN},
                        new boolean[3], 0.5)).getMessage());
        assertEquals("got 5 uncertainties but 2 correct flags; give one per example",
                assertThrows(IllegalArgumentException.class,
                        () -> SelectivePrediction.accuracyAtCoverage(UNCERTAINTY, new boolean[2], 0.5)).getMessage());
    }
}
