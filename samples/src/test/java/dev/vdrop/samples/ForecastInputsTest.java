package dev.vdrop.samples;

import static dev.vdrop.samples.Cli.run;
import static dev.vdrop.samples.ForecastMissingTest.assertRefused;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vdrop.runtime.series.Csv;
import dev.vdrop.runtime.series.MissingValues;
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
 * {@code --inputs}: further columns read at every step of a window, standardised on the training
 * span, their gaps following {@code --missing}. Short runs (one epoch, K = 2).
 */
class ForecastInputsTest {
    private static final double EPS = 1e-12;

    @TempDir
    static Path dir;

    /** 200 rows: the forecast column y, an input x that leads it, a constant c; x's fields replaced as {@code x} says. */
    private static Path csv(String name, Map<Integer, String> x) throws IOException {
        StringBuilder csv = new StringBuilder("t,x,c,y\n");
        for (int t = 0; t < 200; t++) {
            String input = String.format(Locale.ROOT, "%.3f", Math.sin(2 * Math.PI * (t + 1) / 7));
            csv.append(t).append(',').append(x.getOrDefault(t, input)).append(",5,")
                    .append(String.format(Locale.ROOT, "%.2f", 100 + 20 * Math.sin(2 * Math.PI * t / 7))).append('\n');
        }
        Path file = dir.resolve(name);
        Files.writeString(file, csv, StandardCharsets.UTF_8);
        return file;
    }

    private static Cli forecast(Path csv, Path out, String... flags) {
        List<String> args = new ArrayList<>(List.of("forecast", "--csv", csv.toString(), "--column", "y", "--window", "7",
                "--epochs", "1", "--mc-samples", "2", "--out", out.toString()));
        args.addAll(List.of(flags));
        return run(args.toArray(String[]::new));
    }

    /** Values 1 … 5 and a gap, training span the first 4: mean 2.5, population std √1.25; the gap stays a gap. */
    @Test
    void anInputIsStandardisedWithItsTrainingSpansMeanAndStd() {
        Csv table = Csv.parse("x\n1\n2\n3\n4\n5\nNA\n", "five.csv");
        double[] z = ForecastData.standardised(MissingValues.fill(table.numbers("x"), MissingValues.Policy.SKIP), 4,
                row -> table.where(row, "x"));
        double s = Math.sqrt(1.25);
        assertArrayEquals(new double[] {-1.5 / s, -0.5 / s, 0.5 / s, 1.5 / s, 2.5 / s, Double.NaN}, z, EPS);
    }

    /**
     * Window 7, test span from 160: x missing at row 50 is read by the windows of origins 50..56 (a
     * row feature is an input only, never a target): 7 training windows dropped; at row 170, test
     * origins 170..176: 7 of 40 dropped, 33 test points.
     */
    @Test
    void aGapInAnInputDropsTheWindowsThatReadItUnderSkip() throws IOException {
        Path csv = csv("x-gaps.csv", Map.of(50, "", 170, "NA"));
        Path out = dir.resolve("skip");
        Cli r = forecast(csv, out, "--inputs", "x", "--missing", "skip");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("x-gaps.csv column x: 200 values, 2 missing, kept as gaps (NaN) (--missing skip)"), r.out());
        JsonNode json = new ObjectMapper().readTree(out.resolve("forecast.json").toFile());
        assertEquals("[\"value\",\"season_sin\",\"season_cos\",\"x\"]", json.get("inputs").toString());
        assertEquals(7, json.get("train_windows_dropped").asInt());
        assertEquals(7, json.get("test_windows_dropped").asInt());
        assertEquals(33, json.get("test_points").asInt());
        assertEquals(2, json.get("filled").asInt());
        assertEquals("{\"y\":0,\"x\":2}", json.get("filled_by_column").toString());
    }

    @Test
    void aGapInAnInputIsFilledUnderInterpolate() throws IOException {
        Path csv = csv("x-filled.csv", Map.of(50, "", 170, "NA"));
        Path out = dir.resolve("interpolate");
        Cli r = forecast(csv, out, "--inputs", "x", "--missing", "interpolate");
        assertEquals(0, r.code(), r.err());
        JsonNode json = new ObjectMapper().readTree(out.resolve("forecast.json").toFile());
        assertEquals(0, json.get("train_windows_dropped").asInt());
        assertEquals(40, json.get("test_points").asInt());
        assertEquals("{\"y\":0,\"x\":2}", json.get("filled_by_column").toString());
    }

    @Test
    void badInputsAreRefusedWithOneLine() throws IOException {
        Path csv = csv("plain.csv", Map.of());
        Path out = dir.resolve("bad");
        assertRefused(forecast(csv, out, "--inputs", "y"),
                "--inputs names y, the column forecast: its past values are the model's inputs already");
        assertRefused(forecast(csv, out, "--inputs", "x,x"), "--inputs names column x twice");
        assertRefused(forecast(csv, out, "--inputs", "z"), "plain.csv has no column 'z'; its columns are t, x, c, y");
        assertRefused(forecast(csv, out, "--inputs", "c"), "plain.csv column c (--inputs): the training span [0, 160) "
                + "is constant (every value is 5.0), so its standard deviation is 0 and it cannot be standardised; leave "
                + "it out of --inputs");
        assertRefused(forecast(csv("x-gap.csv", Map.of(3, "")), out, "--inputs", "x"),
                "x-gap.csv column x: 1 missing value (line 5); use --missing interpolate or --missing skip");
        assertRefused(forecast(csv("x-typo.csv", Map.of(3, "abc")), out, "--inputs", "x", "--missing", "skip"),
                "x-typo.csv column x: 1 value that is not a number (line 5 'abc'); write plain decimal numbers such as "
                        + "8486, -0.25 or 1.5e3, and mark a missing value with an empty field or NA");
        assertFalse(Files.exists(out.resolve("forecast.json")), "nothing written");
    }

    @Test
    void anInputWithoutATrainingValueIsRefused() throws IOException {
        StringBuilder text = new StringBuilder("x,y\n");
        for (int t = 0; t < 10; t++) {
            text.append(t < 8 ? "" : "1").append(',').append(t).append('\n');
        }
        Csv table = Csv.parse(text.toString(), "late.csv");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ForecastData.standardised(
                MissingValues.fill(table.numbers("x"), MissingValues.Policy.SKIP), 8, row -> table.where(row, "x")));
        assertEquals("late.csv column x (--inputs): no value of the training span (the first 80%, rows before 8) is "
                + "observed, so it cannot be standardised; leave it out of --inputs", e.getMessage());
    }
}
