package dev.vdrop.samples;

import static dev.vdrop.samples.Cli.run;
import static dev.vdrop.samples.ForecastMissingTest.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --date-column} and {@code --date-columns}: the calendar replaces the season's phase as
 * inputs, the windows stay the same, and forecast.csv and the plot carry the dates. Short runs
 * (one epoch, K = 2).
 */
class ForecastDatesTest {
    @TempDir
    static Path dir;
    private static Path weekly;

    /** 200 weekly rows from Monday 2001-01-01, the date as yyyymmdd and as three columns. */
    @BeforeAll
    static void writeCsv() throws IOException {
        StringBuilder csv = new StringBuilder("date,y,m,d,value\n");
        LocalDate date = LocalDate.of(2001, 1, 1);
        for (int t = 0; t < 200; t++, date = date.plusWeeks(1)) {
            csv.append(String.format(Locale.ROOT, "%04d%02d%02d,%d,%d,%d,%.2f%n", date.getYear(), date.getMonthValue(),
                    date.getDayOfMonth(), date.getYear(), date.getMonthValue(), date.getDayOfMonth(),
                    300 + 0.1 * t + 3 * Math.sin(2 * Math.PI * t / 52.18)));
        }
        weekly = dir.resolve("weekly.csv");
        Files.writeString(weekly, csv, StandardCharsets.UTF_8);
    }

    private static JsonNode json(Path out) throws IOException {
        return new ObjectMapper().readTree(out.resolve("forecast.json").toFile());
    }

    /**
     * The bundled births read with their year, month and day columns: day of week and day of year
     * replace the phase, and the windows are those of the run without dates (5,837 training windows
     * for window 7 over the 5,844 training rows: origins 6 … 5,842, 1,461 test points). Row 5,844, the test span's
     * first, is 1985-01-01: 16 years of 365 days and 4 leap days after 1969-01-01.
     */
    @Test
    void theBundledBirthsWithDatesHaveTheWindowsOfTheRunWithout() throws IOException {
        String[] common = {"forecast", "--window", "7", "--epochs", "1", "--mc-samples", "2", "--out"};
        Path plain = dir.resolve("births");
        Path dated = dir.resolve("births-dated");
        Cli without = run(concat(common, plain.toString()));
        assertEquals(0, without.code(), without.err());
        Cli with = run(concat(common, dated.toString(), "--date-columns", "year,month,date_of_month"));
        assertEquals(0, with.code(), with.err());
        assertTrue(with.out().contains("dates 1969-01-01 to 1988-12-31, 1 day apart (median); inputs value, dow_sin, "
                + "dow_cos, doy_sin, doy_cos"), with.out());
        JsonNode a = json(plain);
        JsonNode b = json(dated);
        assertEquals(5837, a.get("train_windows").asInt() + a.get("valid_windows").asInt());
        for (String key : List.of("train_windows", "valid_windows", "test_points", "test_start")) {
            assertEquals(a.get(key).asInt(), b.get(key).asInt(), key);
        }
        assertEquals(1461, b.get("test_points").asInt());
        assertEquals("[\"value\",\"season_sin\",\"season_cos\"]", a.get("inputs").toString());
        assertEquals("[\"value\",\"dow_sin\",\"dow_cos\",\"doy_sin\",\"doy_cos\"]", b.get("inputs").toString());
        List<String> rows = Files.readAllLines(dated.resolve("forecast.csv"));
        assertEquals("index,date,truth,mean,epistemic_std,noise_std,lo80,hi80,lo95,hi95,seasonal_naive", rows.get(0));
        assertTrue(rows.get(1).startsWith("5844,1985-01-01,"), rows.get(1));
        assertTrue(rows.get(rows.size() - 1).startsWith("7304,1988-12-31,"), rows.get(rows.size() - 1));
        assertNotNull(ImageIO.read(dated.resolve("forecast.png").toFile()), "the plot with a date axis decodes");
    }

    /** A weekly series has no day of week: only the day of the year, the same from one date column or three. */
    @Test
    void aWeeklySeriesReadsTheDayOfTheYearFromOneColumnOrThree() throws IOException {
        for (List<String> flags : List.of(List.of("--date-column", "date"), List.of("--date-columns", "y,m,d"))) {
            Path out = dir.resolve("weekly-" + flags.get(0).substring(2));
            Cli r = run(concat(new String[] {"forecast", "--csv", weekly.toString(), "--column", "value", "--window", "8",
                    "--season", "52", "--epochs", "1", "--mc-samples", "2", "--out", out.toString()},
                    flags.toArray(String[]::new)));
            assertEquals(0, r.code(), r.err());
            assertEquals("[\"value\",\"doy_sin\",\"doy_cos\"]", json(out).get("inputs").toString());
            List<String> rows = Files.readAllLines(out.resolve("forecast.csv"));
            // row 160 is 160 weeks after 2001-01-01
            assertTrue(rows.get(1).startsWith("160,2004-01-26,"), rows.get(1));
        }
    }

    @Test
    void badDateFlagsAndDatesAreRefusedWithOneLine() throws IOException {
        Path out = dir.resolve("bad");
        String csv = weekly.toString();
        assertRefused(run("forecast", "--csv", csv, "--column", "value", "--date-column", "date", "--date-columns", "y,m,d",
                "--out", out.toString()), "--date-column and --date-columns both say where the dates are; give one of them");
        assertRefused(run("forecast", "--csv", csv, "--column", "value", "--date-columns", "y,m", "--out", out.toString()),
                "--date-columns needs three column names, the year's, the month's and the day's, e.g. --date-columns "
                        + "year,month,date_of_month; got 'y,m'");
        assertRefused(run("forecast", "--csv", csv, "--column", "value", "--date-columns", "y,,d", "--out", out.toString()),
                "--date-columns needs column names separated by commas, e.g. --date-columns year,month,day; got 'y,,d'");
        assertRefused(run("forecast", "--csv", csv, "--column", "value", "--date-column", " ", "--out", out.toString()),
                "--date-column needs a column name");
        assertRefused(run("forecast", "--csv", csv, "--column", "value", "--date-column", "when", "--out", out.toString()),
                "weekly.csv has no column 'when'; its columns are date, y, m, d, value");
        assertRefused(run("forecast", "--csv", csv, "--column", "value", "--date-column", "value", "--out", out.toString()),
                "weekly.csv column value: 200 fields are not dates (line 2 '300.00', line 3 '300.46', line 4 '300.92', "
                        + "line 5 '301.36', line 6 '301.79' and 195 more); write each row's date as yyyy-mm-dd (1969-01-31) "
                        + "or yyyymmdd (19690131)");
        assertRefused(run("forecast", "--csv", csv, "--column", "value", "--date-column", "date", "--inputs", "date", "--out",
                out.toString()), "--inputs names date, a date column: the calendar features are inputs already");
        assertTrue(!Files.exists(out.resolve("forecast.json")), "nothing written");
    }

    static String[] concat(String[] a, String... b) {
        String[] out = new String[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
