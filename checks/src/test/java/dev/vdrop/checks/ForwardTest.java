package dev.vdrop.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdrop.runtime.DropoutMode;
import dev.vdrop.runtime.Mat;
import dev.vdrop.runtime.Network;
import dev.vdrop.runtime.NetworkConfig;
import dev.vdrop.runtime.RecurrentState;
import dev.vdrop.runtime.Rng;
import dev.vdrop.runtime.Workspace;
import dev.vdrop.runtime.internal.InputChunks;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The generated forward pass against {@link ReferenceLstm}, a plain-loop LSTM written in this
 * test: with dropout off it must agree to 1e-10, and with masks on, applying the same masks as
 * the equations say (tied: one column per sequence at every step; per step: one column per step;
 * untied: one per gate; weight drop: U ⊙ M; embedding dropout: whole rows of E) it must agree too.
 */
class ForwardTest {
    private static final int BATCH = 3;
    private static final int STEPS = 5;

    static NetworkConfig float64(long seed) {
        return NetworkConfig.builder().dataType(DataType.DOUBLE).seed(seed).initScale(0.5).build();
    }

    static Stream<Arguments> models() {
        return Stream.of(
                Arguments.of("plain", new PlainNetwork(float64(1)), List.of("lstm"), "decoder"),
                Arguments.of("tied", new TiedNetwork(float64(2)), List.of("lstm"), "decoder"),
                Arguments.of("untied", new UntiedNetwork(float64(3)), List.of("lstm"), "decoder"),
                Arguments.of("per step", new PerStepNetwork(float64(4)), List.of("lstm1", "lstm2"), "decoder"),
                Arguments.of("weight drop", new WeightDroppedNetwork(float64(5)), List.of("lstm"), "decoder"),
                Arguments.of("embedding per sequence", new EmbeddingPerSequenceNetwork(float64(6)), List.of("lstm"), "decoder"),
                Arguments.of("embedding per batch", new EmbeddingPerBatchNetwork(float64(7)), List.of("lstm"), "decoder"),
                Arguments.of("tied decoder", new TiedDecoderNetwork(float64(9)), List.of("lstm1", "lstm2"), "decoder"),
                Arguments.of("3 layers", new ThreeLayersNetwork(float64(11)), List.of("lstm1", "lstm2", "lstm3"), "decoder"),
                Arguments.of("AWD", new AwdNetwork(float64(12)), List.of("lstm1", "lstm2"), "decoder"),
                Arguments.of("wide (panel step products)", new WidePanelsNetwork(float64(13)), List.of("lstm"), "decoder"));
    }

