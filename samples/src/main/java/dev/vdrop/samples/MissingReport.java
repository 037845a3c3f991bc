package dev.vdrop.samples;

import dev.vdrop.runtime.series.FilledSeries;
import dev.vdrop.runtime.series.MissingValues;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code --missing} did to the columns a forecast read: under {@code interpolate}, how many
 * values it filled (interpolated and extended); under {@code skip}, how many it left as gaps
 * (NaN, whose windows are dropped); under {@code error}, none (a missing value was refused).
 *
 * @param policy the policy applied to every column read
 * @param byColumn per column read, the forecast column first and then the {@code --inputs}: the
 *     values filled or left as gaps
 * @param summaries one line per column that had a missing value ({@link FilledSeries#summary()})
 */
record MissingReport(MissingValues.Policy policy, Map<String, Integer> byColumn, List<String> summaries) {
    MissingReport {
        byColumn = Collections.unmodifiableMap(new LinkedHashMap<>(byColumn));
        summaries = List.copyOf(summaries);
    }

    /** {@return the report of columns with nothing missing, read under {@code error}} */
    static MissingReport none() {
        return new MissingReport(MissingValues.Policy.ERROR, Map.of(), List.of());
    }

    /** {@return the report of {@code columns}, filled under {@code policy}} */
    static MissingReport of(MissingValues.Policy policy, List<FilledSeries> columns) {
        Map<String, Integer> byColumn = new LinkedHashMap<>();
        List<String> summaries = new ArrayList<>();
        for (FilledSeries c : columns) {
            int n = c.filled() + c.leftMissing();
            byColumn.put(c.name(), n);
            if (n > 0) {
                summaries.add(c.summary());
            }
        }
        return new MissingReport(policy, byColumn, summaries);
    }

    /** {@return the values filled or left as gaps in every column read: forecast.json's {@code filled}} */
    int count() {
        return byColumn.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** {@return the policy as {@code --missing} spells it: error, interpolate or skip} */
    String label() {
        return label(policy);
    }

    static String label(MissingValues.Policy policy) {
        return policy.name().toLowerCase(Locale.ROOT);
    }
}
