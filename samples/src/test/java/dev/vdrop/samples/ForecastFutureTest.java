package dev.vdrop.samples;

import static dev.vdrop.samples.Cli.run;
import static dev.vdrop.samples.ForecastMissingTest.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vdrop.runtime.series.Dates;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --future}: the steps after the last row, their rows and dates (continued only for evenly
 * spaced rows), future.csv, and the refusal of a last window with a gap. Short runs (one epoch, K = 2).
 */
class ForecastFutureTest {
    @TempDir
    static Path dir;

    /** 200 rows with the dates {@code date.apply(t)} and a weekly-ish pattern; {@code gap} rows left empty. */
    private static Path csv(String name, IntFunction<LocalDate> date, int... gaps) throws IOException {
        StringBuilder csv = new StringBuilder("date,value\n");
        for (int t = 0; t < 200; t++) {
            String value = String.format(Locale.ROOT, "%.2f", 80 + 0.2 * t + 5 * Math.sin(2 * Math.PI * t / 7));
            for (int g : gaps) {
                if (g == t) {
                    value = "";
                }
            }
            csv.append(date.apply(t)).append(',').append(value).append('\n');
        }
        Path file = dir.resolve(name);
        Files.writeString(file, csv, StandardCharsets.UTF_8);
        return file;
    }

    private static Cli forecast(Path csv, Path out, String... flags) {
        List<String> args = new ArrayList<>(List.of("forecast", "--csv", csv.toString(), "--column", "value", "--window",
                "7", "--epochs", "1", "--mc-samples", "2", "--future", "--out", out.toString()));
        args.addAll(List.of(flags));
        return run(args.toArray(String[]::new));
    }

    private static Dates dates(String... isoDates) {
        return Dates.of(Arrays.stream(isoDates).map(LocalDate::parse).toList());
    }

    /** Weekly rows continue by 7 days, daily by 1, the bundled macro data's quarters by 3 months. */
    @Test
    void evenlySpacedRowsContinueByTheirSpacing() {
        FutureDates weekly = FutureDates.of(dates("2004-10-11", "2004-10-18", "2004-10-25"));
        assertEquals("7 days", weekly.spacing());
        assertEquals(LocalDate.parse("2004-11-01"), weekly.date(3));
        assertEquals(LocalDate.parse("2004-11-15"), weekly.date(5));
        assertEquals(LocalDate.parse("2004-10-18"), weekly.date(1), "a row of the data keeps its date");
        FutureDates quarterly = FutureDates.of(dates("2008-10-01", "2009-01-01", "2009-04-01", "2009-07-01"));
        assertEquals("3 months", quarterly.spacing());
        assertEquals(LocalDate.parse("2009-10-01"), quarterly.date(4));
        assertEquals(LocalDate.parse("2010-01-01"), quarterly.date(5));
        FutureDates monthEnds = FutureDates.of(dates("2023-01-31", "2023-02-28", "2023-03-31"));
        assertEquals(LocalDate.parse("2023-04-30"), monthEnds.date(3));
        assertEquals(LocalDate.parse("2023-05-31"), monthEnds.date(4));
    }

    /** Gaps of 1 and 2 days: neither a fixed number of days nor of months; no future dates, a plot places them at the median gap. */
    @Test
    void irregularRowsGiveNoFutureDates() {
        FutureDates irregular = FutureDates.of(dates("2024-01-01", "2024-01-02", "2024-01-04", "2024-01-05"));
        assertFalse(irregular.known());
        assertEquals("the rows are not evenly spaced (gaps of 1 to 2 days, neither one number of days nor of months)",
                irregular.why());
        assertThrows(IllegalStateException.class, () -> irregular.date(4));
        assertEquals(LocalDate.parse("2024-01-06"), irregular.approximate(4), "the median gap, 1 day, on");
    }

