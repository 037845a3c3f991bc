package dev.vdrop.runtime.series;

import java.util.Objects;
import java.util.function.IntFunction;

/**
 * A z-score standardisation {@code z = (x − mean) / std} whose mean and standard deviation come from
 * a training span only, so nothing about the test span leaks into the model's inputs.
 *
 * <p>The standard deviation is the population one (divide by the number of values n, not n − 1),
 * as in most feature scalers. Predictions made in standardised units map back with
 * {@link #denormalize(double)} for values and interval ends (the map is increasing), and
 * {@link #denormalizeVariance(double)} for variances.
 *
 * <p>What the arithmetic holds: the fit sums the values and their squared deviations in double, so
 * every value must lie within ±{@value #MAX_MAGNITUDE} (a deviation is then at most 2·10¹⁴⁹, its square
 * 4·10²⁹⁸, and the sum of fewer than 2³¹ of them below 8.6·10³⁰⁷, under {@link Double#MAX_VALUE});
 * and the network computes in float32, so every standardised value must lie within
 * ±{@link Float#MAX_VALUE}. Both are checked, and a message names the value that breaks them,
 * by index or as the caller's {@code where} says (e.g. a CSV file's line).
 */
public final class Normalizer {
    /**
     * The largest magnitude of a value this normaliser takes: the mean and the sum of squared
     * deviations of fewer than 2³¹ such values are finite in double.
     */
    public static final double MAX_MAGNITUDE = 1e149;

    private final double mean;
    private final double std;

    private Normalizer(double mean, double std) {
        this.mean = mean;
        this.std = std;
    }

    /**
     * Fits the mean and standard deviation of {@code values[from..to)}.
     *
     * @param values the whole series
     * @param from first index of the training span, inclusive
     * @param to end of the training span, exclusive
     * @return the normaliser of that span
     * @throws IllegalArgumentException when the span is out of bounds or empty, holds a value that is
     *     not finite or beyond ±{@value #MAX_MAGNITUDE}, or is constant (standard deviation 0: nothing
     *     to divide by)
     */
    public static Normalizer fit(double[] values, int from, int to) {
        return fit(values, from, to, i -> "value " + i + " of the training span");
    }

    /**
     * Fits the mean and standard deviation of {@code values[from..to)}, naming a bad value as
     * {@code where} says.
     *
     * @param values the whole series
     * @param from first index of the training span, inclusive
     * @param to end of the training span, exclusive
     * @param where what to call value {@code i} in a message, e.g. {@code "births.csv line 12, column births"}
     * @return the normaliser of that span
     * @throws IllegalArgumentException as {@link #fit(double[], int, int)}
     */
    public static Normalizer fit(double[] values, int from, int to, IntFunction<String> where) {
        Objects.requireNonNull(values, "values");
        Objects.requireNonNull(where, "where");
        if (from < 0 || to > values.length || from >= to) {
            throw new IllegalArgumentException("the training span [" + from + ", " + to + ") must be a non-empty range within [0, "
                    + values.length + ")");
        }
        double sum = 0;
        for (int i = from; i < to; i++) {
            if (!Double.isFinite(values[i])) {
                throw new IllegalArgumentException(where.apply(i) + " is " + values[i]
                        + "; a normaliser needs finite values");
            }
            checkMagnitude(values[i], i, where);
            sum += values[i];
        }
        int n = to - from;
        double mean = sum / n;
        double squares = 0;
        for (int i = from; i < to; i++) {
            double d = values[i] - mean;
            squares += d * d;
        }
        double std = Math.sqrt(squares / n);
        if (!(std > 0)) {
            throw new IllegalArgumentException("the training span [" + from + ", " + to + ") is constant (every value is "
                    + values[from] + "), so its standard deviation is 0 and it cannot be standardised");
        }
        return new Normalizer(mean, std);
    }

