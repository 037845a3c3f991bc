package dev.vdrop.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdrop.runtime.DropoutMode;
import dev.vdrop.runtime.Gradients;
import dev.vdrop.runtime.MaskKeys;
import dev.vdrop.runtime.Mat;
import dev.vdrop.runtime.Network;
import dev.vdrop.runtime.NetworkConfig;
import dev.vdrop.runtime.Rng;
import dev.vdrop.runtime.Workspace;
import dev.vdrop.runtime.eval.McPredictor;
import dev.vdrop.runtime.internal.InputChunks;
import dev.vdrop.runtime.mc.RegressionPrediction;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Weight-drop MC in one pass: K samples of an example as K blocks of rows of one pass, each block
 * multiplied by its own sample's U' = U ⊙ M_k, give what the K passes of one sample each give —
 * for every weight-drop model (tied masks on h and none, untied, per step; token and feature input;
 * softmax and regression heads at every step and at the last; 192 units, whose step products take
 * the vector kernels' panels), alone and among other examples, with K = 10 in one pass and split 3
 * + 7; the same for the GRU's twins of these models (224 units for the panels) and a stack mixing
 * LSTM and GRU layers. A wrong layout, a ragged batch and a backward pass after such a pass are refused. The
 * surefire execution of the plain kernels runs this too (their products go through BLAS).
 *
 * <p>Tolerances. The masks are the same bits and each block's step product is the product of a
 * pass of that sample alone (the same kernel on the same columns: bit for bit, which
 * {@code SampleWeightsTest} checks); what may differ is the width of the batched products — the
 * input products and the decoder over 10 samples' columns instead of one's — where BLAS may sum in
 * another order. So not bit for bit: in float64 1e-12 on a probability or a mean (a few units of
 * 2^-53 per operation over a few hundred per step and six steps leaves a factor over 100); in
 * float32 the 1e-6 in probability, and for the regression means relative 1e-6 (they are
 * not bounded by 1). A block multiplied by another sample's U' moves the outputs by far more: the
 * samples of one example differ by more than 1e-3.
 */
class WeightDropOnePassTest {
    private static final int STEPS = 6;
    private static final int K = 10;
    private static final long SEED = 0xd20bL;
    private static final long KEY = 7;

    static Stream<Arguments> models() {
        return Stream.of(DataType.DOUBLE, DataType.FLOAT).flatMap(type -> {
            NetworkConfig config = NetworkConfig.builder().dataType(type).seed(4).initScale(0.5).build();
            return Stream.of(
                    Arguments.of("input masks only", type, new WeightDroppedNetwork(config), true),
                    Arguments.of("AWD, two layers", type, new AwdNetwork(config), true),
                    Arguments.of("untied and tied layers, three", type, new ThreeLayersNetwork(config), true),
                    Arguments.of("tied masks on h, 48 units", type, new WideTiedNetwork(config), true),
                    Arguments.of("192 units, panel kernels", type, new WidePanelsNetwork(config), true),
                    Arguments.of("per step", type, new PerStepWeightDropNetwork(config), true),
                    Arguments.of("untied, class at the last step", type, new UntiedLastStepWeightDropNetwork(config), true),
                    Arguments.of("regression at every step", type, new SequenceRegressionNetwork(config), false),
                    Arguments.of("regression at the last step", type, new ForecastWeightDropNetwork(config), false),
                    Arguments.of("GRU, input masks only", type, new GruWeightDroppedNetwork(config), true),
                    Arguments.of("GRU AWD, two layers", type, new GruAwdNetwork(config), true),
                    Arguments.of("GRU untied, embedding dropout", type, new GruUntiedWeightDroppedNetwork(config), true),
                    Arguments.of("GRU tied masks on h, 48 units", type, new WideGruTiedNetwork(config), true),
                    Arguments.of("GRU 224 units, panel kernels", type, new WideGruPanelsNetwork(config), true),
                    Arguments.of("GRU per step", type, new GruPerStepWeightDropNetwork(config), true),
                    Arguments.of("GRU untied, class at the last step", type, new GruUntiedLastStepWeightDropNetwork(config), true),
                    Arguments.of("mixed LSTM + GRU stack", type, new MixedStackNetwork(config), true),
                    Arguments.of("GRU regression at every step", type, new GruSequenceRegressionNetwork(config), false),
                    Arguments.of("GRU regression at the last step", type, new GruForecastWeightDropNetwork(config), false));
        });
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("models")
    void samplesInOnePassAreThePassesOfOneSampleEach(String name, DataType type, Network<?, ?> network, boolean tokens) {
        Rng rng = new Rng(11);
        Object x = example(tokens, rng);
        Object n1 = example(tokens, rng);
        Object n2 = example(tokens, rng);
        int[] oneAtATime = new int[K];
        Arrays.fill(oneAtATime, 1);
        double[][][] separate = samplesOf(network, new Object[] {x}, new long[] {KEY}, 0, oneAtATime);
        double[][][] onePass = samplesOf(network, new Object[] {x}, new long[] {KEY}, 0, new int[] {K});
        double[][][] inABatch = samplesOf(network, new Object[] {n1, x, n2}, new long[] {3, KEY, 11}, 1, new int[] {K});
        double[][][] split = samplesOf(network, new Object[] {x, n2}, new long[] {KEY, 11}, 0, new int[] {3, 7});
        double tolerance = type == DataType.DOUBLE ? 1e-12 : 1e-6;
        assertClose(separate, onePass, tolerance, name + ": " + K + " samples in one pass");
        assertClose(separate, inABatch, tolerance, name + ": in one pass among other examples");
        assertClose(separate, split, tolerance, name + ": split 3 + 7");
        double spread = difference(new double[][][] {separate[0]}, new double[][][] {separate[1]}, false);
        assertTrue(spread > 1e-3, name + ": samples 0 and 1 differ by only " + spread + ": are the masks applied?");
    }

    /**
     * A pass without targets computes its input term a chunk of steps at a time and then carries
     * every sample's block through the chunk's steps, on the core that holds its U'; a pass with
     * targets computes the input term of the whole segment first. Chunks of one step each (the
     * budget property at 1 element), and a pass with targets, give the same samples as passes of
     * one sample each.
     */
    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("tokenModels")
    void samplesInChunksOfStepsAndWithTargetsAreThePassesOfOneSampleEach(String name, Network<?, ?> network) {
        Rng rng = new Rng(12);
        Object[] examples = {example(true, rng), example(true, rng)};
        long[] keys = {KEY, 5};
        int[] oneAtATime = new int[K];
        Arrays.fill(oneAtATime, 1);
        double[][][] separate = samplesOf(network, examples, keys, 1, oneAtATime);
        double[][][] withTargets = samplesOf(network, examples, keys, 1, new int[] {K}, true);
        String property = InputChunks.ELEMENTS_PROPERTY;
        System.setProperty(property, "1");
        double[][][] chunked;
        try {
            chunked = samplesOf(network, examples, keys, 1, new int[] {4, 6});
        } finally {
            System.clearProperty(property);
        }
        assertClose(separate, withTargets, 1e-12, name + ": " + K + " samples in a pass with targets");
        assertClose(separate, chunked, 1e-12, name + ": in chunks of one step");
    }

    /**
     * One workspace predicting batch after batch with one seed keeps each sample's U' from pass to
     * pass; after a training step changes U, its next pass is again the passes of one sample each
     * with the new weights, not the old U'.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("awdModels")
    void aWorkspaceReusedAcrossBatchesAndATrainingStepUsesTheWeightsOfTheMoment(String name, Network<int[][], int[][]> network) {
        Rng rng = new Rng(13);
        int[] x = (int[]) example(true, rng);
        int[] y = (int[]) example(true, rng);
        int[] oneAtATime = new int[K];
        Arrays.fill(oneAtATime, 1);
        try (Workspace<int[][], int[][]> mc = network.workspace(K, STEPS)) {
            double[][][] before = samplesIn(mc, x, KEY);
            assertClose(samplesOf(network, new Object[] {y}, new long[] {5}, 0, oneAtATime), samplesIn(mc, y, 5),
                    1e-12, "the next batch, the same seed");
            try (Workspace<int[][], int[][]> train = network.workspace(1, STEPS)) {
                train.sampleMasks(new Rng(3), DropoutMode.TRAIN);
                Gradients.zero(network.parameters());
                train.forward(new int[][] {x}, new int[][] {y});
                train.backward();
                Gradients.sgdStep(network.parameters(), 0.5, 0, 1);
            }
            double[][][] after = samplesIn(mc, x, KEY);
            assertClose(samplesOf(network, new Object[] {x}, new long[] {KEY}, 0, oneAtATime), after, 1e-12,
                    "after a training step");
            assertTrue(difference(before, after, false) > 1e-6, "the training step changed the samples");
        }
    }

    static Stream<Arguments> awdModels() {
        NetworkConfig config = NetworkConfig.builder().dataType(DataType.DOUBLE).seed(4).initScale(0.5).build();
        return Stream.of(Arguments.of("LSTM AWD", new AwdNetwork(config)), Arguments.of("GRU AWD", new GruAwdNetwork(config)));
    }

    /** The K samples of one example in one pass of {@code workspace}, keyed {@code key}. */
    private static double[][][] samplesIn(Workspace<int[][], int[][]> workspace, int[] example, long key) {
        int[][] rows = new int[K][];
        Arrays.fill(rows, example);
        workspace.resetState();
        workspace.sampleMasks(MaskKeys.samples(SEED, new long[] {key}, 0, K), DropoutMode.MC);
        workspace.forward(rows);
        Mat output = workspace.output();
        int predictions = output.cols() / K;
        double[][][] out = new double[K][predictions][output.rows()];
        for (int k = 0; k < K; k++) {
            for (int t = 0; t < predictions; t++) {
                for (int c = 0; c < output.rows(); c++) {
                    out[k][t][c] = output.get(c, t * K + k);
                }
            }
        }
        return out;
    }

    static Stream<Arguments> tokenModels() {
        NetworkConfig config = NetworkConfig.builder().dataType(DataType.DOUBLE).seed(4).initScale(0.5).build();
        return Stream.of(Arguments.of("AWD, two layers", new AwdNetwork(config)),
                Arguments.of("tied masks on h, 48 units", new WideTiedNetwork(config)),
                Arguments.of("192 units, panel kernels", new WidePanelsNetwork(config)),
                Arguments.of("per step", new PerStepWeightDropNetwork(config)),
                Arguments.of("GRU AWD, two layers", new GruAwdNetwork(config)),
                Arguments.of("GRU tied masks on h, 48 units", new WideGruTiedNetwork(config)),
                Arguments.of("GRU 224 units, panel kernels", new WideGruPanelsNetwork(config)),
                Arguments.of("GRU per step", new GruPerStepWeightDropNetwork(config)),
                Arguments.of("mixed LSTM + GRU stack", new MixedStackNetwork(config)));
    }

    @Test
    void aLayoutThatIsNoBlocksOfSamplesIsRefused() {
        AwdNetwork network = new AwdNetwork(NetworkConfig.builder().dataType(DataType.DOUBLE).seed(4).build());
        try (Workspace<int[][], int[][]> workspace = network.workspace(4, STEPS)) {
            MaskKeys keys = MaskKeys.rows(SEED, new long[] {1, 1, 2, 3}, new int[] {0, 1, 1, 1});
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> workspace.sampleMasks(keys, DropoutMode.MC));
            assertTrue(e.getMessage().startsWith("a model with weight drop multiplies each sample's rows by its own mask"
                    + " over U, so the rows of a pass must be blocks of equal size, each of one sample"), e.getMessage());
        }
    }

    @Test
    void aRaggedPassOfSeveralSamplesAndItsBackwardPassAreRefused() {
        AwdNetwork network = new AwdNetwork(NetworkConfig.builder().dataType(DataType.DOUBLE).seed(4).build());
        Rng rng = new Rng(3);
        int[] a = Harness.tokens(rng, 1, STEPS, 11)[0];
        int[] b = Harness.tokens(rng, 1, STEPS - 2, 11)[0];
        try (Workspace<int[][], int[][]> workspace = network.workspace(4, STEPS)) {
            workspace.sampleMasks(MaskKeys.samples(SEED, new long[] {1, 2}, 0, 2), DropoutMode.MC);
            IllegalArgumentException ragged = assertThrows(IllegalArgumentException.class,
                    () -> workspace.forward(new int[][] {a, b, a, b}));
            assertTrue(ragged.getMessage().contains("needs sequences of equal length"), ragged.getMessage());
            workspace.forward(new int[][] {a, a, a, a}, new int[][] {a, a, a, a});
            assertThrows(IllegalStateException.class, workspace::backward, "no gradient of a pass of several samples");
            // masks drawn for training: one U' per pass again, and backward() runs
            workspace.sampleMasks(rng, DropoutMode.TRAIN);
            workspace.forward(new int[][] {a, b, a, b}, new int[][] {a, b, a, b});
            workspace.backward();
        }
    }

    /**
     * {@code McPredictor.forecast} of windows of different lengths with weight drop: one sample
     * per pass (a ragged pass reorders its rows); each window's forecast is its forecast alone,
     * whose K samples run in one pass.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("weightDropForecasters")
    void forecastsOfWindowsOfDifferentLengthsAreThoseOfEachWindowAlone(String name, Network<double[][][], double[][]> network) {
        Rng rng = new Rng(5);
        double[][][] windows = {Harness.values(rng, 1, STEPS, 3)[0], Harness.values(rng, 1, STEPS - 3, 3)[0],
                Harness.values(rng, 1, STEPS, 3)[0]};
        RegressionPrediction[][] together = McPredictor.forecast(network, windows, K, SEED, new long[] {4, 5, 6});
        for (int w = 0; w < 3; w++) {
            RegressionPrediction[][] alone = McPredictor.forecast(network, new double[][][] {windows[w]}, K, SEED,
                    new long[] {4 + w});
            for (int j = 0; j < 2; j++) {
                assertEquals(alone[0][j].mean(), together[w][j].mean(), 1e-12, "window " + w + ", output " + j);
                assertEquals(alone[0][j].epistemicVariance(), together[w][j].epistemicVariance(), 1e-12,
                        "window " + w + ", output " + j);
            }
        }
    }

    static Stream<Arguments> weightDropForecasters() {
        NetworkConfig config = NetworkConfig.builder().dataType(DataType.DOUBLE).seed(4).initScale(0.5).build();
        return Stream.of(Arguments.of("LSTM", new ForecastWeightDropNetwork(config)),
                Arguments.of("GRU", new GruForecastWeightDropNetwork(config)));
    }

    /** A random example of the network's input: token ids (vocabulary 11) or 3 features, over {@link #STEPS} steps. */
    private static Object example(boolean tokens, Rng rng) {
        return tokens ? Harness.tokens(rng, 1, STEPS, 11)[0] : Harness.values(rng, 1, STEPS, 3)[0];
    }

    /**
     * The K sampled outputs of one example, [k][prediction][output], from passes over a batch of
     * examples with the given keys: pass i holds {@code passes[i]} samples, as rows k·B + b.
     */
    @SuppressWarnings("unchecked")
    private static double[][][] samplesOf(Network<?, ?> network, Object[] examples, long[] keys, int example, int[] passes) {
        return samplesOf(network, examples, keys, example, passes, false);
    }

    /** {@link #samplesOf}, the passes with targets (the input tokens, for a token model) when {@code withTargets}. */
    @SuppressWarnings("unchecked")
    private static double[][][] samplesOf(Network<?, ?> network, Object[] examples, long[] keys, int example, int[] passes,
                                          boolean withTargets) {
        double[][][] out = new double[K][][];
        int b = examples.length;
        int first = 0;
        for (int g : passes) {
            Object[] rows = new Object[g * b];
            for (int k = 0; k < g; k++) {
                System.arraycopy(examples, 0, rows, k * b, b);
            }
            try (Workspace<Object, ?> workspace = ((Network<Object, ?>) network).workspace(g * b, STEPS)) {
                workspace.sampleMasks(MaskKeys.samples(SEED, keys, first, g), DropoutMode.MC);
                if (withTargets) {
                    int[][] tokens = Arrays.copyOf(rows, rows.length, int[][].class);
                    ((Workspace<int[][], int[][]>) (Workspace<?, ?>) workspace).forward(tokens, tokens);
                } else {
                    workspace.forward(rows[0] instanceof int[] ? Arrays.copyOf(rows, rows.length, int[][].class)
                            : Arrays.copyOf(rows, rows.length, double[][][].class));
                }
                Mat output = workspace.output();
                int predictions = output.cols() / (g * b);
                for (int k = 0; k < g; k++) {
                    double[][] sample = new double[predictions][output.rows()];
                    for (int t = 0; t < predictions; t++) {
                        for (int c = 0; c < output.rows(); c++) {
                            sample[t][c] = output.get(c, t * g * b + k * b + example);
                        }
                    }
                    out[first + k] = sample;
                }
            }
            first += g;
        }
        return out;
    }

    /** Within the tolerance: absolute for probabilities (and float64), relative to max(1, |value|) otherwise. */
    private static void assertClose(double[][][] expected, double[][][] actual, double tolerance, String what) {
        double worst = difference(expected, actual, true);
        assertTrue(worst <= tolerance, what + ": differs by " + worst);
    }

    private static double difference(double[][][] a, double[][][] b, boolean relative) {
        double worst = 0;
        for (int k = 0; k < a.length; k++) {
            for (int t = 0; t < a[k].length; t++) {
                for (int c = 0; c < a[k][t].length; c++) {
                    double scale = relative ? Math.max(1, Math.abs(a[k][t][c])) : 1;
                    worst = Math.max(worst, Math.abs(a[k][t][c] - b[k][t][c]) / scale);
                }
            }
        }
        return worst;
    }
}
