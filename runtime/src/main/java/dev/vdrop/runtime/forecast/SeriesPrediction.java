package dev.vdrop.runtime.forecast;

import dev.vdrop.runtime.mc.Interval;
import dev.vdrop.runtime.mc.RegressionPrediction;
import java.util.Objects;

/**
 * An MC-dropout prediction made in the network's units, read in the series' units through its
 * window's {@link AffineMap} {@code x = a + b·z} (whose description gives the maths): the mean maps
 * as a value, both variances are multiplied by b², an interval's ends map as values.
 *
 * @param z the prediction as the network made it
 * @param map from z to the series' units
 */
public record SeriesPrediction(RegressionPrediction z, AffineMap map) {
    /**
     * Checks that both are given.
     *
     * @param z the prediction as the network made it
     * @param map from z to the series' units
     * @throws NullPointerException when either is null
     */
    public SeriesPrediction {
        Objects.requireNonNull(z, "z");
        Objects.requireNonNull(map, "map");
    }

    /** {@return the predictive mean, {@code a + b·μ̄}} */
    public double mean() {
        return map.value(z.mean());
    }

    /** {@return the epistemic variance (the spread of the K sampled means), times b²} */
    public double epistemicVariance() {
        return map.variance(z.epistemicVariance());
    }

    /** {@return the noise variance σ², times b²} */
    public double aleatoricVariance() {
        return map.variance(z.aleatoricVariance());
    }

    /** {@return the predictive variance, epistemic + aleatoric, in the series' units} */
    public double variance() {
        return epistemicVariance() + aleatoricVariance();
    }

    /** {@return the predictive standard deviation, {@code sqrt(variance())}} */
    public double std() {
        return Math.sqrt(variance());
    }

    /**
     * The central interval of the moment-matched Gaussian ({@link RegressionPrediction#interval}),
     * mapped.
     *
     * @param level the nominal coverage, {@code 0 < level < 1}
     * @return the interval in the series' units
     * @throws IllegalArgumentException when the level is not strictly between 0 and 1
     */
    public Interval interval(double level) {
        return map.interval(z.interval(level));
    }
}
