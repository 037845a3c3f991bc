package dev.vdrop.samples;

import dev.vdrop.runtime.mc.Interval;
import dev.vdrop.runtime.mc.RegressionPrediction;

/**
 * The map {@code x = a + b·z} (b &gt; 0) from the units a forecaster predicts in back to the
 * series' units; {@link Scaling} gives one per window.
 *
 * <p>It maps the MC mixture exactly: the mixture {@code (1/K) Σ_k N(μ_k, σ²)} in z becomes
 * {@code (1/K) Σ_k N(a + b·μ_k, b²σ²)}, so the mean maps as a value and both variances (epistemic
 * and aleatoric) are multiplied by b². The moment-matched interval of the mapped mixture is the
 * mapped interval, since {@code a + b·(μ̄ ± q·sd) = (a + b·μ̄) ± q·(b·sd)} for b &gt; 0.
 *
 * @param a the offset, in the series' units
 * @param b the scale, finite and &gt; 0
 */
record AffineMap(double a, double b) {
    AffineMap {
        if (!Double.isFinite(a) || !Double.isFinite(b) || !(b > 0)) {
            throw new IllegalArgumentException("an affine map x = a + b·z needs a finite a and a finite b > 0, got a = " + a
                    + ", b = " + b);
        }
    }

    /** {@return {@code a + z·b}} */
    double value(double z) {
        return a + z * b;
    }

    /** {@return a variance in z-units mapped: {@code v·b·b}} */
    double variance(double v) {
        return v * b * b;
    }

    /** {@return {@code [value(lo), value(hi)]}: an interval stays one, since b &gt; 0} */
    Interval interval(Interval z) {
        return new Interval(value(z.lo()), value(z.hi()));
    }

    /** {@return the prediction {@code p}, made in z-units, in the series' units} */
    SeriesPrediction map(RegressionPrediction p) {
        return new SeriesPrediction(p, this);
    }
}
