package dev.vdrop.samples;

import dev.vdrop.runtime.mc.Interval;
import dev.vdrop.runtime.mc.RegressionPrediction;

/**
 * An MC-dropout prediction made in the network's units, read in the series' units through the
 * window's {@link AffineMap} (whose description gives the maths).
 *
 * @param z the prediction as the network made it
 * @param map from z to the series' units
 */
record SeriesPrediction(RegressionPrediction z, AffineMap map) {
    /** {@return the predictive mean, {@code a + b·μ̄}} */
    double mean() {
        return map.value(z.mean());
    }

    /** {@return the epistemic variance (the spread of the K sampled means), times b²} */
    double epistemicVariance() {
        return map.variance(z.epistemicVariance());
    }

    /** {@return the noise variance σ², times b²} */
    double aleatoricVariance() {
        return map.variance(z.aleatoricVariance());
    }

    /** {@return the central interval with probability {@code level} (0 &lt; level &lt; 1), mapped} */
    Interval interval(double level) {
        return map.interval(z.interval(level));
    }
}