    @ParameterizedTest(name = "{0}, dropout off")
    @MethodSource("models")
    void dropoutOffMatchesThePlainLoopLstm(String name, Network<int[][], int[][]> network, List<String> layers, String decoder) {
        int[][] tokens = Harness.tokens(new Rng(5), BATCH, STEPS, 11);
        INDArray generated = network.predict(tokens);
        double[][][] reference = new ReferenceLstm(network.parameters(), Map.of(), "embedding", layers, decoder)
                .probabilities(tokens);
        for (int b = 0; b < BATCH; b++) {
            for (int t = 0; t < STEPS; t++) {
                for (int k = 0; k < 11; k++) {
                    assertEquals(reference[b][t][k], generated.getDouble(b, t, k), 1e-10, name + " p[" + b + "][" + t + "][" + k + "]");
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}, training masks")
    @MethodSource("models")
    void masksApplyAsTheEquationsSay(String name, Network<int[][], int[][]> network, List<String> layers, String decoder) {
        int[][] tokens = Harness.tokens(new Rng(6), BATCH, STEPS, 11);
        Workspace<int[][], int[][]> segment = network.workspace(BATCH, STEPS);
        segment.sampleMasks(new Rng(7), DropoutMode.TRAIN);
        segment.forward(tokens);
        Mat generated = segment.output();
        double[][][] reference = new ReferenceLstm(network.parameters(), segment.masks(), "embedding", layers, decoder)
                .probabilities(tokens);
        double[][][] unmasked = new ReferenceLstm(network.parameters(), Map.of(), "embedding", layers, decoder)
                .probabilities(tokens);
        boolean masksMatter = false;
        for (int b = 0; b < BATCH; b++) {
            for (int t = 0; t < STEPS; t++) {
                for (int k = 0; k < 11; k++) {
                    assertEquals(reference[b][t][k], generated.get(k, t * BATCH + b), 1e-10, name + " p[" + b + "][" + t + "][" + k + "]");
                    masksMatter |= Math.abs(unmasked[b][t][k] - reference[b][t][k]) > 1e-6;
                }
            }
        }
        assertEquals(!segment.masks().isEmpty(), masksMatter, name + ": the masks change the output exactly when there are masks");
    }

    /**
     * Sequences of different lengths in one batch ({@link Ragged#LENGTHS}), with dropout off
     * through {@code predict} (each sequence's probabilities up to its end, zeros after it) and
     * with training masks through a workspace (the probabilities in the pass's columns,
     * {@link Ragged#columns}): each sequence's, as the plain-loop LSTM computes it alone with its
     * masks of the batch.
     */
    @ParameterizedTest(name = "{0}, ragged batch")
    @MethodSource("models")
    void raggedBatchMatchesThePlainLoopLstmSequenceBySequence(String name, Network<int[][], int[][]> network,
                                                              List<String> layers, String decoder) {
        int[][] tokens = Ragged.tokens(new Rng(15), Ragged.LENGTHS, 11);
        INDArray predicted = network.predict(tokens);
        double[][][] reference = new ReferenceLstm(network.parameters(), Map.of(), "embedding", layers, decoder)
                .probabilities(tokens);
        assertEquals(Ragged.STEPS, predicted.size(1), name + ": predict's steps are the longest sequence's");
        for (int b = 0; b < tokens.length; b++) {
            for (int t = 0; t < Ragged.STEPS; t++) {
                for (int k = 0; k < 11; k++) {
                    double expected = t < tokens[b].length ? reference[b][t][k] : 0;
                    assertEquals(expected, predicted.getDouble(b, t, k), 1e-10, name + " p[" + b + "][" + t + "][" + k + "]");
                }
            }
        }
        Workspace<int[][], int[][]> segment = network.workspace(tokens.length, Ragged.STEPS);
        segment.sampleMasks(new Rng(16), DropoutMode.TRAIN);
        segment.forward(tokens);
        Mat generated = segment.output();
        double[][][] masked = new ReferenceLstm(network.parameters(), segment.masks(), "embedding", layers, decoder)
                .probabilities(tokens);
        int[][] columns = Ragged.columns(Ragged.LENGTHS);
        assertEquals(23, generated.cols(), name + ": output() holds the pass's N = Σ len columns");
        for (int b = 0; b < tokens.length; b++) {
            for (int t = 0; t < tokens[b].length; t++) {
                for (int k = 0; k < 11; k++) {
                    assertEquals(masked[b][t][k], generated.get(k, columns[b][t]), 1e-10, name + " masked p[" + b + "][" + t
                            + "][" + k + "]");
                }
            }
        }
        segment.close();
    }

    /**
     * A pass without targets keeps no gates for backward(): it computes the input products a few
     * steps at a time in one buffer the layers share (InputChunks; the budget set here so that 110
     * sequences × 7 steps go in two chunks of 4 and 3 steps, or one step at a time). It must give
     * what the pass with targets gives, which computes them for the whole segment at once: the same
     * probabilities and the same final state, with the same masks.
     */
    @ParameterizedTest(name = "{0}, {4} elements per chunk")
    @MethodSource("modelsAndChunkBudgets")
    void aPassWithoutTargetsGivesWhatThePassWithTargetsGives(String name, Network<int[][], int[][]> network,
                                                            List<String> layers, String decoder, int budget) {
        System.setProperty(InputChunks.ELEMENTS_PROPERTY, Integer.toString(budget));
        try {
            assertPassesAgree(name, network, 110, 7, false);
        } finally {
            System.clearProperty(InputChunks.ELEMENTS_PROPERTY);
        }
    }

    /**
     * The same with 110 sequences of 1 to 7 steps: a chunk of a ragged pass is the columns of its
     * steps, fewer than chunkSteps · B.
     */
    @ParameterizedTest(name = "{0}, {4} elements per chunk, ragged batch")
    @MethodSource("modelsAndChunkBudgets")
    void aRaggedPassWithoutTargetsGivesWhatThePassWithTargetsGives(String name, Network<int[][], int[][]> network,
                                                                  List<String> layers, String decoder, int budget) {
        System.setProperty(InputChunks.ELEMENTS_PROPERTY, Integer.toString(budget));
        try {
            assertPassesAgree(name, network, 110, 7, true);
        } finally {
            System.clearProperty(InputChunks.ELEMENTS_PROPERTY);
        }
    }

    /**
     * Every model (and every GRU language model) with a chunk budget of 4 × 110 columns of its
     * widest layer's gates (4H for an LSTM, 3H for a GRU: two chunks, or
     * one when that layer keeps its products per segment), and with a budget of one element (a
     * chunk per step).
     */
    @SuppressWarnings("unchecked")
    static Stream<Arguments> modelsAndChunkBudgets() {
        return Stream.concat(models(), gruLanguageModels()).flatMap(arguments -> {
            Object[] model = arguments.get();
            int widest = 0;
            try (Workspace<int[][], int[][]> probe = ((Network<int[][], int[][]>) model[1]).workspace(1, 1)) {
                RecurrentState state = probe.state();
                for (int layer = 0; layer < state.layers(); layer++) {
                    int gates = state.hasCell(layer) ? 4 : 3;
                    widest = Math.max(widest, gates * state.hidden(layer).rows());
                }
            }
            return Stream.of(Arguments.of(model[0], model[1], model[2], model[3], widest * 110 * 4),
                    Arguments.of(model[0], model[1], model[2], model[3], 1));
        });
    }

    private static void assertPassesAgree(String name, Network<int[][], int[][]> network, int batch, int steps,
                                          boolean ragged) {
        int[] lengths = new int[batch];
        Rng draw = new Rng(8);
        for (int b = 0; b < batch; b++) {
            lengths[b] = ragged ? 1 + (int) (draw.nextDouble() * steps) : steps;
        }
        lengths[batch / 2] = steps;
        int[][] tokens = Ragged.tokens(new Rng(9), lengths, 11);
        int[][] targets = Ragged.tokens(new Rng(10), lengths, 11);
        try (Workspace<int[][], int[][]> segment = network.workspace(batch, steps)) {
            segment.sampleMasks(new Rng(11), DropoutMode.TRAIN);
            segment.forward(tokens, targets);
            Mat withTargets = copy(segment.output());
            RecurrentState endWithTargets = segment.state();
            segment.resetState();
            segment.forward(tokens);
            Mat without = segment.output();
            RecurrentState end = segment.state();
            for (int c = 0; c < without.cols(); c++) {
                for (int k = 0; k < without.rows(); k++) {
                    assertEquals(withTargets.get(k, c), without.get(k, c), 1e-13, name + " p[" + k + "][" + c + "]");
                }
            }
            for (int layer = 0; layer < end.layers(); layer++) {
                for (int c = 0; c < batch; c++) {
                    for (int k = 0; k < end.hidden(layer).rows(); k++) {
                        assertEquals(endWithTargets.hidden(layer).get(k, c), end.hidden(layer).get(k, c), 1e-13, name + " h");
                        if (end.hasCell(layer)) {
                            assertEquals(endWithTargets.cell(layer).get(k, c), end.cell(layer).get(k, c), 1e-13, name + " c");
                        }
                    }
                }
            }
        }
    }

    private static Mat copy(Mat m) {
        Mat out = Mat.zeros(m.dataType(), m.rows(), m.cols());
        out.copyFrom(m);
        return out;
    }

    // ---------------------------------------------------------------------------------------------
    // GRU models against ReferenceGru (and mixed stacks against ReferenceGru + ReferenceLstm)

    /**
     * The GRU language models (and the mixed LSTM + GRU stack) as {@link #models()} lists the
     * LSTM's, every parameter moved by a seeded ±0.5 ({@link #perturbed}).
     */
    static Stream<Arguments> gruLanguageModels() {
        return Stream.of(
                Arguments.of("GRU plain", perturbed(new GruPlainNetwork(float64(31))), List.of("gru"), "decoder"),
                Arguments.of("GRU tied", perturbed(new GruTiedNetwork(float64(32))), List.of("gru"), "decoder"),
                Arguments.of("GRU untied", perturbed(new GruUntiedNetwork(float64(33))), List.of("gru"), "decoder"),
                Arguments.of("GRU per step", perturbed(new GruPerStepNetwork(float64(34))), List.of("gru1", "gru2"), "decoder"),
                Arguments.of("GRU weight drop", perturbed(new GruWeightDroppedNetwork(float64(35))), List.of("gru"), "decoder"),
                Arguments.of("GRU untied, weight drop", perturbed(new GruUntiedWeightDroppedNetwork(float64(36))), List.of("gru"),
                        "decoder"),
                Arguments.of("GRU AWD", perturbed(new GruAwdNetwork(float64(37))), List.of("gru1", "gru2"), "decoder"),
                Arguments.of("mixed LSTM + GRU stack", perturbed(new MixedStackNetwork(float64(38))),
                        List.of("lstm1", "gru2", "lstm3", "gru4"), "decoder"));
    }

    /**
     * The network with every parameter moved by a uniform ±0.5 from a stream seeded by its class:
     * the biases b and bh start at zero, and a bias at zero cannot show where the equations put it
     * (b_hn inside r ⊙ (…) or outside it).
     */
    static <N extends Network<?, ?>> N perturbed(N network) {
        Rng rng = new Rng(network.getClass().getName().hashCode());
        for (dev.vdrop.runtime.Parameter p : network.parameters()) {
            Mat v = p.value();
            for (int c = 0; c < v.cols(); c++) {
                for (int r = 0; r < v.rows(); r++) {
                    v.add(r, c, rng.uniform(-0.5, 0.5));
                }
            }
        }
        return network;
    }

    /** What a GRU model reads and is trained on: its input and targets for sequences of given lengths. */
    enum Task {
        LANGUAGE_MODEL, CLASSIFIER, FORECASTER, SEQUENCE_REGRESSION;

        Object input(Rng rng, int[] lengths) {
            return this == LANGUAGE_MODEL || this == CLASSIFIER ? Ragged.tokens(rng, lengths, 11) : Ragged.values(rng, lengths, 3);
        }

        Object targets(Rng rng, int[] lengths) {
            return switch (this) {
                case LANGUAGE_MODEL -> Ragged.tokens(rng, lengths, 11);
                case CLASSIFIER -> Ragged.tokens(rng, new int[] {lengths.length}, 3)[0];
                case FORECASTER -> Ragged.values(rng, new int[] {lengths.length}, 2)[0];
                case SEQUENCE_REGRESSION -> Ragged.values(rng, lengths, 2);
            };
        }

        boolean everyStep() {
            return this == LANGUAGE_MODEL || this == SEQUENCE_REGRESSION;
        }

        /** The loss the reference gives for these targets, as the head defines it. */
        double loss(ReferenceGru.Result result, Object targets, Network<?, ?> network, String head) {
            return switch (this) {
                case LANGUAGE_MODEL -> result.crossEntropy((int[][]) targets);
                case CLASSIFIER -> result.crossEntropy((int[]) targets);
                case FORECASTER -> result.gaussian((double[][]) targets, logVariance(network, head));
                case SEQUENCE_REGRESSION -> result.gaussian((double[][][]) targets, logVariance(network, head));
            };
        }

        private static Mat logVariance(Network<?, ?> network, String head) {
            return network.parameters().stream().filter(p -> p.name().equals(head + ".s")).findFirst().orElseThrow().value();
        }
    }

    /** Every GRU model of {@link GruModels}: its input field, recurrent layers, head and task. */
    static Stream<Arguments> gruModels() {
        Stream<Arguments> languageModels = gruLanguageModels()
                .map(a -> Arguments.of(a.get()[0], a.get()[1], "embedding", a.get()[2], a.get()[3], Task.LANGUAGE_MODEL));
        return Stream.concat(languageModels, Stream.of(
                Arguments.of("GRU classifier", perturbed(new GruClassifierNetwork(float64(39))), "embedding", List.of("gru"), "label",
                        Task.CLASSIFIER),
                Arguments.of("GRU forecaster", perturbed(new GruForecasterNetwork(float64(40))), "day", List.of("gru"), "next",
                        Task.FORECASTER),
                Arguments.of("GRU sequence regression", perturbed(new GruSequenceRegressionNetwork(float64(41))), "day",
                        List.of("gru1", "gru2"), "value", Task.SEQUENCE_REGRESSION)));
    }

    /** Each GRU model with sequences of equal length (B = 3, T = 5) and ragged ones, dropout on and off. */
    static Stream<Arguments> gruPasses() {
        return gruModels().flatMap(a -> Stream.of(false, true).flatMap(ragged -> Stream.of(false, true).map(dropout -> {
            Object[] m = a.get();
            return Arguments.of(m[0], m[1], m[2], m[3], m[4], m[5], ragged, dropout);
        })));
    }

    /**
     * The generated forward pass of a GRU model (and of an LSTM + GRU stack) is {@link ReferenceGru}'s,
     * with training masks (read from the workspace: {@code gru.x}, {@code gru.h}, untied
     * {@code gru.h.r/.u/.n}, {@code gru.y}, {@code gru.U}, the embedding's) and with dropout off,
     * over sequences of equal length and ragged ones: every output, the loss and each sequence's
     * final h (and c of an LSTM layer) — through the pass with targets and the pass without
     * (which computes the input products in chunks).
     *
     * <p>Bound: float64, 1e-12 · max(1, |value|). The two compute the same sums in other orders,
     * each value after a few hundred operations at a relative round-off of 1.1e-16 (some 1e-14);
     * a misplaced bias, gate or mask moves values by far more (weights of order 0.5; with masks the
     * test checks that they move the outputs by more than 1e-6).
     */
    @ParameterizedTest(name = "{0}, ragged {6}, dropout {7}")
    @MethodSource("gruPasses")
    @SuppressWarnings("unchecked")
    void gruForwardMatchesThePlainLoopGru(String name, Network<?, ?> model, String input, List<String> layers, String head,
                                          Task task, boolean ragged, boolean dropout) {
        Network<Object, Object> network = (Network<Object, Object>) model;
        int[] lengths = ragged ? Ragged.LENGTHS : new int[] {STEPS, STEPS, STEPS};
        Rng rng = new Rng(name.hashCode() + (ragged ? 1 : 0));
        Object x = task.input(rng, lengths);
        Object targets = task.targets(rng, lengths);
        int steps = java.util.Arrays.stream(lengths).max().orElseThrow();
        int[][] columns = ragged ? Ragged.columns(lengths) : Ragged.equalColumns(lengths.length, steps);
        try (Workspace<Object, Object> workspace = network.workspace(lengths.length, steps)) {
            if (dropout) {
                workspace.sampleMasks(new Rng(17), DropoutMode.TRAIN);
            } else {
                workspace.dropoutOff();
            }
            Map<String, Mat> masks = dropout ? workspace.masks() : Map.of();
            ReferenceGru.Result reference = new ReferenceGru(network.parameters(), masks, input, layers, head).run(x);
            double loss = workspace.forward(x, targets);
            assertClose(task.loss(reference, targets, network, head), loss, name + ": the loss");
            assertSameAsReference(name + ", with targets", task, reference, workspace.output(), workspace.state(), columns);
            workspace.resetState();
            workspace.forward(x);
            assertSameAsReference(name + ", without targets", task, reference, workspace.output(), workspace.state(), columns);
            if (dropout && !masks.isEmpty()) {
                ReferenceGru.Result unmasked = new ReferenceGru(network.parameters(), Map.of(), input, layers, head).run(x);
                double moved = 0;
                for (int b = 0; b < lengths.length; b++) {
                    for (int t = 0; t < lengths[b]; t++) {
                        for (int k = 0; k < unmasked.outputs()[b][t].length; k++) {
                            moved = Math.max(moved, Math.abs(unmasked.outputs()[b][t][k] - reference.outputs()[b][t][k]));
                        }
                    }
                }
                assertTrue(moved > 1e-6, name + ": the masks move the outputs by only " + moved);
            }
        }
    }

    private static void assertSameAsReference(String name, Task task, ReferenceGru.Result reference, Mat output,
                                              RecurrentState end, int[][] columns) {
        for (int b = 0; b < columns.length; b++) {
            for (int t = 0; t < (task.everyStep() ? columns[b].length : 1); t++) {
                double[] expected = task.everyStep() ? reference.outputs()[b][t] : reference.last(b);
                int column = task.everyStep() ? columns[b][t] : b;
                assertEquals(expected.length, output.rows(), name);
                for (int k = 0; k < expected.length; k++) {
                    assertClose(expected[k], output.get(k, column), name + ": output " + k + " of sequence " + b + ", step " + t);
                }
            }
            for (int layer = 0; layer < end.layers(); layer++) {
                double[] h = reference.hidden()[b][layer];
                double[] c = reference.cell()[b][layer];
                assertEquals(c != null, end.hasCell(layer), name + ": layer " + layer + " has a cell state exactly when an LSTM");
                for (int j = 0; j < h.length; j++) {
                    assertClose(h[j], end.hidden(layer).get(j, b), name + ": h of layer " + layer + " where sequence " + b + " ends");
                    if (c != null) {
                        assertClose(c[j], end.cell(layer).get(j, b), name + ": c of layer " + layer + " where sequence " + b
                                + " ends");
                    }
                }
            }
        }
    }

    private static void assertClose(double expected, double actual, String what) {
        assertEquals(expected, actual, 1e-12 * Math.max(1, Math.abs(expected)), what);
    }

    /**
     * A GRU stack and the mixed LSTM + GRU stack in float32 predict what they predict in float64
     * (the same seed draws the same weights, rounded to float32), as the LSTM's three layers do
     * below: to 1e-5 in probability (float32's unit round-off is 6e-8, over a few hundred
     * operations per value).
     */
    @org.junit.jupiter.api.Test
    void gruFloat32AgreesWithFloat64() {
        int[][] tokens = Harness.tokens(new Rng(8), BATCH, STEPS, 11);
        NetworkConfig.Builder config = NetworkConfig.builder().seed(22).initScale(0.5);
        List<java.util.function.Function<NetworkConfig, Network<int[][], int[][]>>> models = List.of(GruAwdNetwork::new,
                MixedStackNetwork::new);
        for (var model : models) {
            INDArray single = model.apply(config.dataType(DataType.FLOAT).build()).predict(tokens);
            INDArray dbl = model.apply(config.dataType(DataType.DOUBLE).build()).predict(tokens);
            assertEquals(DataType.FLOAT, single.dataType());
            for (int b = 0; b < BATCH; b++) {
                for (int t = 0; t < STEPS; t++) {
                    for (int k = 0; k < 11; k++) {
                        assertEquals(dbl.getDouble(b, t, k), single.getDouble(b, t, k), 1e-5);
                    }
                }
            }
        }
    }

    @org.junit.jupiter.api.Test
    void float32AgreesWithFloat64() {
        int[][] tokens = Harness.tokens(new Rng(8), BATCH, STEPS, 11);
        NetworkConfig.Builder config = NetworkConfig.builder().seed(21).initScale(0.5);
        INDArray single = new ThreeLayersNetwork(config.dataType(DataType.FLOAT).build()).predict(tokens);
        INDArray dbl = new ThreeLayersNetwork(config.dataType(DataType.DOUBLE).build()).predict(tokens);
        assertEquals(DataType.FLOAT, single.dataType());
        for (int b = 0; b < BATCH; b++) {
            for (int t = 0; t < STEPS; t++) {
                for (int k = 0; k < 11; k++) {
                    assertEquals(dbl.getDouble(b, t, k), single.getDouble(b, t, k), 1e-5);
                }
            }
        }
    }
}
