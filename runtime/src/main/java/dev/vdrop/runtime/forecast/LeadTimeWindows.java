package dev.vdrop.runtime.forecast;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.IntFunction;

/**
 * Cuts a series into forecasting windows of several steps: each reads {@code window} steps up to
 * its origin o (the index of its last input value) and predicts the {@code steps} values at lead
 * times {@code lead … lead + steps − 1} after it, the targets {@code x[o + lead + j]},
 * {@code j = 0 … steps − 1} (lead 1, one step: tomorrow from the days up to today).
 *
 * <p>The features of input step {@code u} are the value input the window's {@link FittedScale} gives,
 * then — when a {@code period} is set — the season's phase {@code sin(2π·(u mod period)/period)} and
 * {@code cos(…)}, then the row's own features ({@code rowFeatures[u]}, e.g. calendar features and
 * further input columns, if any), so a window is a {@code window × (3 + k)} matrix, or
 * {@code window × (1 + k)} without the phase ({@link #features(int)}). With lead 1, one step, global
 * scaling and a period the training windows are exactly {@link dev.vdrop.runtime.series.Windows}'
 * (window, horizon 1, period).
 *
 * <p>Training windows ({@link #trainOrigins}) have every target before the test span, one per
 * origin from the first the window allows, in time order. Test windows ({@link #testOrigins}) have
 * one per test-span value at the first step: origins {@code testStart − lead … rows − 1 − lead},
 * their inputs reaching back into the training span as needed; a later step's target may lie past
 * the data, and is then NaN. No test value is ever an input or a target of a training window, and a
 * test window never sees a value less than {@code lead} steps before its first target.
 * {@link #at} takes the windows of chosen first targets instead, e.g. {@link Backtest}'s rows.
 *
 * <p>Missing values (NaN in the series or in a row's features) drop windows, never rows: a
 * training window is dropped when any value it reads — inputs, or a target at any step — is
 * missing; a test window when an input is (a missing target is left out of that step's scores,
 * {@link ForecastScores}). {@link WindowOrigins} counts the dropped.
 *
 * <p>Built with {@link #builder()}: {@code window} is required; {@code lead} and {@code steps}
 * default to 1, {@code period} to 0 (no phase features: give one for a series without dates, leave
 * it out when the row features carry the calendar), {@code scale} to {@link Scale#GLOBAL}. The scale
 * matters here because a difference window reads one value more ({@link Scale#reach(int)}).
 * Immutable.
 */
public final class LeadTimeWindows {
    private final int window;
    private final int lead;
    private final int steps;
    private final int period;
    private final Scale scale;

    private LeadTimeWindows(int window, int lead, int steps, int period, Scale scale) {
        this.window = window;
        this.lead = lead;
        this.steps = steps;
        this.period = period;
        this.scale = scale;
    }

    /** {@return a builder with no window yet, lead 1, one step, no period and the global scale} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return the number of input steps per window} */
    public int window() {
        return window;
    }

    /** {@return the lead time of the first target: it is row {@code origin + lead}} */
    public int lead() {
        return lead;
    }

    /** {@return the number of targets per window, at lead times {@code lead … lead + steps − 1}} */
    public int steps() {
        return steps;
    }

    /** {@return the season whose phase each step reads as sine and cosine, or 0 for none} */
    public int period() {
        return period;
    }

    /** {@return the scale the windows are cut for} */
    public Scale scale() {
        return scale;
    }

    /**
     * The width of a window's step.
     *
     * @param extra the row features per row, at least 0
     * @return the value, the season's phase if read (2), and the row's own features
     * @throws IllegalArgumentException when extra is negative
     */
    public int features(int extra) {
        if (extra < 0) {
            throw new IllegalArgumentException("a row has 0 or more features of its own, got " + extra);
        }
        return (period > 0 ? 3 : 1) + extra;
    }

