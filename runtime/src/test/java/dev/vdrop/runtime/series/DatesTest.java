package dev.vdrop.runtime.series;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link Dates}: the two forms of one date column, three columns, leap years, order, and the messages. */
class DatesTest {
    private static final Path BIRTHS = Path.of("../samples/src/main/resources/dev/vdrop/samples/data/us-births-1969-1988.csv");

    private static String refusal(String text) {
        Csv csv = Csv.parse(text, "d.csv");
        return assertThrows(IllegalArgumentException.class, () -> Dates.read(csv, "date")).getMessage();
    }

    private static String refusalYmd(String text) {
        Csv csv = Csv.parse(text, "d.csv");
        return assertThrows(IllegalArgumentException.class, () -> Dates.read(csv, "y", "m", "d")).getMessage();
    }

    @Test
    void isoAndCompactDatesMayMix() {
        Csv csv = Csv.parse("date,v\n1969-12-31,1\n19700101,2\n \"1970-01-02\" ,3\n20240229,4\n", "d.csv");
        Dates dates = Dates.read(csv, "date");
        assertEquals(List.of(LocalDate.of(1969, 12, 31), LocalDate.of(1970, 1, 1), LocalDate.of(1970, 1, 2),
                LocalDate.of(2024, 2, 29)), dates.asList());
        assertEquals(4, dates.size());
        assertEquals(LocalDate.of(1970, 1, 1), dates.get(1));
    }

    @Test
    void leapDays() {
        assertEquals(LocalDate.of(2024, 2, 29), Dates.read(Csv.parse("date\n2024-02-29\n", "d.csv"), "date").get(0));
        assertEquals(LocalDate.of(2000, 2, 29), Dates.read(Csv.parse("date\n20000229\n", "d.csv"), "date").get(0));
        assertEquals("d.csv column date: 1 field is not a date (line 2 '2023-02-29' (February 2023 has 28 days)); "
                + "write each row's date as yyyy-mm-dd (1969-01-31) or yyyymmdd (19690131)", refusal("date\n2023-02-29\n"));
        // 1900 is divisible by 100 and not by 400: no leap year
        assertEquals("d.csv column date: 1 field is not a date (line 2 '19000229' (February 1900 has 28 days)); "
                + "write each row's date as yyyy-mm-dd (1969-01-31) or yyyymmdd (19690131)", refusal("date\n19000229\n"));
    }

    @Test
    void everyFieldThatIsNotADateIsCollected() {
        String text = "date,v\n"
                + "2023-02-27,1\n" // line 2: fine
                + "3/4/1970,1\n" // 3: neither form
                + ",1\n" // 4: empty
                + "2023-02-29,1\n" // 5: no such day
                + "20231301,1\n" // 6: no month 13
                + "2023-04-00,1\n" // 7: no day 0
                + "2023-06-31,1\n" // 8: June has 30 days
                + "1970-1-5,1\n"; // 9: neither form (one-digit month and day)
        assertEquals("d.csv column date: 7 fields are not dates (line 3 '3/4/1970', line 4 (empty), line 5 '2023-02-29' "
                + "(February 2023 has 28 days), line 6 '20231301' (no month 13), line 7 '2023-04-00' (no day 0) and 2 more); "
                + "write each row's date as yyyy-mm-dd (1969-01-31) or yyyymmdd (19690131)", refusal(text));
        assertEquals("d.csv column date: 2 fields are not dates (line 2 '2023-06-31' (June 2023 has 30 days) and line 3 "
                + "'1970-1-5'); write each row's date as yyyy-mm-dd (1969-01-31) or yyyymmdd (19690131)",
                refusal("date,v\n2023-06-31,1\n1970-1-5,2\n"));
    }

    @Test
    void anEmptyDateIsAnErrorEvenInAOneColumnTable() {
        // the blank line 3 of a one-column table is a row without a date
        assertEquals("d.csv column date: 1 field is not a date (line 3 (empty)); write each row's date as yyyy-mm-dd "
                + "(1969-01-31) or yyyymmdd (19690131)", refusal("date\n2024-01-01\n\n2024-01-03\n"));
    }

    @Test
    void datesMustIncreaseStrictlyAndTheMessageNamesBothLines() {
        assertEquals("d.csv column date: dates must increase strictly, one row per date, but 2024-01-02 on line 4 is not "
                + "after 2024-01-03 on line 3; 2 more rows are not after the row before them (lines 5 and 7)",
                refusal("date\n2024-01-01\n2024-01-03\n2024-01-02\n2024-01-02\n2024-01-05\n2024-01-04\n"));
        assertEquals("d.csv column date: dates must increase strictly, one row per date, but 2024-01-01 on line 3 is not "
                + "after 2024-01-01 on line 2", refusal("date,v\n2024-01-01,1\n20240101,2\n"));
    }

