package dev.vdrop.runtime.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The rows a pass of MC prediction holds, worked out by hand from the three budgets. */
class KeyedPassesTest {
    @Test
    void shortSequencesAndFewClassesTakeTheRowBudget() {
        assertEquals(4096, KeyedPasses.rowsPerPass(35, false, 3));    // 2^18 / 35 = 7489 rows × steps allow more
        assertEquals(4096, KeyedPasses.rowsPerPass(64, true, 11));    // 2^18 / 64 = 4096 exactly; 2^25 / (64 · 11) = 47662
    }

    @Test
    void longSequencesTakeFewerRows() {
        assertEquals(873, KeyedPasses.rowsPerPass(300, false, 3));    // ⌊262144 / 300⌋
        assertEquals(1, KeyedPasses.rowsPerPass(1 << 19, false, 3)); // more steps than the budget: still one row
    }

    @Test
    void manyClassesAtEveryStepTakeFewerRows() {
        assertEquals(95, KeyedPasses.rowsPerPass(35, true, 10_000));  // ⌊33554432 / 350000⌋
        assertEquals(3355, KeyedPasses.rowsPerPass(35, false, 10_000)); // one prediction a row: ⌊33554432 / 10000⌋
    }
}