    /**
     * The names of a window step's features, in order.
     *
     * @param rowFeatures the names of the row's own features, e.g. {@code doy_sin, doy_cos}
     * @return {@code value}, then {@code season_sin, season_cos} when the phase is read, then the row's own
     */
    public List<String> inputNames(List<String> rowFeatures) {
        Objects.requireNonNull(rowFeatures, "rowFeatures");
        List<String> names = new ArrayList<>(period > 0 ? List.of("value", "season_sin", "season_cos") : List.of("value"));
        names.addAll(rowFeatures);
        return List.copyOf(names);
    }

    /**
     * The row of a window's target.
     *
     * @param o the window's origin
     * @param j the step, from 0
     * @return {@code o + lead + j}
     */
    public int target(int o, int j) {
        return o + lead + j;
    }

    /** {@return the first origin whose window fits: the window's reach less one, in long} */
    public long firstOrigin() {
        return scale.reach(window) - 1;
    }

    /**
     * The first row a first-step target can have, {@code firstOrigin() + lead}, in long (the window
     * and the lead may both be near {@link Integer#MAX_VALUE}).
     *
     * @return the first row a window can forecast
     */
    public long firstTarget() {
        return firstOrigin() + lead;
    }

    /**
     * How many training windows a training span holds, before any is dropped for a missing value.
     *
     * @param testStart the training span's end, exclusive
     * @return the windows whose every target lies before {@code testStart}, at least 0
     */
    public long trainWindows(int testStart) {
        return Math.max(0, testStart - firstTarget() - (steps - 1));
    }

    /**
     * Every window whose targets all lie before {@code testStart}, except those touching a missing
     * value.
     *
     * @param x the series, NaN where a value is missing
     * @param rowFeatures per row its own features (every row as long), or null for none
     * @param testStart the training span's end, exclusive, at most {@code x.length}
     * @return the origins kept, in time order, and how many were dropped
     * @throws IllegalArgumentException when no window fits before {@code testStart}, {@code testStart}
     *     lies past the series, or the row features are not one row per value, all as long
     */
    public WindowOrigins trainOrigins(double[] x, double[][] rowFeatures, int testStart) {
        checkData(x, rowFeatures);
        checkTestStart(x, testStart);
        if (trainWindows(testStart) < 1) {
            throw new IllegalArgumentException("no window has all its targets before " + testStart + ": a window of "
                    + window + " steps with lead " + lead + " and " + steps + " steps needs a training span of at least "
                    + (firstTarget() + steps) + " rows; use a smaller window or a later test span's start");
        }
        return origins(x, rowFeatures, (int) firstOrigin(), testStart - lead - steps + 1, true);
    }

    /**
     * One window per value of the test span {@code [testStart, x.length)} at the first step, except
     * those reading a missing value.
     *
     * @param x the series, NaN where a value is missing
     * @param rowFeatures per row its own features (every row as long), or null for none
     * @param testStart the test span's start, at most {@code x.length}
     * @return the origins kept, in time order, and how many were dropped
     * @throws IllegalArgumentException when the first test value has no full window before it,
     *     {@code testStart} lies past the series, or the row features are not one row per value, all as long
     */
    public WindowOrigins testOrigins(double[] x, double[][] rowFeatures, int testStart) {
        checkData(x, rowFeatures);
        checkTestStart(x, testStart);
        if (testStart - lead < firstOrigin()) {
            throw new IllegalArgumentException("target " + testStart + " has no full window before it: the first row a "
                    + "window can forecast is " + firstTarget());
        }
        return origins(x, rowFeatures, testStart - lead, x.length - lead, false);
    }