    /**
     * The normaliser of a mean and standard deviation fitted before, e.g. read back from a model
     * file.
     *
     * @param mean the mean, finite
     * @param std the standard deviation, finite and &gt; 0
     * @return the normaliser
     * @throws IllegalArgumentException when the mean is not finite or the std is not finite and positive
     */
    public static Normalizer of(double mean, double std) {
        if (!Double.isFinite(mean) || !Double.isFinite(std) || !(std > 0)) {
            throw new IllegalArgumentException("a normaliser needs a finite mean and a finite std > 0, got mean " + mean
                    + ", std " + std);
        }
        return new Normalizer(mean, std);
    }

    /** {@return the training span's mean} */
    public double mean() {
        return mean;
    }

    /** {@return the training span's population standard deviation, &gt; 0} */
    public double std() {
        return std;
    }

    /**
     * Standardises one value.
     *
     * @param x a value in the series' units
     * @return {@code (x − mean) / std}
     */
    public double normalize(double x) {
        return (x - mean) / std;
    }

    /**
     * Maps a standardised value back, the inverse of {@link #normalize(double)}.
     *
     * @param z a standardised value
     * @return {@code mean + z · std}
     */
    public double denormalize(double z) {
        return mean + z * std;
    }

    /**
     * Maps a variance in standardised units to the series' units.
     *
     * @param v a variance in standardised units
     * @return {@code v · std²}
     */
    public double denormalizeVariance(double v) {
        return v * std * std;
    }

    /**
     * Standardises every value into a new array, checking each against what the model's arithmetic
     * holds (the class description).
     *
     * @param xs values in the series' units
     * @return their standardised values
     * @throws IllegalArgumentException when a value is not finite or beyond ±{@value #MAX_MAGNITUDE},
     *     or standardises beyond float32's range; the message names it by index
     */
    public double[] normalize(double[] xs) {
        return normalize(xs, Normalizer::valueAt);
    }

    /**
     * Standardises every value into a new array, as {@link #normalize(double[])}, naming a bad value
     * as {@code where} says.
     *
     * @param xs values in the series' units
     * @param where what to call value {@code i} in a message, e.g. {@code "births.csv line 12, column births"}
     * @return their standardised values
     * @throws IllegalArgumentException as {@link #normalize(double[])}
     */
    public double[] normalize(double[] xs, IntFunction<String> where) {
        Objects.requireNonNull(where, "where");
        double[] z = new double[xs.length];
        for (int i = 0; i < xs.length; i++) {
            if (!Double.isFinite(xs[i])) {
                throw new IllegalArgumentException(where.apply(i) + " is " + xs[i] + "; the model needs finite values");
            }
            checkMagnitude(xs[i], i, where);
            z[i] = normalize(xs[i]);
            if (Math.abs(z[i]) > Float.MAX_VALUE) {
                throw new IllegalArgumentException(where.apply(i) + ": " + xs[i] + " standardises to " + z[i] + " (mean "
                        + mean + ", standard deviation " + std + " of the training span), beyond float32's range (±"
                        + Float.MAX_VALUE + ") in which the network computes; the values' scale varies too much for "
                        + "one standardisation");
            }
        }
        return z;
    }

    private static void checkMagnitude(double x, int i, IntFunction<String> where) {
        if (Math.abs(x) > MAX_MAGNITUDE) {
            throw new IllegalArgumentException(where.apply(i) + ": " + x + " is too large for the model's arithmetic: "
                    + "standardising squares the deviations from the mean and sums them in double, which holds values "
                    + "within ±" + MAX_MAGNITUDE + " only");
        }
    }

    private static String valueAt(int i) {
        return "value " + i;
    }

    /**
     * Maps every standardised value back into a new array.
     *
     * @param zs standardised values
     * @return their values in the series' units
     */
    public double[] denormalize(double[] zs) {
        double[] x = new double[zs.length];
        for (int i = 0; i < zs.length; i++) {
            x[i] = denormalize(zs[i]);
        }
        return x;
    }

    @Override
    public String toString() {
        return "Normalizer[mean=" + mean + ", std=" + std + "]";
    }
}