    @Test
    void threeColumnsYearMonthDay() {
        Csv csv = Csv.parse("y,m,d,v\n2023,12,31,1\n2024,1,1,2\n2024,02,29,3\n 2024 ,3,01,4\n", "d.csv");
        Dates dates = Dates.read(csv, "y", "m", "d");
        assertEquals(List.of(LocalDate.of(2023, 12, 31), LocalDate.of(2024, 1, 1), LocalDate.of(2024, 2, 29),
                LocalDate.of(2024, 3, 1)), dates.asList());
    }

    @Test
    void threeColumnsCheckEachPartAndCollectEveryRow() {
        String text = "y,m,d\n"
                + "2023,2,29\n" // line 2: not a leap year
                + "1970,13,1\n" // 3: no month 13
                + "x,1,1\n" // 4: year not a number
                + "1970,6,31\n" // 5: June has 30 days
                + "1970,1,\n" // 6: day empty
                + "1970.0,1,1\n" // 7: year not a whole number
                + "1970,0,1\n"; // 8: no month 0
        assertEquals("d.csv columns y, m, d: 7 rows without a date (line 2 day '29' (February 2023 has 28 days), line 3 "
                + "month '13', line 4 year 'x', line 5 day '31' (June 1970 has 30 days), line 6 day (empty) and 2 more); "
                + "each row needs a whole-number year from 1 to 9999, month from 1 to 12 and day of that month",
                refusalYmd(text));
        assertEquals("d.csv columns y, m, d: 2 rows without a date (line 2 year '0' and line 3 day '0' (no day 0)); each "
                + "row needs a whole-number year from 1 to 9999, month from 1 to 12 and day of that month",
                refusalYmd("y,m,d\n0,1,1\n2024,1,0\n"));
        assertEquals("d.csv columns y, m, d: dates must increase strictly, one row per date, but 2024-01-01 on line 3 is "
                + "not after 2024-01-02 on line 2", refusalYmd("y,m,d\n2024,1,2\n2024,1,1\n"));
        Csv csv = Csv.parse("y,m,d\n2024,1,1\n", "d.csv");
        assertEquals("d.csv has no column 'day'; its columns are y, m, d",
                assertThrows(IllegalArgumentException.class, () -> Dates.read(csv, "y", "m", "day")).getMessage());
    }

    /** The bundled births: 7305 days, 1969-01-01 to 1988-12-31 (5 leap days among 20 years: 20·365 + 5). */
    @Test
    void birthsFromTheirYearMonthAndDayColumns() throws IOException {
        Dates dates = Dates.read(Csv.read(BIRTHS), "year", "month", "date_of_month");
        assertEquals(7_305, dates.size());
        assertEquals(LocalDate.of(1969, 1, 1), dates.get(0));
        assertEquals(LocalDate.of(1988, 12, 31), dates.get(7_304));
        assertEquals(1.0, dates.medianSpacingDays());
    }

    @Test
    void givenDatesAreCheckedToo() {
        List<LocalDate> days = List.of(LocalDate.of(2024, 1, 3), LocalDate.of(2024, 1, 4), LocalDate.of(2024, 1, 5),
                LocalDate.of(2024, 1, 5));
        assertEquals("dates must increase strictly, one row per date, but 2024-01-05 on row 3 is not after 2024-01-05 on "
                + "row 2", assertThrows(IllegalArgumentException.class, () -> Dates.of(days)).getMessage());
        assertEquals(3, Dates.of(days.subList(0, 3)).size());
        List<LocalDate> twice = List.of(LocalDate.of(2024, 1, 3), LocalDate.of(2024, 1, 2), LocalDate.of(2024, 1, 4),
                LocalDate.of(2024, 1, 4));
        assertEquals("dates must increase strictly, one row per date, but 2024-01-02 on row 1 is not after 2024-01-03 on "
                + "row 0; 1 more row is not after the row before it (row 3)",
                assertThrows(IllegalArgumentException.class, () -> Dates.of(twice)).getMessage());
    }

    @Test
    void theMedianSpacing() {
        LocalDate start = LocalDate.of(2024, 1, 1);
        // gaps 1, 1, 30: median 1
        assertEquals(1.0, Dates.of(List.of(start, start.plusDays(1), start.plusDays(2), start.plusDays(32)))
                .medianSpacingDays());
        // gaps 1, 13: mean of the two, 7
        assertEquals(7.0, Dates.of(List.of(start, start.plusDays(1), start.plusDays(14))).medianSpacingDays());
        // monthly: 31 (Jan), 29 (Feb 2024), 31 (Mar): median 31
        assertEquals(31.0, Dates.of(List.of(start, start.plusMonths(1), start.plusMonths(2), start.plusMonths(3)))
                .medianSpacingDays());
        assertEquals(Double.NaN, Dates.of(List.of(start)).medianSpacingDays());
    }
}
