package dev.vdrop.samples;

/**
 * Where {@code vdrop forecast --backtest N} puts its forecast origins. An origin is named by the
 * row of its first forecast (step 1): the model sees the rows up to {@code horizon} rows before it
 * and forecasts it and the {@code steps − 1} rows after it; "the rows before the origin" are what
 * a model trained for it may read (windows whose every target lies before it).
 *
 * <p>The possible origins are the test span's rows whose every step lies in the data, the rows
 * {@code testStart … rows − steps} ({@link #possible} of them, M). N ≤ M origins are spread
 * evenly over them, the first at the test span's start and, for N ≥ 2, the last at
 * {@code rows − steps}: origin {@code i = 0 … N − 1} is row {@code testStart + ⌊i·(M − 1)/(N − 1)⌋}.
 * E.g. 200 rows (test span 160 … 199), one step, N = 4: rows 160, 173, 186 and 199.
 */
final class Backtest {
    private Backtest() {}

    /** {@return M, how many test-span rows can start a forecast whose every step lies in the data} */
    static int possible(int testStart, int rows, int steps) {
        return Math.max(0, rows - steps + 1 - testStart);
    }

    /**
     * The origins' rows, as the class description says.
     *
     * @param n the number of origins, 1 ≤ n ≤ {@link #possible}
     * @return n distinct rows in increasing order
     * @throws IllegalArgumentException when n is out of that range
     */
    static int[] rows(int testStart, int rows, int steps, int n) {
        int m = possible(testStart, rows, steps);
        if (n < 1 || n > m) {
            throw new IllegalArgumentException("between 1 and " + m + " origins fit, not " + n);
        }
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            // in long: i·(M − 1) may pass Integer.MAX_VALUE
            out[i] = testStart + (n == 1 ? 0 : (int) ((long) i * (m - 1) / (n - 1)));
        }
        return out;
    }
}
