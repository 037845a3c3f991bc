package dev.vdrop.samples;

import dev.vdrop.runtime.mc.Coverage;
import dev.vdrop.runtime.mc.Interval;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * The forecasts at one step ahead of every test-span window, in the series' own units — the
 * MC-dropout predictive mean, standard deviations and 80% and 95% intervals, mapped back through
 * each window's {@link AffineMap} — with the seasonal-naive and persistence forecasts beside them,
 * and their scores. {@link ForecastSteps} holds one per step and writes the files.
 *
 * <p>Scores: RMSE and MAE of the predictive mean; sMAPE in per cent, {@code 100/n · Σ 2|y − ŷ| /
 * (|y| + |ŷ|)} (a term is 0 when both are 0), from 0 to 200; MASE, the MAE divided by the in-sample
 * MAE of the seasonal-naive forecast at the same lead on the training span (Hyndman &amp; Koehler
 * 2006; below 1 beats it); persistence, the window's last value repeated; coverage, the fraction of
 * values inside their interval (ends included).
 */
final class ForecastReport {
    private static final double[] LEVELS = {0.8, 0.95};

    private final int step;
    private final int[] index;
    private final double[] truth;
    private final double[] mean;
    private final double[] epistemicStd;
    private final double[] aleatoricStd;
    private final List<Interval> interval80;
    private final List<Interval> interval95;
    private final double[] naive;
    private final double[] persistence;
    private final double inSampleNaiveMae;

    private ForecastReport(int step, int[] index, double[] truth, double[] mean, double[] epistemicStd,
                           double[] aleatoricStd, List<Interval> interval80, List<Interval> interval95, double[] naive,
                           double[] persistence, double inSampleNaiveMae) {
        this.step = step;
        this.index = index;
        this.truth = truth;
        this.mean = mean;
        this.epistemicStd = epistemicStd;
        this.aleatoricStd = aleatoricStd;
        this.interval80 = interval80;
        this.interval95 = interval95;
        this.naive = naive;
        this.persistence = persistence;
        this.inSampleNaiveMae = inSampleNaiveMae;
    }

    /**
     * One step's forecasts, in the series' units: means and interval ends through each prediction's
     * affine map, standard deviations the square roots of the mapped variances.
     *
     * @param step which step ahead, from 1
     * @param index the series index of each predicted value
     * @param truth the observed values
     * @param predictions one per value
     * @param naive the seasonal-naive forecast of each value
     * @param persistence the last value each forecast's window saw
     * @param inSampleNaiveMae the seasonal-naive forecast's MAE on the training span at this step's
     *     lead ({@link #inSampleNaiveMae(double[], int, long)}), MASE's denominator
     */
    static ForecastReport of(int step, int[] index, double[] truth, SeriesPrediction[] predictions, double[] naive,
                             double[] persistence, double inSampleNaiveMae) {
        int n = truth.length;
        if (index.length != n || predictions.length != n || naive.length != n || persistence.length != n) {
            throw new IllegalArgumentException("got " + index.length + " indices, " + n + " truths, " + predictions.length
                    + " predictions, " + naive.length + " seasonal-naive and " + persistence.length
                    + " persistence forecasts; give one of each per value");
        }
        double[] mean = new double[n];
        double[] epistemic = new double[n];
        double[] aleatoric = new double[n];
        List<Interval> i80 = new ArrayList<>(n);
        List<Interval> i95 = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            SeriesPrediction p = predictions[i];
            mean[i] = p.mean();
            epistemic[i] = Math.sqrt(p.epistemicVariance());
            aleatoric[i] = Math.sqrt(p.aleatoricVariance());
            i80.add(p.interval(LEVELS[0]));
            i95.add(p.interval(LEVELS[1]));
        }
        return new ForecastReport(step, index.clone(), truth.clone(), mean, epistemic, aleatoric, i80, i95, naive.clone(),
                persistence.clone(), inSampleNaiveMae);
    }

    /**
     * The MAE of the seasonal-naive forecast {@code x[t − lag]} of {@code x[t]} over the training span
     * {@code t ∈ [lag, to)}, over the pairs whose both values are observed (not NaN).
     *
     * @return the MAE, NaN when no pair is observed
     */
    static double inSampleNaiveMae(double[] x, int to, long lag) {
        double sum = 0;
        long pairs = 0;
        for (long t = lag; t < to; t++) {
            double e = Math.abs(x[(int) t] - x[(int) (t - lag)]);
            if (!Double.isNaN(e)) {
                sum += e;
                pairs++;
            }
        }
        return pairs == 0 ? Double.NaN : sum / pairs;
    }

    /** {@return which step ahead these forecasts are, from 1} */
    int step() {
        return step;
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

    /** {@return the RMSE of repeating each window's last value} */
    double persistenceRmse() {
        return rmse(persistence);
    }

    /** {@return the MAE divided by the in-sample seasonal-naive MAE at this lead: NaN or infinite when that is undefined or 0} */
    double mase() {
        return mae() / inSampleNaiveMae;
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
     * Appends one CSV row per value: index, its date when {@code dates} is not null, truth, mean,
     * standard deviations, both intervals, seasonal naive.
     */
    void appendCsv(StringBuilder csv, boolean withStep, IntFunction<LocalDate> dates) {
        for (int i = 0; i < truth.length; i++) {
            if (withStep) {
                csv.append(step).append(',');
            }
            csv.append(index[i]).append(',');
            if (dates != null) {
                csv.append(dates.apply(index[i])).append(',');
            }
            csv.append(String.format(Locale.ROOT, "%s,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%s\n", plain(truth[i]),
                    mean[i], epistemicStd[i], aleatoricStd[i], interval80.get(i).lo(), interval80.get(i).hi(),
                    interval95.get(i).lo(), interval95.get(i).hi(), plain(naive[i])));
        }
    }

    /** A value as the CSV gave it: whole numbers without a decimal point. */
    private static String plain(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
