package dev.vdrop.samples;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.vdrop.runtime.forecast.ForecastScores;
import dev.vdrop.runtime.forecast.StepScores;
import dev.vdrop.runtime.io.NonFiniteAsNull;
import dev.vdrop.runtime.mc.Interval;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.function.ToDoubleFunction;

/**
 * The files that hold the test span's forecasts step by step ({@link ForecastScores}, the
 * runtime's, pooled over the windows' origins): {@code forecast.json} and {@code forecast.csv}.
 * Every step's forecasts carry the MC-dropout predictive mean, standard deviations and 80% and 95%
 * intervals in the series' units, beside the seasonal-naive forecast.
 */
final class ForecastSteps {
    private static final ObjectMapper JSON = NonFiniteAsNull.mapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final ForecastScores scores;

    ForecastSteps(ForecastScores scores) {
        this.scores = scores;
    }

    /** {@return the reports, step 1 first} */
    List<StepScores> steps() {
        return scores.steps();
    }

    /** {@return the last step's report: what forecast.json's scalar scores, the plot and the console describe} */
    StepScores last() {
        return scores.last();
    }

    /**
     * The scores as forecast.json lists them: the last step's (every key forecast.json had with one
     * step), its persistence RMSE and MASE, then one array per score with every step's.
     */
    Map<String, Object> scores() {
        StepScores last = last();
        Map<String, Object> out = scores(last);
        out.put("persistence_rmse", last.persistenceRmse());
        out.put("mase", last.mase());
        out.put("rmse_by_step", byStep(StepScores::rmse));
        out.put("mae_by_step", byStep(StepScores::mae));
        out.put("smape_by_step", byStep(StepScores::smape));
        out.put("mase_by_step", byStep(StepScores::mase));
        out.put("persistence_rmse_by_step", byStep(StepScores::persistenceRmse));
        out.put("seasonal_naive_rmse_by_step", byStep(StepScores::seasonalNaiveRmse));
        out.put("coverage_80_by_step", byStep(r -> r.coverage(0.8).fraction()));
        out.put("coverage_95_by_step", byStep(r -> r.coverage(0.95).fraction()));
        out.put("test_points_by_step", steps().stream().map(StepScores::size).toList());
        return out;
    }

    /** One step's scores, in the order forecast.json lists them, before the run's settings. */
    private static Map<String, Object> scores(StepScores r) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("rmse", r.rmse());
        out.put("mae", r.mae());
        out.put("smape", r.smape());
        out.put("seasonal_naive_rmse", r.seasonalNaiveRmse());
        out.put("seasonal_naive_mae", r.seasonalNaiveMae());
        out.put("seasonal_naive_smape", r.seasonalNaiveSmape());
        out.put("coverage_80", r.coverage(0.8).fraction());
        out.put("coverage_95", r.coverage(0.95).fraction());
        out.put("mean_width_80", r.meanWidth(0.8));
        out.put("mean_width_95", r.meanWidth(0.95));
        out.put("noise_std", r.rmsNoiseStd());
        out.put("epistemic_std", r.rmsEpistemicStd());
        out.put("test_points", r.size());
        return out;
    }

    private List<Double> byStep(ToDoubleFunction<StepScores> score) {
        return steps().stream().map(r -> score.applyAsDouble(r)).toList();
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
        boolean withStep = steps().size() > 1;
        StringBuilder csv = new StringBuilder(withStep ? "step," : "").append("index,").append(dates == null ? "" : "date,")
                .append("truth,mean,epistemic_std,noise_std,lo80,hi80,lo95,hi95,seasonal_naive\n");
        for (StepScores r : steps()) {
            appendCsv(csv, r, withStep, dates);
        }
        String text = csv.toString();
        Outputs.write(file, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Appends one CSV row per value of {@code r}: index, its date when {@code dates} is not null, truth, mean,
     * standard deviations, both intervals, seasonal naive.
     */
    private static void appendCsv(StringBuilder csv, StepScores r, boolean withStep, IntFunction<LocalDate> dates) {
        int[] index = r.index();
        double[] truth = r.truth();
        double[] mean = r.mean();
        double[] epistemicStd = r.epistemicStd();
        double[] noiseStd = r.noiseStd();
        double[] naive = r.seasonalNaive();
        List<Interval> interval80 = r.intervals(0.8);
        List<Interval> interval95 = r.intervals(0.95);
        for (int i = 0; i < truth.length; i++) {
            if (withStep) {
                csv.append(r.step()).append(',');
            }
            csv.append(index[i]).append(',');
            if (dates != null) {
                csv.append(dates.apply(index[i])).append(',');
            }
            csv.append(String.format(Locale.ROOT, "%s,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%s\n", plain(truth[i]),
                    mean[i], epistemicStd[i], noiseStd[i], interval80.get(i).lo(), interval80.get(i).hi(),
                    interval95.get(i).lo(), interval95.get(i).hi(), plain(naive[i])));
        }
    }

    /** A value as the CSV gave it: whole numbers without a decimal point. */
    private static String plain(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