    /**
     * 200 weekly rows from Monday 2001-01-01: the last, row 199, is 1,393 days later, Monday
     * 2004-10-25; three steps ahead are rows 200..202 on 1, 8 and 15 November 2004.
     */
    @Test
    void futureCsvHasOneRowPerStepWithItsDate() throws IOException {
        Path csv = csv("weekly.csv", t -> LocalDate.of(2001, 1, 1).plusWeeks(t));
        Path out = dir.resolve("weekly");
        Cli r = forecast(csv, out, "--date-column", "date", "--steps", "3", "--season", "52");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("future: 3 steps after row 199 (2004-10-25), dated 7 days apart"), r.out());
        List<String> rows = Files.readAllLines(out.resolve("future.csv"));
        assertEquals(List.of("step", "index", "date", "mean", "std", "lo80", "hi80", "lo95", "hi95"),
                List.of(rows.get(0).split(",")));
        assertEquals(4, rows.size());
        String[] dates = {"2004-11-01", "2004-11-08", "2004-11-15"};
        for (int j = 1; j <= 3; j++) {
            String[] f = rows.get(j).split(",");
            assertEquals(String.valueOf(j), f[0]);
            assertEquals(String.valueOf(199 + j), f[1]);
            assertEquals(dates[j - 1], f[2]);
            double mean = Double.parseDouble(f[3]);
            double std = Double.parseDouble(f[4]);
            double lo80 = Double.parseDouble(f[5]);
            double hi80 = Double.parseDouble(f[6]);
            double lo95 = Double.parseDouble(f[7]);
            double hi95 = Double.parseDouble(f[8]);
            assertTrue(std > 0 && lo95 < lo80 && lo80 < mean && mean < hi80 && hi80 < hi95, rows.get(j));
        }
        assertTrue(new ObjectMapper().readTree(out.resolve("forecast.json").toFile()).get("future").asBoolean());
        assertNotNull(ImageIO.read(out.resolve("forecast.png").toFile()), "the plot with the future decodes");
    }

    @Test
    void withoutDatesOrWithIrregularOnesFutureCsvHasTheStepsOnly() throws IOException {
        Path out = dir.resolve("undated");
        Cli r = run("forecast", "--csv", csv("undated.csv", t -> LocalDate.of(2001, 1, 1).plusDays(t)).toString(), "--column",
                "value", "--window", "7", "--epochs", "1", "--mc-samples", "2", "--future", "--backtest", "2", "--refit",
                "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        List<String> rows = Files.readAllLines(out.resolve("future.csv"));
        assertEquals("step,index,mean,std,lo80,hi80,lo95,hi95", rows.get(0));
        assertTrue(rows.get(1).startsWith("1,200,"), rows.get(1));

        // a day left out after every fifth: row 199 is 199 + 39 = 238 days on, 27 August
        Path irregular = csv("irregular.csv", t -> LocalDate.of(2001, 1, 1).plusDays(t + t / 5));
        out = dir.resolve("irregular");
        r = forecast(irregular, out, "--date-column", "date");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("future: 1 step after row 199 (2001-08-27); no dates: the rows are not evenly spaced "
                + "(gaps of 1 to 2 days, neither one number of days nor of months)"), r.out());
        assertEquals("step,index,mean,std,lo80,hi80,lo95,hi95", Files.readAllLines(out.resolve("future.csv")).get(0));
    }

    /** Under skip a gap in the last window (rows 193..199 for window 7) cannot be forecast from. */
    @Test
    void aGapInTheLastWindowIsRefusedUnderSkip() throws IOException {
        Path csv = csv("late-gap.csv", t -> LocalDate.of(2001, 1, 1).plusDays(t), 196);
        Path out = dir.resolve("late-gap");
        assertRefused(forecast(csv, out, "--missing", "skip"), "--future forecasts from the last window (rows 193 to 199 "
                + "of late-gap.csv), but late-gap.csv line 198, column value is missing; --missing skip leaves it a gap: "
                + "use --missing interpolate, or leave out --future");
        assertFalse(Files.exists(out.resolve("forecast.json")), "nothing written");
        Path filled = dir.resolve("late-gap-filled");
        Cli r = forecast(csv, filled, "--missing", "interpolate");
        assertEquals(0, r.code(), r.err());
        assertEquals(2, Files.readAllLines(filled.resolve("future.csv")).size(), "interpolated, the last window forecasts");
    }
}
