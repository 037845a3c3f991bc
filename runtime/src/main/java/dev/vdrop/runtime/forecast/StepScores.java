package dev.vdrop.runtime.forecast;

import dev.vdrop.runtime.mc.Coverage;
import dev.vdrop.runtime.mc.Interval;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The forecasts at one step ahead, in the series' own units — per value the MC-dropout predictive
 * mean, standard deviations and intervals — with the seasonal-naive and persistence forecasts of the
 * same values beside them, and their scores. {@link ForecastScores} makes one per step from test
 * windows; {@link #of} takes forecasts made any other way.
 *
 * <p>Scores, over the n values y with forecasts ŷ:
 * <ul>
 *   <li>RMSE {@code sqrt(Σ (y − ŷ)²/n)} and MAE {@code Σ |y − ŷ|/n} of the predictive mean, of the
 *       seasonal-naive forecast and (RMSE) of persistence, the window's last value repeated;</li>
 *   <li>sMAPE in per cent, {@code 100/n · Σ 2|y − ŷ| / (|y| + |ŷ|)} (a term is 0 when both are 0),
 *       from 0 to 200;</li>
 *   <li>MASE, the MAE divided by the in-sample MAE of the seasonal-naive forecast at the same lead on
 *       the training span ({@link ForecastScores#inSampleNaiveMae}; Hyndman &amp; Koehler 2006); below 1
 *       beats it;</li>
 *   <li>coverage, the fraction of values inside their central interval at a level, ends included
 *       ({@link Coverage}, with its five-sigma band), and the intervals' mean width;</li>
 *   <li>the root mean squares of the per-value epistemic and noise standard deviations.</li>
 * </ul>
 * A score over no value is NaN ({@link #coverage} refuses it). Immutable.
 */
public final class StepScores {
    private final int step;
    private final int[] index;
    private final double[] truth;
    private final SeriesPrediction[] predictions;
    private final double[] mean;
    private final double[] epistemicStd;
    private final double[] noiseStd;
    private final double[] seasonalNaive;
    private final double[] persistence;
    private final double inSampleNaiveMae;

    private StepScores(int step, int[] index, double[] truth, SeriesPrediction[] predictions, double[] seasonalNaive,
                       double[] persistence, double inSampleNaiveMae) {
        this.step = step;
        this.index = index;
        this.truth = truth;
        this.predictions = predictions;
        this.seasonalNaive = seasonalNaive;
        this.persistence = persistence;
        this.inSampleNaiveMae = inSampleNaiveMae;
        int n = truth.length;
        mean = new double[n];
        epistemicStd = new double[n];
        noiseStd = new double[n];
        for (int i = 0; i < n; i++) {
            SeriesPrediction p = predictions[i];
            mean[i] = p.mean();
            epistemicStd[i] = Math.sqrt(p.epistemicVariance());
            noiseStd[i] = Math.sqrt(p.aleatoricVariance());
        }
    }

    /**
     * One step's forecasts, in the series' units. Every array holds one entry per value, in the same
     * order; they are copied.
     *
     * @param step which step ahead, from 1
     * @param index the series row of each value
     * @param truth the observed values, none NaN
     * @param predictions the MC predictions in the series' units, one per value
     * @param seasonalNaive the seasonal-naive forecast of each value
     * @param persistence the last value each forecast's window saw
     * @param inSampleNaiveMae MASE's denominator: the seasonal-naive forecast's MAE on the training
     *     span at this step's lead ({@link ForecastScores#inSampleNaiveMae})
     * @return the forecasts and their scores
     * @throws IllegalArgumentException when step is below 1, the arrays are not one entry per value,
     *     or a truth is NaN
     */
    public static StepScores of(int step, int[] index, double[] truth, SeriesPrediction[] predictions, double[] seasonalNaive,
                                double[] persistence, double inSampleNaiveMae) {
        Objects.requireNonNull(index, "index");
        Objects.requireNonNull(truth, "truth");
        Objects.requireNonNull(predictions, "predictions");
        Objects.requireNonNull(seasonalNaive, "seasonalNaive");
        Objects.requireNonNull(persistence, "persistence");
        if (step < 1) {
            throw new IllegalArgumentException("steps are counted from 1, got " + step);
        }
        int n = truth.length;
        if (index.length != n || predictions.length != n || seasonalNaive.length != n || persistence.length != n) {
            throw new IllegalArgumentException("got " + index.length + " indices, " + n + " truths, " + predictions.length
                    + " predictions, " + seasonalNaive.length + " seasonal-naive and " + persistence.length
                    + " persistence forecasts; give one of each per value");
        }
        for (int i = 0; i < n; i++) {
            if (Double.isNaN(truth[i])) {
                throw new IllegalArgumentException("truth " + i + " (row " + index[i] + ") is NaN; leave a missing value out "
                        + "of the scores");
            }
            Objects.requireNonNull(predictions[i], "predictions[" + i + "]");
        }
        return new StepScores(step, index.clone(), truth.clone(), predictions.clone(), seasonalNaive.clone(),
                persistence.clone(), inSampleNaiveMae);
    }

    /** {@return which step ahead these forecasts are, from 1} */
    public int step() {
        return step;
    }

    /** {@return the number of values scored} */
    public int size() {
        return truth.length;
    }

    /** {@return a copy of the series row of each value} */
    public int[] index() {
        return index.clone();
    }

    /** {@return a copy of the observed values} */
    public double[] truth() {
        return truth.clone();
    }

    /** {@return a copy of the predictive means} */
    public double[] mean() {
        return mean.clone();
    }

    /** {@return a copy of the per-value epistemic standard deviations, the spread of the K sampled means} */
    public double[] epistemicStd() {
        return epistemicStd.clone();
    }

    /** {@return a copy of the per-value noise standard deviations σ} */
    public double[] noiseStd() {
        return noiseStd.clone();
    }

    /** {@return a copy of the seasonal-naive forecasts} */
    public double[] seasonalNaive() {
        return seasonalNaive.clone();
    }

    /** {@return a copy of the persistence forecasts, each window's last value} */
    public double[] persistence() {
        return persistence.clone();
    }

    /** {@return the predictions in the series' units, one per value (an unmodifiable list)} */
    public List<SeriesPrediction> predictions() {
        return List.of(predictions);
    }

    /**
     * The central interval of every value's prediction.
     *
     * @param level the nominal coverage, {@code 0 < level < 1}, e.g. 0.8 or 0.95
     * @return one interval per value, in the series' units (an unmodifiable list)
     * @throws IllegalArgumentException when the level is not strictly between 0 and 1
     */
    public List<Interval> intervals(double level) {
        List<Interval> out = new ArrayList<>(predictions.length);
        for (SeriesPrediction p : predictions) {
            out.add(p.interval(level));
        }
        return List.copyOf(out);
    }

    /** {@return the RMSE of the predictive mean} */
    public double rmse() {
        return rmse(mean);
    }

    /** {@return the MAE of the predictive mean} */
    public double mae() {
        return mae(mean);
    }

    /** {@return the sMAPE of the predictive mean, in per cent} */
    public double smape() {
        return smape(mean);
    }

    /** {@return the RMSE of the seasonal-naive forecast} */
    public double seasonalNaiveRmse() {
        return rmse(seasonalNaive);
    }

    /** {@return the MAE of the seasonal-naive forecast} */
    public double seasonalNaiveMae() {
        return mae(seasonalNaive);
    }

    /** {@return the sMAPE of the seasonal-naive forecast, in per cent} */
    public double seasonalNaiveSmape() {
        return smape(seasonalNaive);
    }

    /** {@return the RMSE of repeating each window's last value} */
    public double persistenceRmse() {
        return rmse(persistence);
    }

    /** {@return MASE's denominator, the in-sample seasonal-naive MAE at this step's lead} */
    public double inSampleNaiveMae() {
        return inSampleNaiveMae;
    }

    /** {@return the MAE divided by the in-sample seasonal-naive MAE at this lead: NaN or infinite when that is undefined or 0} */
    public double mase() {
        return mae() / inSampleNaiveMae;
    }

    /**
     * The fraction of values inside their interval.
     *
     * @param level the intervals' nominal coverage, {@code 0 < level < 1}
     * @return the coverage
     * @throws IllegalArgumentException when there is no value, or the level is not strictly between 0 and 1
     */
    public Coverage coverage(double level) {
        return Coverage.of(truth, intervals(level));
    }

    /**
     * The mean width of the intervals.
     *
     * @param level the intervals' nominal coverage, {@code 0 < level < 1}
     * @return the mean of {@code hi − lo}, NaN when there is no value
     * @throws IllegalArgumentException when the level is not strictly between 0 and 1
     */
    public double meanWidth(double level) {
        return intervals(level).stream().mapToDouble(Interval::width).average().orElse(Double.NaN);
    }

    /** {@return the root mean square of the per-value epistemic (MC spread) standard deviations} */
    public double rmsEpistemicStd() {
        return rms(epistemicStd);
    }

    /** {@return the root mean square of the per-value noise standard deviations: the learned σ, in the series' units} */
    public double rmsNoiseStd() {
        return rms(noiseStd);
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

    @Override
    public String toString() {
        return "StepScores[step " + step + ", " + size() + " values, RMSE " + rmse() + "]";
    }
}
