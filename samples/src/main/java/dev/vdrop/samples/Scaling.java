package dev.vdrop.samples;

import dev.vdrop.runtime.series.Normalizer;
import java.util.function.IntFunction;

/**
 * A fitted {@link Scale}: what the network reads for each step of a window, what it learns to
 * predict, and the {@link AffineMap} that takes its predictions back to the series' units. Windows
 * are named by their origin o, the index of their last input value; x is the series in its own
 * units; every value a window reads is observed (windows touching a missing value are dropped
 * before, by {@link LeadTimeWindows}).
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
 */
final class Scaling {
    private final Scale mode;
    private final Normalizer global;
    private final double scale;
    private final int window;

    private Scaling(Scale mode, Normalizer global, double scale, int window) {
        if (!Double.isFinite(scale) || !(scale > 0)) {
            throw new IllegalArgumentException("a scale must be finite and > 0, got " + scale);
        }
        this.mode = mode;
        this.global = global;
        this.scale = scale;
        this.window = window;
    }

    /** {@return today's global standardisation with {@code normalizer}'s mean and standard deviation} */
    static Scaling global(Normalizer normalizer) {
        return new Scaling(Scale.GLOBAL, normalizer, normalizer.std(), 0);
    }

    /** {@return the window-level scaling with scale {@code s} &gt; 0} */
    static Scaling window(double s) {
        return new Scaling(Scale.WINDOW, null, s, 0);
    }

    /** {@return the difference scaling with scale {@code s} &gt; 0} */
    static Scaling difference(double s) {
        return new Scaling(Scale.DIFFERENCE, null, s, 0);
    }

    /** {@return the mean-level scaling with scale {@code s} &gt; 0, for windows of {@code window} steps} */
    static Scaling mean(double s, int window) {
        return new Scaling(Scale.MEAN, null, s, window);
    }

    Scale mode() {
        return mode;
    }

    /** {@return s: b for every window but under {@link Scale#MEAN}, where b = ν_o·s} */
    double scale() {
        return scale;
    }

    /** {@return how many values a window of {@code window} steps reads up to its origin: one more for differences} */
    long reach(int window) {
        return reach(mode, window);
    }

    static long reach(Scale mode, int window) {
        return (long) window + (mode == Scale.DIFFERENCE ? 1 : 0);
    }

    /** {@return the value input of step {@code u} of the window with origin {@code o}} */
    double input(double[] x, int u, int o) {
        return switch (mode) {
            case GLOBAL -> global.normalize(x[u]);
            case WINDOW -> (x[u] - x[o]) / scale;
            case DIFFERENCE -> (x[u] - x[u - 1]) / scale;
            case MEAN -> (x[u] / level(x, o, window) - 1) / scale;
        };
    }

    /** {@return what the network learns to predict for the value at {@code v} from the window with origin {@code o}} */
    double target(double[] x, int v, int o) {
        return switch (mode) {
            case GLOBAL -> global.normalize(x[v]);
            case WINDOW, DIFFERENCE -> (x[v] - x[o]) / scale;
            case MEAN -> (x[v] / level(x, o, window) - 1) / scale;
        };
    }

    /** {@return the map of the window with origin {@code o}'s predictions back to the series' units} */
    AffineMap map(double[] x, int o) {
        return switch (mode) {
            case GLOBAL -> new AffineMap(global.mean(), global.std());
            case WINDOW, DIFFERENCE -> new AffineMap(x[o], scale);
            case MEAN -> {
                double level = level(x, o, window);
                yield new AffineMap(level, level * scale);
            }
        };
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
            throw new IllegalArgumentException("--scale mean cannot scale the window ending at " + o + ": every value in it is 0");
        }
        return sum / window;
    }

    /**
     * Fits {@code mode} on the training data. Every mode first fits the global standardisation on
     * the training span's observed values and applies it to every observed value, which checks
     * each against what the model's arithmetic holds ({@link Normalizer}; a message names the value
     * by {@code where}) and refuses a constant training span.
     *
     * @param x the series, NaN where a value is missing
     * @param testStart the end of the training span
     * @param trainOrigins the origins of the training windows (used by {@link Scale#WINDOW})
     * @param windows their shape
     * @param where what to call value {@code i} in a message
     * @throws IllegalArgumentException from {@link Normalizer}, or when the training data give no scale
     */
    static Scaling fit(Scale mode, double[] x, int testStart, int[] trainOrigins, LeadTimeWindows windows,
                       IntFunction<String> where) {
        Observed seen = Observed.of(x, testStart);
        double[] values = seen.values();
        IntFunction<String> at = seen.naming(where);
        Normalizer normalizer = Normalizer.fit(values, 0, seen.train(), at);
        normalizer.normalize(values, at);
        if (mode == Scale.GLOBAL) {
            return global(normalizer);
        }
        double s = switch (mode) {
            case WINDOW -> windowScale(x, trainOrigins, windows);
            case MEAN -> meanScale(x, trainOrigins, windows);
            default -> differenceScale(x, testStart);
        };
        if (!(s > 0) || Double.isInfinite(s)) {
            throw new IllegalArgumentException("--scale " + mode.label() + " finds no scale in the training span: "
                    + (mode == Scale.DIFFERENCE ? "no two neighbouring values are both observed and differ"
                    : "every training window is flat") + "; use --scale global");
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

    /**
     * The observed (not NaN) values of a series, in row order, and how many of them lie before the
     * test span: what a normaliser fitted on the training span's observed values needs.
     *
     * @param rows the rows of the observed values
     * @param values their values
     * @param train how many of them lie before the test span (the first {@code train})
     */
    record Observed(int[] rows, double[] values, int train) {
        static Observed of(double[] x, int testStart) {
            int[] rows = observed(x, 0, x.length);
            double[] values = new double[rows.length];
            int train = 0;
            for (int i = 0; i < rows.length; i++) {
                values[i] = x[rows[i]];
                if (rows[i] < testStart) {
                    train++;
                }
            }
            return new Observed(rows, values, train);
        }

        /** {@return what to call observed value {@code i} in a message: as {@code where} calls its row} */
        IntFunction<String> naming(IntFunction<String> where) {
            return i -> where.apply(rows[i]);
        }
    }

    /** {@return the indices in [from, to) whose value is not NaN, in order} */
    static int[] observed(double[] x, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            if (!Double.isNaN(x[i])) {
                n++;
            }
        }
        int[] out = new int[n];
        n = 0;
        for (int i = from; i < to; i++) {
            if (!Double.isNaN(x[i])) {
                out[n++] = i;
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return mode == Scale.GLOBAL ? "Scaling[global, " + global + "]" : "Scaling[" + mode.label() + ", s=" + scale
                + (mode == Scale.MEAN ? ", window=" + window : "") + "]";
    }
}
