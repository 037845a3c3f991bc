package dev.vdrop.runtime.series;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * Calendar features of every row, from its date: where the row falls in the week and in the year, as
 * points on a circle, so the last day of a cycle sits next to the first.
 *
 * <p>The columns, in this order:
 * <ul>
 *   <li>{@code dow_sin}, {@code dow_cos}: {@code sin} and {@code cos} of {@code 2π·dow/7}, with
 *       {@code dow} = 0 for Monday … 6 for Sunday (ISO order). Only when the rows are less than 7
 *       days apart ({@link Dates#medianSpacingDays()} {@code < 7}): in a weekly or monthly series the
 *       day of the week says nothing (it is constant, or drifts without meaning).
 *   <li>{@code doy_sin}, {@code doy_cos}: {@code sin} and {@code cos} of
 *       {@code 2π·(dayOfYear − 1)/lengthOfYear}, where {@code lengthOfYear} is 365 or 366 for the
 *       row's own year, so 1 January is angle 0 and 31 December is one day short of a full turn in
 *       every year. A weekly series thus gets its year of 52.18 weeks without an integer period.
 * </ul>
 */
public final class CalendarFeatures {
    /** The name of the sine of the day of the week. */
    public static final String DOW_SIN = "dow_sin";
    /** The name of the cosine of the day of the week. */
    public static final String DOW_COS = "dow_cos";
    /** The name of the sine of the day of the year. */
    public static final String DOY_SIN = "doy_sin";
    /** The name of the cosine of the day of the year. */
    public static final String DOY_COS = "doy_cos";

    private final List<String> names;
    private final double[][] matrix;

    private CalendarFeatures(List<String> names, double[][] matrix) {
        this.names = List.copyOf(names);
        this.matrix = matrix;
    }

    /**
     * Computes the features of every row, as the class description says.
     *
     * @param dates the rows' dates
     * @return the features: day of week and day of year when the median spacing is below 7 days, day
     *     of year only otherwise (and for a single row, which has no spacing)
     */
    public static CalendarFeatures of(Dates dates) {
        Objects.requireNonNull(dates, "dates");
        boolean dayOfWeek = dates.medianSpacingDays() < 7;
        List<String> names = dayOfWeek ? List.of(DOW_SIN, DOW_COS, DOY_SIN, DOY_COS) : List.of(DOY_SIN, DOY_COS);
        double[][] matrix = new double[dates.size()][names.size()];
        for (int r = 0; r < matrix.length; r++) {
            LocalDate date = dates.get(r);
            int k = 0;
            if (dayOfWeek) {
                double week = 2 * Math.PI * (date.getDayOfWeek().getValue() - 1) / 7;
                matrix[r][k++] = Math.sin(week);
                matrix[r][k++] = Math.cos(week);
            }
            double year = 2 * Math.PI * (date.getDayOfYear() - 1) / date.lengthOfYear();
            matrix[r][k++] = Math.sin(year);
            matrix[r][k] = Math.cos(year);
        }
        return new CalendarFeatures(names, matrix);
    }

    /**
     * {@return the names of the columns, in order: {@code dow_sin, dow_cos, doy_sin, doy_cos} or
     * {@code doy_sin, doy_cos}}
     */
    public List<String> names() {
        return names;
    }

    /** {@return the number of rows} */
    public int rows() {
        return matrix.length;
    }

    /** {@return the number of columns, 4 or 2} */
    public int columns() {
        return names.size();
    }

    /** {@return whether the day-of-week columns are there (rows less than 7 days apart)} */
    public boolean hasDayOfWeek() {
        return names.contains(DOW_SIN);
    }

    /** {@return a copy of the features, {@code [rows][columns()]}, columns in the order of {@link #names()}} */
    public double[][] matrix() {
        double[][] copy = new double[matrix.length][];
        for (int r = 0; r < matrix.length; r++) {
            copy[r] = matrix[r].clone();
        }
        return copy;
    }

    @Override
    public String toString() {
        return "CalendarFeatures[" + matrix.length + " rows, " + String.join(", ", names) + "]";
    }
}
