package dev.vdrop.samples;

import java.util.Arrays;
import java.util.Locale;

/**
 * How {@code vdrop forecast} scales a window before the network reads it ({@code --scale}), and so
 * how a prediction maps back ({@link Scaling}).
 */
enum Scale {
    /**
     * One standardisation of the whole series, {@code z = (x − m)/s} with the training span's mean
     * and standard deviation: the default, and what the command did before {@code --scale}. It
     * cannot follow a series that leaves its training range.
     */
    GLOBAL,
    /**
     * Each window relative to its own level ℓ, its last value: inputs and targets
     * {@code (x − ℓ)/s}, with one scale s fitted on the training windows.
     */
    WINDOW,
    /**
     * One-step differences: inputs {@code (x_u − x_{u−1})/s_Δ}, targets {@code (x_{t+j} − x_t)/s_Δ}
     * from the window's last value {@code x_t}.
     */
    DIFFERENCE,
    /**
     * Each window relative to its mean level ν, the mean of |x| over its inputs (as DeepAR scales):
     * inputs and targets {@code (x/ν − 1)/s}, with one scale s fitted on the training windows, so
     * the intervals grow with the level. For positive series whose spread grows with their level
     * (counts, prices, output); a window whose mean level is 0 cannot be read.
     */
    MEAN;

    /** {@return the scale as written on the command line and in forecast.json: global, window, difference or mean} */
    String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The {@code --scale} choice by name.
     *
     * @param text as typed after {@code --scale}
     * @return the scale
     * @throws UserError for anything but {@code global}, {@code window}, {@code difference} or {@code mean}, naming them
     */
    static Scale parse(String text) {
        for (Scale s : values()) {
            if (s.label().equals(text)) {
                return s;
            }
        }
        throw new UserError("unknown --scale '" + text + "'; use one of "
                + String.join(", ", Arrays.stream(values()).map(Scale::label).toList()));
    }
}