    /**
     * The windows whose first targets are the rows {@code first}, except those reading a missing
     * input: the origins {@code r − lead}. A target may lie past the data (a forecast of the future).
     *
     * @param x the series, NaN where a value is missing
     * @param rowFeatures per row its own features (every row as long), or null for none
     * @param first the first targets' rows, increasing, each with a full window before it
     * @return the origins kept, in time order, and how many were dropped
     * @throws IllegalArgumentException when a row has no full window before it, its window reaches
     *     past the data, the rows do not increase, or the row features are not one row per value, all as long
     */
    public WindowOrigins at(double[] x, double[][] rowFeatures, int[] first) {
        checkData(x, rowFeatures);
        Objects.requireNonNull(first, "first");
        int[] kept = new int[first.length];
        int k = 0;
        for (int i = 0; i < first.length; i++) {
            int r = first[i];
            if (i > 0 && r <= first[i - 1]) {
                throw new IllegalArgumentException("the first targets' rows must increase, got " + Arrays.toString(first));
            }
            if (r - lead < firstOrigin()) {
                throw new IllegalArgumentException("target " + r + " has no full window before it: the first row a "
                        + "window can forecast is " + firstTarget());
            }
            if (r - lead >= x.length) {
                throw new IllegalArgumentException("target " + r + "'s window ends at row " + (r - lead) + ", past the "
                        + "series' last row " + (x.length - 1));
            }
            if (observed(x, rowFeatures, r - lead, false)) {
                kept[k++] = r - lead;
            }
        }
        return WindowOrigins.ofOrdered(Arrays.copyOf(kept, k), first.length - k);
    }

    /**
     * The first row of a window that reads a missing value: its value, or a row feature.
     *
     * @param x the series, NaN where a value is missing
     * @param rowFeatures per row its own features (every row as long), or null for none
     * @param o the window's origin, from {@link #firstOrigin()} to {@code x.length − 1}
     * @return the first row read that has a missing value, or −1 when it reads none
     * @throws IllegalArgumentException when the window does not lie within the series, or the row
     *     features are not one row per value, all as long
     */
    public int firstMissing(double[] x, double[][] rowFeatures, int o) {
        checkData(x, rowFeatures);
        if (o < firstOrigin() || o >= x.length) {
            throw new IllegalArgumentException("a window's origin lies from row " + firstOrigin() + " to " + (x.length - 1)
                    + ", got " + o);
        }
        for (long u = o - firstOrigin(); u <= o; u++) {
            if (Double.isNaN(x[(int) u]) || u > o - window && rowFeatures != null && hasNaN(rowFeatures[(int) u])) {
                return (int) u;
            }
        }
        return -1;
    }

    private static boolean hasNaN(double[] row) {
        for (double f : row) {
            if (Double.isNaN(f)) {
                return true;
            }
        }
        return false;
    }

    private WindowOrigins origins(double[] x, double[][] rowFeatures, int from, int to, boolean targetsToo) {
        int n = Math.max(0, to - from);
        int[] kept = new int[n];
        int k = 0;
        for (int o = from; o < to; o++) {
            if (observed(x, rowFeatures, o, targetsToo)) {
                kept[k++] = o;
            }
        }
        return WindowOrigins.ofOrdered(Arrays.copyOf(kept, k), n - k);
    }

