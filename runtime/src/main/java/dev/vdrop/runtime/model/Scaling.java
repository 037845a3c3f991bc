package dev.vdrop.runtime.model;

import dev.vdrop.runtime.series.Normalizer;

/**
 * A forecaster's standardisation, {@code z = (x − mean) / std}, as fitted by a
 * {@link Normalizer} on the training span and saved in a model file; {@link #normalizer()} gives
 * it back, so a loaded forecaster maps its inputs and predictions exactly as the trained one did.
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
     * The normaliser of this mean and std: {@code normalize}, {@code denormalize} and
     * {@code denormalizeVariance} as the trained forecaster used them.
     *
     * @return the normaliser
     */
    public Normalizer normalizer() {
        return Normalizer.of(mean, std);
    }
}
