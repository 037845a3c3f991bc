package dev.vdrop.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdrop.runtime.DropoutMode;
import dev.vdrop.runtime.Gradients;
import dev.vdrop.runtime.Mat;
import dev.vdrop.runtime.Network;
import dev.vdrop.runtime.Parameter;
import dev.vdrop.runtime.RecurrentState;
import dev.vdrop.runtime.Rng;
import dev.vdrop.runtime.Workspace;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A batch of sequences of different lengths computes exactly what its sequences compute run one by
 * one, each in a batch of its own: the loss is the mean over the B sequences of each sequence's
 * loss (summed over its steps, as a batch of one gives it), every gradient is the mean of theirs,
 * each sequence's outputs (and, for real-valued inputs, its input gradient) are its own, and each
 * sequence's state after the pass is where it alone ends — the steps the batch runs past a
 * sequence's end change neither its state nor the loss. Every scheme and head, LSTM and GRU (and a
 * stack of both; a GRU layer's state is h alone), with the masks on
 * (each single run gets its sequence's masks of the batch: its column of a per-sequence mask, its
 * columns of a per-step one, the shared ones whole) and from a random carried-in state.
 *
 * <p>Bound: float64, |batch − one by one| ≤ 1e-12 · max(1, |value|). The two compute the same
 * sums in orders that may differ (a product over 5 columns against one over 1, the loss summed in
 * another order), each value after a few hundred operations at a relative round-off of 1.1e-16:
 * some 1e-14; a step past a sequence's end that leaked into it would move its values by far more
 * (the checks' weights are of order 0.5).
 */
class RaggedBatchTest {
    private static final double TOLERANCE = 1e-12;

    /** One model with its inputs and targets, as a batch and as its rows. */
    record Case(String name, Network<Object, Object> network, Object input, Object targets, int[] lengths) {
        int batch() {
            return lengths.length;
        }

        Object inputOf(int b) {
            return input instanceof int[][] tokens ? new int[][] {tokens[b]} : new double[][][] {((double[][][]) input)[b]};
        }

        Object targetsOf(int b) {
            if (targets instanceof int[][] t) {
                return new int[][] {t[b]};
            }
            if (targets instanceof int[] t) {
                return new int[] {t[b]};
            }
            if (targets instanceof double[][][] t) {
                return new double[][][] {t[b]};
            }
            return new double[][] {((double[][]) targets)[b]};
        }

        /** Whether the head reads every step (else the last step only: one output column per sequence). */
        boolean everyStep() {
            return targets instanceof int[][] || targets instanceof double[][][];
        }
    }

    @SuppressWarnings("unchecked")
    private static Case lm(String name, Network<int[][], int[][]> network, long seed) {
        Rng rng = new Rng(seed);
        int[][] tokens = Ragged.tokens(rng, Ragged.LENGTHS, 11);
        int[][] targets = Ragged.tokens(rng, Ragged.LENGTHS, 11);
        return new Case(name, (Network<Object, Object>) (Network<?, ?>) network, tokens, targets, Ragged.LENGTHS);
    }

    @SuppressWarnings("unchecked")
    static Stream<Arguments> cases() {
        Rng rng = new Rng(41);
        double[][][] features = Ragged.values(rng, Ragged.LENGTHS, 3);
        double[][][] everyStep = Ragged.values(rng, Ragged.LENGTHS, 2);
        double[][] lastStep = {{0.5, -1}, {1.5, 0.2}, {-0.3, 0.7}, {0.1, 0.9}, {-1.1, 0.4}};
        ForecasterNetwork forecaster = new ForecasterNetwork(GradientCheckTest.float64(14));
        forecaster.parameters().get(forecaster.parameters().size() - 1).value().set(1, 0, 0.4);
        Stream<Supplier<Case>> cases = Stream.of(
                () -> lm("plain, no dropout", new PlainNetwork(GradientCheckTest.float64(1)), 1),
                () -> lm("tied variational", new TiedNetwork(GradientCheckTest.float64(2)), 2),
                () -> lm("untied variational", new UntiedNetwork(GradientCheckTest.float64(3)), 3),
                () -> lm("per step (Zaremba), 2 layers", new PerStepNetwork(GradientCheckTest.float64(4)), 4),
                () -> lm("weight drop", new WeightDroppedNetwork(GradientCheckTest.float64(5)), 5),
                () -> lm("embedding dropout per sequence", new EmbeddingPerSequenceNetwork(GradientCheckTest.float64(6)), 6),
                () -> lm("embedding dropout per batch", new EmbeddingPerBatchNetwork(GradientCheckTest.float64(7)), 7),
                () -> lm("output dropout", new OutputOnlyNetwork(GradientCheckTest.float64(8)), 8),
                () -> lm("decoder tied to the embedding", new TiedDecoderNetwork(GradientCheckTest.float64(9)), 9),
                () -> lm("3 layers, untied and weight drop", new ThreeLayersNetwork(GradientCheckTest.float64(11)), 11),
                () -> lm("AWD", new AwdNetwork(GradientCheckTest.float64(12)), 12),
                () -> lm("wide (panel step products)", new WidePanelsNetwork(GradientCheckTest.float64(16)), 16),
                () -> lm("GRU plain", new GruPlainNetwork(GradientCheckTest.float64(31)), 31),
                () -> lm("GRU tied", new GruTiedNetwork(GradientCheckTest.float64(32)), 32),
                () -> lm("GRU untied", new GruUntiedNetwork(GradientCheckTest.float64(33)), 33),
                () -> lm("GRU per step, 2 layers", new GruPerStepNetwork(GradientCheckTest.float64(34)), 34),
                () -> lm("GRU weight drop", new GruWeightDroppedNetwork(GradientCheckTest.float64(35)), 35),
                () -> lm("GRU untied, weight drop, embedding dropout", new GruUntiedWeightDroppedNetwork(
                        GradientCheckTest.float64(36)), 36),
                () -> lm("GRU AWD", new GruAwdNetwork(GradientCheckTest.float64(37)), 37),
                () -> lm("mixed LSTM + GRU stack", new MixedStackNetwork(GradientCheckTest.float64(38)), 38),
                () -> new Case("GRU classifier",
                        (Network<Object, Object>) (Network<?, ?>) new GruClassifierNetwork(GradientCheckTest.float64(39)),
                        Ragged.tokens(new Rng(39), Ragged.LENGTHS, 11), new int[] {2, 0, 1, 2, 1}, Ragged.LENGTHS),
                () -> new Case("GRU forecaster",
                        (Network<Object, Object>) (Network<?, ?>) new GruForecasterNetwork(GradientCheckTest.float64(40)),
                        features, lastStep, Ragged.LENGTHS),
                () -> new Case("GRU regression at every step, untied and weight drop",
                        (Network<Object, Object>) (Network<?, ?>) new GruSequenceRegressionNetwork(GradientCheckTest.float64(41)),
                        features, everyStep, Ragged.LENGTHS),
                () -> new Case("classifier, softmax at the last step",
                        (Network<Object, Object>) (Network<?, ?>) new ClassifierNetwork(GradientCheckTest.float64(13)),
                        Ragged.tokens(new Rng(13), Ragged.LENGTHS, 11), new int[] {0, 2, 1, 1, 2}, Ragged.LENGTHS),
                () -> new Case("regression at the last step", (Network<Object, Object>) (Network<?, ?>) forecaster,
                        features, lastStep, Ragged.LENGTHS),
                () -> new Case("regression at every step, untied and weight drop",
                        (Network<Object, Object>) (Network<?, ?>) new SequenceRegressionNetwork(GradientCheckTest.float64(15)),
                        features, everyStep, Ragged.LENGTHS));
        return cases.map(c -> {
            Case built = c.get();
            return Arguments.of(built.name(), built);
        });
    }

    /** The language models of {@link #cases()}: those whose segments are carried from one into the next in training. */
    static Stream<Arguments> languageModels() {
        return cases().filter(a -> ((Case) a.get()[1]).input() instanceof int[][] && ((Case) a.get()[1]).everyStep());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aRaggedBatchComputesWhatItsSequencesComputeOneByOne(String name, Case c) {
        int batch = c.batch();
        List<Parameter> parameters = c.network().parameters();
        Workspace<Object, Object> whole = c.network().workspace(batch, Ragged.STEPS);
        Rng rng = new Rng(name.hashCode());
        whole.sampleMasks(rng, DropoutMode.TRAIN);
        RecurrentState start = Ragged.randomState(whole.state(), rng);
        whole.setState(start);
        Gradients.zero(parameters);
        double loss = whole.forward(c.input(), c.targets());
        Mat outputs = copy(whole.output());
        whole.backward();
        List<double[]> gradients = gradients(parameters);
        double[] inputGradient = c.input() instanceof double[][][] ? Harness.flatten(whole.inputGradient()) : null;
        RecurrentState end = whole.state();
        Map<String, Mat> masks = whole.masks();

        int[][] columns = Ragged.columns(c.lengths());
        double sum = 0;
        Gradients.zero(parameters);
        for (int b = 0; b < batch; b++) {
            try (Workspace<Object, Object> one = c.network().workspace(1, c.lengths()[b])) {
                one.sampleMasks(rng, DropoutMode.TRAIN);
                Ragged.copyMasks(masks, one.masks(), b, batch);
                one.setState(Ragged.column(start, b));
                sum += one.forward(c.inputOf(b), c.targetsOf(b));
                Mat own = one.output();
                for (int t = 0; t < (c.everyStep() ? c.lengths()[b] : 1); t++) {
                    int column = c.everyStep() ? columns[b][t] : b;
                    for (int k = 0; k < own.rows(); k++) {
                        assertClose(own.get(k, t), outputs.get(k, column), name + ": output " + k + " of sequence " + b
                                + ", step " + t);
                    }
                }
                one.backward();
                if (inputGradient != null) {
                    double[] alone = Harness.flatten(one.inputGradient());
                    int width = alone.length / c.lengths()[b];
                    assertEquals(sum(c.lengths()) * width, inputGradient.length,
                            name + ": the input gradient has a column per step of each sequence");
                    for (int t = 0; t < c.lengths()[b]; t++) {
                        for (int j = 0; j < width; j++) {
                            assertClose(alone[t * width + j] / batch, inputGradient[columns[b][t] * width + j],
                                    name + ": ∂L/∂x of sequence " + b + ", step " + t);
                        }
                    }
                }
                RecurrentState alone = one.state();
                for (int layer = 0; layer < end.layers(); layer++) {
                    for (int r = 0; r < alone.hidden(layer).rows(); r++) {
                        assertClose(alone.hidden(layer).get(r, 0), end.hidden(layer).get(r, b),
                                name + ": h of layer " + layer + " where sequence " + b + " ends");
                        if (end.hasCell(layer)) {
                            assertClose(alone.cell(layer).get(r, 0), end.cell(layer).get(r, b),
                                    name + ": c of layer " + layer + " where sequence " + b + " ends");
                        }
                    }
                }
            }
        }
        assertClose(sum / batch, loss, name + ": the loss is the mean of the sequences' losses");
        List<double[]> oneByOne = gradients(parameters);
        int compared = 0;
        for (int k = 0; k < parameters.size(); k++) {
            for (int i = 0; i < gradients.get(k).length; i++) {
                assertClose(oneByOne.get(k)[i] / batch, gradients.get(k)[i], name + ": ∂L/∂" + parameters.get(k).name()
                        + "[" + i + "]");
                compared++;
            }
        }
        assertTrue(compared > 100, name + ": compared only " + compared + " gradient values");
        whole.close();
    }

    /**
     * Truncated BPTT over segments whose sequences have other lengths from segment to segment —
     * ragged, ragged in another order, all of T steps, ragged again — with the state carried from
     * each into the next: each sequence starts every segment where it ended the one before, as
     * when it runs alone (the state handed on with {@code state()} and {@code setState}). Compared
     * after each segment: the outputs and the state, with the same bound.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("languageModels")
    void theStateCarriedFromSegmentToSegmentIsEachSequencesOwn(String name, Case c) {
        int batch = c.batch();
        int[][] segments = {Ragged.FIRST, Ragged.LENGTHS, {7, 7, 7, 7, 7}, Ragged.STEP};
        Rng rng = new Rng(name.hashCode() + 7);
        Workspace<Object, Object> whole = c.network().workspace(batch, Ragged.STEPS);
        whole.sampleMasks(rng, DropoutMode.TRAIN);
        Map<String, Mat> masks = whole.masks();
        RecurrentState[] alone = new RecurrentState[batch];
        for (int[] lengths : segments) {
            int[][] tokens = Ragged.tokens(rng, lengths, 11);
            int[][] targets = Ragged.tokens(rng, lengths, 11);
            whole.forward(tokens, targets);
            Mat outputs = copy(whole.output());
            RecurrentState end = whole.state();
            int[][] columns = Ragged.columns(lengths);
            for (int b = 0; b < batch; b++) {
                try (Workspace<Object, Object> one = c.network().workspace(1, lengths[b])) {
                    one.sampleMasks(rng, DropoutMode.TRAIN);
                    Ragged.copyMasks(masks, one.masks(), b, batch);
                    if (alone[b] != null) {
                        one.setState(alone[b]);
                    }
                    one.forward(new int[][] {tokens[b]}, new int[][] {targets[b]});
                    for (int t = 0; t < lengths[b]; t++) {
                        for (int k = 0; k < one.output().rows(); k++) {
                            assertClose(one.output().get(k, t), outputs.get(k, columns[b][t]), name + ": output " + k
                                    + " of sequence " + b + ", step " + t + " of the segment of lengths "
                                    + java.util.Arrays.toString(lengths));
                        }
                    }
                    alone[b] = one.state();
                    for (int layer = 0; layer < end.layers(); layer++) {
                        for (int r = 0; r < end.hidden(layer).rows(); r++) {
                            assertClose(alone[b].hidden(layer).get(r, 0), end.hidden(layer).get(r, b), name + ": h of layer "
                                    + layer + " where sequence " + b + " ends");
                            if (end.hasCell(layer)) {
                                assertClose(alone[b].cell(layer).get(r, 0), end.cell(layer).get(r, b), name + ": c of layer "
                                        + layer + " where sequence " + b + " ends");
                            }
                        }
                    }
                }
            }
        }
        whole.close();
    }

    /**
     * {@code predict} takes sequences of any lengths and gives each its own predictions, with
     * dropout off from a zero state, as it gives a batch of that sequence alone: every step up to
     * its end (zeros after it, in the [batch, longest, classes] array), or its last step.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void predictGivesEachSequenceOfARaggedBatchItsOwnPredictions(String name, Case c) {
        org.nd4j.linalg.api.ndarray.INDArray all = c.network().predict(c.input());
        int longest = java.util.Arrays.stream(c.lengths()).max().orElseThrow();
        for (int b = 0; b < c.batch(); b++) {
            org.nd4j.linalg.api.ndarray.INDArray alone = c.network().predict(c.inputOf(b));
            if (!c.everyStep()) {
                assertEquals(2, all.rank(), name);
                for (int k = 0; k < alone.size(1); k++) {
                    assertClose(alone.getDouble(0, k), all.getDouble(b, k), name + ": sequence " + b + ", output " + k);
                }
                continue;
            }
            assertEquals(longest, all.size(1), name + ": the steps of the longest sequence");
            for (int t = 0; t < longest; t++) {
                for (int k = 0; k < all.size(2); k++) {
                    double expected = t < c.lengths()[b] ? alone.getDouble(0, t, k) : 0;
                    assertClose(expected, all.getDouble(b, t, k), name + ": sequence " + b + ", step " + t + ", output " + k);
                }
            }
        }
    }

    private static int sum(int[] values) {
        int sum = 0;
        for (int v : values) {
            sum += v;
        }
        return sum;
    }

    private static void assertClose(double expected, double actual, String what) {
        assertEquals(expected, actual, TOLERANCE * Math.max(1, Math.abs(expected)), what);
    }

    private static Mat copy(Mat m) {
        Mat out = Mat.zeros(m.dataType(), m.rows(), m.cols());
        out.copyFrom(m);
        return out;
    }

    private static List<double[]> gradients(List<Parameter> parameters) {
        List<double[]> out = new ArrayList<>();
        for (Parameter p : parameters) {
            out.add(Harness.flatten(p.gradient()));
        }
        return out;
    }
}
