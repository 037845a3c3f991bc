package dev.vdrop.checks;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.vdrop.runtime.DropoutMode;
import dev.vdrop.runtime.Gradients;
import dev.vdrop.runtime.Network;
import dev.vdrop.runtime.NetworkConfig;
import dev.vdrop.runtime.Parameter;
import dev.vdrop.runtime.Rng;
import dev.vdrop.runtime.Workspace;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Finite-difference checks, in float64, of every parameter tensor of every scheme (and of the
 * input of real-valued models), with the masks held fixed during a check, on each way the backward
 * pass can find the gradient buffers. A product into a gradient takes β from
 * {@link Parameter#gradientBeta()}: 0 for the first write after {@link Gradients#zero} (it
 * overwrites the buffer, which was never cleared) and 1 otherwise (it adds), so generated code has
 * two branches per product, and a bug in either hides from a check that only ever takes the other.
 * Each model is checked
 * <ol>
 *   <li>fresh: a new network's buffers are zero and not pending, so every product adds (β = 1);
 *   <li>after {@code Gradients.zero}: the first write overwrites (β = 0), the buffers holding the
 *       first pass's gradients until then;
 *   <li>a second backward without zeroing (β = 1 onto a full buffer): twice the finite
 *       differences (the input gradient is written by each pass, so once);
 *   <li>after a training step (zero, new masks, forward, backward, clip, SGD) and
 *       {@code Gradients.zero}: at the new parameters, with the step's masks, against new finite
 *       differences — the state every training step after the first finds.
 * </ol>
 *
 * <p>Bound: central differences with step ε = 1e-6 have a truncation error of order ε²·|L'''| ≈
 * 1e-12 and a rounding error of order u·|L|/ε ≈ 1e-16 · 10 / 1e-6 = 1e-9 (u the float64 unit
 * round-off, |L| ≤ 10 for these small models). So each element must satisfy
 * |analytic − numeric| ≤ 1e-6 · max(|analytic|, |numeric|) + 1e-8: a relative error of 1e-6 where
 * the gradient is large enough to measure, and the rounding floor where it is (nearly) zero, such
 * as the rows of dropped words. Against twice the finite differences the floor doubles (2e-8).
 */
class GradientCheckTest {
    private static final double EPSILON = 1e-6;
    private static final double RELATIVE = 1e-6;
    private static final double ABSOLUTE = 1e-8;
    private static final int BATCH = 3;
    private static final int STEPS = 4;
    /** Lines of differences listed per branch; the count of the rest follows. */
    private static final int LISTED = 8;

    static NetworkConfig float64(long seed) {
        // A wide initial scale so that gates are not all near 0.5 and every term matters.
        return NetworkConfig.builder().dataType(DataType.DOUBLE).seed(seed).initScale(0.5).build();
    }

    /**
     * The lengths of a harness's batches: the segment checked, the one whose final state it starts
     * from, the one of the training step; all of T steps, or of different lengths ({@link Ragged}).
     */
    record Shape(int batch, int steps, int[] first, int[] checked, int[] step) {
        static final Shape EQUAL = new Shape(BATCH, STEPS, all(STEPS), all(STEPS), all(STEPS));
        static final Shape RAGGED = new Shape(Ragged.LENGTHS.length, Ragged.STEPS, Ragged.FIRST, Ragged.LENGTHS, Ragged.STEP);

        private static int[] all(int steps) {
            int[] lengths = new int[BATCH];
            java.util.Arrays.fill(lengths, steps);
            return lengths;
        }

        Harness.Input input(double[][][] values, Supplier<dev.vdrop.runtime.Mat> gradient) {
            return this == EQUAL ? Harness.Input.ofEqualLengths(values, gradient) : Harness.Input.ofAnyLengths(values, gradient);
        }
    }

    static Stream<Arguments> models() {
        return models(Shape.EQUAL);
    }

    /** Every model of {@link #models()} with batches of sequences of different lengths. */
    static Stream<Arguments> raggedModels() {
        return models(Shape.RAGGED);
    }

    static Stream<Arguments> models(Shape shape) {
        return Stream.of(
                model("plain, no dropout", () -> lm("plain, no dropout", new PlainNetwork(float64(1)), 11, shape)),
                model("tied variational", () -> lm("tied variational", new TiedNetwork(float64(2)), 11, shape)),
                model("untied variational", () -> lm("untied variational", new UntiedNetwork(float64(3)), 11, shape)),
                model("per step (Zaremba), 2 layers", () -> lm("per step (Zaremba), 2 layers", new PerStepNetwork(float64(4)), 11, shape)),
                model("weight drop", () -> lm("weight drop", new WeightDroppedNetwork(float64(5)), 11, shape)),
                model("embedding dropout per sequence", () -> lm("embedding dropout per sequence", new EmbeddingPerSequenceNetwork(float64(6)), 11, shape)),
                model("embedding dropout per batch", () -> lm("embedding dropout per batch", new EmbeddingPerBatchNetwork(float64(7)), 11, shape)),
                model("output dropout", () -> lm("output dropout", new OutputOnlyNetwork(float64(8)), 11, shape)),
                model("decoder tied to the embedding", () -> lm("decoder tied to the embedding", new TiedDecoderNetwork(float64(9)), 11, shape)),
                model("2 layers", () -> lm("2 layers", new TwoLayersNetwork(float64(10)), 11, shape)),
                model("3 layers, untied and weight drop", () -> lm("3 layers, untied and weight drop", new ThreeLayersNetwork(float64(11)), 11, shape)),
                model("AWD", () -> lm("AWD", new AwdNetwork(float64(12)), 11, shape)),
                model("classifier, softmax at the last step", () -> classifier("classifier, softmax at the last step",
                        new ClassifierNetwork(float64(13)), shape)),
                model("regression at the last step", () -> forecaster("regression at the last step",
                        new ForecasterNetwork(float64(14)), shape)),
                model("tied decoder, vocabulary from the data", () -> lm("tied decoder, vocabulary from the data",
                        DataTiedDecoderNetwork.builder().vocabulary(11).config(float64(17)).build(), 11, shape)),
                model("regression, features and outputs from the data", () -> forecaster("regression, features and outputs from the data",
                        DataForecasterNetwork.builder().features(3).outputs(2).config(float64(18)).build(), shape)),
                model("regression at every step, untied and weight drop",
                        () -> sequenceRegression("regression at every step, untied and weight drop",
                                new SequenceRegressionNetwork(float64(15)), shape)),
                model("GRU, no dropout", () -> lm("GRU, no dropout", new GruPlainNetwork(float64(31)), 11, shape)),
                model("GRU, tied variational", () -> lm("GRU, tied variational", new GruTiedNetwork(float64(32)), 11, shape)),
                model("GRU, untied variational", () -> lm("GRU, untied variational", new GruUntiedNetwork(float64(33)), 11, shape)),
                model("GRU, per step (Zaremba), 2 layers", () -> lm("GRU, per step (Zaremba), 2 layers",
                        new GruPerStepNetwork(float64(34)), 11, shape)),
                model("GRU, weight drop", () -> lm("GRU, weight drop", new GruWeightDroppedNetwork(float64(35)), 11, shape)),
                model("GRU, untied and weight drop", () -> lm("GRU, untied and weight drop",
                        new GruUntiedWeightDroppedNetwork(float64(36)), 11, shape)),
                model("GRU, AWD", () -> lm("GRU, AWD", new GruAwdNetwork(float64(37)), 11, shape)),
                model("LSTM and GRU mixed, 4 layers", () -> lm("LSTM and GRU mixed, 4 layers", new MixedStackNetwork(float64(38)), 11, shape)),
                model("GRU classifier", () -> classifier("GRU classifier", new GruClassifierNetwork(float64(39)), shape)),
                model("GRU regression at the last step", () -> forecaster("GRU regression at the last step",
                        new GruForecasterNetwork(float64(40)), shape)),
                model("GRU regression at every step, untied and weight drop",
                        () -> sequenceRegression("GRU regression at every step, untied and weight drop",
                                new GruSequenceRegressionNetwork(float64(41)), shape)));
    }

    private static Arguments model(String name, Supplier<Harness> harness) {
        return Arguments.of(name, harness);
    }

    /**
     * A language model's segment: the state is carried in from a first segment (so that h_{-1}
     * and c_{-1} are not zero and their paths are checked too) and restored before each forward.
     * With ragged batches, the first segment's sequences have other lengths, so each sequence's
     * state moves from where the first pass left it to where the checked pass starts it.
     */
    static Harness lm(String name, Network<int[][], int[][]> network, int vocabulary, Shape shape) {
        Rng rng = new Rng(name.hashCode() + (shape == Shape.EQUAL ? 0 : 1));
        int[][] first = Ragged.tokens(rng, shape.first(), vocabulary);
        int[][] input = Ragged.tokens(rng, shape.checked(), vocabulary);
        int[][] targets = Ragged.tokens(rng, shape.checked(), vocabulary);
        int[][] stepInput = Ragged.tokens(rng, shape.step(), vocabulary);
        int[][] stepTargets = Ragged.tokens(rng, shape.step(), vocabulary);
        int[][] firstTargets = shape == Shape.EQUAL ? targets : Ragged.tokens(rng, shape.first(), vocabulary);
        Workspace<int[][], int[][]> segment = network.workspace(shape.batch(), shape.steps());
        segment.sampleMasks(rng, DropoutMode.TRAIN);
        segment.forward(first, firstTargets);
        var state = segment.state();
        List<Parameter> parameters = network.parameters();
        return new Harness(name, parameters, () -> {
            segment.setState(state);
            return segment.forward(input, targets);
        }, segment::backward, null, () -> {
            Gradients.zero(parameters);
            segment.sampleMasks(rng, DropoutMode.TRAIN);
            segment.setState(state);
            segment.forward(stepInput, stepTargets);
            segment.backward();
            Harness.sgdStep(parameters);
        });
    }

    static Harness classifier(String name, Network<int[][], int[]> network, Shape shape) {
        Rng rng = new Rng(shape == Shape.EQUAL ? 99 : 96);
        int[][] input = Ragged.tokens(rng, shape.checked(), 11);
        int[] targets = java.util.Arrays.copyOf(new int[] {0, 2, 1, 1, 2}, shape.batch());
        int[][] stepInput = Ragged.tokens(rng, shape.step(), 11);
        int[] stepTargets = java.util.Arrays.copyOf(new int[] {2, 1, 1, 0, 2}, shape.batch());
        var segment = network.workspace(shape.batch(), shape.steps());
        segment.sampleMasks(rng, DropoutMode.TRAIN);
        return new Harness(name, network.parameters(), () -> {
            segment.resetState();
            return segment.forward(input, targets);
        }, segment::backward, null, () -> {
            Gradients.zero(network.parameters());
            segment.sampleMasks(rng, DropoutMode.TRAIN);
            segment.resetState();
            segment.forward(stepInput, stepTargets);
            segment.backward();
            Harness.sgdStep(network.parameters());
        });
    }

    static Harness forecaster(String name, Network<double[][][], double[][]> network, Shape shape) {
        Rng rng = new Rng(shape == Shape.EQUAL ? 98 : 95);
        double[][][] input = Ragged.values(rng, shape.checked(), 3);
        double[][] targets = java.util.Arrays.copyOf(new double[][] {{0.5, -1}, {1.5, 0.2}, {-0.3, 0.7}, {0.1, 0.9}, {-1.1, 0.4}},
                shape.batch());
        double[][][] stepInput = Ragged.values(rng, shape.step(), 3);
        double[][] stepTargets = java.util.Arrays.copyOf(new double[][] {{-0.5, 0.1}, {0.9, 1.2}, {0.3, -0.7}, {1.0, 0.0}, {-0.2, -0.6}},
                shape.batch());
        var segment = network.workspace(shape.batch(), shape.steps());
        segment.sampleMasks(rng, DropoutMode.TRAIN);
        // A non-zero log-variance so that its gradient and the precision weighting are checked.
        network.parameters().get(network.parameters().size() - 1).value().set(1, 0, 0.4);
        return new Harness(name, network.parameters(), () -> {
            segment.resetState();
            return segment.forward(input, targets);
        }, segment::backward, shape.input(input, segment::inputGradient), () -> {
            Gradients.zero(network.parameters());
            segment.sampleMasks(rng, DropoutMode.TRAIN);
            segment.resetState();
            segment.forward(stepInput, stepTargets);
            segment.backward();
            Harness.sgdStep(network.parameters());
        });
    }

    static Harness sequenceRegression(String name, Network<double[][][], double[][][]> network, Shape shape) {
        Rng rng = new Rng(shape == Shape.EQUAL ? 97 : 94);
        double[][][] input = Ragged.values(rng, shape.checked(), 3);
        double[][][] targets = Ragged.values(rng, shape.checked(), 2);
        double[][][] stepInput = Ragged.values(rng, shape.step(), 3);
        double[][][] stepTargets = Ragged.values(rng, shape.step(), 2);
        var segment = network.workspace(shape.batch(), shape.steps());
        segment.sampleMasks(rng, DropoutMode.TRAIN);
        return new Harness(name, network.parameters(), () -> {
            segment.resetState();
            return segment.forward(input, targets);
        }, segment::backward, shape.input(input, segment::inputGradient), () -> {
            Gradients.zero(network.parameters());
            segment.sampleMasks(rng, DropoutMode.TRAIN);
            segment.resetState();
            segment.forward(stepInput, stepTargets);
            segment.backward();
            Harness.sgdStep(network.parameters());
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void gradientsMatchFiniteDifferencesOnEveryBranch(String name, Supplier<Harness> model) {
        Harness h = model.get();
        int checked = checkEveryBranch(h, h.allElements());
        assertTrue(checked > 100, h.name() + ": checked only " + checked + " values");
    }

    /**
     * Batches of sequences of different lengths ({@link Ragged#LENGTHS}: 1, 3, 7, 7, 5 in a
     * workspace of 7 steps, the first segment's and the training step's of other lengths and
     * orders): every model, every branch, against the same bound. Steps past a sequence's end are
     * not computed, so the finite differences of the loss see only each sequence's own steps.
     */
    @ParameterizedTest(name = "{0}, ragged batch")
    @MethodSource("raggedModels")
    void raggedBatchGradientsMatchFiniteDifferencesOnEveryBranch(String name, Supplier<Harness> model) {
        Harness h = model.get();
        int checked = checkEveryBranch(h, h.allElements());
        assertTrue(checked > 100, h.name() + ": checked only " + checked + " values");
    }

    /**
     * The wide model whose step products run through the vector kernels' panels (weight-drop mask
     * applied while they are laid out): too many weights to check them all, so 120 coordinates of
     * each tensor, drawn at random, against the same bound, on every branch; for a batch of equal
     * lengths and a ragged one (whose steps multiply U' with 5, 4, 3 and 2 columns).
     */
    @ParameterizedTest(name = "{0} batch")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"equal", "ragged"})
    void sampledGradientsThroughPanelProductsMatchFiniteDifferencesOnEveryBranch(String lengths) {
        Harness h = lm("wide (panel step products)", new WidePanelsNetwork(float64(16)), 11,
                lengths.equals("equal") ? Shape.EQUAL : Shape.RAGGED);
        int checked = checkEveryBranch(h, h.sampledElements(120, new Rng(17)));
        assertTrue(checked > 500, h.name() + ": checked only " + checked + " values");
    }

    /**
     * The four branches of the class comment in order, on one harness whose network has not run a
     * backward pass yet; fails naming each branch that differs. Returns the values compared per branch.
     */
    static int checkEveryBranch(Harness h, int[][] elements) {
        StringBuilder failures = new StringBuilder();
        List<String> failed = new ArrayList<>();
        Harness.Gradient fresh = h.forwardAndBackward();
        Gradients.zero(h.parameters());
        Harness.Gradient overwritten = h.forwardAndBackward();
        Harness.Gradient accumulated = h.forwardAndBackward();
        Harness.Gradient numeric = h.finiteDifferences(elements, EPSILON);
        int checked = compare(h, "fresh (β = 1 into zero buffers)", fresh, numeric, 1, failures, failed);
        compare(h, "after Gradients.zero (β = 0)", overwritten, numeric, 1, failures, failed);
        compare(h, "second backward (β = 1 onto the first's gradients: twice the finite differences)", accumulated, numeric,
                2, failures, failed);
        h.trainingStep().run();
        Gradients.zero(h.parameters());
        Harness.Gradient afterStep = h.forwardAndBackward();
        compare(h, "after a training step and Gradients.zero", afterStep, h.finiteDifferences(elements, EPSILON), 1,
                failures, failed);
        if (!failed.isEmpty()) {
            fail(h.name() + ": backward differs from finite differences " + String.join("; ", failed) + failures);
        }
        return checked;
    }

    /**
     * Compares the analytic gradients with {@code times} × the finite differences wherever those
     * were taken (the input gradient always with 1 ×: each backward writes it anew); appends a
     * paragraph on {@code branch} to {@code failures}, and the branch to {@code failed}, if any
     * element differs. Returns the count compared.
     */
    private static int compare(Harness h, String branch, Harness.Gradient analytic, Harness.Gradient numeric, int times,
                               StringBuilder failures, List<String> failed) {
        List<String> lines = new ArrayList<>();
        int checked = 0;
        for (int k = 0; k < h.parameters().size(); k++) {
            Parameter p = h.parameters().get(k);
            int rows = p.value().rows();
            double[] exact = analytic.parameters().get(k);
            double[] finite = numeric.parameters().get(k);
            for (int i = 0; i < exact.length; i++) {
                if (Double.isNaN(finite[i])) {
                    continue;
                }
                checked++;
                if (!close(exact[i], times * finite[i], times)) {
                    lines.add(String.format(Locale.ROOT, "%s(%d, %d): backward %.10g, finite difference %.10g%s",
                            p.name(), i % rows, i / rows, exact[i], finite[i], times == 1 ? "" : " × " + times));
                }
            }
        }
        if (analytic.input() != null) {
            double[][][] x = h.input().values();
            int width = x[0][0].length;
            if (analytic.input().length != numeric.input().length) {
                lines.add(String.format(Locale.ROOT, "the input gradient has %d values, the input %d",
                        analytic.input().length, numeric.input().length));
            }
            for (int b = 0; b < x.length; b++) {
                for (int t = 0; t < x[b].length; t++) {
                    for (int j = 0; j < width; j++) {
                        int i = h.input().columns()[b][t] * width + j;
                        checked++;
                        if (i >= analytic.input().length || !close(analytic.input()[i], numeric.input()[i], 1)) {
                            lines.add(String.format(Locale.ROOT, "input[%d][%d][%d]: backward %.10g, finite difference %.10g",
                                    b, t, j, i >= analytic.input().length ? Double.NaN : analytic.input()[i], numeric.input()[i]));
                        }
                    }
                }
            }
        }
        if (!lines.isEmpty()) {
            failed.add(branch);
            failures.append(String.format(Locale.ROOT, "%n on %s, at %d of %d values:", branch, lines.size(), checked));
            for (String line : lines.subList(0, Math.min(LISTED, lines.size()))) {
                failures.append(String.format(Locale.ROOT, "%n  %s", line));
            }
            if (lines.size() > LISTED) {
                failures.append(String.format(Locale.ROOT, "%n  … and %d more", lines.size() - LISTED));
            }
        }
        return checked;
    }

    /** Within the class comment's bound, its absolute floor scaled by {@code times} (the finite differences were). */
    private static boolean close(double exact, double numeric, int times) {
        return Math.abs(exact - numeric) <= RELATIVE * Math.max(Math.abs(exact), Math.abs(numeric)) + times * ABSOLUTE;
    }
}
