package dev.vdrop.samples;

import static dev.vdrop.samples.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vdrop forecast} end to end on a small CSV (200 rows, 2 epochs, 5 MC samples: seconds),
 * and every kind of bad input ending with one line on standard error and exit code 2.
 */
class ForecastCommandTest {
    @TempDir
    static Path dir;

    private static Path data;

    /** 200 days of a weekly pattern with a trend and deterministic wiggle, plus a text column. */
    @BeforeAll
    static void writeCsv() throws Exception {
        StringBuilder csv = new StringBuilder("day,label,births\n");
        for (int t = 0; t < 200; t++) {
            double value = 1000 + 2 * t + 150 * Math.sin(2 * Math.PI * t / 7) + 30 * Math.sin(0.37 * t * t);
            csv.append(t).append(",d").append(t).append(',').append(String.format(Locale.ROOT, "%.1f", value)).append('\n');
        }
        data = dir.resolve("small.csv");
        Files.writeString(data, csv, StandardCharsets.UTF_8);
    }

    @Test
    void writesTheScoresAndThePlot() throws Exception {
        Path out = dir.resolve("fc");
        Cli r = run("forecast", "--csv", data.toString(), "--column", "births", "--window", "14", "--epochs", "2",
                "--mc-samples", "5", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("coverage") || r.out().contains("covers"), r.out());

        JsonNode json = new ObjectMapper().readTree(out.resolve("forecast.json").toFile());
        for (String key : List.of("rmse", "mae", "smape", "seasonal_naive_rmse", "coverage_80", "coverage_95",
                "train_seconds", "epochs", "window", "horizon", "mc_samples", "seed")) {
            assertTrue(json.has(key) && json.get(key).isNumber(), key + " in " + json);
        }
        assertEquals(40, json.get("test_points").asInt(), "the last 20% of 200 rows, each predicted once");
        assertEquals(160, json.get("test_start").asInt());
        assertEquals(14, json.get("window").asInt());
        assertEquals(5, json.get("mc_samples").asInt());
        double c80 = json.get("coverage_80").asDouble();
        double c95 = json.get("coverage_95").asDouble();
        assertTrue(0 <= c80 && c80 <= c95 && c95 <= 1, c80 + " ≤ " + c95);
        assertTrue(json.get("rmse").asDouble() > 0 && json.get("seasonal_naive_rmse").asDouble() > 0);

        BufferedImage png = ImageIO.read(out.resolve("forecast.png").toFile());
        assertNotNull(png, "forecast.png decodes");
        assertEquals(1200, png.getWidth());
        assertEquals(500, png.getHeight());

        List<String> rows = Files.readAllLines(out.resolve("forecast.csv"));
        assertEquals(41, rows.size());
        assertTrue(rows.get(1).startsWith("160,"), rows.get(1));
        assertEquals(2, Files.readAllLines(out.resolve("train.jsonl")).size(), "one metrics line per epoch");
    }

    @Test
    void theSameSeedGivesTheSameScores() throws Exception {
        String[] args = {"forecast", "--csv", data.toString(), "--column", "births", "--window", "7", "--horizon", "3",
                "--epochs", "1", "--mc-samples", "3", "--seed", "5", "--out", ""};
        JsonNode[] runs = new JsonNode[2];
        for (int i = 0; i < 2; i++) {
            Path out = dir.resolve("seed" + i);
            args[args.length - 1] = out.toString();
            assertEquals(0, run(args).code());
            runs[i] = new ObjectMapper().readTree(out.resolve("forecast.json").toFile());
        }
        for (String key : List.of("rmse", "coverage_95", "seasonal_naive_rmse")) {
            assertEquals(runs[0].get(key).asDouble(), runs[1].get(key).asDouble(), 0.0, key);
        }
        assertEquals(7, runs[0].get("seasonal_naive_lag").asInt());
        assertEquals(40, runs[0].get("test_points").asInt(), "lead 3 still predicts every test value once");
    }

    @Test
    void badInputEndsWithOneLineAndExitCode2() throws Exception {
        Path out = dir.resolve("bad");
        Path malformed = dir.resolve("malformed.csv");
        Files.writeString(malformed, "day,births\n0,100\n1,101\n2\n3,103\n");
        Path text = dir.resolve("text.csv");
        Files.writeString(text, "day,births\n0,100\n1,many\n");
        Path shortFile = dir.resolve("short.csv");
        StringBuilder few = new StringBuilder("births\n");
        for (int t = 0; t < 30; t++) {
            few.append(100 + t % 7).append('\n');
        }
        Files.writeString(shortFile, few);
        Path other = dir.resolve("other.csv");
        Files.writeString(other, "day,value\n0,1\n1,2\n");
        String csv = data.toString();
        String o = out.toString();
        List<List<String>> cases = List.of(
                List.of("--csv", dir.resolve("missing.csv").toString(), "--column", "births", "--out", o),
                List.of("--csv", csv, "--column", "deaths", "--out", o),
                List.of("--csv", csv, "--column", "label", "--out", o),
                List.of("--csv", malformed.toString(), "--column", "births", "--out", o),
                List.of("--csv", text.toString(), "--column", "births", "--out", o),
                List.of("--csv", shortFile.toString(), "--column", "births", "--window", "14", "--out", o),
                List.of("--csv", csv, "--mc-samples", "0", "--out", o),
                List.of("--csv", csv, "--window", "0", "--out", o),
                List.of("--csv", csv, "--window", "abc", "--out", o),
                List.of("--csv", csv, "--horizon", "-1", "--out", o),
                List.of("--csv", csv, "--season", "1", "--out", o),
                List.of("--csv", csv, "--seed", "x", "--out", o),
                List.of("--csv", csv, "--windw", "7", "--out", o),
                List.of("--csv", csv, "--column", "births"),
                List.of("--csv", other.toString(), "--out", o));
        List<String> expected = List.of("no such file", "no column 'deaths'", "200 values that are not numbers (line 2 'd0', line 3 'd1'",
                "line 4", "text.csv column births: 1 value that is not a number (line 3 'many')", "too short for --window 14", "--mc-samples must be at least 1",
                "--window must be at least 1", "--window must be a whole number", "--horizon must be at least 1",
                "--season must be at least 2", "--seed must be a whole number", "unknown option --windw", "--out DIR is required",
                "with --column NAME; its columns are day, value");
        for (int i = 0; i < cases.size(); i++) {
            String[] args = new String[cases.get(i).size() + 1];
            args[0] = "forecast";
            for (int j = 0; j < cases.get(i).size(); j++) {
                args[j + 1] = cases.get(i).get(j);
            }
            Cli r = run(args);
            String what = String.join(" ", cases.get(i)) + " → " + r.err();
            assertEquals(2, r.code(), what);
            assertTrue(r.err().startsWith("vdrop: "), what);
            assertEquals(1, r.err().strip().lines().count(), "one line: " + what);
            assertTrue(r.err().contains(expected.get(i)), "'" + expected.get(i) + "' in " + what);
            assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), "no stack trace: " + what);
        }
        assertFalse(Files.exists(out.resolve("forecast.json")), "nothing written");
    }

    @Test
    void helpListsTheFlags() {
        Cli r = run("forecast", "--help");
        assertEquals(0, r.code());
        for (String flag : List.of("--csv", "--column", "--date-column", "--date-columns", "--inputs", "--missing", "--window",
                "--horizon", "--steps", "--scale", "--backtest", "--refit", "--future", "--epochs", "--mc-samples", "--season",
                "--seed", "--out")) {
            assertTrue(r.out().contains(flag), flag + " in " + r.out());
        }
    }
}
