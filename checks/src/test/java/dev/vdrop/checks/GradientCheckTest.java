package dev.vdrop.checks;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.vdrop.runtime.DropoutMode;
import dev.vdrop.runtime.Mat;
import dev.vdrop.runtime.Network;
import dev.vdrop.runtime.NetworkConfig;
import dev.vdrop.runtime.Parameter;
import dev.vdrop.runtime.Rng;
import dev.vdrop.runtime.Workspace;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Finite-difference checks, in float64, of every parameter tensor of every scheme (and of the
 * input of real-valued models), with the masks held fixed during a check.
 *
 * <p>Bound: central differences with step ε = 1e-6 have a truncation error of order ε²·|L'''| ≈
 * 1e-12 and a rounding error of order u·|L|/ε ≈ 1e-16 · 10 / 1e-6 = 1e-9 (u the float64 unit
 * round-off, |L| ≤ 10 for these small models). So each element must satisfy
 * |analytic − numeric| ≤ 1e-6 · max(|analytic|, |numeric|) + 1e-8: a relative error of 1e-6 where
 * the gradient is large enough to measure, and the rounding floor where it is (nearly) zero, such
 * as the rows of dropped words.
 */
class GradientCheckTest {
    private static final double EPSILON = 1e-6;
    private static final double RELATIVE = 1e-6;
    private static final double ABSOLUTE = 1e-8;
    private static final int BATCH = 3;
    private static final int STEPS = 4;

    static NetworkConfig float64(long seed) {
        // A wide initial scale so that gates are not all near 0.5 and every term matters.
        return NetworkConfig.builder().dataType(DataType.DOUBLE).seed(seed).initScale(0.5).build();
    }

    static Stream<Arguments> models() {
        return Stream.of(
                model("plain, no dropout", () -> lm("plain, no dropout", new PlainNetwork(float64(1)), 11)),
                model("tied variational", () -> lm("tied variational", new TiedNetwork(float64(2)), 11)),
                model("untied variational", () -> lm("untied variational", new UntiedNetwork(float64(3)), 11)),
                model("per step (Zaremba), 2 layers", () -> lm("per step (Zaremba), 2 layers", new PerStepNetwork(float64(4)), 11)),
                model("weight drop", () -> lm("weight drop", new WeightDroppedNetwork(float64(5)), 11)),
                model("embedding dropout per sequence", () -> lm("embedding dropout per sequence", new EmbeddingPerSequenceNetwork(float64(6)), 11)),
                model("embedding dropout per batch", () -> lm("embedding dropout per batch", new EmbeddingPerBatchNetwork(float64(7)), 11)),
                model("output dropout", () -> lm("output dropout", new OutputOnlyNetwork(float64(8)), 11)),
                model("decoder tied to the embedding", () -> lm("decoder tied to the embedding", new TiedDecoderNetwork(float64(9)), 11)),
                model("2 layers", () -> lm("2 layers", new TwoLayersNetwork(float64(10)), 11)),
                model("3 layers, untied and weight drop", () -> lm("3 layers, untied and weight drop", new ThreeLayersNetwork(float64(11)), 11)),
                model("AWD", () -> lm("AWD", new AwdNetwork(float64(12)), 11)),
                model("classifier, softmax at the last step", () -> classifier(new ClassifierNetwork(float64(13)))),
                model("regression at the last step", () -> forecaster(new ForecasterNetwork(float64(14)))),
                model("regression at every step, untied and weight drop",
                        () -> sequenceRegression(new SequenceRegressionNetwork(float64(15)))));
    }

    private static Arguments model(String name, Supplier<Harness> harness) {
        return Arguments.of(name, harness);
    }

    /**
     * A language model's segment: the state is carried in from a first segment (so that h_{-1}
     * and c_{-1} are not zero and their paths are checked too) and restored before each forward.
     */
    static Harness lm(String name, Network<int[][], int[][]> network, int vocabulary) {
        Rng rng = new Rng(name.hashCode());
        int[][] first = Harness.tokens(rng, BATCH, STEPS, vocabulary);
        int[][] input = Harness.tokens(rng, BATCH, STEPS, vocabulary);
        int[][] targets = Harness.tokens(rng, BATCH, STEPS, vocabulary);
        Workspace<int[][], int[][]> segment = network.workspace(BATCH, STEPS);
        segment.sampleMasks(rng, DropoutMode.TRAIN);
        segment.forward(first, targets);
        var state = segment.state();
        return new Harness(name, network.parameters(), () -> {
            segment.setState(state);
            return segment.forward(input, targets);
        }, segment::backward, null);
    }

    static Harness classifier(ClassifierNetwork network) {
        Rng rng = new Rng(99);
        int[][] input = Harness.tokens(rng, BATCH, STEPS, 11);
        int[] targets = {0, 2, 1};
        var segment = network.workspace(BATCH, STEPS);
        segment.sampleMasks(rng, DropoutMode.TRAIN);
        return new Harness("classifier, softmax at the last step", network.parameters(), () -> {
            segment.resetState();
            return segment.forward(input, targets);
        }, segment::backward, null);
    }

    static Harness forecaster(ForecasterNetwork network) {
        Rng rng = new Rng(98);
        double[][][] input = Harness.values(rng, BATCH, STEPS, 3);
        double[][] targets = {{0.5, -1}, {1.5, 0.2}, {-0.3, 0.7}};
        var segment = network.workspace(BATCH, STEPS);
        segment.sampleMasks(rng, DropoutMode.TRAIN);
        // A non-zero log-variance so that its gradient and the precision weighting are checked.
        network.parameters().get(network.parameters().size() - 1).value().set(1, 0, 0.4);
        return new Harness("regression at the last step", network.parameters(), () -> {
            segment.resetState();
            return segment.forward(input, targets);
        }, segment::backward, new Harness.Input(input, segment::inputGradient));
    }

    static Harness sequenceRegression(SequenceRegressionNetwork network) {
        Rng rng = new Rng(97);
        double[][][] input = Harness.values(rng, BATCH, STEPS, 3);
        double[][][] targets = Harness.values(rng, BATCH, STEPS, 2);
        var segment = network.workspace(BATCH, STEPS);
        segment.sampleMasks(rng, DropoutMode.TRAIN);
        return new Harness("regression at every step, untied and weight drop", network.parameters(), () -> {
            segment.resetState();
            return segment.forward(input, targets);
        }, segment::backward, new Harness.Input(input, segment::inputGradient));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void gradientsMatchFiniteDifferences(String name, Supplier<Harness> model) {
        Harness h = model.get();
        List<double[]> analytic = h.analyticGradients();
        double[] inputGradient = h.input() == null ? null : Harness.flatten(h.input().gradient().get());
        StringBuilder failures = new StringBuilder();
        int checked = 0;
        for (int k = 0; k < h.parameters().size(); k++) {
            Parameter p = h.parameters().get(k);
            Mat value = p.value();
            for (int c = 0; c < value.cols(); c++) {
                for (int r = 0; r < value.rows(); r++) {
                    checkElement(h, p, r, c, analytic.get(k)[c * value.rows() + r], failures);
                    checked++;
                }
            }
        }
        if (h.input() != null) {
            double[][][] x = h.input().values();
            int batch = x.length;
            for (int b = 0; b < batch; b++) {
                for (int t = 0; t < x[b].length; t++) {
                    for (int j = 0; j < x[b][t].length; j++) {
                        double original = x[b][t][j];
                        x[b][t][j] = original + EPSILON;
                        double plus = h.loss().getAsDouble();
                        x[b][t][j] = original - EPSILON;
                        double minus = h.loss().getAsDouble();
                        x[b][t][j] = original;
                        double numeric = (plus - minus) / (2 * EPSILON);
                        int rows = x[b][t].length;
                        double exact = inputGradient[(t * batch + b) * rows + j];
                        checked++;
                        if (!close(exact, numeric)) {
                            failures.append(String.format(Locale.ROOT, "%n  input[%d][%d][%d]: backward %.10g, finite difference %.10g",
                                    b, t, j, exact, numeric));
                        }
                    }
                }
            }
        }
        if (failures.length() > 0) {
            fail(h.name() + ": gradients differ from finite differences at" + failures);
        }
        assertTrue(checked > 100, h.name() + ": checked only " + checked + " values");
    }

    /**
     * The wide model whose step products run through the vector kernels' panels: too many weights
     * to check them all, so 120 coordinates of each tensor, drawn at random, against the same
     * bound.
     */
    @org.junit.jupiter.api.Test
    void sampledGradientsThroughPanelProductsMatchFiniteDifferences() {
        Harness h = lm("wide (panel step products)", new WidePanelsNetwork(float64(16)), 11);
        List<double[]> analytic = h.analyticGradients();
        Rng pick = new Rng(17);
        StringBuilder failures = new StringBuilder();
        int checked = 0;
        for (int k = 0; k < h.parameters().size(); k++) {
            Parameter p = h.parameters().get(k);
            Mat value = p.value();
            for (int i = 0; i < Math.min(120, p.size()); i++) {
                int r = (int) (pick.nextDouble() * value.rows());
                int c = (int) (pick.nextDouble() * value.cols());
                checkElement(h, p, r, c, analytic.get(k)[c * value.rows() + r], failures);
                checked++;
            }
        }
        if (failures.length() > 0) {
            fail(h.name() + ": gradients differ from finite differences at" + failures);
        }
        assertTrue(checked > 500, h.name() + ": checked only " + checked + " values");
    }

    /** Central difference of the loss in element (r, c) of p against the backward pass's value; a line in failures if they differ. */
    private static void checkElement(Harness h, Parameter p, int r, int c, double exact, StringBuilder failures) {
        Mat value = p.value();
        double original = value.get(r, c);
        value.set(r, c, original + EPSILON);
        double plus = h.loss().getAsDouble();
        value.set(r, c, original - EPSILON);
        double minus = h.loss().getAsDouble();
        value.set(r, c, original);
        double numeric = (plus - minus) / (2 * EPSILON);
        if (!close(exact, numeric)) {
            failures.append(String.format(Locale.ROOT, "%n  %s(%d, %d): backward %.10g, finite difference %.10g",
                    p.name(), r, c, exact, numeric));
        }
    }

    private static boolean close(double exact, double numeric) {
        return Math.abs(exact - numeric) <= RELATIVE * Math.max(Math.abs(exact), Math.abs(numeric)) + ABSOLUTE;
    }
}
