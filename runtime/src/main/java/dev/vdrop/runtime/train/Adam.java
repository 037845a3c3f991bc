package dev.vdrop.runtime.train;

import dev.vdrop.runtime.Mat;
import dev.vdrop.runtime.Parameter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adam (Kingma &amp; Ba 2015, arXiv 1412.6980) with L2 weight decay added to the gradient:
 * <pre>
 *   g ← g + λθ;   m ← β₁m + (1−β₁)g;   v ← β₂v + (1−β₂)g²
 *   θ ← θ − η · (m / (1−β₁ᵗ)) / (√(v / (1−β₂ᵗ)) + ε)
 * </pre>
 * State: m and v per parameter and the step count t, all saved with checkpoints.
 */
public final class Adam implements Optimizer {
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final double weightDecay;
    private final Map<String, Mat> m = new LinkedHashMap<>();
    private final Map<String, Mat> v = new LinkedHashMap<>();
    private long t;

    /**
     * Adam with the usual β₁ = 0.9, β₂ = 0.999, ε = 1e-8.
     *
     * @param weightDecay the L2 weight decay λ, ≥ 0, added to the gradient
     */
    public Adam(double weightDecay) {
        this(0.9, 0.999, 1e-8, weightDecay);
    }

    /**
     * Adam with its constants given.
     *
     * @param beta1 β₁, the decay of the first moment, in [0, 1)
     * @param beta2 β₂, the decay of the second moment, in [0, 1)
     * @param epsilon ε &gt; 0, added to the root of the second moment
     * @param weightDecay the L2 weight decay λ, ≥ 0, added to the gradient
     * @throws IllegalArgumentException when a constant is out of range
     */
    public Adam(double beta1, double beta2, double epsilon, double weightDecay) {
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(epsilon > 0) || !(weightDecay >= 0)) {
            throw new IllegalArgumentException("Adam needs 0 ≤ β₁, β₂ < 1, ε > 0 and weight decay ≥ 0, got "
                    + beta1 + ", " + beta2 + ", " + epsilon + ", " + weightDecay);
        }
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.weightDecay = weightDecay;
    }

    @Override
    public void step(List<Parameter> parameters, double learningRate) {
        t++;
        double correction1 = 1 - Math.pow(beta1, t);
        double correction2 = 1 - Math.pow(beta2, t);
        for (Parameter p : parameters) {
            Mat value = p.value();
            Mat g = p.gradient();
            Mat first = m.computeIfAbsent(p.name(), k -> Mat.zeros(value.dataType(), value.rows(), value.cols()));
            Mat second = v.computeIfAbsent(p.name(), k -> Mat.zeros(value.dataType(), value.rows(), value.cols()));
            for (int c = 0; c < g.cols(); c++) {
                for (int r = 0; r < g.rows(); r++) {
                    double theta = value.get(r, c);
                    double grad = g.get(r, c) + weightDecay * theta;
                    double mm = beta1 * first.get(r, c) + (1 - beta1) * grad;
                    double vv = beta2 * second.get(r, c) + (1 - beta2) * grad * grad;
                    first.set(r, c, mm);
                    second.set(r, c, vv);
                    value.set(r, c, theta - learningRate * (mm / correction1) / (Math.sqrt(vv / correction2) + epsilon));
                }
            }
        }
    }

    @Override
    public Map<String, Mat> state() {
        Map<String, Mat> state = new LinkedHashMap<>();
        m.forEach((name, mat) -> state.put("adam.m." + name, mat));
        v.forEach((name, mat) -> state.put("adam.v." + name, mat));
        Mat steps = Mat.zeros(org.nd4j.linalg.api.buffer.DataType.DOUBLE, 1, 1);
        steps.set(0, 0, t);
        state.put("adam.t", steps);
        return state;
    }

    @Override
    public void restore(Map<String, Mat> state) {
        m.clear();
        v.clear();
        state.forEach((name, mat) -> {
            Mat copy = Mat.zeros(mat.dataType(), mat.rows(), mat.cols());
            copy.copyFrom(mat);
            if (name.startsWith("adam.m.")) {
                m.put(name.substring("adam.m.".length()), copy);
            } else if (name.startsWith("adam.v.")) {
                v.put(name.substring("adam.v.".length()), copy);
            }
        });
        Mat steps = state.get("adam.t");
        t = steps == null ? 0 : (long) steps.get(0, 0);
    }

    @Override
    public String name() {
        return "adam";
    }
}
