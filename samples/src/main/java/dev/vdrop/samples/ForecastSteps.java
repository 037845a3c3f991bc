package dev.vdrop.samples;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.vdrop.runtime.io.NonFiniteAsNull;
import dev.vdrop.runtime.mc.RegressionPrediction;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.function.ToDoubleFunction;

/**
 * The test span's forecasts step by step ({@link ForecastReport} per step, pooled over the
 * windows' origins), and the files that hold them: {@code forecast.json} and {@code forecast.csv}.
 *
 * <p>Which forecasts are scored at step j (from 1): those whose target lies inside the data and is
 * observed, and whose seasonal-naive forecast is observed too, so that the model and both
 * baselines are scored on the same values. The last steps of the last origins lie past the data,
 * so step j has up to {@code j − 1} values fewer than step 1.
 */
final class ForecastSteps {
    private static final ObjectMapper JSON = NonFiniteAsNull.mapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final List<ForecastReport> steps;

    private ForecastSteps(List<ForecastReport> steps) {
        this.steps = List.copyOf(steps);
    }

    /**
     * Scores the test windows' predictions in the series' units.
     *
     * @param x the series, NaN where a value is missing
     * @param testStart the end of the training span, on which MASE's denominators are taken
     * @param test the test windows
     * @param predictions per test window, one per step, in the network's units
     * @param season the seasonal-naive forecast's season ({@link ForecastCommand#naiveLag(int, int)})
     */
    static ForecastSteps of(double[] x, int testStart, LeadTimeWindows.Part test, RegressionPrediction[][] predictions,
                            int season) {
        int h = test.size() == 0 ? 0 : test.targets()[0].length;
        List<ForecastReport> out = new ArrayList<>(h);
        for (int j = 0; j < h; j++) {
            long lag = ForecastCommand.naiveLag(season, test.lead() + j);
            int[] targets = test.targetIndex(j);
            List<Integer> scored = new ArrayList<>();
            for (int e = 0; e < targets.length; e++) {
                int t = targets[e];
                if (t < x.length && !Double.isNaN(x[t]) && !Double.isNaN(x[(int) (t - lag)])) {
                    scored.add(e);
                }
            }
            int n = scored.size();
            int[] index = new int[n];
            double[] truth = new double[n];
            double[] naive = new double[n];
            double[] persistence = new double[n];
            SeriesPrediction[] p = new SeriesPrediction[n];
            for (int i = 0; i < n; i++) {
                int e = scored.get(i);
                index[i] = targets[e];
                truth[i] = x[index[i]];
                naive[i] = x[(int) (index[i] - lag)];
                persistence[i] = x[test.origins()[e]];
                p[i] = test.maps()[e].map(predictions[e][j]);
            }
            out.add(ForecastReport.of(j + 1, index, truth, p, naive, persistence,
                    ForecastReport.inSampleNaiveMae(x, testStart, lag)));
        }
        return new ForecastSteps(out);
    }

    /** {@return the reports, step 1 first} */
    List<ForecastReport> steps() {
        return steps;
    }

    /** {@return the last step's report: what forecast.json's scalar scores, the plot and the console describe} */
    ForecastReport last() {
        return steps.get(steps.size() - 1);
    }

    /**
     * The scores as forecast.json lists them: the last step's (every key forecast.json had with one
     * step), its persistence RMSE and MASE, then one array per score with every step's.
     */
    Map<String, Object> scores() {
        ForecastReport last = last();
        Map<String, Object> out = last.scores();
        out.put("persistence_rmse", last.persistenceRmse());
        out.put("mase", last.mase());
        out.put("rmse_by_step", byStep(ForecastReport::rmse));
        out.put("mae_by_step", byStep(ForecastReport::mae));
        out.put("smape_by_step", byStep(ForecastReport::smape));
        out.put("mase_by_step", byStep(ForecastReport::mase));
        out.put("persistence_rmse_by_step", byStep(ForecastReport::persistenceRmse));
        out.put("seasonal_naive_rmse_by_step", byStep(ForecastReport::naiveRmse));
        out.put("coverage_80_by_step", byStep(r -> r.coverage(0.8).fraction()));
        out.put("coverage_95_by_step", byStep(r -> r.coverage(0.95).fraction()));
        out.put("test_points_by_step", steps.stream().map(ForecastReport::size).toList());
        return out;
    }

    private List<Double> byStep(ToDoubleFunction<ForecastReport> score) {
        return steps.stream().map(r -> score.applyAsDouble(r)).toList();
    }

    /**
     * Writes {@link #scores()} followed by {@code run} (settings, sizes, timings) as one JSON object,
     * atomically; a score that is not a number is {@code null}.
     */
    void writeJson(Path file, Map<String, Object> run) throws IOException {
        Map<String, Object> all = new LinkedHashMap<>(scores());
        all.putAll(run);
        String text = JSON.writeValueAsString(all) + "\n";
        Outputs.write(file, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * One row per scored forecast, written atomically: index, date (when {@code dates} is not null),
     * truth, mean, standard deviations, both intervals, seasonal naive; with more than one step, the
     * step (from 1) first, step 1's rows first.
     *
     * @param dates the date of each row, or null when the series has none
     */
    void writeCsv(Path file, IntFunction<LocalDate> dates) throws IOException {
        boolean withStep = steps.size() > 1;
        StringBuilder csv = new StringBuilder(withStep ? "step," : "").append("index,").append(dates == null ? "" : "date,")
                .append("truth,mean,epistemic_std,noise_std,lo80,hi80,lo95,hi95,seasonal_naive\n");
        for (ForecastReport r : steps) {
            r.appendCsv(csv, withStep, dates);
        }
        String text = csv.toString();
        Outputs.write(file, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }
}
