package dev.vdrop.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
     * Every model with a chunk budget of 4 × 110 columns of its widest layer's gates (two chunks, or
     * one when that layer keeps its products per segment), and with a budget of one element (a
     * chunk per step).
     */
    @SuppressWarnings("unchecked")
    static Stream<Arguments> modelsAndChunkBudgets() {
        return models().flatMap(arguments -> {
            Object[] model = arguments.get();
            int widest = 0;
            try (Workspace<int[][], int[][]> probe = ((Network<int[][], int[][]>) model[1]).workspace(1, 1)) {
                RecurrentState state = probe.state();
                for (int layer = 0; layer < state.layers(); layer++) {
                    widest = Math.max(widest, 4 * state.hidden(layer).rows());
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
                        assertEquals(endWithTargets.cell(layer).get(k, c), end.cell(layer).get(k, c), 1e-13, name + " c");
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
