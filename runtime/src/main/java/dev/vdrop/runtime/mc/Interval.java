package dev.vdrop.runtime.mc;

/**
 * A closed interval {@code [lo, hi]}.
 *
 * @param lo lower end
 * @param hi upper end, {@code >= lo}
 */
public record Interval(double lo, double hi) {
    /**
     * Checks the ends.
     *
     * @param lo lower end
     * @param hi upper end, {@code >= lo}
     * @throws IllegalArgumentException when an end is NaN or {@code lo > hi}
     */
    public Interval {
        if (Double.isNaN(lo) || Double.isNaN(hi) || lo > hi) {
            throw new IllegalArgumentException("an interval needs lo <= hi, got [" + lo + ", " + hi + "]");
        }
    }

    /**
     * Whether a value is in the interval, ends included.
     *
     * @param x the value
     * @return whether {@code lo <= x <= hi}
     */
    public boolean contains(double x) {
        return lo <= x && x <= hi;
    }

    /** {@return {@code hi − lo}} */
    public double width() {
        return hi - lo;
    }
}
