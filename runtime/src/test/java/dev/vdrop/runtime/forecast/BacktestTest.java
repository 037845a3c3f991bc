package dev.vdrop.runtime.forecast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The backtest's origin rows computed by hand, and the counts refused. */
class BacktestTest {
    /**
     * 200 rows: test span 160 … 199. One step: M = 40 possible origins, N = 4 at 160 + ⌊i·39/3⌋ =
     * 160, 173, 186, 199. Three steps: M = 38 (the last origin 197 forecasts 197, 198, 199); N = 2 at
     * 160 and 197; N = 1 at 160; N = M every row.
     */
    @Test
    void theOriginsAreSpreadEvenlyOverTheTestSpan() {
        assertArrayEquals(new int[] {160, 173, 186, 199}, Backtest.rows(160, 200, 1, 4));
        assertEquals(38, Backtest.possible(160, 200, 3));
        assertArrayEquals(new int[] {160, 197}, Backtest.rows(160, 200, 3, 2));
        assertArrayEquals(new int[] {160}, Backtest.rows(160, 200, 1, 1));
        int[] every = Backtest.rows(160, 200, 3, 38);
        for (int i = 0; i < every.length; i++) {
            assertEquals(160 + i, every[i]);
        }
    }

    /** i·(M − 1) passes Integer.MAX_VALUE: the rows stay in order and end at rows − steps. */
    @Test
    void manyOriginsOverALongSpanDoNotWrapAround() {
        int[] rows = Backtest.rows(0, 100_000, 1, 100_000);
        assertEquals(99_999, rows[rows.length - 1]);
        assertEquals(50_000, rows[50_000]);
    }

    @Test
    void moreOriginsThanFitAreRefused() {
        assertEquals("between 1 and 38 origins fit, not 39: the test span's rows 160 to 199 can start 38 forecasts of 3 "
                + "steps within the data", assertThrows(IllegalArgumentException.class,
                () -> Backtest.rows(160, 200, 3, 39)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Backtest.rows(160, 200, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> Backtest.possible(201, 200, 1));
        assertThrows(IllegalArgumentException.class, () -> Backtest.possible(160, 200, 0));
        assertEquals(0, Backtest.possible(160, 200, 41), "no forecast of 41 steps fits in 40 rows");
    }
}
