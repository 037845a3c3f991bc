package dev.vdrop.samples;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.vdrop.runtime.io.NonFiniteAsNull;
import dev.vdrop.runtime.mc.Coverage;
import dev.vdrop.runtime.mc.Interval;
import dev.vdrop.runtime.mc.RegressionPrediction;
import dev.vdrop.runtime.series.Normalizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The forecast of every test-span value in the series' own units — the MC-dropout predictive mean,
 * standard deviation and 80% and 95% intervals, denormalised — with the seasonal-naive forecast
 * beside it, the scores of both, and the files that hold them ({@code forecast.json},
 * {@code forecast.csv}).
 *
 * <p>Scores: RMSE and MAE of the predictive mean; sMAPE in per cent, {@code 100/n · Σ 2|y − ŷ| /
 * (|y| + |ŷ|)} (a term is 0 when both are 0), from 0 to 200; coverage, the fraction of values inside
 * their interval (ends included).
 */
final class ForecastReport {
    private static final ObjectMapper JSON = NonFiniteAsNull.mapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final int[] index;
    private final double[] truth;
    private final double[] mean;
    private final double[] epistemicStd;
    private final double[] aleatoricStd;
    private final List<Interval> interval80;
    private final List<Interval> interval95;
    private final double[] naive;

    private ForecastReport(int[] index, double[] truth, double[] mean, double[] epistemicStd, double[] aleatoricStd,
                           List<Interval> interval80, List<Interval> interval95, double[] naive) {
        this.index = index;
        this.truth = truth;
        this.mean = mean;
        this.epistemicStd = epistemicStd;
        this.aleatoricStd = aleatoricStd;
        this.interval80 = interval80;
        this.interval95 = interval95;
        this.naive = naive;
    }

    /**
     * Maps standardised predictions back into the series' units: means and interval ends with
     * {@link Normalizer#denormalize(double)} (an increasing map, so an interval stays an interval),
     * variances with {@link Normalizer#denormalizeVariance(double)}.
     *
     * @param index the series index of each predicted value
     * @param truth the observed values, original units
     * @param predictions one per value, in standardised units
     * @param naive the seasonal-naive forecast of each value, original units
     */
    static ForecastReport of(int[] index, double[] truth, RegressionPrediction[] predictions, Normalizer normalizer,
                             double[] naive) {
        int n = truth.length;
        double[] mean = new double[n];
        double[] epistemic = new double[n];
        double[] aleatoric = new double[n];
        List<Interval> i80 = new ArrayList<>(n);
        List<Interval> i95 = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            RegressionPrediction p = predictions[i];
            mean[i] = normalizer.denormalize(p.mean());
            epistemic[i] = Math.sqrt(normalizer.denormalizeVariance(p.epistemicVariance()));
            aleatoric[i] = Math.sqrt(normalizer.denormalizeVariance(p.aleatoricVariance()));
            i80.add(denormalize(p.interval(0.8), normalizer));
            i95.add(denormalize(p.interval(0.95), normalizer));
        }
        return new ForecastReport(index.clone(), truth.clone(), mean, epistemic, aleatoric, i80, i95, naive.clone());
    }

    private static Interval denormalize(Interval z, Normalizer normalizer) {
        return new Interval(normalizer.denormalize(z.lo()), normalizer.denormalize(z.hi()));
    }

    int size() {
        return truth.length;
    }

    int[] index() {
        return index.clone();
    }

    double[] truth() {
        return truth.clone();
    }

    double[] mean() {
        return mean.clone();
    }

    List<Interval> intervals(double level) {
        if (level == 0.8) {
            return interval80;
        }
        if (level == 0.95) {
            return interval95;
        }
        throw new IllegalArgumentException("the report holds 80% and 95% intervals, not " + level);
    }

    double rmse() {
        return rmse(mean);
    }

    double mae() {
        return mae(mean);
    }

    double smape() {
        return smape(mean);
    }

    double naiveRmse() {
        return rmse(naive);
    }

    double naiveMae() {
        return mae(naive);
    }

    double naiveSmape() {
        return smape(naive);
    }

    /** The fraction of values inside their interval at {@code level}, 0.8 or 0.95. */
    Coverage coverage(double level) {
        return Coverage.of(truth, intervals(level));
    }

    /** The mean width of the intervals at {@code level}. */
    double meanWidth(double level) {
        return intervals(level).stream().mapToDouble(Interval::width).average().orElse(Double.NaN);
    }

    /** The root mean square of the per-value epistemic (MC spread) standard deviations. */
    double epistemicStd() {
        return rms(epistemicStd);
    }

    /** The learned noise standard deviation σ, in the series' units. */
    double noiseStd() {
        return rms(aleatoricStd);
    }

    private double rmse(double[] forecast) {
        double sum = 0;
        for (int i = 0; i < truth.length; i++) {
            double e = truth[i] - forecast[i];
            sum += e * e;
        }
        return Math.sqrt(sum / truth.length);
    }

    private double mae(double[] forecast) {
        double sum = 0;
        for (int i = 0; i < truth.length; i++) {
            sum += Math.abs(truth[i] - forecast[i]);
        }
        return sum / truth.length;
    }

    private double smape(double[] forecast) {
        double sum = 0;
        for (int i = 0; i < truth.length; i++) {
            double denominator = Math.abs(truth[i]) + Math.abs(forecast[i]);
            if (denominator > 0) {
                sum += 2 * Math.abs(truth[i] - forecast[i]) / denominator;
            }
        }
        return 100 * sum / truth.length;
    }

    private static double rms(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v * v;
        }
        return Math.sqrt(sum / values.length);
    }

    /** The scores, in the order forecast.json lists them, before the run's settings. */
    Map<String, Object> scores() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("rmse", rmse());
        out.put("mae", mae());
        out.put("smape", smape());
        out.put("seasonal_naive_rmse", naiveRmse());
        out.put("seasonal_naive_mae", naiveMae());
        out.put("seasonal_naive_smape", naiveSmape());
        out.put("coverage_80", coverage(0.8).fraction());
        out.put("coverage_95", coverage(0.95).fraction());
        out.put("mean_width_80", meanWidth(0.8));
        out.put("mean_width_95", meanWidth(0.95));
        out.put("noise_std", noiseStd());
        out.put("epistemic_std", epistemicStd());
        out.put("test_points", size());
        return out;
    }

    /**
     * Writes the scores followed by {@code run} (settings, sizes, timings) as one JSON object, atomically;
     * a score that is not a number is {@code null}.
     */
    void writeJson(Path file, Map<String, Object> run) throws IOException {
        Map<String, Object> all = scores();
        all.putAll(run);
        String text = JSON.writeValueAsString(all) + "\n";
        Outputs.write(file, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** One row per test-span value, written atomically: index, truth, mean, standard deviations, both intervals, seasonal naive. */
    void writeCsv(Path file) throws IOException {
        StringBuilder csv = new StringBuilder("index,truth,mean,epistemic_std,noise_std,lo80,hi80,lo95,hi95,seasonal_naive\n");
        for (int i = 0; i < truth.length; i++) {
            csv.append(String.format(Locale.ROOT, "%d,%s,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%s\n", index[i], plain(truth[i]),
                    mean[i], epistemicStd[i], aleatoricStd[i], interval80.get(i).lo(), interval80.get(i).hi(),
                    interval95.get(i).lo(), interval95.get(i).hi(), plain(naive[i])));
        }
        String text = csv.toString();
        Outputs.write(file, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** A value as the CSV gave it: whole numbers without a decimal point. */
    private static String plain(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
