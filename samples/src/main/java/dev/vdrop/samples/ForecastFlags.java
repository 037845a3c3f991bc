package dev.vdrop.samples;

import dev.vdrop.runtime.forecast.Scale;
import dev.vdrop.runtime.series.MissingValues;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads {@code vdrop forecast}'s flags from their text: each mistake is a {@link UserError} naming
 * the flag, what it got and what it takes, so that it ends as one line with exit code 2 rather
 * than picocli's usage screen.
 */
final class ForecastFlags {
    private ForecastFlags() {}

    /** {@return the whole number ≥ 1 that {@code text} gives {@code flag}} */
    static int positive(String flag, String text) {
        int value;
        try {
            value = Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new UserError(flag + " must be a whole number ≥ 1, got '" + text + "'");
        }
        if (value < 1) {
            throw new UserError(flag + " must be at least 1, got " + value);
        }
        return value;
    }

    /**
     * The {@code --scale} choice by name.
     *
     * @param text as typed after {@code --scale}
     * @return the scale
     * @throws UserError for anything but {@code global}, {@code window}, {@code difference} or {@code mean}, naming them
     */
    static Scale scale(String text) {
        for (Scale s : Scale.values()) {
            if (s.label().equals(text)) {
                return s;
            }
        }
        throw new UserError("unknown --scale '" + text + "'; use one of "
                + String.join(", ", Arrays.stream(Scale.values()).map(Scale::label).toList()));
    }

    /** {@return the {@code --missing} policy: error, interpolate or skip} */
    static MissingValues.Policy policy(String text) {
        for (MissingValues.Policy p : MissingValues.Policy.values()) {
            if (MissingReport.label(p).equals(text)) {
                return p;
            }
        }
        throw new UserError("unknown --missing '" + text + "'; use one of "
                + String.join(", ", Arrays.stream(MissingValues.Policy.values()).map(MissingReport::label).toList()));
    }

    /**
     * The column names a flag lists, separated by commas: none empty, none twice.
     *
     * @param example what the flag's value looks like, for the message, e.g. {@code realcons,realinv}
     */
    static List<String> columns(String flag, String text, String example) {
        List<String> names = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String name : text.split(",", -1)) {
            String trimmed = name.trim();
            if (trimmed.isEmpty()) {
                throw new UserError(flag + " needs column names separated by commas, e.g. " + flag + " " + example
                        + "; got '" + text + "'");
            }
            if (!seen.add(trimmed)) {
                throw new UserError(flag + " names column " + trimmed + " twice");
            }
            names.add(trimmed);
        }
        return names;
    }

    /** {@return the seed {@code text} gives: any whole number} */
    static long seed(String text) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new UserError("--seed must be a whole number, got '" + text + "'");
        }
    }
}
