package dev.vdrop.samples;

import static dev.vdrop.samples.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vdrop.runtime.NetworkConfig;
import dev.vdrop.runtime.forecast.Scale;
import dev.vdrop.runtime.mc.Coverage;
import dev.vdrop.runtime.mc.Interval;
import dev.vdrop.runtime.series.MissingValues;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vdrop forecast} on a series that leaves its training range — a line plus Gaussian noise —
 * with each {@code --scale}, several steps, the new flags' mistakes, and the engine's seam (missing
 * values and row features). Short runs: a few seconds each.
 */
class ForecastTrendTest {
    /** The line's slope and the noise's standard deviation. */
    private static final double SLOPE = 2;
    private static final double NOISE = 3;
    private static final int ROWS = 300;

    @TempDir
    static Path dir;
    private static Path trend;
    private static double[] values;

    /** 300 rows of 100 + 2t + N(0, 3²), seed 7: the test span (rows 240..299) lies 20 noise sds above the training span's top. */
    @BeforeAll
    static void writeCsv() throws IOException {
        Random random = new Random(7);
        values = new double[ROWS];
        StringBuilder csv = new StringBuilder("t,value\n");
        for (int t = 0; t < ROWS; t++) {
            values[t] = 100 + SLOPE * t + NOISE * random.nextGaussian();
            csv.append(t).append(',').append(String.format(Locale.ROOT, "%.3f", values[t])).append('\n');
        }
        trend = dir.resolve("trend.csv");
        Files.writeString(trend, csv, StandardCharsets.UTF_8);
    }

