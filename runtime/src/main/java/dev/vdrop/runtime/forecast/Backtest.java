package dev.vdrop.runtime.forecast;

/**
 * Where a rolling-origin backtest puts its forecast origins. Here an origin is named by the row of
 * its first forecast (step 1): the model sees the rows up to {@code lead} rows before it and
 * forecasts it and the {@code steps − 1} rows after it ({@link LeadTimeWindows#at} takes these rows);
 * "the rows before the origin" are what a model trained for it may read (windows whose every target
 * lies before it).
 *
 * <p>The possible origins are the test span's rows whose every step lies in the data, the rows
 * {@code testStart … rows − steps} ({@link #possible} of them, M). N ≤ M origins are spread
 * evenly over them, the first at the test span's start and, for N ≥ 2, the last at
 * {@code rows − steps}: origin {@code i = 0 … N − 1} is row {@code testStart + ⌊i·(M − 1)/(N − 1)⌋}.
 * E.g. 200 rows (test span 160 … 199), one step, N = 4: rows 160, 173, 186 and 199.
 */
public final class Backtest {
    private Backtest() {}

    /**
     * M, how many test-span rows can start a forecast whose every step lies in the data.
     *
     * @param testStart the test span's first row, from 0 to {@code rows}
     * @param rows the series' length, at least 0
     * @param steps the steps of each forecast, at least 1
     * @return {@code max(0, rows − steps + 1 − testStart)}
     * @throws IllegalArgumentException when the test span's start lies outside the series, or steps is below 1
     */
    public static int possible(int testStart, int rows, int steps) {
        if (rows < 0 || testStart < 0 || testStart > rows) {
            throw new IllegalArgumentException("the test span's start " + testStart + " must lie within the series' "
                    + rows + " rows (0 to " + rows + ")");
        }
        if (steps < 1) {
            throw new IllegalArgumentException("a forecast has at least 1 step, got " + steps);
        }
        return Math.max(0, rows - steps + 1 - testStart);
    }

    /**
     * The origins' rows, as the class description says.
     *
     * @param testStart the test span's first row, from 0 to {@code rows}
     * @param rows the series' length
     * @param steps the steps of each forecast, at least 1
     * @param n the number of origins, 1 ≤ n ≤ {@link #possible}
     * @return n distinct rows in increasing order
     * @throws IllegalArgumentException when n is out of that range, or as {@link #possible}
     */
    public static int[] rows(int testStart, int rows, int steps, int n) {
        int m = possible(testStart, rows, steps);
        if (n < 1 || n > m) {
            throw new IllegalArgumentException("between 1 and " + m + " origins fit, not " + n + ": the test span's rows "
                    + testStart + " to " + (rows - 1) + " can start " + m + " forecast" + (m == 1 ? "" : "s") + " of "
                    + steps + " step" + (steps == 1 ? "" : "s") + " within the data");
        }
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            // in long: i·(M − 1) may pass Integer.MAX_VALUE
            out[i] = testStart + (n == 1 ? 0 : (int) ((long) i * (m - 1) / (n - 1)));
        }
        return out;
    }
}
