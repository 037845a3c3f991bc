package dev.vdrop.runtime.series;

import java.util.Objects;

/**
 * What to do with the missing values of a {@link NumericColumn}: refuse them, fill them, or keep them
 * as gaps, as the user chooses with a {@link Policy}.
 *
 * <p>Call order: {@code MissingValues.fill(csv.numbers("births"), Policy.INTERPOLATE)} gives a
 * {@link FilledSeries} whose values go on to the {@link Normalizer} and {@link Windows} (under
 * {@link Policy#SKIP} with {@link Double#NaN} left in, for the caller to drop the windows that touch
 * one).
 *
 * <p>Under every policy, {@link #fill} refuses:
 * <ul>
 *   <li>bad fields, since a typo is not a gap: {@code births.csv column births: 2 values that are not
 *       numbers (line 3 'abc' and line 7 '1;5'); write plain decimal numbers such as 8486, -0.25 or
 *       1.5e3, and mark a missing value with an empty field or NA} (under {@link Policy#ERROR} the
 *       missing values are listed too, as {@link NumericColumn#describe()} does);
 *   <li>a column without a single observed value: {@code births.csv column births: all 3 values are
 *       missing (lines 2, 3 and 4); no policy can fill a column without one observed value} (of one
 *       row: {@code its only value is missing (line 2)}).
 * </ul>
 */
public final class MissingValues {
    private MissingValues() {}

    /** The choices for missing values; the command line's {@code --missing error|interpolate|skip}. */
    public enum Policy {
        /**
         * Refuse a column with any missing value, naming them: {@code births.csv column births: 59
         * missing values (lines 12, 40, 41, 97, 130 and 54 more); use --missing interpolate or
         * --missing skip}. The default.
         */
        ERROR,
        /**
         * Fill every missing value. A gap between observed rows {@code a < i < b} is filled on the
         * straight line through {@code (a, x_a)} and {@code (b, x_b)}:
         * {@code x_i = x_a + (x_b − x_a)·(i − a)/(b − a)}, by row number (the rows are taken as equally
         * spaced; dates are not consulted). Rows before the first observed value take that value, rows
         * after the last observed value take that one (extended, not extrapolated: a trend is not run
         * past the data).
         */
        INTERPOLATE,
        /**
         * Keep missing values as {@link Double#NaN}; the rows stay, so the spacing of the series does
         * not change, and it is for the caller to skip whatever touches a gap (a forecaster's windows).
         */
        SKIP
    }

    /**
     * Applies a policy to a column.
     *
     * @param column a column read with {@link Csv#numbers(String)}
     * @param policy what to do with its missing values
     * @return the values, filled or not as the policy says, with counts of what was done
     * @throws IllegalArgumentException when the column has a bad field, has no observed value, or,
     *     under {@link Policy#ERROR}, has a missing value; the messages are those of the class
     *     description
     */
    public static FilledSeries fill(NumericColumn column, Policy policy) {
        Objects.requireNonNull(column, "column");
        Objects.requireNonNull(policy, "policy");
        if (!column.bad().isEmpty()) {
            throw new IllegalArgumentException(policy == Policy.ERROR ? column.describe() : column.describeBad());
        }
        int rows = column.size();
        if (column.missing().size() == rows) {
            String all = rows == 1 ? "its only value is" : "all " + rows + " values are";
            throw new IllegalArgumentException(column.prefix() + all + " missing (" + Listing.lines(column.missing().stream().map(NumericColumn.Field::line).toList())
                    + "); no policy can fill a column without one observed value");
        }
        if (policy == Policy.ERROR && !column.missing().isEmpty()) {
            throw new IllegalArgumentException(column.describe());
        }
        double[] values = column.values();
        boolean[] observed = new boolean[rows];
        for (int r = 0; r < rows; r++) {
            observed[r] = !Double.isNaN(values[r]);
        }
        int interpolated = 0;
        int extended = 0;
        if (policy == Policy.INTERPOLATE) {
            interpolated = interpolateInterior(values, observed);
            extended = extendEnds(values, observed);
        }
        return new FilledSeries(column.source(), column.name(), policy, values, observed, interpolated, extended);
    }

    /**
     * Fills each gap between two observed values on the straight line through them (see
     * {@link Policy#INTERPOLATE}), in place.
     *
     * @return how many values were filled
     */
    static int interpolateInterior(double[] values, boolean[] observed) {
        int filled = 0;
        int previous = -1;
        for (int b = 0; b < values.length; b++) {
            if (!observed[b]) {
                continue;
            }
            if (previous >= 0 && b - previous > 1) {
                for (int i = previous + 1; i < b; i++) {
                    values[i] = onLine(values[previous], values[b], i - previous, b - previous);
                }
                filled += b - previous - 1;
            }
            previous = b;
        }
        return filled;
    }

    /**
     * {@return {@code xa + (xb − xa)·k/n}, the value k steps of n from xa towards xb}; when the
     * difference overflows (values near ±{@link Double#MAX_VALUE}), the same point as the weighted mean
     * {@code xa·(n − k)/n + xb·k/n}, whose terms cannot overflow.
     */
    static double onLine(double xa, double xb, int k, int n) {
        double x = xa + (xb - xa) * k / n;
        if (Double.isFinite(x)) {
            return x;
        }
        return xa * ((double) (n - k) / n) + xb * ((double) k / n);
    }

    /**
     * Gives the rows before the first observed value that value, and the rows after the last observed
     * value that one, in place.
     *
     * @return how many values were filled
     */
    static int extendEnds(double[] values, boolean[] observed) {
        int first = 0;
        while (!observed[first]) {
            first++;
        }
        int last = values.length - 1;
        while (!observed[last]) {
            last--;
        }
        for (int i = 0; i < first; i++) {
            values[i] = values[first];
        }
        for (int i = last + 1; i < values.length; i++) {
            values[i] = values[last];
        }
        return first + values.length - 1 - last;
    }
}
