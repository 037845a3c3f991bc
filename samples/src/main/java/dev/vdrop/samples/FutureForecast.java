package dev.vdrop.samples;

import dev.vdrop.runtime.forecast.ScaledWindows;
import dev.vdrop.runtime.forecast.SeriesPrediction;
import dev.vdrop.runtime.mc.Interval;
import dev.vdrop.runtime.mc.RegressionPrediction;
import dev.vdrop.runtime.series.Dates;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Locale;

/**
 * {@code --future}: the forecasts of the {@code steps} rows after the last one, from the last
 * window (its origin the last row), by the evaluated model, in the series' units. Step j (from 1) is
 * row {@code last + horizon + j − 1}.
 *
 * @param index the row of each step, past the data
 * @param dates the date of each step, or null when the series has none or its rows are not evenly
 *     spaced ({@link FutureDates})
 * @param predictions one per step
 */
record FutureForecast(int[] index, LocalDate[] dates, SeriesPrediction[] predictions) {
    FutureForecast {
        if (index.length != predictions.length || dates != null && dates.length != index.length) {
            throw new IllegalArgumentException("one row, date and prediction per step: got " + index.length + " rows, "
                    + (dates == null ? "no" : dates.length) + " dates and " + predictions.length + " predictions");
        }
    }

    /**
     * The forecasts of the last window.
     *
     * @param last the window whose origin is the last row, with its map back to the series' units
     * @param predictions its MC forecast, one per step, in the network's units
     * @param dates the rows' dates, or null when the series has none
     */
    static FutureForecast of(ScaledWindows last, RegressionPrediction[] predictions, Dates dates) {
        SeriesPrediction[] mapped = new SeriesPrediction[predictions.length];
        int[] index = new int[predictions.length];
        for (int j = 0; j < predictions.length; j++) {
            mapped[j] = last.map(0).map(predictions[j]);
            index[j] = last.targetIndex(j)[0];
        }
        FutureDates continued = dates == null ? null : FutureDates.of(dates);
        LocalDate[] future = continued == null || !continued.known() ? null
                : Arrays.stream(index).mapToObj(continued::date).toArray(LocalDate[]::new);
        return new FutureForecast(index, future, mapped);
    }

    int size() {
        return index.length;
    }

    /** {@return the predictive standard deviation of step {@code i} (from 0): the square root of both variances' sum} */
    double std(int i) {
        return predictions[i].std();
    }

    /**
     * Writes {@code future.csv} atomically: one row per step, {@code step} (from 1), {@code index},
     * {@code date} (when known), {@code mean}, {@code std}, {@code lo80}, {@code hi80}, {@code lo95},
     * {@code hi95}.
     */
    void writeCsv(Path file) throws IOException {
        StringBuilder csv = new StringBuilder("step,index,").append(dates == null ? "" : "date,")
                .append("mean,std,lo80,hi80,lo95,hi95\n");
        for (int i = 0; i < size(); i++) {
            csv.append(i + 1).append(',').append(index[i]).append(',');
            if (dates != null) {
                csv.append(dates[i]).append(',');
            }
            Interval i80 = predictions[i].interval(0.8);
            Interval i95 = predictions[i].interval(0.95);
            csv.append(String.format(Locale.ROOT, "%.6g,%.6g,%.6g,%.6g,%.6g,%.6g\n", predictions[i].mean(), std(i), i80.lo(),
                    i80.hi(), i95.lo(), i95.hi()));
        }
        String text = csv.toString();
        Outputs.write(file, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }
}
