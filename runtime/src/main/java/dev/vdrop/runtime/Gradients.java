package dev.vdrop.runtime;

import dev.vdrop.runtime.internal.Blas;
import dev.vdrop.runtime.internal.Parallel;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Operations on the gradient buffers of a network's parameters: clear them before a backward
 * pass, measure and clip their global norm, and take a plain SGD step.
 */
public final class Gradients {
    private Gradients() {}

    /**
     * Sets every gradient to zero; call before each backward pass, which accumulates. Buffers are
     * cleared lazily (see {@link Parameter#zeroGradient()}).
     *
     * @param parameters the network's parameters
     */
    public static void zero(List<Parameter> parameters) {
        for (Parameter p : parameters) {
            p.zeroGradient();
        }
    }

    /**
     * The L2 norm of all gradients together, {@code sqrt(Σ_p ‖g_p‖²)}.
     *
     * @param parameters the network's parameters
     * @return the global norm
     */
    public static double globalNorm(List<Parameter> parameters) {
        double sum = 0;
        for (Parameter p : parameters) {
            if (p.gradientKnownZero()) {
                continue;
            }
            int[] columns = p.gradientColumnsWritten();
            if (columns != null) {
                // an embedding's gradient: only the columns the pass wrote can be non-zero
                sum += Blas.sumOfSquaresOfColumns(p.gradientBuffer(), columns);
                continue;
            }
            double norm = Blas.norm(p.gradient());
            sum += norm * norm;
        }
        return Math.sqrt(sum);
    }

    /**
     * Rescales all gradients so their global norm is at most {@code maxNorm} (Pascanu et al. 2013)
     * and returns the norm before clipping.
     *
     * @param parameters the network's parameters
     * @param maxNorm the largest global norm kept
     * @return the global norm before clipping
     */
    public static double clip(List<Parameter> parameters, double maxNorm) {
        double norm = globalNorm(parameters);
        double scale = clipScale(norm, maxNorm);
        if (scale != 1) {
            for (Parameter p : parameters) {
                p.gradient().scale(scale);
            }
        }
        return norm;
    }

    /**
     * The factor that brings gradients of global norm {@code norm} to at most {@code maxNorm}.
     *
     * @param norm the gradients' global norm
     * @param maxNorm the largest global norm kept
     * @return min(1, maxNorm / norm), and 1 for a zero norm
     */
    public static double clipScale(double norm, double maxNorm) {
        return norm > maxNorm && norm > 0 ? maxNorm / norm : 1;
    }

    /**
     * One SGD step with L2 weight decay: {@code θ ← θ − lr · (g + λ θ)}. Weight decay is the KL
     * term of the variational objective (Gal &amp; Ghahramani 2016, eq. 3) up to scale.
     *
     * @param parameters the network's parameters
     * @param learningRate lr
     * @param weightDecay λ, 0 for none
     */
    public static void sgdStep(List<Parameter> parameters, double learningRate, double weightDecay) {
        sgdStep(parameters, learningRate, weightDecay, 1);
    }

    /**
     * {@link #sgdStep(List, double, double)} with every gradient multiplied by {@code gradientScale}
     * (see {@link #clipScale}): {@code θ ← θ − lr · (s·g + λ θ)}, one pass per parameter.
     *
     * @param parameters the network's parameters
     * @param learningRate lr
     * @param weightDecay λ, 0 for none
     * @param gradientScale s, e.g. the clipping factor
     */
    public static void sgdStep(List<Parameter> parameters, double learningRate, double weightDecay, double gradientScale) {
        for (Parameter p : parameters) {
            INDArray value = p.value().flat();
            if (weightDecay != 0) {
                Parallel.runNative(() -> value.muli(1 - learningRate * weightDecay));
            }
            if (p.gradientKnownZero()) {
                continue;
            }
            int[] columns = p.gradientColumnsWritten();
            if (columns != null) {
                Blas.axpyColumns(-learningRate * gradientScale, p.gradientBuffer(), p.value(), columns);
                continue;
            }
            if (p.value().isContiguous()) {
                Blas.axpy(-learningRate * gradientScale, p.gradient(), p.value());
            } else {
                INDArray gradient = p.gradient().flat();
                Parallel.runNative(() -> Nd4j.getBlasWrapper().level1().axpy(value.length(), -learningRate * gradientScale,
                        gradient, value));
            }
        }
    }
}
