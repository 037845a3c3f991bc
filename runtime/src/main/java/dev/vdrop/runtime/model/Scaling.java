package dev.vdrop.runtime.model;

import dev.vdrop.runtime.series.Normalizer;

/**
 * A forecaster's standardisation, {@code z = (x − mean) / std}, as fitted by a
 * {@link Normalizer} on the training span and saved in a model file. Same formulas as
 * {@link Normalizer}, so a loaded forecaster maps its inputs and predictions exactly as the trained
 * one did.
 *
 * @param mean the training span's mean, finite
 * @param std the training span's standard deviation, finite and &gt; 0
 */
public record Scaling(double mean, double std) {
    /**
     * A scaling, checked.
     *
     * @param mean the mean
     * @param std the standard deviation
     * @throws IllegalArgumentException when the mean is not finite or the std is not finite and positive
     */
    public Scaling {
        if (!Double.isFinite(mean) || !Double.isFinite(std) || !(std > 0)) {
            throw new IllegalArgumentException("a scaling needs a finite mean and a finite std > 0, got mean " + mean
                    + ", std " + std);
        }
    }

    /**
     * The scaling of a fitted normaliser.
     *
     * @param normalizer the normaliser
     * @return its mean and std
     */
    public static Scaling of(Normalizer normalizer) {
        return new Scaling(normalizer.mean(), normalizer.std());
    }

    /**
     * Standardises one value, as {@link Normalizer#normalize(double)}.
     *
     * @param x a value in the series' units
     * @return {@code (x − mean) / std}
     */
    public double normalize(double x) {
        return (x - mean) / std;
    }

    /**
     * Maps a standardised value back, as {@link Normalizer#denormalize(double)}.
     *
     * @param z a standardised value
     * @return {@code mean + z · std}
     */
    public double denormalize(double z) {
        return mean + z * std;
    }

    /**
     * Maps a variance in standardised units to the series' units, as
     * {@link Normalizer#denormalizeVariance(double)}.
     *
     * @param v a variance in standardised units
     * @return {@code v · std²}
     */
    public double denormalizeVariance(double v) {
        return v * std * std;
    }
}
