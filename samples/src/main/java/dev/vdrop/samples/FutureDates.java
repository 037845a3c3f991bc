package dev.vdrop.samples;

import dev.vdrop.runtime.series.Dates;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * The dates of the rows after a series' last one, for {@code --future}: known only when the rows
 * are evenly spaced, by a whole number of days (every gap the same: daily, weekly) or of calendar
 * months (every row on the same day of its month, or on its month's last day, each a fixed number
 * of months after the one before: monthly, quarterly, yearly). Row {@code last + k} is then the last
 * date plus k gaps: {@code last + k·d} days, or k·m months on (the month's last day for a series of
 * month ends, else the same day, or the month's last day when it is shorter).
 *
 * <p>Otherwise the rows are irregular, and a future row has no date; {@link #why()} says so, and
 * {@link #approximate} places it for a plot only, the median gap on from the last date.
 */
final class FutureDates {
    /** The mean length of a calendar month in days: 365.2425 / 12. */
    private static final double MONTH_DAYS = 365.2425 / 12;

    private final Dates dates;
    private final long days;
    private final int months;
    private final String why;

    private FutureDates(Dates dates, long days, int months, String why) {
        this.dates = dates;
        this.days = days;
        this.months = months;
        this.why = why;
    }

    /** {@return how the rows of {@code dates} continue past the last} */
    static FutureDates of(Dates dates) {
        int n = dates.size();
        if (n < 2) {
            return new FutureDates(dates, 0, 0, "one row has no spacing to continue");
        }
        long first = ChronoUnit.DAYS.between(dates.get(0), dates.get(1));
        long shortest = first;
        long longest = first;
        for (int r = 1; r + 1 < n; r++) {
            long gap = ChronoUnit.DAYS.between(dates.get(r), dates.get(r + 1));
            shortest = Math.min(shortest, gap);
            longest = Math.max(longest, gap);
        }
        if (shortest == longest) {
            return new FutureDates(dates, first, 0, null);
        }
        int m = (int) Math.round(dates.medianSpacingDays() / MONTH_DAYS);
        if (m >= 1 && everyGapIsMonths(dates, m)) {
            return new FutureDates(dates, 0, m, null);
        }
        return new FutureDates(dates, 0, 0, String.format(Locale.ROOT, "the rows are not evenly spaced (gaps of %d to %d "
                + "days, neither one number of days nor of months)", shortest, longest));
    }

    private static boolean everyGapIsMonths(Dates dates, int m) {
        for (int r = 0; r + 1 < dates.size(); r++) {
            LocalDate a = dates.get(r);
            LocalDate b = dates.get(r + 1);
            long apart = ChronoUnit.MONTHS.between(YearMonth.from(a), YearMonth.from(b));
            boolean sameDay = a.getDayOfMonth() == b.getDayOfMonth();
            if (apart != m || !(sameDay || isMonthEnd(a) && isMonthEnd(b))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isMonthEnd(LocalDate d) {
        return d.getDayOfMonth() == d.lengthOfMonth();
    }

    /** {@return whether future rows have dates: the rows are evenly spaced} */
    boolean known() {
        return why == null;
    }

    /** {@return why future rows have no dates, or null when they have} */
    String why() {
        return why;
    }

    /** {@return the spacing as words: "7 days", "3 months"} */
    String spacing() {
        return months > 0 ? months + (months == 1 ? " month" : " months") : days + (days == 1 ? " day" : " days");
    }

    /**
     * The date of row {@code row}: a row of the data's own, or one {@code k = row − (size − 1)} rows past
     * the last.
     *
     * @throws IllegalStateException for a row past the data when the rows are not evenly spaced
     */
    LocalDate date(int row) {
        if (row < dates.size()) {
            return dates.get(row);
        }
        if (!known()) {
            throw new IllegalStateException("row " + row + " has no date: " + why);
        }
        LocalDate last = dates.get(dates.size() - 1);
        long k = row - (dates.size() - 1L);
        if (months == 0) {
            return last.plusDays(k * days);
        }
        YearMonth month = YearMonth.from(last).plusMonths(k * months);
        return isMonthEnd(last) ? month.atEndOfMonth() : month.atDay(Math.min(last.getDayOfMonth(), month.lengthOfMonth()));
    }

    /** {@return row {@code row}'s date, or, past the data of irregular rows, the median gap on from the last date: for a plot} */
    LocalDate approximate(int row) {
        if (row < dates.size() || known()) {
            return date(row);
        }
        long k = row - (dates.size() - 1L);
        return dates.get(dates.size() - 1).plusDays(Math.round(k * dates.medianSpacingDays()));
    }
}