    /** A run with window 8, and 10 epochs and K = 20 unless {@code flags} say otherwise. */
    private static JsonNode forecast(String name, String... flags) throws IOException {
        Path out = dir.resolve(name);
        List<String> args = new ArrayList<>(List.of("forecast", "--csv", trend.toString(), "--column", "value", "--window",
                "8", "--out", out.toString()));
        args.addAll(List.of(flags));
        if (!args.contains("--epochs")) {
            args.addAll(List.of("--epochs", "10", "--mc-samples", "20"));
        }
        Cli r = run(args.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        return new ObjectMapper().readTree(out.resolve("forecast.json").toFile());
    }

    /**
     * The globally standardised model has never seen a value as high as the test span's and falls
     * behind the trend; relative to the window's level, or in differences, the test span looks like
     * the training span. The bound, a third of global's RMSE, is far from both: see the numbers in the
     * assertion messages.
     */
    @Test
    void windowAndDifferenceScalingFollowATrendThatGlobalCannot() throws IOException {
        JsonNode global = forecast("trend-global");
        JsonNode window = forecast("trend-window", "--scale", "window");
        JsonNode difference = forecast("trend-difference", "--scale", "difference");
        double g = global.get("rmse").asDouble();
        double w = window.get("rmse").asDouble();
        double d = difference.get("rmse").asDouble();
        String numbers = String.format(Locale.ROOT, "test RMSE global %.3f, window %.3f, difference %.3f; persistence %.3f; "
                        + "95%% coverage global %.3f, window %.3f, difference %.3f; mean 95%% width window %.2f, difference %.2f; "
                + "noise std window %.2f, difference %.2f", g, w, d,
                global.get("persistence_rmse").asDouble(), global.get("coverage_95").asDouble(),
                window.get("coverage_95").asDouble(), difference.get("coverage_95").asDouble(),
                window.get("mean_width_95").asDouble(), difference.get("mean_width_95").asDouble(),
                window.get("noise_std").asDouble(), difference.get("noise_std").asDouble());
        System.out.println("ForecastTrendTest: " + numbers);
        assertEquals("window", window.get("scale").asText());
        assertTrue(w < g / 3, numbers);
        assertTrue(d < g / 3, numbers);
        // persistence errs by the slope plus the difference of two noise draws: √(2² + 2·3²) ≈ 4.7
        assertTrue(w < 2 * NOISE * Math.sqrt(2) + SLOPE && d < 2 * NOISE * Math.sqrt(2) + SLOPE, numbers);

        // 95% intervals of a short run: within five binomial standard deviations of 0.95 for the test points
        // (0.95 ± 5·√(0.95·0.05/60) = [0.81, 1]); with 60 points the band cannot catch intervals too wide,
        // so their mean width must also stay within 4× the 2·1.96·RMSE that honest Gaussian intervals
        // would have (a 10-epoch run has not learned its noise yet: it is 2–3× wide)
        for (JsonNode run : List.of(window, difference)) {
            int n = run.get("test_points").asInt();
            double coverage = run.get("coverage_95").asDouble();
            Interval band = Coverage.fiveSigmaBand(n, 0.95);
            assertEquals(60, n);
            assertTrue(band.contains(coverage), run.get("scale").asText() + ": 95% coverage " + coverage + " of " + n
                    + " points outside " + band);
            double honest = 2 * 1.959964 * run.get("rmse").asDouble();
            assertTrue(run.get("mean_width_95").asDouble() < 4 * honest, run.get("scale").asText() + ": " + numbers);
        }
    }

    /**
     * A series that grows by 1% a step with noise of 3% of its level, {@code 50·1.01^t·(1 + 0.03·N(0, 1))},
     * seed 11: under {@code --scale mean} a window's interval is its z-interval times its own level, so
     * the 95% intervals of the test span's last 15 rows are wider than those of its first 15 by the
     * levels' ratio, 1.01^45 ≈ 1.56 (the windows look alike in z-units, so their z-widths agree to a
     * few percent); they cover within five binomial standard deviations of 95%.
     */
    @Test
    void meanScalingWidensTheIntervalsWithTheLevel() throws IOException {
        Random random = new Random(11);
        StringBuilder csv = new StringBuilder("t,value\n");
        for (int t = 0; t < ROWS; t++) {
            double value = 50 * Math.pow(1.01, t) * (1 + 0.03 * random.nextGaussian());
            csv.append(t).append(',').append(String.format(Locale.ROOT, "%.4f", value)).append('\n');
        }
        Path growth = dir.resolve("growth.csv");
        Files.writeString(growth, csv, StandardCharsets.UTF_8);
        Path out = dir.resolve("growth-mean");
        Cli r = run("forecast", "--csv", growth.toString(), "--column", "value", "--window", "8", "--scale", "mean",
                "--epochs", "10", "--mc-samples", "20", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode json = new ObjectMapper().readTree(out.resolve("forecast.json").toFile());
        assertEquals("mean", json.get("scale").asText());
        List<String> rows = Files.readAllLines(out.resolve("forecast.csv"));
        List<String> header = List.of(rows.get(0).split(","));
        int lo = header.indexOf("lo95");
        int hi = header.indexOf("hi95");
        double[] widths = rows.stream().skip(1).mapToDouble(row -> {
            String[] f = row.split(",");
            return Double.parseDouble(f[hi]) - Double.parseDouble(f[lo]);
        }).toArray();
        assertEquals(60, widths.length);
        double first = java.util.Arrays.stream(widths, 0, 15).average().orElseThrow();
        double last = java.util.Arrays.stream(widths, 45, 60).average().orElseThrow();
        double levels = Math.pow(1.01, 45);
        assertEquals(levels, last / first, 0.2 * levels, "95% widths " + first + " then " + last);
        Interval band = Coverage.fiveSigmaBand(60, 0.95);
        assertTrue(band.contains(json.get("coverage_95").asDouble()), json.get("coverage_95") + " outside " + band);
    }

    /** Three steps: three entries in every by-step array, a step column in the CSV, the later steps scoring fewer values. */
    @Test
    void threeStepsWriteEveryStepsScores() throws IOException {
        JsonNode json = forecast("trend-steps", "--scale", "difference", "--steps", "3", "--epochs", "2", "--mc-samples", "5");
        assertEquals(3, json.get("steps").asInt());
        for (String key : List.of("rmse_by_step", "mae_by_step", "smape_by_step", "mase_by_step", "persistence_rmse_by_step",
                "seasonal_naive_rmse_by_step", "coverage_80_by_step", "coverage_95_by_step", "test_points_by_step")) {
            assertEquals(3, json.get(key).size(), key + " in " + json);
        }
        assertEquals("[60,59,58]", json.get("test_points_by_step").toString());
        assertEquals(json.get("rmse_by_step").get(2).asDouble(), json.get("rmse").asDouble(), 0.0, "the scalars are the last step's");
        assertEquals(json.get("coverage_95_by_step").get(2).asDouble(), json.get("coverage_95").asDouble(), 0.0);
        assertEquals(58, json.get("test_points").asInt());
        assertEquals(0, json.get("filled").asInt());
        for (String key : List.of("persistence_rmse", "mase", "seasonal_naive_rmse")) {
            assertTrue(json.get(key).isNumber(), key);
        }
        List<String> rows = Files.readAllLines(dir.resolve("trend-steps").resolve("forecast.csv"));
        assertTrue(rows.get(0).startsWith("step,index,truth,mean,"), rows.get(0));
        assertEquals(1 + 60 + 59 + 58, rows.size());
        assertTrue(rows.get(1).startsWith("1,240,"), rows.get(1));
        assertTrue(rows.get(rows.size() - 1).startsWith("3,299,"), rows.get(rows.size() - 1));
    }

    /** With one step and no row features, each network is the one the declarations fixed before: 3 inputs, 1 output. */
    @Test
    void theDefaultForecasterHasItsFormerParameters() {
        NetworkConfig config = NetworkConfig.builder().seed(1).build();
        // births' forecast.json (docs/forecast.json) records 4,642: 4·32·(3 + 32) + 4·32 + 32 + 1 + 1
        assertEquals(4642, ForecastCommand.forecaster(Cell.LSTM, config).parameterCount());
        assertEquals(4642 + 2 * (32 + 1 + 1), ForecastCommand.forecaster(Cell.LSTM, 3, 3, config).parameterCount(),
                "two more outputs: a row of D, a d and an s each");
        // the GRU twin: 3·32·(F + 32) weights, b and bh of 3·32, and the head; 3,586 for F = 3 and one output, as
        // forecast.json recorded for --cell gru before the sizes came from the data
        assertEquals(3586, ForecastCommand.forecaster(Cell.GRU, config).parameterCount());
        assertEquals(3 * 32 * (5 + 32) + 2 * 3 * 32 + 3 * (32 + 1 + 1),
                ForecastCommand.forecaster(Cell.GRU, 5, 3, config).parameterCount(), "two row features, three steps");
    }

    @Test
    void badScaleAndStepsAreRefusedWithOneLine() {
        Path out = dir.resolve("bad");
        String csv = trend.toString();
        List<List<String>> cases = List.of(List.of("--scale", "foo"), List.of("--steps", "0"), List.of("--steps", "x"),
                List.of("--steps", "10001"), List.of("--steps", "61"), List.of("--steps", "50", "--window", "180"));
        List<String> expected = List.of("vdrop: unknown --scale 'foo'; use one of global, window, difference, mean",
                "vdrop: --steps must be at least 1, got 0", "vdrop: --steps must be a whole number ≥ 1, got 'x'",
                "vdrop: --steps must be at most 10000, got 10001; each step is one output of the network",
                "vdrop: --steps 61 is more than the 60 values of the test span of trend.csv (the last 20%), so step 61 "
                        + "would have no value to score; use --steps 60 or fewer",
                "vdrop: trend.csv has 300 values in column value: its training span (the first 80%, 240 values) is too short "
                        + "for --window 180 and --horizon 1 and --steps 50, which need at least 249 values (20 training "
                        + "windows); use a smaller --window or a longer series");
        for (int i = 0; i < cases.size(); i++) {
            List<String> args = new ArrayList<>(List.of("forecast", "--csv", csv, "--column", "value", "--out", out.toString()));
            args.addAll(cases.get(i));
            Cli r = run(args.toArray(String[]::new));
            assertEquals(2, r.code(), r.err());
            assertEquals(expected.get(i) + System.lineSeparator(), r.err());
        }
        assertFalse(Files.exists(out.resolve("forecast.json")), "nothing written");
    }

    /**
     * The seam the data layer will call: the series with NaN where values are missing and two row
     * features. Window 8, lead 1, test span from 240: training origins 7..238 (232), the NaN at 100
     * is an input of origins 100..107 and the target of 99 (9 dropped); the NaN at 250 is an input of
     * test origins 250..257 (8 of the 60 dropped) and the target of 249, forecast but not scored.
     */
    @Test
    void theEngineTakesMissingValuesAndRowFeatures() throws IOException {
        double[] x = values.clone();
        x[100] = Double.NaN;
        x[250] = Double.NaN;
        double[][] rows = new double[ROWS][2];
        for (int t = 0; t < ROWS; t++) {
            rows[t][0] = Math.sin(2 * Math.PI * t / 30.5);
            rows[t][1] = Math.cos(2 * Math.PI * t / 30.5);
        }
        ForecastCommand.Series series = new ForecastCommand.Series("trend.csv", "value", x, rows,
                List.of("month_sin", "month_cos"), new MissingReport(MissingValues.Policy.SKIP, Map.of("value", 2),
                List.of()), null, t -> "trend.csv line " + (t + 2) + ", column value");
        Path out = dir.resolve("seam");
        ForecastCommand.Settings settings = new ForecastCommand.Settings(Cell.GRU, Scale.WINDOW, 8, 1, 1, 1, 2, 7, 1, out);
        StringWriter log = new StringWriter();
        assertEquals(0, new ForecastCommand().forecast(series, settings, new PrintWriter(log, true)));
        assertTrue(log.toString().contains("scale window, 1 step; 9 training and 8 test windows dropped for missing values"),
                log.toString());
        JsonNode json = new ObjectMapper().readTree(out.resolve("forecast.json").toFile());
        assertEquals(9, json.get("train_windows_dropped").asInt());
        assertEquals(8, json.get("test_windows_dropped").asInt());
        assertEquals(60 - 8 - 1, json.get("test_points").asInt());
        assertEquals(2, json.get("filled").asInt());
        assertEquals("skip", json.get("missing_policy").asText());
        assertEquals("[\"value\",\"season_sin\",\"season_cos\",\"month_sin\",\"month_cos\"]", json.get("inputs").toString());
        assertEquals(232 - 9, json.get("train_windows").asInt() + json.get("valid_windows").asInt());
    }

    /**
     * A NaN at every fifth training value: every training window (8 inputs and a target, 9
     * consecutive values) touches one, 232 of 232; test origins 239..242 read 235, 4 of 60.
     */
    @Test
    void tooManyMissingValuesAreRefusedWithTheCounts() {
        double[] x = values.clone();
        for (int t = 0; t < 240; t += 5) {
            x[t] = Double.NaN;
        }
        ForecastCommand.Series series = ForecastCommand.Series.of("trend.csv", "value", x, t -> "line " + (t + 2));
        Path out = dir.resolve("gaps");
        ForecastCommand.Settings settings = new ForecastCommand.Settings(Cell.LSTM, Scale.GLOBAL, 8, 1, 1, 1, 2, 7, 1, out);
        UserError e = assertThrows(UserError.class,
                () -> new ForecastCommand().forecast(series, settings, new PrintWriter(new StringWriter())));
        assertEquals("column value of trend.csv: missing values leave 0 training windows (232 dropped) and 56 test windows "
                + "(4 dropped); at least 20 and 1 are needed", e.getMessage());
        assertFalse(Files.exists(out), "refused before --out is claimed");
    }
}
