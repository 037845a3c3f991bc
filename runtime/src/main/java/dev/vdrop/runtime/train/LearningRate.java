package dev.vdrop.runtime.train;

/**
 * A learning rate per epoch (epochs count from 1).
 */
@FunctionalInterface
public interface LearningRate {
    /**
     * The rate of one epoch.
     *
     * @param epoch the epoch, from 1
     * @return its learning rate
     */
    double at(int epoch);

    /**
     * The same rate every epoch.
     *
     * @param rate the rate
     * @return the schedule
     */
    static LearningRate constant(double rate) {
        return epoch -> rate;
    }

    /**
     * Zaremba's and Gal's schedule: {@code initial} until epoch {@code decayFrom}, then divided by
     * {@code factor} after every further epoch: epoch e uses initial · factor^−max(0, e − decayFrom).
     * The comparison protocol uses {@code stepDecay(1.0, 1.2, 7)}.
     *
     * @param initial the rate of the first epochs, &gt; 0
     * @param factor the divisor per epoch, ≥ 1
     * @param decayFrom the last epoch at the initial rate, ≥ 0
     * @return the schedule
     * @throws IllegalArgumentException when a value is out of range
     */
    static LearningRate stepDecay(double initial, double factor, int decayFrom) {
        if (!(initial > 0) || !(factor >= 1) || decayFrom < 0) {
            throw new IllegalArgumentException("a step decay needs initial > 0, factor ≥ 1 and decayFrom ≥ 0, got "
                    + initial + ", " + factor + ", " + decayFrom);
        }
        return epoch -> initial * Math.pow(factor, -Math.max(0, epoch - decayFrom));
    }
}
