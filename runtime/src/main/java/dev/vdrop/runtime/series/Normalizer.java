package dev.vdrop.runtime.series;

import java.util.Objects;

/**
 * A z-score standardisation {@code z = (x − mean) / std} whose mean and standard deviation come from
 * a training span only, so nothing about the test span leaks into the model's inputs.
 *
 * <p>The standard deviation is the population one (divide by the number of values n, not n − 1),
 * as in most feature scalers. Predictions made in standardised units map back with
 * {@link #denormalize(double)} for values and interval ends (the map is increasing), and
 * {@link #denormalizeVariance(double)} for variances.
 */
public final class Normalizer {
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
     *     not finite, or is constant (standard deviation 0: nothing to divide by)
     */
    public static Normalizer fit(double[] values, int from, int to) {
        Objects.requireNonNull(values, "values");
        if (from < 0 || to > values.length || from >= to) {
            throw new IllegalArgumentException("the training span [" + from + ", " + to + ") must be a non-empty range within [0, "
                    + values.length + ")");
        }
        double sum = 0;
        for (int i = from; i < to; i++) {
            if (!Double.isFinite(values[i])) {
                throw new IllegalArgumentException("value " + i + " of the training span is " + values[i]
                        + "; a normaliser needs finite values");
            }
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
     * Standardises every value into a new array.
     *
     * @param xs values in the series' units
     * @return their standardised values
     */
    public double[] normalize(double[] xs) {
        double[] z = new double[xs.length];
        for (int i = 0; i < xs.length; i++) {
            z[i] = normalize(xs[i]);
        }
        return z;
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
