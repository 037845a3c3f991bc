package dev.vdrop.samples;

import static dev.vdrop.samples.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vdrop forecast --missing error|interpolate|skip} end to end on 200 rows with gaps (window 7,
 * one epoch, K = 2: a few seconds a run): what is filled is counted in forecast.json and on the
 * console, what is skipped drops windows (counted by hand), and a bad value is refused under every
 * policy with the data layer's message.
 */
class ForecastMissingTest {
    @TempDir
    static Path dir;

    private static Path csv(String name, Map<Integer, String> fields) throws IOException {
        return csv(dir, name, fields);
    }

    /** 200 rows of a weekly pattern (lines 2..201), with the fields of {@code fields} (row → text) replaced, in {@code dir}. */
    static Path csv(Path dir, String name, Map<Integer, String> fields) throws IOException {
        StringBuilder csv = new StringBuilder("t,births\n");
        for (int t = 0; t < 200; t++) {
            String value = String.format(Locale.ROOT, "%.1f", 1000 + t + 150 * Math.sin(2 * Math.PI * t / 7));
            csv.append(t).append(',').append(fields.getOrDefault(t, value)).append('\n');
        }
        Path file = dir.resolve(name);
        Files.writeString(file, csv, StandardCharsets.UTF_8);
        return file;
    }

    static Cli forecast(Path csv, Path out, String... flags) {
        List<String> args = new ArrayList<>(List.of("forecast", "--csv", csv.toString(), "--column", "births", "--window",
                "7", "--epochs", "1", "--mc-samples", "2", "--out", out.toString()));
        args.addAll(List.of(flags));
        return run(args.toArray(String[]::new));
    }

    static JsonNode json(Path out) throws IOException {
        return new ObjectMapper().readTree(out.resolve("forecast.json").toFile());
    }

    static void assertRefused(Cli r, String message) {
        assertEquals(2, r.code(), r.err());
        assertEquals("vdrop: " + message + System.lineSeparator(), r.err());
    }

    /** Rows 50 and 51 lie between observed values (interpolated), row 199 after the last (extended). */
    @Test
    void interpolationIsCountedInForecastJsonAndOnTheConsole() throws IOException {
        Path csv = csv("interpolate.csv", Map.of(50, "", 51, "NA", 199, ""));
        Path out = dir.resolve("interpolate");
        Cli r = forecast(csv, out, "--missing", "interpolate");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("interpolate.csv column births: 200 values, 3 missing: 2 interpolated, 1 extended "
                + "from the nearest observed value (--missing interpolate)"), r.out());
        JsonNode json = json(out);
        assertEquals("interpolate", json.get("missing_policy").asText());
        assertEquals(3, json.get("filled").asInt());
        assertEquals(3, json.get("filled_by_column").get("births").asInt());
        assertEquals(0, json.get("train_windows_dropped").asInt(), "nothing is left missing");
        assertEquals(40, json.get("test_points").asInt());
    }

    /**
     * Window 7, lead 1, test span from 160. Row 50 is an input of training origins 50..56 and the
     * target of 49: 8 of the 153 training windows (origins 6..158) dropped. Row 180 is an input of
     * test origins 180..186: 7 of 40 dropped, and the target of 179, forecast but not scored:
     * 40 − 7 − 1 = 32 test points.
     */
    @Test
    void skipDropsTheWindowsThatReadAGap() throws IOException {
        Path csv = csv("skip.csv", Map.of(50, "", 180, "null"));
        Path out = dir.resolve("skip");
        Cli r = forecast(csv, out, "--missing", "skip");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("skip.csv column births: 200 values, 2 missing, kept as gaps (NaN) (--missing skip)"),
                r.out());
        assertTrue(r.out().contains("8 training and 7 test windows dropped for missing values"), r.out());
        JsonNode json = json(out);
        assertEquals("skip", json.get("missing_policy").asText());
        assertEquals(2, json.get("filled").asInt());
        assertEquals(8, json.get("train_windows_dropped").asInt());
        assertEquals(7, json.get("test_windows_dropped").asInt());
        assertEquals(153 - 8, json.get("train_windows").asInt() + json.get("valid_windows").asInt());
        assertEquals(32, json.get("test_points").asInt());
    }

    @Test
    void aMissingValueIsRefusedByDefaultWithEveryLine() throws IOException {
        Path csv = csv("gaps.csv", Map.of(50, "", 180, "NaN"));
        Path out = dir.resolve("error");
        assertRefused(forecast(csv, out), "gaps.csv column births: 2 missing values (lines 52 and 182); use --missing "
                + "interpolate or --missing skip");
        assertRefused(forecast(csv, out, "--missing", "error"), "gaps.csv column births: 2 missing values (lines 52 "
                + "and 182); use --missing interpolate or --missing skip");
        assertFalse(Files.exists(out.resolve("forecast.json")), "nothing written");
    }

    /** A typo is not a gap: refused under every policy, with the missing values listed too under error. */
    @Test
    void aBadValueIsRefusedUnderEveryPolicy() throws IOException {
        Path csv = csv("typo.csv", Map.of(10, "abc", 50, ""));
        Path out = dir.resolve("typo");
        String bad = "typo.csv column births: 1 value that is not a number (line 12 'abc')";
        String hint = "write plain decimal numbers such as 8486, -0.25 or 1.5e3, and mark a missing value with an empty "
                + "field or NA";
        assertRefused(forecast(csv, out), bad + " and 1 missing value (line 52); " + hint
                + ", then use --missing interpolate or --missing skip");
        for (String policy : List.of("interpolate", "skip")) {
            assertRefused(forecast(csv, out, "--missing", policy), bad + "; " + hint);
        }
        assertFalse(Files.exists(out.resolve("forecast.json")), "nothing written");
    }

    @Test
    void anUnknownPolicyIsRefused() throws IOException {
        Path csv = csv("plain.csv", Map.of());
        assertRefused(forecast(csv, dir.resolve("unknown"), "--missing", "drop"),
                "unknown --missing 'drop'; use one of error, interpolate, skip");
    }
}
