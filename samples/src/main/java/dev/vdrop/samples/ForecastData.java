package dev.vdrop.samples;

import dev.vdrop.runtime.forecast.ObservedValues;
import dev.vdrop.runtime.series.CalendarFeatures;
import dev.vdrop.runtime.series.Csv;
import dev.vdrop.runtime.series.Dates;
import dev.vdrop.runtime.series.FilledSeries;
import dev.vdrop.runtime.series.MissingValues;
import dev.vdrop.runtime.series.Normalizer;
import dev.vdrop.runtime.series.Windows;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Reads what {@code vdrop forecast} forecasts from a CSV table, in this order: the forecast column
 * under {@code --missing}'s policy ({@link MissingValues}); the rows' dates from
 * {@code --date-column} or {@code --date-columns} ({@link Dates}) and their {@link CalendarFeatures};
 * each {@code --inputs} column under the same policy, standardised with the mean and population
 * standard deviation of its observed values in the training span (the first 80% of the rows,
 * {@link Windows#testStart}: the data before the first forecast origin). The row features are the
 * calendar's columns, then the inputs', in the order given.
 *
 * <p>Every mistake is an {@link IllegalArgumentException} whose message is the data layer's (it
 * names the file, the column and the lines), or, for an input that cannot be standardised, starts
 * with {@code small.csv column x (--inputs): }.
 */
final class ForecastData {
    private ForecastData() {}

    /**
     * What to read.
     *
     * @param column the forecast column
     * @param policy what to do with a missing value, in every column read
     * @param dateColumns none; one, a column of dates; or three, the year, month and day columns
     * @param inputs further numeric columns read as inputs, none by default
     */
    record Request(String column, MissingValues.Policy policy, List<String> dateColumns, List<String> inputs) {
        Request {
            dateColumns = List.copyOf(dateColumns);
            inputs = List.copyOf(inputs);
            if (dateColumns.size() != 0 && dateColumns.size() != 1 && dateColumns.size() != 3) {
                throw new IllegalArgumentException("dates come from one column or three, not " + dateColumns);
            }
        }
    }

    /**
     * Reads the series.
     *
     * @param table the CSV table
     * @param r what to read from it
     * @return the series with its row features (null when there are none), dates (null when not asked
     *     for) and what the policy filled or left missing
     * @throws IllegalArgumentException as the class description says
     */
    static ForecastCommand.Series read(Csv table, Request r) {
        List<FilledSeries> columns = new ArrayList<>();
        FilledSeries target = MissingValues.fill(table.numbers(r.column()), r.policy());
        columns.add(target);
        int rows = target.size();
        Dates dates = switch (r.dateColumns().size()) {
            case 0 -> null;
            case 1 -> Dates.read(table, r.dateColumns().get(0));
            default -> Dates.read(table, r.dateColumns().get(0), r.dateColumns().get(1), r.dateColumns().get(2));
        };
        List<String> names = new ArrayList<>();
        List<double[]> features = new ArrayList<>();
        if (dates != null) {
            CalendarFeatures calendar = CalendarFeatures.of(dates);
            double[][] m = calendar.matrix();
            for (int c = 0; c < calendar.columns(); c++) {
                double[] column = new double[rows];
                for (int row = 0; row < rows; row++) {
                    column[row] = m[row][c];
                }
                features.add(column);
            }
            names.addAll(calendar.names());
        }
        int testStart = Windows.testStart(rows);
        for (String input : r.inputs()) {
            FilledSeries column = MissingValues.fill(table.numbers(input), r.policy());
            columns.add(column);
            features.add(standardised(column, testStart, row -> table.where(row, input)));
            names.add(input);
        }
        double[][] rowFeatures = null;
        if (!features.isEmpty()) {
            rowFeatures = new double[rows][features.size()];
            for (int c = 0; c < features.size(); c++) {
                for (int row = 0; row < rows; row++) {
                    rowFeatures[row][c] = features.get(c)[row];
                }
            }
        }
        String column = r.column();
        return new ForecastCommand.Series(table.source(), column, target.values(), rowFeatures, names,
                MissingReport.of(r.policy(), columns), dates, row -> table.where(row, column));
    }

    /**
     * An input column standardised, {@code (x − m)/s}, with m and s the mean and population standard
     * deviation of its observed values before {@code testStart}; a missing value stays NaN.
     *
     * @param where what to call row {@code i}'s value in a message
     * @throws IllegalArgumentException when the training span has no observed value or only one
     *     value repeated, or a value is beyond what the model's arithmetic holds ({@link Normalizer})
     */
    static double[] standardised(FilledSeries column, int testStart, IntFunction<String> where) {
        double[] x = column.values();
        ObservedValues seen = ObservedValues.of(x, testStart);
        int[] observed = seen.rows();
        double[] values = seen.values();
        int train = seen.train();
        String prefix = column.source() + " column " + column.name() + " (--inputs): ";
        if (train == 0) {
            throw new IllegalArgumentException(prefix + "no value of the training span (the first 80%, rows before "
                    + testStart + ") is observed, so it cannot be standardised; leave it out of --inputs");
        }
        IntFunction<String> at = seen.naming(where);
        double[] z;
        try {
            z = Normalizer.fit(values, 0, train, at).normalize(values, at);
        } catch (IllegalArgumentException e) {
            // a value's message starts with its file and line; the span's (a constant one) says which column
            throw e.getMessage().startsWith(column.source() + " line ") ? e
                    : new IllegalArgumentException(prefix + e.getMessage() + "; leave it out of --inputs");
        }
        double[] out = x.clone();
        for (int i = 0; i < observed.length; i++) {
            out[observed[i]] = z[i];
        }
        return out;
    }
}
