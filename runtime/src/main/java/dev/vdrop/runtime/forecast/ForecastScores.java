package dev.vdrop.runtime.forecast;

import dev.vdrop.runtime.mc.RegressionPrediction;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * Test windows' forecasts scored step by step in the series' units: one {@link StepScores} per
 * step, pooled over the windows' origins (every test-span row, or a backtest's origins).
 *
 * <p>Which forecasts are scored at step j (from 1): those whose target lies inside the data and is
 * observed, and whose seasonal-naive forecast is observed too, so that the model and both
 * baselines are scored on the same values. The last steps of the last origins lie past the data,
 * so step j has up to {@code j − 1} values fewer than step 1.
 *
 * <p>The seasonal-naive forecast of the value at v for lead time L is {@code x[v − lag]}, the last
 * value of the same phase that the window's end has seen: {@code lag = season·⌈L/season⌉}
 * ({@link #seasonalNaiveLag}; one season for L ≤ season). Persistence is the window's last value,
 * {@code x[o]}. MASE divides by {@link #inSampleNaiveMae} on the training span at the same lag.
 * Immutable.
 */
public final class ForecastScores {
    private final List<StepScores> steps;

    private ForecastScores(List<StepScores> steps) {
        this.steps = List.copyOf(steps);
    }

    /**
     * Scores the test windows' predictions in the series' units.
     *
     * @param x the series, NaN where a value is missing
     * @param testStart the end of the training span, on which MASE's denominators are taken
     * @param test the test windows
     * @param predictions per test window, one per step, in the network's units, as
     *     {@link dev.vdrop.runtime.eval.McPredictor#forecast} gives them for {@code test.inputs()}
     * @param season the seasonal-naive forecast's season, at least 1
     * @return one {@link StepScores} per step
     * @throws IllegalArgumentException when the predictions are not one per window and step, the season
     *     is below 1, {@code testStart} lies outside the series, or a scored value's seasonal-naive
     *     forecast would lie before the series' start
     */
    public static ForecastScores of(double[] x, int testStart, ScaledWindows test, RegressionPrediction[][] predictions,
                                    int season) {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(test, "test");
        test.checkShape(predictions);
        if (testStart < 0 || testStart > x.length) {
            throw new IllegalArgumentException("the test span's start " + testStart + " must lie within the series' "
                    + x.length + " rows (0 to " + x.length + ")");
        }
        int h = test.steps();
        List<StepScores> out = new ArrayList<>(h);
        for (int j = 0; j < h; j++) {
            long lag = seasonalNaiveLag(season, test.lead() + j);
            int[] targets = test.targetIndex(j);
            List<Integer> scored = new ArrayList<>();
            for (int e = 0; e < targets.length; e++) {
                int t = targets[e];
                if (t < x.length && t - lag < 0) {
                    throw new IllegalArgumentException("the seasonal-naive forecast of row " + t + " at lead "
                            + (test.lead() + j) + " would be row " + (t - lag) + ", before the series' start; use a "
                            + "shorter season or later test windows");
                }
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
                persistence[i] = x[test.origin(e)];
                p[i] = test.map(e).map(predictions[e][j]);
            }
            out.add(StepScores.of(j + 1, index, truth, p, naive, persistence, inSampleNaiveMae(x, testStart, lag)));
        }
        return new ForecastScores(out);
    }

    /**
     * The seasonal-naive lag for lead time L: the last value of the same phase that the window's
     * end has seen, {@code season · ⌈L / season⌉} (one season for L ≤ season), in long: both may be
     * near {@link Integer#MAX_VALUE}.
     *
     * @param season the season, at least 1
     * @param lead the lead time, at least 1
     * @return the lag
     * @throws IllegalArgumentException when the season or the lead is below 1
     */
    public static long seasonalNaiveLag(int season, int lead) {
        if (season < 1 || lead < 1) {
            throw new IllegalArgumentException("the seasonal-naive lag needs a season and a lead time of at least 1, got "
                    + "season " + season + " and lead " + lead);
        }
        return season * (((long) lead + season - 1) / season);
    }

    /**
     * The MAE of the seasonal-naive forecast {@code x[t − lag]} of {@code x[t]} over the training span
     * {@code t ∈ [lag, to)}, over the pairs whose both values are observed (not NaN): MASE's
     * denominator.
     *
     * @param x the series, NaN where a value is missing
     * @param to the training span's end, exclusive, at most {@code x.length}
     * @param lag the seasonal-naive lag, at least 1
     * @return the MAE, NaN when no pair is observed
     * @throws IllegalArgumentException when {@code to} lies outside the series or the lag is below 1
     */
    public static double inSampleNaiveMae(double[] x, int to, long lag) {
        Objects.requireNonNull(x, "x");
        if (to < 0 || to > x.length) {
            throw new IllegalArgumentException("the training span's end " + to + " must lie within the series' "
                    + x.length + " rows (0 to " + x.length + ")");
        }
        if (lag < 1) {
            throw new IllegalArgumentException("the seasonal-naive lag is at least 1, got " + lag);
        }
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

    /** {@return the scores of every step, step 1 first (an unmodifiable list)} */
    public List<StepScores> steps() {
        return steps;
    }

    /**
     * One step's scores.
     *
     * @param j the step, from 1
     * @return its scores
     * @throws IllegalArgumentException when there is no step j
     */
    public StepScores step(int j) {
        if (j < 1 || j > steps.size()) {
            throw new IllegalArgumentException("steps are 1 to " + steps.size() + ", got " + j);
        }
        return steps.get(j - 1);
    }

    /** {@return the last step's scores, the hardest step's} */
    public StepScores last() {
        return steps.get(steps.size() - 1);
    }

    /**
     * One score per step.
     *
     * @param score which score, e.g. {@code StepScores::rmse} or {@code s -> s.coverage(0.95).fraction()}
     * @return the score of every step, step 1 first
     */
    public double[] byStep(ToDoubleFunction<StepScores> score) {
        Objects.requireNonNull(score, "score");
        return steps.stream().mapToDouble(score).toArray();
    }

    @Override
    public String toString() {
        return "ForecastScores[" + steps.size() + " step" + (steps.size() == 1 ? "" : "s") + "]";
    }
}
