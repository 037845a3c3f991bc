package dev.vdrop.runtime.train;

import dev.vdrop.runtime.Mat;
import dev.vdrop.runtime.Parameter;
import java.util.List;
import java.util.Map;

/**
 * Plain stochastic gradient descent with L2 weight decay: θ ← θ − η (g + λ θ). Weight decay is the
 * KL term of the variational objective, up to scale (Gal &amp; Ghahramani 2016, eq. 3). Stateless.
 */
public final class Sgd implements Optimizer {
    private final double weightDecay;

    /** @param weightDecay λ ≥ 0 */
    public Sgd(double weightDecay) {
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException("weight decay must be a finite number ≥ 0, got " + weightDecay);
        }
        this.weightDecay = weightDecay;
    }

    @Override
    public void step(List<Parameter> parameters, double learningRate) {
        dev.vdrop.runtime.Gradients.sgdStep(parameters, learningRate, weightDecay);
    }

    @Override
    public void step(List<Parameter> parameters, double learningRate, double gradientScale) {
        dev.vdrop.runtime.Gradients.sgdStep(parameters, learningRate, weightDecay, gradientScale);
    }

    @Override
    public Map<String, Mat> state() {
        return Map.of();
    }

    @Override
    public void restore(Map<String, Mat> state) {
        // Nothing to restore: plain SGD keeps no state.
    }

    @Override
    public String name() {
        return "sgd";
    }
}