    private boolean observed(double[] x, double[][] rowFeatures, int o, boolean targetsToo) {
        for (long u = o - firstOrigin(); u <= o; u++) {
            if (Double.isNaN(x[(int) u])) {
                return false;
            }
        }
        if (rowFeatures != null) {
            for (int u = o - window + 1; u <= o; u++) {
                for (double f : rowFeatures[u]) {
                    if (Double.isNaN(f)) {
                        return false;
                    }
                }
            }
        }
        if (targetsToo) {
            for (int j = 0; j < steps; j++) {
                if (Double.isNaN(x[target(o, j)])) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * The windows with these origins, scaled, naming a value beyond float32's range by its index.
     *
     * @param x the series, NaN where a value is missing
     * @param rowFeatures per row its own features (every row as long), or null for none
     * @param origins the windows' origins, from {@link #trainOrigins}, {@link #testOrigins} or {@link #at}
     * @param scaling the scaling fitted for these windows ({@link FittedScale#fit})
     * @return the windows
     * @throws IllegalArgumentException as {@link #examples(double[], double[][], WindowOrigins, FittedScale, IntFunction)}
     */
    public ScaledWindows examples(double[] x, double[][] rowFeatures, WindowOrigins origins, FittedScale scaling) {
        return examples(x, rowFeatures, origins, scaling, i -> "value " + i);
    }

    /**
     * The windows with these origins, scaled: per window its inputs (the features of the class
     * description), its targets in the network's units (NaN where a value is missing or past the
     * data) and its map back to the series' units.
     *
     * @param x the series, NaN where a value is missing
     * @param rowFeatures per row its own features (every row as long), or null for none
     * @param origins the windows' origins, from {@link #trainOrigins}, {@link #testOrigins} or {@link #at}
     * @param scaling the scaling fitted for these windows ({@link FittedScale#fit}), of their scale
     * @param where what to call value {@code i} in a message, e.g. {@code "births.csv line 12, column births"}
     * @return the windows
     * @throws IllegalArgumentException when a value scales beyond float32's range, in which the network
     *     computes; when the scaling is of another scale or a mean scaling of another window; when a
     *     window does not lie within the series; or when the row features are not one row per value,
     *     all as long
     */
    public ScaledWindows examples(double[] x, double[][] rowFeatures, WindowOrigins origins, FittedScale scaling,
                                  IntFunction<String> where) {
        checkData(x, rowFeatures);
        Objects.requireNonNull(origins, "origins");
        Objects.requireNonNull(scaling, "scaling");
        Objects.requireNonNull(where, "where");
        if (scaling.mode() != scale) {
            throw new IllegalArgumentException("windows cut for scale " + scale.label() + " cannot be scaled by a "
                    + scaling.mode().label() + " scaling; fit the scaling with these windows (FittedScale.fit)");
        }
        if (scale == Scale.MEAN && scaling.meanWindow() != window) {
            throw new IllegalArgumentException("windows of " + window + " steps cannot be scaled by " + scaling
                    + ", whose mean level is taken over another window; fit the scaling with these windows (FittedScale.fit)");
        }
        int extra = rowFeatures == null || rowFeatures.length == 0 ? 0 : rowFeatures[0].length;
        int n = origins.size();
        for (int e = 0; e < n; e++) {
            int o = origins.get(e);
            if (o < firstOrigin() || o >= x.length) {
                throw new IllegalArgumentException("window " + e + "'s origin " + o + " does not lie within the series: "
                        + "origins lie from row " + firstOrigin() + " to " + (x.length - 1));
            }
        }
        double[][][] inputs = new double[n][][];
        double[][] targets = new double[n][steps];
        AffineMap[] maps = new AffineMap[n];
        for (int e = 0; e < n; e++) {
            int o = origins.get(e);
            double[][] rows = new double[window][features(extra)];
            int own = features(0);
            for (int s = 0; s < window; s++) {
                int u = o - window + 1 + s;
                rows[s][0] = checked(scaling.input(x, u, o), x, u, scaling, where);
                if (period > 0) {
                    double angle = 2 * Math.PI * (u % period) / period;
                    rows[s][1] = Math.sin(angle);
                    rows[s][2] = Math.cos(angle);
                }
                if (extra > 0) {
                    System.arraycopy(rowFeatures[u], 0, rows[s], own, extra);
                }
            }
            inputs[e] = rows;
            for (int j = 0; j < steps; j++) {
                int v = target(o, j);
                targets[e][j] = v < x.length && !Double.isNaN(x[v]) ? checked(scaling.target(x, v, o), x, v, scaling, where)
                        : Double.NaN;
            }
            maps[e] = scaling.map(x, o);
        }
        return new ScaledWindows(inputs, targets, origins.kept(), maps, lead, steps);
    }

    private static double checked(double z, double[] x, int u, FittedScale scaling, IntFunction<String> where) {
        if (!(Math.abs(z) <= Float.MAX_VALUE)) {
            throw new IllegalArgumentException(where.apply(u) + ": " + x[u] + " scales to " + z + " under scale "
                    + scaling.mode().label() + " (scale " + scaling.scale() + " fitted on the training span), beyond "
                    + "float32's range (±" + Float.MAX_VALUE + ") in which the network computes");
        }
        return z;
    }

    private static void checkData(double[] x, double[][] rowFeatures) {
        Objects.requireNonNull(x, "x");
        if (rowFeatures == null) {
            return;
        }
        if (rowFeatures.length != x.length) {
            throw new IllegalArgumentException("got " + x.length + " values but " + rowFeatures.length + " rows of features; "
                    + "give one row of features per value, or null for none");
        }
        for (int i = 0; i < rowFeatures.length; i++) {
            if (rowFeatures[i] == null || rowFeatures[i].length != rowFeatures[0].length) {
                throw new IllegalArgumentException("row " + i + " has " + (rowFeatures[i] == null ? "no"
                        : rowFeatures[i].length) + " features but row 0 has " + rowFeatures[0].length
                        + "; every row has the same features");
            }
        }
    }

    private static void checkTestStart(double[] x, int testStart) {
        if (testStart < 0 || testStart > x.length) {
            throw new IllegalArgumentException("the test span's start " + testStart + " must lie within the series' "
                    + x.length + " rows (0 to " + x.length + ")");
        }
    }

    @Override
    public String toString() {
        return "LeadTimeWindows[window=" + window + ", lead=" + lead + ", steps=" + steps + ", period=" + period
                + ", scale=" + scale.label() + "]";
    }

    /** Settings of {@link LeadTimeWindows}; {@link #build()} checks them. */
    public static final class Builder {
        private int window;
        private int lead = 1;
        private int steps = 1;
        private int period;
        private Scale scale = Scale.GLOBAL;

        private Builder() {}

        /**
         * Sets the window, required.
         *
         * @param window the input steps per window, at least 1
         * @return this builder
         */
        public Builder window(int window) {
            this.window = window;
            return this;
        }

        /**
         * Sets the lead time of the first target.
         *
         * @param lead at least 1; default 1 (the value after the window's last)
         * @return this builder
         */
        public Builder lead(int lead) {
            this.lead = lead;
            return this;
        }

        /**
         * Sets the number of targets per window.
         *
         * @param steps at least 1; default 1
         * @return this builder
         */
        public Builder steps(int steps) {
            this.steps = steps;
            return this;
        }

        /**
         * Sets the season whose phase each step reads as sine and cosine.
         *
         * @param period the season's length, at least 2, or 0 for no phase features (e.g. when the row
         *     features carry the calendar); default 0
         * @return this builder
         */
        public Builder period(int period) {
            this.period = period;
            return this;
        }

        /**
         * Sets the scale the windows are cut for.
         *
         * @param scale the scale; default {@link Scale#GLOBAL}
         * @return this builder
         */
        public Builder scale(Scale scale) {
            this.scale = Objects.requireNonNull(scale, "scale");
            return this;
        }

        /**
         * Checks the settings and makes the windows.
         *
         * @return the windows
         * @throws IllegalArgumentException when the window is missing or below 1, the lead or the steps
         *     are below 1, or the period is negative or 1
         */
        public LeadTimeWindows build() {
            if (window < 1) {
                throw new IllegalArgumentException(window == 0
                        ? "window is required: set the number of input steps per window with window(n), n >= 1"
                        : "window must be at least 1, got " + window);
            }
            if (lead < 1) {
                throw new IllegalArgumentException("lead must be at least 1 (the value after the window's last), got " + lead);
            }
            if (steps < 1) {
                throw new IllegalArgumentException("steps must be at least 1, got " + steps);
            }
            if (period < 0 || period == 1) {
                throw new IllegalArgumentException("period must be 0 (no phase features) or the season's length >= 2"
                        + " (e.g. 7 for the day of the week), got " + period);
            }
            return new LeadTimeWindows(window, lead, steps, period, scale);
        }
    }
}
