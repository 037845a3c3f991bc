package dev.vdrop.runtime.forecast;

import dev.vdrop.runtime.mc.Interval;
import dev.vdrop.runtime.mc.RegressionPrediction;
import java.util.Objects;

/**
 * The map {@code x = a + b·z} (b &gt; 0) from the units a forecaster predicts in back to the
 * series' units; {@link FittedScale#map} gives one per window.
 *
 * <p>It maps the MC mixture exactly: the mixture {@code (1/K) Σ_k N(μ_k, σ²)} in z becomes
 * {@code (1/K) Σ_k N(a + b·μ_k, b²σ²)}, so the mean maps as a value and both variances (epistemic
 * and aleatoric) are multiplied by b². The moment-matched interval of the mapped mixture is the
 * mapped interval, since {@code a + b·(μ̄ ± q·sd) = (a + b·μ̄) ± q·(b·sd)} for b &gt; 0.
 *
 * @param a the offset, in the series' units, finite
 * @param b the scale, finite and &gt; 0
 */
public record AffineMap(double a, double b) {
    /**
     * Checks the offset and the scale.
     *
     * @param a the offset, finite
     * @param b the scale, finite and &gt; 0
     * @throws IllegalArgumentException when a is not finite, or b is not finite and positive
     */
    public AffineMap {
        if (!Double.isFinite(a) || !Double.isFinite(b) || !(b > 0)) {
            throw new IllegalArgumentException("an affine map x = a + b·z needs a finite a and a finite b > 0, got a = " + a
                    + ", b = " + b);
        }
    }

    /**
     * Maps a value.
     *
     * @param z a value in the forecaster's units
     * @return {@code a + z·b}
     */
    public double value(double z) {
        return a + z * b;
    }

    /**
     * Maps a variance.
     *
     * @param v a variance in the forecaster's units
     * @return {@code v·b·b}
     */
    public double variance(double v) {
        return v * b * b;
    }

    /**
     * Maps an interval: it stays one, since b &gt; 0.
     *
     * @param z an interval in the forecaster's units
     * @return {@code [value(lo), value(hi)]}
     */
    public Interval interval(Interval z) {
        Objects.requireNonNull(z, "z");
        return new Interval(value(z.lo()), value(z.hi()));
    }

    /**
     * Reads an MC prediction in the series' units.
     *
     * @param z the prediction, made in the forecaster's units
     * @return the prediction in the series' units
     */
    public SeriesPrediction map(RegressionPrediction z) {
        return new SeriesPrediction(z, this);
    }
}
