package dev.vdrop.runtime.series;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link CalendarFeatures}: the angles of the day of the week and of the year. Expected sines and
 * cosines were computed apart (Python's math module, printed to 17 digits), and the day of the week
 * of each date read off a calendar; the tolerance 1e-15 covers the rounding of 2π·k/n and of the
 * sine and cosine (a few ulps of values at most 1).
 */
class CalendarFeaturesTest {
    private static final double TOLERANCE = 1e-15;

    private static CalendarFeatures of(LocalDate... dates) {
        return CalendarFeatures.of(Dates.of(List.of(dates)));
    }

    /** Monday 1 January 2024, Tuesday the 2nd, Thursday the 4th, Sunday the 7th: dow 0, 1, 3 and 6. */
    @Test
    void dailyRowsGetDayOfWeekAndDayOfYear() {
        CalendarFeatures features = of(LocalDate.of(2024, 1, 1), LocalDate.of(2024, 1, 2), LocalDate.of(2024, 1, 4),
                LocalDate.of(2024, 1, 7));
        assertEquals(List.of("dow_sin", "dow_cos", "doy_sin", "doy_cos"), features.names());
        assertTrue(features.hasDayOfWeek());
        assertEquals(4, features.rows());
        assertEquals(4, features.columns());
        double[][] m = features.matrix();
        // Monday: angle 0; 1 January: angle 0
        assertArrayEquals(new double[] {0, 1, 0, 1}, m[0], TOLERANCE);
        // Tuesday: 2π/7; 2 January: 2π·1/366 (2024 is a leap year)
        assertArrayEquals(new double[] {0.7818314824680298, 0.6234898018587336, 0.01716632975470737,
                0.9998526477050269}, m[1], TOLERANCE);
        // Thursday: 2π·3/7 = 6π/7
        assertArrayEquals(new double[] {0.43388373911755823, -0.900968867902419}, new double[] {m[2][0], m[2][1]},
                TOLERANCE);
        // Sunday: 2π·6/7, whose sine is −sin(2π/7) and cosine cos(2π/7)
        assertArrayEquals(new double[] {-0.7818314824680298, 0.6234898018587336}, new double[] {m[3][0], m[3][1]},
                TOLERANCE);
    }

    /**
     * 31 December is one day short of a full turn in its own year: 2π·365/366 in a leap year,
     * 2π·364/365 otherwise, so its sine is −sin(2π/366) or −sin(2π/365).
     */
    @Test
    void lastDayOfALeapAndOfACommonYear() {
        // Sunday 31 December 2023, Monday 1 January 2024, Tuesday 31 December 2024 (gaps 1 and 365: median 183)
        CalendarFeatures sparse = of(LocalDate.of(2023, 12, 31), LocalDate.of(2024, 1, 1), LocalDate.of(2024, 12, 31));
        assertEquals(List.of("doy_sin", "doy_cos"), sparse.names());
        double[][] m = sparse.matrix();
        assertArrayEquals(new double[] {-0.017213356155834685, 0.9998518392091162}, m[0], TOLERANCE);
        assertArrayEquals(new double[] {0, 1}, m[1], TOLERANCE);
        assertArrayEquals(new double[] {-0.01716632975470737, 0.9998526477050269}, m[2], TOLERANCE);
        // the same days in a daily series carry the day of week first: Sunday, Monday, Tuesday
        CalendarFeatures daily = of(LocalDate.of(2023, 12, 30), LocalDate.of(2023, 12, 31), LocalDate.of(2024, 1, 1),
                LocalDate.of(2024, 12, 31));
        double[][] d = daily.matrix();
        assertArrayEquals(new double[] {-0.7818314824680298, 0.6234898018587336, -0.017213356155834685,
                0.9998518392091162}, d[1], TOLERANCE);
        assertArrayEquals(new double[] {0.7818314824680298, 0.6234898018587336, -0.01716632975470737,
                0.9998526477050269}, d[3], TOLERANCE);
    }

    /** Every Monday of 2024 from 1 January: 7 days apart, no day of week; 8 January is 2π·7/366. */
    @Test
    void weeklyRowsGetDayOfYearOnly() {
        List<LocalDate> weeks = new ArrayList<>();
        for (LocalDate day = LocalDate.of(2024, 1, 1); day.getYear() == 2024; day = day.plusWeeks(1)) {
            weeks.add(day);
        }
        assertEquals(53, weeks.size());
        CalendarFeatures features = CalendarFeatures.of(Dates.of(weeks));
        assertEquals(List.of("doy_sin", "doy_cos"), features.names());
        assertFalse(features.hasDayOfWeek());
        assertEquals(2, features.columns());
        double[][] m = features.matrix();
        assertEquals(53, m.length);
        assertArrayEquals(new double[] {0.11988119229922722, 0.99278824516254}, m[1], TOLERANCE);
    }

    @Test
    void spacingDecidesTheDayOfWeekByTheMedian() {
        LocalDate start = LocalDate.of(2024, 1, 1);
        // gaps 1, 1, 30: median 1, a daily series with a hole: day of week kept
        assertTrue(of(start, start.plusDays(1), start.plusDays(2), start.plusDays(32)).hasDayOfWeek());
        // gaps 1, 12: median 6.5 < 7
        assertTrue(of(start, start.plusDays(1), start.plusDays(13)).hasDayOfWeek());
        // gaps 1, 13: median 7, not below 7
        assertFalse(of(start, start.plusDays(1), start.plusDays(14)).hasDayOfWeek());
        // monthly
        assertFalse(of(start, start.plusMonths(1), start.plusMonths(2)).hasDayOfWeek());
        // one row has no spacing
        assertEquals(List.of("doy_sin", "doy_cos"), of(start).names());
    }

    @Test
    void theMatrixIsACopy() {
        CalendarFeatures features = of(LocalDate.of(2024, 1, 1), LocalDate.of(2024, 1, 2));
        features.matrix()[0][0] = 99;
        assertEquals(0, features.matrix()[0][0], 0.0);
    }
}
