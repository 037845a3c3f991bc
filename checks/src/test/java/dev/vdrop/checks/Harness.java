package dev.vdrop.checks;

import dev.vdrop.runtime.Gradients;
import dev.vdrop.runtime.Mat;
import dev.vdrop.runtime.Parameter;
import dev.vdrop.runtime.Rng;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * One generated network with one segment, fixed input, targets and masks, seen through what a
 * finite-difference check needs: its parameters (and, for real-valued inputs, the inputs), the
 * loss of a forward pass from a fixed state, the backward pass, and a training step that moves the
 * parameters and draws new masks (which the later checks then hold fixed).
 */
record Harness(String name, List<Parameter> parameters, DoubleSupplier loss, Runnable backward, Input input,
               Runnable trainingStep) {

    /**
     * Real-valued inputs that can be perturbed, their analytic gradient after backward, and the
     * column of that gradient each step of each sequence is in: {@code columns[b][t]}.
     */
    record Input(double[][][] values, Supplier<Mat> gradient, int[][] columns) {
        /** Inputs of B sequences of T steps each: step t of sequence b in column t·B + b. */
        static Input ofEqualLengths(double[][][] values, Supplier<Mat> gradient) {
            return new Input(values, gradient, Ragged.equalColumns(values.length, values[0].length));
        }

        /** Inputs of sequences of any lengths, packed as {@link Ragged#columns} says. */
        static Input ofAnyLengths(double[][][] values, Supplier<Mat> gradient) {
            int[] lengths = new int[values.length];
            for (int b = 0; b < lengths.length; b++) {
                lengths[b] = values[b].length;
            }
            return new Input(values, gradient, Ragged.columns(lengths));
        }
    }

    /**
     * Gradients flattened column-major, one array per parameter in order, and the input's (in the
     * columns {@code inputGradient()} lays it out, {@link Input#columns}) or null.
     */
    record Gradient(List<double[]> parameters, double[] input) {}

    /**
     * One forward and one backward pass, the gradient buffers left as they are before it (no
     * {@link Gradients#zero}): what the buffers hold afterwards.
     */
    Gradient forwardAndBackward() {
        loss.getAsDouble();
        backward.run();
        List<double[]> out = new ArrayList<>();
        for (Parameter p : parameters) {
            out.add(flatten(p.gradient()));
        }
        return new Gradient(out, input == null ? null : flatten(input.gradient().get()));
    }

    /**
     * Central differences (L(θ + ε) − L(θ − ε)) / 2ε of the loss at the elements {@code elements}
     * lists for each parameter (column-major indices), NaN at the others; and at every input value.
     */
    Gradient finiteDifferences(int[][] elements, double epsilon) {
        List<double[]> out = new ArrayList<>();
        for (int k = 0; k < parameters.size(); k++) {
            Mat value = parameters.get(k).value();
            double[] numeric = new double[value.rows() * value.cols()];
            Arrays.fill(numeric, Double.NaN);
            for (int i : elements[k]) {
                int r = i % value.rows();
                int c = i / value.rows();
                double original = value.get(r, c);
                value.set(r, c, original + epsilon);
                double plus = loss.getAsDouble();
                value.set(r, c, original - epsilon);
                double minus = loss.getAsDouble();
                value.set(r, c, original);
                numeric[i] = (plus - minus) / (2 * epsilon);
            }
            out.add(numeric);
        }
        if (input == null) {
            return new Gradient(out, null);
        }
        double[][][] x = input.values();
        int width = x[0][0].length;
        int columns = 0;
        for (double[][] sequence : x) {
            columns += sequence.length;
        }
        double[] numeric = new double[columns * width];
        Arrays.fill(numeric, Double.NaN);
        for (int b = 0; b < x.length; b++) {
            for (int t = 0; t < x[b].length; t++) {
                for (int j = 0; j < width; j++) {
                    double original = x[b][t][j];
                    x[b][t][j] = original + epsilon;
                    double plus = loss.getAsDouble();
                    x[b][t][j] = original - epsilon;
                    double minus = loss.getAsDouble();
                    x[b][t][j] = original;
                    numeric[input.columns()[b][t] * width + j] = (plus - minus) / (2 * epsilon);
                }
            }
        }
        return new Gradient(out, numeric);
    }

    /** Every element of every parameter, as {@link #finiteDifferences} takes them. */
    int[][] allElements() {
        int[][] out = new int[parameters.size()][];
        for (int k = 0; k < out.length; k++) {
            out[k] = IntStream.range(0, (int) parameters.get(k).size()).toArray();
        }
        return out;
    }

    /** {@code count} elements of each parameter drawn at random (repeats allowed), or all of a smaller one. */
    int[][] sampledElements(int count, Rng rng) {
        int[][] out = new int[parameters.size()][];
        for (int k = 0; k < out.length; k++) {
            int size = (int) parameters.get(k).size();
            out[k] = new int[Math.min(count, size)];
            for (int i = 0; i < out[k].length; i++) {
                out[k][i] = (int) (rng.nextDouble() * size);
            }
        }
        return out;
    }

    /**
     * A training step as {@code LanguageModelTrainer} takes it, after the caller's forward and
     * backward: the global norm clipped to 1, then SGD with learning rate 0.1 (small steps, so the
     * network stays where finite differences are well conditioned).
     */
    static void sgdStep(List<Parameter> parameters) {
        double norm = Gradients.globalNorm(parameters);
        Gradients.sgdStep(parameters, 0.1, 0, Gradients.clipScale(norm, 1));
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
