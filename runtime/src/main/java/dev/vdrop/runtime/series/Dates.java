package dev.vdrop.runtime.series;

import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.TextStyle;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.IntUnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The date of every row of a series, strictly increasing, read from a {@link Csv} or given as a list.
 *
 * <p>From one column ({@link #read(Csv, String)}), a field is a date in ISO form {@code yyyy-mm-dd}
 * ({@code 1969-01-31}) or compact form {@code yyyymmdd} ({@code 19690131}). From three columns
 * ({@link #read(Csv, String, String, String)}), the year (1 to 9999), the month (1 to 12) and the day
 * are whole numbers, and the day must exist in that month (29 February only in a leap year). Every
 * row needs a date, since a row without one cannot be placed in time: an empty field is an error,
 * whatever policy applies to the values.
 *
 * <p>Every field in trouble is collected, and the message names the first {@value Listing#SHOWN} by
 * line, then counts the rest: {@code births.csv column date: 3 fields are not dates (line 3
 * '3/4/1970', line 9 (empty) and line 12 '2023-02-29' (February 2023 has 28 days)); write each row's
 * date as yyyy-mm-dd (1969-01-31) or yyyymmdd (19690131)}, or for three columns {@code births.csv
 * columns year, month, day: 2 rows without a date (line 4 month '13' and line 5 day '31' (June 1970 has
 * 30 days)); each row needs a whole-number year from 1 to 9999, month from 1 to 12 and day of that
 * month}. When every row has a date, the dates must increase strictly (one row per date, in order):
 * {@code births.csv column date: dates must increase strictly, one row per date, but 1970-02-10 on
 * line 41 is not after 1970-02-10 on line 40}, followed, when more rows are out of order, by
 * {@code ; 3 more rows are not after the row before them (lines 90, 91 and 300)}.
 */
public final class Dates {
    private static final Pattern ISO = Pattern.compile("(\\d{4})-(\\d{2})-(\\d{2})");
    private static final Pattern COMPACT = Pattern.compile("(\\d{4})(\\d{2})(\\d{2})");
    private static final Pattern YEAR = Pattern.compile("\\d{1,4}");
    private static final Pattern MONTH_OR_DAY = Pattern.compile("\\d{1,2}");

    private final LocalDate[] dates;

    private Dates(LocalDate[] dates) {
        this.dates = dates;
    }

    /**
     * Reads dates from one column, {@code yyyy-mm-dd} or {@code yyyymmdd} (the two forms may mix).
     *
     * @param csv the table
     * @param column the name of its date column
     * @return the date of every row
     * @throws IllegalArgumentException when there is no such column, when a field is empty, in
     *     neither form, or not a real date, or when the dates do not increase strictly; the messages are
     *     those of the class description
     */
    public static Dates read(Csv csv, String column) {
        Objects.requireNonNull(csv, "csv");
        int c = csv.columnIndex(column);
        LocalDate[] dates = new LocalDate[csv.rows()];
        List<String> problems = new ArrayList<>();
        for (int r = 0; r < dates.length; r++) {
            String field = csv.field(r, c).trim();
            Matcher m = ISO.matcher(field);
            if (!m.matches()) {
                m = COMPACT.matcher(field);
            }
            String problem;
            if (field.isEmpty()) {
                problem = "(empty)";
            } else if (!m.matches()) {
                problem = "'" + field + "'";
            } else {
                String invalid = invalid(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                        Integer.parseInt(m.group(3)));
                problem = invalid == null ? null : "'" + field + "' (" + invalid + ")";
            }
            if (problem == null) {
                dates[r] = LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                        Integer.parseInt(m.group(3)));
            } else {
                problems.add("line " + csv.line(r) + " " + problem);
            }
        }
        String prefix = csv.source() + " column " + column + ": ";
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(prefix + Listing.count(problems.size(), "field is not a date",
                    "fields are not dates") + " (" + Listing.join(problems)
                    + "); write each row's date as yyyy-mm-dd (1969-01-31) or yyyymmdd (19690131)");
        }
        return increasing(dates, prefix, "line", csv::line);
    }

    /**
     * Reads dates from three columns: year, month and day of the month, as whole numbers.
     *
     * @param csv the table
     * @param year the name of the year column (1 to 9999)
     * @param month the name of the month column (1 to 12)
     * @param day the name of the day column (1 to the length of that month)
     * @return the date of every row
     * @throws IllegalArgumentException when a column is missing, when a row's year, month or day is
     *     empty, not a whole number or out of range, or when the dates do not increase strictly; the
     *     messages are those of the class description (one problem per row, the first of year, month,
     *     day)
     */
    public static Dates read(Csv csv, String year, String month, String day) {
        Objects.requireNonNull(csv, "csv");
        int y = csv.columnIndex(year);
        int m = csv.columnIndex(month);
        int d = csv.columnIndex(day);
        LocalDate[] dates = new LocalDate[csv.rows()];
        List<String> problems = new ArrayList<>();
        for (int r = 0; r < dates.length; r++) {
            String yearField = csv.field(r, y).trim();
            String monthField = csv.field(r, m).trim();
            String dayField = csv.field(r, d).trim();
            String problem = partsProblem(yearField, monthField, dayField);
            if (problem == null) {
                dates[r] = LocalDate.of(Integer.parseInt(yearField), Integer.parseInt(monthField),
                        Integer.parseInt(dayField));
            } else {
                problems.add("line " + csv.line(r) + " " + problem);
            }
        }
        String prefix = csv.source() + " columns " + year + ", " + month + ", " + day + ": ";
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(prefix + Listing.count(problems.size(), "row without a date",
                    "rows without a date") + " (" + Listing.join(problems) + "); each row needs a whole-number year "
                    + "from 1 to 9999, month from 1 to 12 and day of that month");
        }
        return increasing(dates, prefix, "line", csv::line);
    }

    /**
     * Takes dates given in order, one per row.
     *
     * @param dates the date of each row
     * @return them
     * @throws IllegalArgumentException when they do not increase strictly: {@code dates must increase
     *     strictly, one row per date, but 2024-01-05 on row 3 is not after 2024-01-05 on row 2} (rows
     *     from 0)
     * @throws NullPointerException when the list or a date is null
     */
    public static Dates of(List<LocalDate> dates) {
        LocalDate[] copy = dates.toArray(new LocalDate[0]);
        for (int r = 0; r < copy.length; r++) {
            Objects.requireNonNull(copy[r], "the date of row " + r);
        }
        return increasing(copy, "", "row", r -> r);
    }

    /**
     * Checks that the dates increase strictly, naming row {@code r} as {@code unit} and
     * {@code number(r)}, e.g. {@code line 41}.
     */
    private static Dates increasing(LocalDate[] dates, String prefix, String unit, IntUnaryOperator number) {
        List<Integer> late = new ArrayList<>();
        for (int r = 1; r < dates.length; r++) {
            if (!dates[r].isAfter(dates[r - 1])) {
                late.add(r);
            }
        }
        if (late.isEmpty()) {
            return new Dates(dates);
        }
        int r = late.get(0);
        String message = prefix + "dates must increase strictly, one row per date, but " + dates[r] + " on " + unit
                + " " + number.applyAsInt(r) + " is not after " + dates[r - 1] + " on " + unit + " "
                + number.applyAsInt(r - 1);
        if (late.size() > 1) {
            List<Integer> more = late.subList(1, late.size()).stream().map(number::applyAsInt).toList();
            message += "; " + Listing.count(more.size(), "more row is", "more rows are")
                    + " not after the row before " + (more.size() == 1 ? "it" : "them") + " (" + Listing.numbered(unit, more) + ")";
        }
        throw new IllegalArgumentException(message);
    }

    /**
     * {@return what is wrong with a row's year, month and day fields, e.g. {@code month '13'}, or null
     * when they make a date}
     */
    private static String partsProblem(String year, String month, String day) {
        if (!YEAR.matcher(year).matches() || Integer.parseInt(year) < 1) {
            return "year " + quoted(year);
        }
        if (!MONTH_OR_DAY.matcher(month).matches() || !isMonth(Integer.parseInt(month))) {
            return "month " + quoted(month);
        }
        if (!MONTH_OR_DAY.matcher(day).matches()) {
            return "day " + quoted(day);
        }
        String invalid = invalid(Integer.parseInt(year), Integer.parseInt(month), Integer.parseInt(day));
        return invalid == null ? null : "day " + quoted(day) + " (" + invalid + ")";
    }

    private static boolean isMonth(int month) {
        return month >= 1 && month <= 12;
    }

    /** {@return why year-month-day is not a date, e.g. {@code February 2023 has 28 days}, or null when it is one} */
    private static String invalid(int year, int month, int day) {
        if (year < 1) {
            return "no year " + year;
        }
        if (!isMonth(month)) {
            return "no month " + month;
        }
        if (day < 1) {
            return "no day " + day;
        }
        YearMonth yearMonth = YearMonth.of(year, month);
        if (day > yearMonth.lengthOfMonth()) {
            return yearMonth.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH) + " " + year + " has "
                    + yearMonth.lengthOfMonth() + " days";
        }
        return null;
    }

    private static String quoted(String field) {
        return field.isEmpty() ? "(empty)" : "'" + field + "'";
    }

    /** {@return the number of rows} */
    public int size() {
        return dates.length;
    }

    /**
     * The date of a row.
     *
     * @param row the row, from 0
     * @return its date
     * @throws IndexOutOfBoundsException when there is no such row
     */
    public LocalDate get(int row) {
        return dates[row];
    }

    /** {@return the dates, in row order (an unmodifiable list)} */
    public List<LocalDate> asList() {
        return List.of(dates);
    }

    /**
     * The typical spacing of the rows: the median of the {@code size() − 1} gaps in days between
     * consecutive rows (the mean of the two middle gaps when their number is even). One row has no
     * gap: {@link Double#NaN}.
     *
     * @return the median gap in days, e.g. 1 for a daily series, 7 for a weekly one, 30 or 31 for a
     *     monthly one
     */
    public double medianSpacingDays() {
        int n = dates.length - 1;
        if (n < 1) {
            return Double.NaN;
        }
        long[] gaps = new long[n];
        for (int r = 0; r < n; r++) {
            gaps[r] = ChronoUnit.DAYS.between(dates[r], dates[r + 1]);
        }
        Arrays.sort(gaps);
        return n % 2 == 1 ? gaps[n / 2] : (gaps[n / 2 - 1] + gaps[n / 2]) / 2.0;
    }

    @Override
    public String toString() {
        return dates.length == 0 ? "Dates[]"
                : "Dates[" + dates.length + " rows, " + dates[0] + " to " + dates[dates.length - 1] + "]";
    }
}
