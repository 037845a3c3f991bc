package dev.vdrop.runtime.forecast;

import java.util.Objects;
import java.util.function.IntFunction;

/**
 * The observed (not NaN) values of a series with gaps, in row order, and how many of them lie
 * before the test span: what a {@link dev.vdrop.runtime.series.Normalizer} fitted on the training
 * span's observed values needs, e.g. for a further input column:
 * <pre>{@code
 * ObservedValues seen = ObservedValues.of(column, testStart);
 * double[] values = seen.values();
 * Normalizer n = Normalizer.fit(values, 0, seen.train());   // the training span's observed values
 * double[] z = n.normalize(values);                            // z[i] belongs to row seen.rows()[i]
 * }</pre>
 */
public final class ObservedValues {
    private final int[] rows;
    private final double[] values;
    private final int train;

    private ObservedValues(int[] rows, double[] values, int train) {
        this.rows = rows;
        this.values = values;
        this.train = train;
    }

    /**
     * Gathers the observed values of {@code x}.
     *
     * @param x the series, NaN where a value is missing
     * @param testStart the first row of the test span, from 0 to {@code x.length}
     * @return the observed values, their rows, and how many lie before {@code testStart}
     * @throws IllegalArgumentException when {@code testStart} lies outside the series
     */
    public static ObservedValues of(double[] x, int testStart) {
        Objects.requireNonNull(x, "x");
        if (testStart < 0 || testStart > x.length) {
            throw new IllegalArgumentException("the test span's start " + testStart + " must lie within the series' "
                    + x.length + " rows (0 to " + x.length + ")");
        }
        int[] rows = observed(x, 0, x.length);
        double[] values = new double[rows.length];
        int train = 0;
        for (int i = 0; i < rows.length; i++) {
            values[i] = x[rows[i]];
            if (rows[i] < testStart) {
                train++;
            }
        }
        return new ObservedValues(rows, values, train);
    }

    /** {@return a copy of the rows of the observed values, increasing} */
    public int[] rows() {
        return rows.clone();
    }

    /** {@return a copy of the observed values, in row order} */
    public double[] values() {
        return values.clone();
    }

    /** {@return how many of the observed values lie before the test span: the first {@code train()}} */
    public int train() {
        return train;
    }

    /**
     * What to call observed value {@code i} in a message: as {@code where} calls its row.
     *
     * @param where what to call row {@code r}'s value, e.g. {@code "births.csv line 12, column births"}
     * @return what to call the i-th observed value
     */
    public IntFunction<String> naming(IntFunction<String> where) {
        Objects.requireNonNull(where, "where");
        return i -> where.apply(rows[i]);
    }

    /** {@return the indices in [from, to) whose value is not NaN, in order} */
    static int[] observed(double[] x, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            if (!Double.isNaN(x[i])) {
                n++;
            }
        }
        int[] out = new int[n];
        n = 0;
        for (int i = from; i < to; i++) {
            if (!Double.isNaN(x[i])) {
                out[n++] = i;
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return "ObservedValues[" + values.length + " observed, " + train + " before the test span]";
    }
}
