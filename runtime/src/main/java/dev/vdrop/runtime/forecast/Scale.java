package dev.vdrop.runtime.forecast;

import java.util.Locale;

/**
 * How a window of a series is scaled before the network reads it, and so how a prediction maps
 * back to the series' units: the choice {@link FittedScale#fit} fits. The equations of each are in
 * {@link FittedScale}'s table; o is a window's origin, the index of its last input value.
 */
public enum Scale {
    /**
     * One standardisation of the whole series, {@code z = (x − m)/s} with the training span's mean
     * and population standard deviation. It cannot follow a series that leaves its training range.
     */
    GLOBAL,
    /**
     * Each window relative to its own level, its last value {@code x_o}: inputs and targets
     * {@code (x − x_o)/s}, with one scale s fitted on the training windows.
     */
    WINDOW,
    /**
     * One-step differences: inputs {@code (x_u − x_{u−1})/s}, targets {@code (x_v − x_o)/s} from the
     * window's last value; a window reads one value more than it has steps ({@link #reach(int)}).
     */
    DIFFERENCE,
    /**
     * Each window relative to its mean level ν, the mean of |x| over its inputs (as DeepAR scales):
     * inputs and targets {@code (x/ν − 1)/s}, with one scale s fitted on the training windows, so
     * the intervals grow with the level. For positive series whose spread grows with their level
     * (counts, prices, output); a window whose mean level is 0 cannot be read.
     */
    MEAN;

    /** {@return the scale's name in lower case: global, window, difference or mean} */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * How many values a window of {@code window} steps reads up to and including its origin: the
     * window itself, and one value more under {@link #DIFFERENCE}, whose first step's difference
     * reaches back one. In long: a window near {@link Integer#MAX_VALUE} must not wrap around.
     *
     * @param window the window's steps, at least 1
     * @return {@code window}, or {@code window + 1} under {@link #DIFFERENCE}
     * @throws IllegalArgumentException when the window is below 1
     */
    public long reach(int window) {
        if (window < 1) {
            throw new IllegalArgumentException("a window has at least 1 step, got " + window);
        }
        return (long) window + (this == DIFFERENCE ? 1 : 0);
    }
}
