package dev.vdrop.samples;

import static dev.vdrop.samples.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Values and flags beyond what the forecaster's arithmetic holds are bad input, refused with one
 * line and exit 2 before any work; scores that come out not finite fail the run (exit 1).
 */
class ForecastLimitsTest {
    @TempDir
    static Path dir;
    private static String header;
    private static StringBuilder rows;

    /** 200 days of a weekly pattern, one value per line from line 2 (the header is line 1). */
    @BeforeAll
    static void series() {
        header = "day,births\n";
        rows = new StringBuilder();
        for (int t = 0; t < 200; t++) {
            rows.append(t).append(',').append(String.format(Locale.ROOT, "%.1f", 1000 + 150 * Math.sin(2 * Math.PI * t / 7)))
                    .append('\n');
        }
    }

    /** The series with the value of day {@code day} (line {@code day + 2}) replaced. */
    private static Path withValue(String name, int day, String value) throws IOException {
        String[] lines = rows.toString().split("\n");
        lines[day] = day + "," + value;
        Path file = dir.resolve(name);
        Files.writeString(file, header + String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        return file;
    }

    private static void assertRefused(Cli r, String message, Path out) {
        assertEquals(2, r.code(), r.err());
        assertEquals("vdrop: " + message + System.lineSeparator(), r.err());
        assertFalse(Files.exists(out.resolve("forecast.json")), "nothing written");
        assertFalse(Files.exists(out.resolve("forecast.png")), "nothing written");
    }

    @Test
    void aHugeValueInTheTrainingSpanIsNamedByItsLine() throws IOException {
        Path csv = withValue("huge-train.csv", 50, "1e308");
        Path out = dir.resolve("huge-train");
        assertRefused(run("forecast", "--csv", csv.toString(), "--column", "births", "--epochs", "1", "--out", out.toString()),
                "huge-train.csv line 52, column births: 1.0E308 is too large for the model's arithmetic: standardising "
                        + "squares the deviations from the mean and sums them in double, which holds values within ±1.0E149 only",
                out);
    }

    /** In the test span the value does not enter the fit, but it is an input of the network's windows. */
    @Test
    void aHugeValueInTheTestSpanIsNamedByItsLine() throws IOException {
        Path csv = withValue("huge-test.csv", 190, "1e308");
        Path out = dir.resolve("huge-test");
        Cli r = run("forecast", "--csv", csv.toString(), "--column", "births", "--epochs", "1", "--out", out.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().startsWith("vdrop: huge-test.csv line 192, column births: 1.0E308 is too large"), r.err());
    }

    /** 1e100 is within the double bound but standardises (std ≈ 106) far beyond float32's ±3.4e38. */
    @Test
    void aValueThatStandardisesBeyondFloat32IsNamedByItsLine() throws IOException {
        Path csv = withValue("float.csv", 195, "1e100");
        Path out = dir.resolve("float");
        Cli r = run("forecast", "--csv", csv.toString(), "--column", "births", "--epochs", "1", "--out", out.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().startsWith("vdrop: float.csv line 197, column births: 1.0E100 standardises to "), r.err());
        assertTrue(r.err().contains("beyond float32's range (±3.4028235E38) in which the network computes"), r.err());
        assertEquals(1, r.err().lines().count());
    }

    /**
     * The windows' memory against the heap: the births' 5,830 training windows and 1,461 test values
     * with window 14 and K = 100 need 6.1 MB (7,291 · 14 · 40 bytes + 1,461 · 100 · 16 bytes);
     * window 5,000 needs 1.4 GB.
     */
    @Test
    void windowsThatDoNotFitHalfTheHeapAreRefused() {
        ForecastCommand.checkMemory("births.csv", 14, 3, 1, 5_830, 1_461, 100, 64L << 20);
        UserError e = assertThrows(UserError.class,
                () -> ForecastCommand.checkMemory("births.csv", 5_000, 3, 1, 5_830, 1_461, 100, 2L << 30));
        assertEquals("births.csv: 7,291 windows of 5000 steps, and 100 MC samples of each of 1,461 test values, need about "
                + "1,393 MB, more than half of the Java heap's 2,048 MB; use a smaller --window or --mc-samples, or give "
                + "the JVM more with VDROP_JAVA_OPTS, e.g. VDROP_JAVA_OPTS=-Xmx5g", e.getMessage());
    }

    /** A span's message (not a value's) still names the column and the file. */
    @Test
    void aConstantTrainingSpanNamesTheColumn() throws IOException {
        Path csv = dir.resolve("constant.csv");
        Files.writeString(csv, "births\n" + "5\n".repeat(200), StandardCharsets.UTF_8);
        Path out = dir.resolve("constant");
        assertRefused(run("forecast", "--csv", csv.toString(), "--column", "births", "--out", out.toString()),
                "column births of constant.csv: the training span [0, 160) is constant (every value is 5.0), so its "
                        + "standard deviation is 0 and it cannot be standardised", out);
    }

    @Test
    void windowAndHorizonNearTheLargestIntAreCheckedWithoutWrappingAround() throws IOException {
        Path csv = withValue("plain.csv", 0, "1000");
        Path out = dir.resolve("big-flags");
        String max = Integer.toString(Integer.MAX_VALUE);
        Cli both = run("forecast", "--csv", csv.toString(), "--column", "births", "--window", max, "--horizon", max,
                "--out", out.toString());
        assertRefused(both, "plain.csv has 200 values in column births: its training span (the first 80%, 160 values) is "
                + "too short for --window 2147483647 and --horizon 2147483647, which need at least 4294967313 values "
                + "(20 training windows); use a smaller --window or a longer series", out);
        Cli horizon = run("forecast", "--csv", csv.toString(), "--column", "births", "--horizon", max, "--out",
                out.toString());
        assertEquals(2, horizon.code(), horizon.err());
        assertTrue(horizon.err().contains("which need at least 2147483680 values"), horizon.err());
        Cli season = run("forecast", "--csv", csv.toString(), "--column", "births", "--season", max, "--out", out.toString());
        assertEquals(2, season.code(), season.err());
        assertTrue(season.err().contains("the seasonal-naive baseline needs a training span of at least 2147483647 values"),
                season.err());
    }
}
