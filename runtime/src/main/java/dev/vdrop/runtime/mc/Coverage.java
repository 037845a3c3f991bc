package dev.vdrop.runtime.mc;

import java.util.List;
import java.util.Objects;

/**
 * How many truths fell inside their predicted intervals. For intervals at nominal level {@code q},
 * the count inside out of n independent trials is Binomial(n, q) when the intervals are honest, so the
 * observed fraction should lie within a few {@code sqrt(q(1 − q)/n)} of q;
 * {@link #fiveSigmaBand(int, double)} gives the five-sigma band used by the tests and reports.
 */
public final class Coverage {
    /** The width of {@link #fiveSigmaBand(int, double)} on each side, in binomial standard deviations. */
    public static final double SIGMAS = 5;

    private final int inside;
    private final int trials;

    private Coverage(int inside, int trials) {
        this.inside = inside;
        this.trials = trials;
    }

    /**
     * Counts the truths inside their intervals (ends included).
     *
     * @param truths the observed values, one per interval
     * @param intervals the intervals, in the truths' order
     * @return the coverage
     * @throws IllegalArgumentException when there is no trial, the lengths differ or a truth is NaN
     */
    public static Coverage of(double[] truths, List<Interval> intervals) {
        Objects.requireNonNull(truths, "truths");
        Objects.requireNonNull(intervals, "intervals");
        if (truths.length != intervals.size()) {
            throw new IllegalArgumentException("got " + truths.length + " truths but " + intervals.size()
                    + " intervals; give one interval per truth");
        }
        int inside = 0;
        for (int i = 0; i < truths.length; i++) {
            if (Double.isNaN(truths[i])) {
                throw new IllegalArgumentException("truth " + i + " is NaN");
            }
            if (intervals.get(i).contains(truths[i])) {
                inside++;
            }
        }
        return of(inside, truths.length);
    }

    /**
     * A coverage from counts kept elsewhere.
     *
     * @param inside the number of truths inside their intervals
     * @param trials the number of truths
     * @return the coverage
     * @throws IllegalArgumentException unless {@code 0 <= inside <= trials} and {@code trials >= 1}
     */
    public static Coverage of(int inside, int trials) {
        if (trials < 1 || inside < 0 || inside > trials) {
            throw new IllegalArgumentException("coverage needs at least one trial and 0 <= inside <= trials, got " + inside
                    + " inside out of " + trials);
        }
        return new Coverage(inside, trials);
    }

    /** {@return the number of truths inside their intervals} */
    public int inside() {
        return inside;
    }

    /** {@return the number of truths} */
    public int trials() {
        return trials;
    }

    /** {@return {@code inside / trials}} */
    public double fraction() {
        return (double) inside / trials;
    }

    /**
     * Whether the coverage is what honest intervals would give.
     *
     * @param nominal the intervals' level, e.g. 0.95
     * @return whether {@link #fraction()} lies in {@link #fiveSigmaBand(int, double)} for these trials
     */
    public boolean consistentWith(double nominal) {
        return fiveSigmaBand(trials, nominal).contains(fraction());
    }

    /**
     * {@code nominal ± 5·sqrt(nominal(1 − nominal)/trials)}, clipped to [0, 1]: where the coverage of
     * honest intervals at level {@code nominal} falls, except about once in 1.7 million (normal approximation).
     *
     * @param trials the number of truths, ≥ 1
     * @param nominal the intervals' level, in (0, 1)
     * @return the band
     * @throws IllegalArgumentException unless {@code trials >= 1} and {@code 0 < nominal < 1}
     */
    public static Interval fiveSigmaBand(int trials, double nominal) {
        if (trials < 1) {
            throw new IllegalArgumentException("a binomial band needs at least one trial, got " + trials);
        }
        if (!(nominal > 0 && nominal < 1)) {
            throw new IllegalArgumentException("the nominal level must be strictly between 0 and 1, got " + nominal);
        }
        double half = SIGMAS * Math.sqrt(nominal * (1 - nominal) / trials);
        return new Interval(Math.max(0, nominal - half), Math.min(1, nominal + half));
    }

    @Override
    public String toString() {
        return "Coverage[" + inside + "/" + trials + " = " + fraction() + "]";
    }
}
