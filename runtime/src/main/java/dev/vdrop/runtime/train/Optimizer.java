package dev.vdrop.runtime.train;

import dev.vdrop.runtime.Mat;
import dev.vdrop.runtime.Parameter;
import java.util.List;
import java.util.Map;

/**
 * Updates parameters from their gradient buffers. Call {@link #step} once per mini-batch, after
 * the backward pass (and gradient clipping). Its state is saved with checkpoints so that a resumed
 * run continues exactly.
 */
public interface Optimizer {
    /**
     * One update of every parameter from its gradient buffer.
     *
     * @param parameters the network's parameters, in the same order at every call
     * @param learningRate this step's learning rate
     */
    void step(List<Parameter> parameters, double learningRate);

    /**
     * One update as if every gradient had been multiplied by {@code gradientScale} first: the
     * factor of {@link dev.vdrop.runtime.Gradients#clipScale global-norm clipping}, which plain SGD
     * folds into its step instead of rescaling the buffers in a pass of their own.
     *
     * @param parameters the network's parameters, in the same order at every call
     * @param learningRate this step's learning rate
     * @param gradientScale the factor every gradient is taken to be multiplied by
     */
    default void step(List<Parameter> parameters, double learningRate, double gradientScale) {
        if (gradientScale != 1) {
            for (Parameter p : parameters) {
                p.gradient().scale(gradientScale);
            }
        }
        step(parameters, learningRate);
    }

    /** {@return the optimiser's buffers by name (empty for plain SGD), for checkpoints} */
    Map<String, Mat> state();

    /**
     * Restores buffers saved by {@link #state()}.
     *
     * @param state the buffers by name, as {@link #state()} returned them
     */
    void restore(Map<String, Mat> state);

    /** {@return a short name for logs and checkpoints, e.g. {@code sgd} or {@code adam}} */
    String name();
}
