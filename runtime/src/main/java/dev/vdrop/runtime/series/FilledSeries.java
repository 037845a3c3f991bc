package dev.vdrop.runtime.series;

import java.util.Objects;

/**
 * A numeric column after its {@link MissingValues.Policy}: the values, which rows were observed in
 * the file, and how many values the policy filled or left missing.
 *
 * <p>Every row of the file is still here, in order: no policy drops a row, which would break the
 * spacing of the series. Under {@link MissingValues.Policy#INTERPOLATE} every value is finite and
 * {@code filled() = interpolated() + extended()} equals the number of unobserved rows; under
 * {@link MissingValues.Policy#SKIP} the unobserved rows hold {@link Double#NaN} and
 * {@code leftMissing()} counts them; under {@link MissingValues.Policy#ERROR} every row was observed.
 */
public final class FilledSeries {
    private final String source;
    private final String name;
    private final MissingValues.Policy policy;
    private final double[] values;
    private final boolean[] observed;
    private final int interpolated;
    private final int extended;

    FilledSeries(String source, String name, MissingValues.Policy policy, double[] values, boolean[] observed,
            int interpolated, int extended) {
        this.source = Objects.requireNonNull(source, "source");
        this.name = Objects.requireNonNull(name, "name");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.values = values.clone();
        this.observed = observed.clone();
        this.interpolated = interpolated;
        this.extended = extended;
    }

    /** {@return the name of the text the column was read from, e.g. {@code births.csv}} */
    public String source() {
        return source;
    }

    /** {@return the column's name} */
    public String name() {
        return name;
    }

    /** {@return the policy that was applied} */
    public MissingValues.Policy policy() {
        return policy;
    }

    /** {@return the number of rows} */
    public int size() {
        return values.length;
    }

    /** {@return a copy of the values, one per row; {@link Double#NaN} where a value was left missing} */
    public double[] values() {
        return values.clone();
    }

    /** {@return a copy of the flags, one per row: {@code true} where the file had a number} */
    public boolean[] observed() {
        return observed.clone();
    }

    /** {@return the rows, from 0, whose value was missing in the file (filled or not), in order} */
    public int[] unobservedRows() {
        int[] rows = new int[values.length - observedCount()];
        int next = 0;
        for (int r = 0; r < observed.length; r++) {
            if (!observed[r]) {
                rows[next++] = r;
            }
        }
        return rows;
    }

    /** {@return how many missing values lay between two observed ones and were interpolated} */
    public int interpolated() {
        return interpolated;
    }

    /** {@return how many missing values lay before the first or after the last observed one and took its value} */
    public int extended() {
        return extended;
    }

    /** {@return how many values the policy filled in: {@code interpolated() + extended()}} */
    public int filled() {
        return interpolated + extended;
    }

    /** {@return how many values are still missing ({@link Double#NaN}): the unobserved rows under SKIP, else 0} */
    public int leftMissing() {
        return values.length - observedCount() - filled();
    }

    /**
     * Says in one line what the policy did, e.g. {@code births.csv column births: 7305 values, 59
     * missing: 57 interpolated, 2 extended from the nearest observed value}, {@code …: 7305 values, 59
     * missing, kept as gaps (NaN)} (SKIP) or {@code …: 7305 values, none missing}.
     *
     * @return the summary
     */
    public String summary() {
        String head = source + " column " + name + ": " + Listing.count(values.length, "value", "values");
        int missing = values.length - observedCount();
        if (missing == 0) {
            return head + ", none missing";
        }
        if (leftMissing() > 0) {
            return head + ", " + missing + " missing, kept as gaps (NaN)";
        }
        return head + ", " + missing + " missing: " + interpolated + " interpolated, " + extended
                + " extended from the nearest observed value";
    }

    private int observedCount() {
        int count = 0;
        for (boolean o : observed) {
            if (o) {
                count++;
            }
        }
        return count;
    }

    @Override
    public String toString() {
        return "FilledSeries[" + summary() + ", policy " + policy + "]";
    }
}
