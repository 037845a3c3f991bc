package dev.vdrop.runtime.forecast;

import dev.vdrop.runtime.series.Normalizer;
import java.util.Objects;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * A fitted {@link Scale}: what the network reads for each step of a window ({@link #input}), what
 * it learns to predict ({@link #target}), and the {@link AffineMap} that takes its predictions back
 * to the series' units ({@link #map}). Windows are named by their origin o, the index of their last
 * input value; x is the series in its own units; every value a window reads is observed (windows
 * touching a missing value are dropped before, by {@link LeadTimeWindows}).
 *
 * <table>
 *   <caption>Per window with origin o: the value input of step u, the target at v &gt; o, the map</caption>
 *   <tr><th>scale</th><th>input</th><th>target</th><th>x = a + b·z</th><th>fitted on</th></tr>
 *   <tr><td>global</td><td>{@code (x_u − m)/s}</td><td>{@code (x_v − m)/s}</td><td>a = m, b = s</td>
 *       <td>m, s: mean and population standard deviation of the training span's observed values</td></tr>
 *   <tr><td>window</td><td>{@code (x_u − x_o)/s}</td><td>{@code (x_v − x_o)/s}</td><td>a = x_o, b = s</td>
 *       <td>s: root mean square of {@code x_v − x_o} over every input and target of the training windows</td></tr>
 *   <tr><td>difference</td><td>{@code (x_u − x_{u−1})/s}</td><td>{@code (x_v − x_o)/s}</td><td>a = x_o, b = s</td>
 *       <td>s: root mean square of the training span's one-step differences (both values observed)</td></tr>
 *   <tr><td>mean</td><td>{@code (x_u/ν_o − 1)/s}</td><td>{@code (x_v/ν_o − 1)/s}</td><td>a = ν_o, b = ν_o·s</td>
 *       <td>ν_o: mean of {@code |x_u|} over the window's inputs; s: root mean square of {@code x/ν_o − 1} over every
 *       input and target of the training windows</td></tr>
 * </table>
 *
 * <p>The root mean squares are not centred: a trending series' differences keep their mean, which
 * the targets need too. A difference window reads one value more than it has steps (its first
 * step's difference reaches back one): {@link #reach(int)}.
 *
 * <p>Fitted on the training data only, with {@link #fit(LeadTimeWindows, double[], int, WindowOrigins)};
 * {@link #global}, {@link #window}, {@link #difference} and {@link #mean} make one from a scale fitted
 * before. Immutable.
 */
public final class FittedScale {
    private final Scale mode;
    private final Normalizer global;
    private final double scale;
    private final int window;

    private FittedScale(Scale mode, Normalizer global, double scale, int window) {
        if (!Double.isFinite(scale) || !(scale > 0)) {
            throw new IllegalArgumentException("a scale must be finite and > 0, got " + scale);
        }
        this.mode = mode;
        this.global = global;
        this.scale = scale;
        this.window = window;
    }

    /**
     * The global standardisation with a normaliser's mean m and standard deviation s.
     *
     * @param normalizer the normaliser, fitted on the training span
     * @return the global scaling
     */
    public static FittedScale global(Normalizer normalizer) {
        Objects.requireNonNull(normalizer, "normalizer");
        return new FittedScale(Scale.GLOBAL, normalizer, normalizer.std(), 0);
    }

    /**
     * The window-level scaling.
     *
     * @param s the scale, finite and &gt; 0
     * @return the scaling
     * @throws IllegalArgumentException when s is not finite and positive
     */
    public static FittedScale window(double s) {
        return new FittedScale(Scale.WINDOW, null, s, 0);
    }

    /**
     * The difference scaling.
     *
     * @param s the scale of the differences, finite and &gt; 0
     * @return the scaling
     * @throws IllegalArgumentException when s is not finite and positive
     */
    public static FittedScale difference(double s) {
        return new FittedScale(Scale.DIFFERENCE, null, s, 0);
    }

    /**
     * The mean-level scaling.
     *
     * @param s the scale of the ratios, finite and &gt; 0
     * @param window the steps of a window, over which its mean level ν is taken, at least 1
     * @return the scaling
     * @throws IllegalArgumentException when s is not finite and positive, or the window is below 1
     */
    public static FittedScale mean(double s, int window) {
        if (window < 1) {
            throw new IllegalArgumentException("the mean scaling needs the windows' steps, at least 1, got " + window);
        }
        return new FittedScale(Scale.MEAN, null, s, window);
    }

    /** {@return which scale this is} */
    public Scale mode() {
        return mode;
    }

    /**
     * {@return the global standardisation (mean m, standard deviation s) under {@link Scale#GLOBAL},
     * the one a model file keeps ({@code PredictionInfo.forecaster}); empty under the scales relative
     * to each window, whose map depends on the window's own values ({@link #map})}
     */
    public Optional<Normalizer> normalizer() {
        return Optional.ofNullable(global);
    }

    /** {@return s, the fitted scale: b for every window, but under {@link Scale#MEAN}, where b = ν_o·s} */
    public double scale() {
        return scale;
    }

    /** {@return the steps over which a mean scaling takes a window's level; 0 for the other scales} */
    int meanWindow() {
        return window;
    }

    /**
     * How many values a window reads up to its origin: {@link Scale#reach(int)} of this scale.
     *
     * @param window the window's steps, at least 1
     * @return {@code window}, or one more for differences
     */
    public long reach(int window) {
        return mode.reach(window);
    }

    /**
     * The value the network reads at step {@code u} of the window with origin {@code o}.
     *
     * @param x the series, in its own units
     * @param u the step's row, at most o (at least 1 for differences)
     * @param o the window's origin, a row of x
     * @return the scaled value, as the class's table says
     * @throws IllegalArgumentException when u or o lie outside the series, or u after o
     */
    public double input(double[] x, int u, int o) {
        checkOrigin(x, o);
        int first = mode == Scale.DIFFERENCE ? 1 : 0;
        if (u < first || u > o) {
            throw new IllegalArgumentException("an input of the window with origin " + o + " lies at a row from " + first
                    + " to " + o + (first == 1 ? " (a difference reaches back one row)" : "") + ", got " + u);
        }
        return switch (mode) {
            case GLOBAL -> global.normalize(x[u]);
            case WINDOW -> (x[u] - x[o]) / scale;
            case DIFFERENCE -> (x[u] - x[u - 1]) / scale;
            case MEAN -> (x[u] / level(x, o, window) - 1) / scale;
        };
    }

    /**
     * What the network learns to predict for the value at {@code v} from the window with origin
     * {@code o}.
     *
     * @param x the series, in its own units
     * @param v the target's row, after o
     * @param o the window's origin
     * @return the scaled target, as the class's table says
     * @throws IllegalArgumentException when v or o lie outside the series, or v is not after o
     */
    public double target(double[] x, int v, int o) {
        checkOrigin(x, o);
        if (v <= o || v >= x.length) {
            throw new IllegalArgumentException("a target of the window with origin " + o + " lies after it, at a row from "
                    + (o + 1) + " to " + (x.length - 1) + ", got " + v);
        }
        return switch (mode) {
            case GLOBAL -> global.normalize(x[v]);
            case WINDOW, DIFFERENCE -> (x[v] - x[o]) / scale;
            case MEAN -> (x[v] / level(x, o, window) - 1) / scale;
        };
    }

    /**
     * The map of the window with origin {@code o}'s predictions back to the series' units.
     *
     * @param x the series, in its own units
     * @param o the window's origin
     * @return {@code x = a + b·z}, as the class's table says
     * @throws IllegalArgumentException when o lies outside the series, or under {@link Scale#MEAN}
     *     the window's values are all 0
     */
    public AffineMap map(double[] x, int o) {
        checkOrigin(x, o);
        return switch (mode) {
            case GLOBAL -> new AffineMap(global.mean(), global.std());
            case WINDOW, DIFFERENCE -> new AffineMap(x[o], scale);
            case MEAN -> {
                double level = level(x, o, window);
                yield new AffineMap(level, level * scale);
            }
        };
    }

    private void checkOrigin(double[] x, int o) {
        Objects.requireNonNull(x, "x");
        int first = mode == Scale.MEAN ? window - 1 : 0;
        if (o < first || o >= x.length) {
            throw new IllegalArgumentException("a window's origin is a row of the series from " + first + " to "
                    + (x.length - 1) + (mode == Scale.MEAN ? " (a mean-level window reads " + window + " rows up to it)" : "")
                    + ", got " + o);
        }
    }

    /**
     * ν_o, the mean level of the window with origin {@code o}: the mean of |x| over its
     * {@code window} inputs.
     *
     * @throws IllegalArgumentException when it is 0 (every input 0), which no ratio can scale
     */
    static double level(double[] x, int o, int window) {
        double sum = 0;
        for (int u = o - window + 1; u <= o; u++) {
            sum += Math.abs(x[u]);
        }
        if (!(sum > 0)) {
            throw new IllegalArgumentException("scale mean cannot scale the window ending at " + o + ": every value in it "
                    + "is 0, so it has no level to divide by; use scale window or difference for a series with runs of 0");
        }
        return sum / window;
    }

    /**
     * Fits {@code windows}' scale on the training data, as {@link #fit(LeadTimeWindows, double[], int,
     * WindowOrigins, IntFunction)} does, naming a bad value by its index.
     *
     * @param windows the windows the scaling is for: their scale, window and steps
     * @param x the series, NaN where a value is missing
     * @param testStart the end of the training span, exclusive
     * @param train the training windows ({@link LeadTimeWindows#trainOrigins}), read by
     *     {@link Scale#WINDOW} and {@link Scale#MEAN}
     * @return the fitted scaling
     * @throws IllegalArgumentException as the other {@code fit}
     */
    public static FittedScale fit(LeadTimeWindows windows, double[] x, int testStart, WindowOrigins train) {
        return fit(windows, x, testStart, train, i -> "value " + i);
    }

    /**
     * Fits {@code windows}' scale on the training data. Every scale first fits the global
     * standardisation on the training span's observed values and applies it to every observed value,
     * which checks each against what the model's arithmetic holds ({@link Normalizer}; a message
     * names the value by {@code where}) and refuses a constant training span. Then, as the class's
     * table says: s over the training windows' inputs and targets ({@link Scale#WINDOW},
     * {@link Scale#MEAN}), or over the training span's one-step differences ({@link Scale#DIFFERENCE}).
     *
     * @param windows the windows the scaling is for: their scale, window and steps
     * @param x the series, NaN where a value is missing
     * @param testStart the end of the training span, exclusive, from 1 to {@code x.length}
     * @param train the training windows ({@link LeadTimeWindows#trainOrigins}), every target before
     *     {@code testStart}; read by {@link Scale#WINDOW} and {@link Scale#MEAN}
     * @param where what to call value {@code i} in a message, e.g. {@code "births.csv line 12, column births"}
     * @return the fitted scaling
     * @throws IllegalArgumentException from {@link Normalizer}; when a training window reaches past the
     *     training span or before the series; or when the training data give no scale
     */
    public static FittedScale fit(LeadTimeWindows windows, double[] x, int testStart, WindowOrigins train,
                              IntFunction<String> where) {
        Objects.requireNonNull(windows, "windows");
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(where, "where");
        if (testStart < 1 || testStart > x.length) {
            throw new IllegalArgumentException("the training span ends at the test span's start, a row from 1 to "
                    + x.length + ", got " + testStart);
        }
        Scale mode = windows.scale();
        int[] origins = train.kept();
        for (int o : origins) {
            if (o < windows.firstOrigin() || windows.target(o, windows.steps() - 1) >= testStart) {
                throw new IllegalArgumentException("training window " + o + " reads rows "
                        + (o - windows.firstOrigin()) + " to " + windows.target(o, windows.steps() - 1) + ", not all "
                        + "within the training span [0, " + testStart + "); take the origins from "
                        + "LeadTimeWindows.trainOrigins with the same test span's start");
            }
        }
        ObservedValues seen = ObservedValues.of(x, testStart);
        double[] values = seen.values();
        IntFunction<String> at = seen.naming(where);
        Normalizer normalizer = Normalizer.fit(values, 0, seen.train(), at);
        normalizer.normalize(values, at);
        if (mode == Scale.GLOBAL) {
            return global(normalizer);
        }
        double s = switch (mode) {
            case WINDOW -> windowScale(x, origins, windows);
            case MEAN -> meanScale(x, origins, windows);
            default -> differenceScale(x, testStart);
        };
        if (Double.isNaN(s) && mode != Scale.DIFFERENCE && origins.length > 0) {
            throw new IllegalArgumentException("scale " + mode.label() + " finds no scale in the training span: a "
                    + "training window reads a missing value; take the origins from LeadTimeWindows.trainOrigins, which "
                    + "drops such windows");
        }
        if (!(s > 0) || Double.isInfinite(s)) {
            throw new IllegalArgumentException("scale " + mode.label() + " finds no scale in the training span: "
                    + (mode == Scale.DIFFERENCE ? "no two neighbouring values are both observed and differ"
                    : origins.length == 0 ? "there is no training window" : "every training window is flat")
                    + "; use scale global");
        }
        return switch (mode) {
            case WINDOW -> window(s);
            case MEAN -> mean(s, windows.window());
            default -> difference(s);
        };
    }

    /** {@return the root mean square of {@code x_v − x_o} over every input and target of the windows with these origins} */
    static double windowScale(double[] x, int[] origins, LeadTimeWindows windows) {
        double squares = 0;
        long terms = 0;
        for (int o : origins) {
            for (int u = o - windows.window() + 1; u <= o; u++) {
                double d = x[u] - x[o];
                squares += d * d;
                terms++;
            }
            for (int j = 0; j < windows.steps(); j++) {
                double d = x[windows.target(o, j)] - x[o];
                squares += d * d;
                terms++;
            }
        }
        return Math.sqrt(squares / terms);
    }

    /** {@return the root mean square of {@code x/ν_o − 1} over every input and target of the windows with these origins} */
    static double meanScale(double[] x, int[] origins, LeadTimeWindows windows) {
        double squares = 0;
        long terms = 0;
        for (int o : origins) {
            double level = level(x, o, windows.window());
            for (int u = o - windows.window() + 1; u <= o; u++) {
                double d = x[u] / level - 1;
                squares += d * d;
                terms++;
            }
            for (int j = 0; j < windows.steps(); j++) {
                double d = x[windows.target(o, j)] / level - 1;
                squares += d * d;
                terms++;
            }
        }
        return Math.sqrt(squares / terms);
    }

    /** {@return the root mean square of {@code x_u − x_{u−1}} over {@code u} in [1, to) with both values observed} */
    static double differenceScale(double[] x, int to) {
        double squares = 0;
        long terms = 0;
        for (int u = 1; u < to; u++) {
            double d = x[u] - x[u - 1];
            if (!Double.isNaN(d)) {
                squares += d * d;
                terms++;
            }
        }
        return Math.sqrt(squares / terms);
    }

    @Override
    public String toString() {
        return mode == Scale.GLOBAL ? "FittedScale[global, " + global + "]" : "FittedScale[" + mode.label() + ", s=" + scale
                + (mode == Scale.MEAN ? ", window=" + window : "") + "]";
    }
}
