package dev.vdrop.runtime;

import java.util.List;

/**
 * Operations on the gradient buffers of a network's parameters: clear them before a backward
 * pass, measure and clip their global norm, and take a plain SGD step.
 */
public final class Gradients {
    private Gradients() {}

    /** Sets every gradient to zero; call before each backward pass, which accumulates. */
    public static void zero(List<Parameter> parameters) {
        for (Parameter p : parameters) {
            p.gradient().zero();
        }
    }

    /** The L2 norm of all gradients together. */
    public static double globalNorm(List<Parameter> parameters) {
        double sum = 0;
        for (Parameter p : parameters) {
            Mat g = p.gradient();
            for (int c = 0; c < g.cols(); c++) {
                for (int r = 0; r < g.rows(); r++) {
                    double v = g.get(r, c);
                    sum += v * v;
                }
            }
        }
        return Math.sqrt(sum);
    }

    /**
     * Rescales all gradients so their global norm is at most {@code maxNorm} (Pascanu et al. 2013)
     * and returns the norm before clipping.
     */
    public static double clip(List<Parameter> parameters, double maxNorm) {
        double norm = globalNorm(parameters);
        if (norm > maxNorm && norm > 0) {
            double scale = maxNorm / norm;
            for (Parameter p : parameters) {
                Mat g = p.gradient();
                for (int c = 0; c < g.cols(); c++) {
                    for (int r = 0; r < g.rows(); r++) {
                        g.set(r, c, g.get(r, c) * scale);
                    }
                }
            }
        }
        return norm;
    }

    /**
     * One SGD step with L2 weight decay: {@code θ ← θ − lr · (g + λ θ)}. Weight decay is the KL
     * term of the variational objective (Gal &amp; Ghahramani 2016, eq. 3) up to scale.
     */
    public static void sgdStep(List<Parameter> parameters, double learningRate, double weightDecay) {
        for (Parameter p : parameters) {
            Mat value = p.value();
            Mat g = p.gradient();
            for (int c = 0; c < g.cols(); c++) {
                for (int r = 0; r < g.rows(); r++) {
                    double theta = value.get(r, c);
                    value.set(r, c, theta - learningRate * (g.get(r, c) + weightDecay * theta));
                }
            }
        }
    }
}
