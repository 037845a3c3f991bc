package dev.vdrop.checks;

import dev.vdrop.runtime.Gradients;
import dev.vdrop.runtime.Mat;
import dev.vdrop.runtime.Parameter;
import dev.vdrop.runtime.Rng;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleSupplier;

/**
 * One generated network with one segment, fixed input, targets and masks, seen through what a
 * finite-difference check needs: its parameters (and, for real-valued inputs, the inputs), the
 * loss of a forward pass from a fixed state, and the backward pass.
 */
record Harness(String name, List<Parameter> parameters, DoubleSupplier loss, Runnable backward, Input input) {

    /** Real-valued inputs that can be perturbed, and their analytic gradient after backward. */
    record Input(double[][][] values, java.util.function.Supplier<Mat> gradient) {}

    /** Analytic gradients: zero, forward, backward, copy. */
    List<double[]> analyticGradients() {
        Gradients.zero(parameters);
        loss.getAsDouble();
        backward.run();
        List<double[]> out = new ArrayList<>();
        for (Parameter p : parameters) {
            out.add(flatten(p.gradient()));
        }
        return out;
    }

    static double[] flatten(Mat m) {
        double[] out = new double[m.rows() * m.cols()];
        for (int c = 0; c < m.cols(); c++) {
            for (int r = 0; r < m.rows(); r++) {
                out[c * m.rows() + r] = m.get(r, c);
            }
        }
        return out;
    }

    static int[][] tokens(Rng rng, int batch, int steps, int vocabulary) {
        int[][] out = new int[batch][steps];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < steps; t++) {
                out[b][t] = (int) (rng.nextDouble() * vocabulary);
            }
        }
        return out;
    }

    static double[][][] values(Rng rng, int batch, int steps, int width) {
        double[][][] out = new double[batch][steps][width];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < steps; t++) {
                for (int j = 0; j < width; j++) {
                    out[b][t][j] = rng.uniform(-1, 1);
                }
            }
        }
        return out;
    }
}
