package dev.vdrop.runtime.metrics;

import dev.vdrop.runtime.mc.Coverage;
import dev.vdrop.runtime.mc.Interval;
import dev.vdrop.runtime.mc.RegressionPrediction;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Point-forecast and interval metrics of a regression over N examples, from the truths {@code y_n}
 * and the predicted means {@code ŷ_n} (for MC dropout, {@link RegressionPrediction#mean()}). Every
 * method checks first that there are as many predictions as truths, N ≥ 1 and every value finite;
 * the {@link IllegalArgumentException} names the example and the value.
 *
 * <ul>
 *   <li>{@link #rmse}: {@code sqrt((1/N) Σ (y_n − ŷ_n)²)}.</li>
 *   <li>{@link #mae}: {@code (1/N) Σ |y_n − ŷ_n|}.</li>
 *   <li>{@link #smape}: {@code (100/N) Σ 2|y_n − ŷ_n| / (|y_n| + |ŷ_n|)}, in percent, in [0, 200];
 *       a term with {@code y_n = ŷ_n = 0} (0/0) is taken as 0, a perfect prediction.</li>
 *   <li>{@link #mase}: {@code MAE / scale}, the scale given by the caller; for Hyndman &amp; Koehler's
 *       MASE (2006) it is the in-sample MAE of the seasonal-naive forecast on the training series,
 *       {@link #seasonalNaiveScale}. Below 1, the model beats that naive forecast.</li>
 *   <li>{@link #coverage}: how many truths fall in their intervals, as {@link Coverage}.</li>
 * </ul>
 */
public final class RegressionMetrics {
    private RegressionMetrics() {}

    /**
     * The root mean squared error {@code sqrt((1/N) Σ (y_n − ŷ_n)²)}.
     *
     * @param truths {@code y_n}
     * @param predictions {@code ŷ_n}, in the truths' order
     * @return the RMSE, ≥ 0
     * @throws IllegalArgumentException when the lengths differ, N = 0 or a value is not finite
     */
    public static double rmse(double[] truths, double[] predictions) {
        int n = check(truths, predictions);
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double d = truths[i] - predictions[i];
            sum += d * d;
        }
        return Math.sqrt(sum / n);
    }

    /**
     * The mean absolute error {@code (1/N) Σ |y_n − ŷ_n|}.
     *
     * @param truths {@code y_n}
     * @param predictions {@code ŷ_n}, in the truths' order
     * @return the MAE, ≥ 0
     * @throws IllegalArgumentException when the lengths differ, N = 0 or a value is not finite
     */
    public static double mae(double[] truths, double[] predictions) {
        int n = check(truths, predictions);
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += Math.abs(truths[i] - predictions[i]);
        }
        return sum / n;
    }

    /**
     * The symmetric mean absolute percentage error {@code (100/N) Σ 2|y_n − ŷ_n| / (|y_n| + |ŷ_n|)},
     * a term with {@code y_n = ŷ_n = 0} taken as 0.
     *
     * @param truths {@code y_n}
     * @param predictions {@code ŷ_n}, in the truths' order
     * @return the sMAPE in percent, in [0, 200]
     * @throws IllegalArgumentException when the lengths differ, N = 0 or a value is not finite
     */
    public static double smape(double[] truths, double[] predictions) {
        int n = check(truths, predictions);
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double denominator = Math.abs(truths[i]) + Math.abs(predictions[i]);
            if (denominator > 0) {
                sum += 2 * Math.abs(truths[i] - predictions[i]) / denominator;
            }
        }
        return 100 * sum / n;
    }

    /**
     * The mean absolute scaled error {@code MAE / scale}.
     *
     * @param truths {@code y_n}
     * @param predictions {@code ŷ_n}, in the truths' order
     * @param scale the error the MAE is measured against, finite and &gt; 0, usually
     *     {@link #seasonalNaiveScale} of the training series
     * @return the MASE, ≥ 0
     * @throws IllegalArgumentException as {@link #mae}, or when the scale is not finite and positive
     *     (a training series that repeats exactly every season has scale 0: MASE is then undefined)
     */
    public static double mase(double[] truths, double[] predictions, double scale) {
        if (!(scale > 0 && scale < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("the MASE scale must be finite and > 0, got " + scale);
        }
        return mae(truths, predictions) / scale;
    }

    /**
     * The in-sample MAE of the seasonal-naive forecast {@code ŷ_t = y_{t−m}} on a training series,
     * {@code (1/(T − m)) Σ_{t=m}^{T−1} |y_t − y_{t−m}|}: the scale of {@link #mase} (m = 1 is the
     * naive, random-walk forecast).
     *
     * @param training the training series {@code y_0 … y_{T−1}}, finite values
     * @param season m ≥ 1, e.g. 7 for daily data with a weekly season
     * @return the scale, ≥ 0 (0 when the series repeats exactly every m steps)
     * @throws IllegalArgumentException when m &lt; 1, {@code T <= m} or a value is not finite
     */
    public static double seasonalNaiveScale(double[] training, int season) {
        Objects.requireNonNull(training, "training");
        if (season < 1) {
            throw new IllegalArgumentException("the season must be >= 1, got " + season);
        }
        if (training.length <= season) {
            throw new IllegalArgumentException("a seasonal-naive scale with season " + season + " needs more than "
                    + season + " training values, got " + training.length);
        }
        Inputs.finite(training, "training value");
        double sum = 0;
        for (int t = season; t < training.length; t++) {
            sum += Math.abs(training[t] - training[t - season]);
        }
        return sum / (training.length - season);
    }

    /**
     * How many truths fall in their intervals, ends included: {@link Coverage#of(double[], List)}.
     *
     * @param truths the observed values
     * @param intervals one interval per truth
     * @return the coverage
     * @throws IllegalArgumentException as {@link Coverage#of(double[], List)}
     */
    public static Coverage coverage(double[] truths, List<Interval> intervals) {
        return Coverage.of(truths, intervals);
    }

    /**
     * How many truths fall in the MC predictions' central intervals at one level
     * ({@link RegressionPrediction#interval(double)}).
     *
     * @param truths the observed values
     * @param predictions one MC prediction per truth
     * @param level the intervals' nominal level, e.g. 0.95
     * @return the coverage; {@link Coverage#consistentWith(double)} tells whether it is honest
     * @throws IllegalArgumentException when the lengths differ, N = 0, a truth is NaN or the level is
     *     not one {@link RegressionPrediction#interval(double)} accepts
     */
    public static Coverage coverage(double[] truths, List<RegressionPrediction> predictions, double level) {
        Objects.requireNonNull(truths, "truths");
        Objects.requireNonNull(predictions, "predictions");
        Inputs.examples(truths.length, "truths", predictions.size(), "predictions");
        List<Interval> intervals = new ArrayList<>(predictions.size());
        for (RegressionPrediction p : predictions) {
            intervals.add(p.interval(level));
        }
        return Coverage.of(truths, intervals);
    }

    /**
     * The means of MC predictions, {@code ŷ_n}, for the point metrics.
     *
     * @param predictions the MC predictions
     * @return one mean per prediction
     */
    public static double[] means(List<RegressionPrediction> predictions) {
        return predictions.stream().mapToDouble(RegressionPrediction::mean).toArray();
    }

    private static int check(double[] truths, double[] predictions) {
        Objects.requireNonNull(truths, "truths");
        Objects.requireNonNull(predictions, "predictions");
        int n = Inputs.examples(truths.length, "truths", predictions.length, "predictions");
        Inputs.finite(truths, "truth");
        Inputs.finite(predictions, "prediction");
        return n;
    }
}
