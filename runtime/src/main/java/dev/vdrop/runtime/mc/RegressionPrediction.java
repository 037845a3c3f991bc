package dev.vdrop.runtime.mc;

import java.util.Objects;
import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * The MC-dropout prediction for one output of a regression model with Gaussian observation noise,
 * from K sampled means {@code μ_1 … μ_K} (one per stochastic pass) and the noise variance
 * {@code σ²} (the model's learned {@code exp(s)}): Gal &amp; Ghahramani 2016 (arXiv 1506.02142),
 * §3.3 and §5.1; the split into epistemic and aleatoric parts follows Kendall &amp; Gal 2017
 * (arXiv 1703.04977).
 *
 * <p>The predictive distribution is the mixture {@code (1/K) Σ_k N(μ_k, σ²)}. Its mean is
 * {@code μ̄ = (1/K) Σ_k μ_k} and its variance is exactly
 * {@code (1/K) Σ_k (μ_k − μ̄)² + σ²}: the epistemic variance divides by K, not K − 1, because it is
 * the spread of the mixture itself, not an estimate of a population's. With K = 1 it is 0.
 * {@link #interval(double)} matches a Gaussian to these two moments.
 */
public final class RegressionPrediction {
    private static final NormalDistribution STANDARD_NORMAL = new NormalDistribution(null, 0, 1);

    private final int samples;
    private final double mean;
    private final double epistemicVariance;
    private final double aleatoricVariance;

    private RegressionPrediction(int samples, double mean, double epistemicVariance, double aleatoricVariance) {
        this.samples = samples;
        this.mean = mean;
        this.epistemicVariance = epistemicVariance;
        this.aleatoricVariance = aleatoricVariance;
    }

    /**
     * Summarises K sampled means with one noise variance shared by the passes (a homoscedastic noise
     * parameter).
     *
     * @param sampledMeans {@code μ_k}, K ≥ 1 finite values
     * @param noiseVariance {@code σ²}, finite and ≥ 0
     * @return the prediction
     * @throws IllegalArgumentException on an empty or non-finite sample, or a negative or non-finite variance
     */
    public static RegressionPrediction of(double[] sampledMeans, double noiseVariance) {
        checkMeans(sampledMeans);
        checkVariance(noiseVariance, "the noise variance");
        return of(sampledMeans.length, sampledMeans, noiseVariance);
    }

    /**
     * Summarises K sampled means, each pass with its own noise variance {@code σ_k²} (a heteroscedastic
     * noise head under dropout); the aleatoric variance is their average {@code (1/K) Σ_k σ_k²}, which
     * keeps the variance that of the mixture {@code (1/K) Σ_k N(μ_k, σ_k²)}.
     *
     * @param sampledMeans {@code μ_k}, K ≥ 1 finite values
     * @param noiseVariances {@code σ_k²}, one per pass, finite and ≥ 0
     * @return the prediction
     * @throws IllegalArgumentException as {@link #of(double[], double)}, or when the arrays differ in length
     */
    public static RegressionPrediction of(double[] sampledMeans, double[] noiseVariances) {
        checkMeans(sampledMeans);
        Objects.requireNonNull(noiseVariances, "noiseVariances");
        if (noiseVariances.length != sampledMeans.length) {
            throw new IllegalArgumentException("got " + sampledMeans.length + " sampled means but " + noiseVariances.length
                    + " noise variances; give one per pass");
        }
        double sum = 0;
        for (int k = 0; k < noiseVariances.length; k++) {
            checkVariance(noiseVariances[k], "noise variance " + k);
            sum += noiseVariances[k];
        }
        return of(sampledMeans.length, sampledMeans, sum / noiseVariances.length);
    }

    private static RegressionPrediction of(int k, double[] means, double aleatoric) {
        double sum = 0;
        for (double m : means) {
            sum += m;
        }
        double mean = sum / k;
        double squares = 0;
        for (double m : means) {
            double d = m - mean;
            squares += d * d;
        }
        return new RegressionPrediction(k, mean, squares / k, aleatoric);
    }

    private static void checkMeans(double[] sampledMeans) {
        Objects.requireNonNull(sampledMeans, "sampledMeans");
        if (sampledMeans.length == 0) {
            throw new IllegalArgumentException("an MC prediction needs at least one sampled mean (K >= 1), got none");
        }
        for (int k = 0; k < sampledMeans.length; k++) {
            if (!Double.isFinite(sampledMeans[k])) {
                throw new IllegalArgumentException("sampled mean " + k + " is " + sampledMeans[k] + "; it must be finite");
            }
        }
    }

    private static void checkVariance(double v, String what) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(what + " is " + v + "; a variance must be finite and >= 0"
                    + " (pass exp(s), not the log-variance s)");
        }
    }

    /** {@return K, the number of sampled means} */
    public int samples() {
        return samples;
    }

    /** {@return {@code μ̄ = (1/K) Σ_k μ_k}} */
    public double mean() {
        return mean;
    }

    /** {@return {@code (1/K) Σ_k (μ_k − μ̄)²}, dividing by K (0 when K = 1)} */
    public double epistemicVariance() {
        return epistemicVariance;
    }

    /** {@return {@code σ²}, the observation noise (the average of the {@code σ_k²} when given per pass)} */
    public double aleatoricVariance() {
        return aleatoricVariance;
    }

    /** {@return the predictive variance, epistemic + aleatoric} */
    public double variance() {
        return epistemicVariance + aleatoricVariance;
    }

    /** {@return {@code sqrt(variance())}} */
    public double std() {
        return Math.sqrt(variance());
    }

    /**
     * The central interval with probability {@code level} under the Gaussian that matches the MC
     * mixture's mean and variance: {@code mean ± z·sqrt(variance)}, with {@code z} the standard normal
     * quantile at {@code (1 + level)/2} (1.2816 for 0.8, 1.9600 for 0.95).
     *
     * @param level the nominal coverage, {@code 0 < level < 1}
     * @return the interval
     * @throws IllegalArgumentException when the level is not strictly between 0 and 1
     */
    public Interval interval(double level) {
        if (!(level > 0 && level < 1)) {
            throw new IllegalArgumentException("an interval's level must be strictly between 0 and 1 (e.g. 0.95), got " + level);
        }
        double half = STANDARD_NORMAL.inverseCumulativeProbability((1 + level) / 2) * std();
        return new Interval(mean - half, mean + half);
    }

    @Override
    public String toString() {
        return "RegressionPrediction[K=" + samples + ", mean=" + mean + ", epistemicVariance=" + epistemicVariance
                + ", aleatoricVariance=" + aleatoricVariance + "]";
    }
}
