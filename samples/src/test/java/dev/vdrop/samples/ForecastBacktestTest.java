package dev.vdrop.samples;

import static dev.vdrop.samples.Cli.run;
import static dev.vdrop.samples.ForecastMissingTest.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --backtest N} and {@code --refit}: the origins' rows (computed by hand in the runtime's
 * {@code BacktestTest}) in forecast.json, the scores pooled over them, one training or N. Short
 * runs (one or two epochs, K = 2).
 */
class ForecastBacktestTest {
    @TempDir
    static Path dir;
    private static Path daily;

    /** 200 daily rows from 2020-01-01 (a leap year: row 152 is 1 June) with a weekly pattern. */
    @BeforeAll
    static void writeCsv() throws IOException {
        StringBuilder csv = new StringBuilder("date,value\n");
        LocalDate date = LocalDate.of(2020, 1, 1);
        for (int t = 0; t < 200; t++, date = date.plusDays(1)) {
            csv.append(date).append(',')
                    .append(String.format(Locale.ROOT, "%.2f", 50 + 10 * Math.sin(2 * Math.PI * t / 7) + 0.05 * t)).append('\n');
        }
        daily = dir.resolve("daily.csv");
        Files.writeString(daily, csv, StandardCharsets.UTF_8);
    }

    private static Cli forecast(Path out, String... flags) {
        List<String> args = new ArrayList<>(List.of("forecast", "--csv", daily.toString(), "--column", "value", "--window",
                "7", "--mc-samples", "2", "--out", out.toString()));
        args.addAll(List.of(flags));
        return run(args.toArray(String[]::new));
    }

    private static JsonNode json(Path out) throws IOException {
        return new ObjectMapper().readTree(out.resolve("forecast.json").toFile());
    }

    /** Four origins, one model: four points per step, their rows and dates in forecast.json, one training. */
    @Test
    void oneModelServesEveryOrigin() throws IOException {
        Path out = dir.resolve("once");
        Cli r = forecast(out, "--backtest", "4", "--epochs", "1", "--date-column", "date");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("backtest: 4 origins over the test span, rows 160, 173, 186, 199 (2020-06-09, "
                + "2020-06-22, 2020-07-05, 2020-07-18); one model trained on the rows before the first serves every "
                + "origin"), r.out());
        JsonNode json = json(out);
        assertEquals("[160,173,186,199]", json.get("backtest_origins").toString());
        assertEquals("[\"2020-06-09\",\"2020-06-22\",\"2020-07-05\",\"2020-07-18\"]",
                json.get("backtest_origin_dates").toString());
        assertEquals(4, json.get("test_points").asInt());
        assertFalse(json.get("refit").asBoolean());
        assertEquals(1, json.get("trainings").asInt());
        // window 7, lead 1: training origins 6 … 158, the targets before row 160
        assertEquals(153, json.get("train_windows").asInt() + json.get("valid_windows").asInt());
        List<String> rows = Files.readAllLines(out.resolve("forecast.csv"));
        assertEquals(5, rows.size());
        assertTrue(rows.get(2).startsWith("173,2020-06-22,"), rows.get(2));
    }

    /**
     * Two origins with --refit: two trainings of two epochs (four lines of train.jsonl), the second on
     * the rows before its origin; two steps: M = 39, rows 160 and 198.
     */
    @Test
    void refitTrainsBeforeEachOrigin() throws IOException {
        Path out = dir.resolve("refit");
        Cli r = forecast(out, "--backtest", "2", "--refit", "--epochs", "2", "--steps", "2");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("origin 1 of 2 (row 160): trained 2 epochs"), r.out());
        assertTrue(r.out().contains("origin 2 of 2 (row 198): trained 2 epochs"), r.out());
        JsonNode json = json(out);
        assertEquals("[160,198]", json.get("backtest_origins").toString());
        assertTrue(json.get("refit").asBoolean());
        assertEquals(2, json.get("trainings").asInt());
        assertEquals("[2,2]", json.get("test_points_by_step").toString());
        // two steps: the last training window (origin 195) has targets 196 and 197, before row 198: origins 6 … 195
        assertEquals(190, json.get("train_windows").asInt() + json.get("valid_windows").asInt(), "the last training's");
        assertEquals(4, Files.readAllLines(out.resolve("train.jsonl")).size(), "two epochs, twice");
    }

    @Test
    void badBacktestFlagsAreRefusedWithOneLine() {
        Path out = dir.resolve("bad");
        assertRefused(forecast(out, "--backtest", "0"), "--backtest must be at least 1, got 0");
        assertRefused(forecast(out, "--backtest", "many"), "--backtest must be a whole number ≥ 1, got 'many'");
        assertRefused(forecast(out, "--refit"), "--refit retrains the model before each --backtest origin; give "
                + "--backtest N too");
        assertRefused(forecast(out, "--backtest", "41"), "--backtest 41 asks for more origins than the test span of "
                + "daily.csv has: 40 rows (160 to 199) can start a forecast whose step lies within the data; use "
                + "--backtest 40 or fewer");
        assertRefused(forecast(out, "--backtest", "39", "--steps", "3"), "--backtest 39 asks for more origins than the "
                + "test span of daily.csv has: 38 rows (160 to 197) can start a forecast whose 3 steps lie within the "
                + "data; use --backtest 38 or fewer");
        assertFalse(Files.exists(out.resolve("forecast.json")), "nothing written");
    }
}
