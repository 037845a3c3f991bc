package dev.vdrop.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdrop.runtime.DropoutMode;
import dev.vdrop.runtime.MaskKeys;
import dev.vdrop.runtime.Mat;
import dev.vdrop.runtime.Network;
import dev.vdrop.runtime.NetworkConfig;
import dev.vdrop.runtime.Rng;
import dev.vdrop.runtime.Workspace;
import dev.vdrop.runtime.eval.McPredictor;
import dev.vdrop.runtime.mc.ClassPrediction;
import dev.vdrop.runtime.mc.RegressionPrediction;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * MC prediction with masks keyed by example ({@link MaskKeys}): an example's K sampled
 * predictions are the same predicted alone, inside two different batches (other neighbours,
 * another order) and with its K samples split into passes otherwise (10 in one pass; 4 + 6; 3 + 3
 * + 4) — for a tied, an untied, a per-step (Zaremba) and a weight-drop language model, two wider
 * ones (48 units untied; 192 units with weight drop, whose step products take the panel kernels)
 * and a regression model without and with weight drop; and the GRU's twins of each (the wide
 * weight-drop one at 224 units, where a GRU's 3H × H takes the panels), and a stack mixing LSTM
 * and GRU layers. Weight-drop models are split the same
 * way: a pass of several samples gives each sample's block of rows its own U'
 * ({@link WeightDropOnePassTest} holds it to the passes of one sample each).
 *
 * <p>Tolerances. The masks are the same bits (the runtime's tests show it); what may differ is the
 * arithmetic of passes of other widths, the kernels summing a product in another order. In
 * float64 that is a few units of 2^-53 per operation over a few hundred operations per step and
 * six steps: 1e-12 on a probability or a mean in [−10, 10] leaves a factor of over 100. In float32
 * the bound, 1e-6 in probability (a unit of 2^-24 is 6e-8). Neither passes a different
 * mask: the samples of one example, which differ only in their masks, differ by more than 4e-3.
 * Observed when this was written (both surefire executions): the six small models agree bit for
 * bit in both types; the wide untied one bit for bit in float64 and to 1.5e-8 in float32; the
 * 192-unit one to 7.8e-16 in float64 (plain kernels; bit for bit with the vector ones) and 3.6e-7
 * in float32.
 */
class KeyedPredictionTest {
    private static final int STEPS = 6;
    private static final int K = 10;
    private static final long SEED = 0x5eedL;
    private static final long KEY = 7;

    static Stream<Arguments> models() {
        return Stream.of(DataType.DOUBLE, DataType.FLOAT).flatMap(type -> {
            NetworkConfig config = NetworkConfig.builder().dataType(type).seed(4).initScale(0.5).build();
            return Stream.of(
                    Arguments.of("tied", type, new TiedNetwork(config), true),
                    Arguments.of("untied", type, new UntiedNetwork(config), true),
                    Arguments.of("per step", type, new PerStepNetwork(config), true),
                    Arguments.of("weight drop (AWD)", type, new AwdNetwork(config), true),
                    Arguments.of("wide untied", type, new WideUntiedNetwork(config), true),
                    Arguments.of("wide, panel kernels, weight drop", type, new WidePanelsNetwork(config), true),
                    Arguments.of("regression", type, new ForecasterNetwork(config), false),
                    Arguments.of("regression, untied, weight drop", type, new SequenceRegressionNetwork(config), false),
                    Arguments.of("GRU tied", type, new GruTiedNetwork(config), true),
                    Arguments.of("GRU untied", type, new GruUntiedNetwork(config), true),
                    Arguments.of("GRU per step", type, new GruPerStepNetwork(config), true),
                    Arguments.of("GRU weight drop (AWD)", type, new GruAwdNetwork(config), true),
                    Arguments.of("GRU untied, weight drop", type, new GruUntiedWeightDroppedNetwork(config), true),
                    Arguments.of("GRU wide untied", type, new WideGruUntiedNetwork(config), true),
                    Arguments.of("GRU wide, panel kernels, weight drop", type, new WideGruPanelsNetwork(config), true),
                    Arguments.of("mixed LSTM + GRU stack", type, new MixedStackNetwork(config), true),
                    Arguments.of("GRU regression", type, new GruForecasterNetwork(config), false),
                    Arguments.of("GRU regression, untied, weight drop", type, new GruSequenceRegressionNetwork(config), false));
        });
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("models")
    void anExamplesPredictionIsTheSameAloneInAnyBatchAndHoweverItsSamplesAreSplit(String name, DataType type,
                                                                                 Network<?, ?> network, boolean tokens) {
        double tolerance = type == DataType.DOUBLE ? 1e-12 : 1e-6;
        Rng rng = new Rng(11);
        Object x = example(tokens, rng);
        Object n1 = example(tokens, rng);
        Object n2 = example(tokens, rng);
        Object n3 = example(tokens, rng);
        double[][][] alone = samplesOf(network, new Object[] {x}, new long[] {KEY}, 0, new int[] {10});
        double[][][] amongOthers = samplesOf(network, new Object[] {n1, x, n2}, new long[] {3, KEY, 11}, 1, new int[] {4, 6});
        double[][][] reordered = samplesOf(network, new Object[] {x, n3, n1}, new long[] {KEY, 5, 3}, 0, new int[] {3, 3, 4});
        double worst = Math.max(maxDifference(alone, amongOthers), maxDifference(alone, reordered));
        assertTrue(worst <= tolerance, name + ": alone vs in a batch differ by " + worst);
        double spread = maxDifference(new double[][][] {alone[0]}, new double[][][] {alone[1]});
        assertTrue(spread > 1e-3, name + ": samples 0 and 1 differ by only " + spread + ": are the masks applied?");
    }

    /**
     * {@code McPredictor.positions} with a seed and key is the mean of that key's K keyed samples
     * (sample k of the key: what a workspace of one row draws); with an {@code Rng}, the seed is
     * its next draw and the key 0. For the weight-drop model the samples are taken one per pass,
     * the path McPredictor ran before its samples shared a pass.
     */
    @Test
    void mcPredictorDrawsTheDocumentedKeyedMasks() {
        NetworkConfig config = NetworkConfig.builder().dataType(DataType.DOUBLE).seed(4).initScale(0.5).build();
        int[] oneAtATime = new int[K];
        Arrays.fill(oneAtATime, 1);
        for (Network<int[][], int[][]> network : List.<Network<int[][], int[][]>>of(new UntiedNetwork(config),
                new AwdNetwork(config), new GruUntiedNetwork(config), new GruAwdNetwork(config))) {
            int[] tokens = Harness.tokens(new Rng(12), 1, STEPS, 11)[0];
            int[] passes = network instanceof AwdNetwork || network instanceof GruAwdNetwork ? oneAtATime : new int[] {4, 3, 3};
            double[][][] samples = samplesOf(network, new Object[] {tokens}, new long[] {KEY}, 0, passes);
            List<ClassPrediction> predicted = McPredictor.positions(network, tokens, K, SEED, KEY);
            for (int t = 0; t < STEPS; t++) {
                for (int c = 0; c < 11; c++) {
                    double mean = 0;
                    for (double[][] sample : samples) {
                        mean += sample[t][c] / K;
                    }
                    assertEquals(mean, predicted.get(t).probability(c), 1e-12, "step " + t + ", class " + c);
                }
            }
            ClassPrediction fromRng = McPredictor.next(network, tokens, 3, new Rng(21));
            ClassPrediction fromSeed = McPredictor.next(network, tokens, 3, new Rng(21).nextLong(), 0);
            assertTrue(Arrays.equals(fromRng.mean(), fromSeed.mean()), "the Rng's next draw is the seed, the key 0");
        }
    }

    /**
     * {@code McPredictor.forecast}: a window forecast alone (its 10 samples in one pass) and as
     * window 300 of 500 with its own key (passes of at most 4096 rows: 8 samples, then 2) gives
     * the same means and variances; with an {@code Rng}, window i's key is i. An LSTM and a GRU
     * forecaster.
     */
    static Stream<Arguments> forecasters() {
        NetworkConfig config = NetworkConfig.builder().dataType(DataType.DOUBLE).seed(4).initScale(0.5).build();
        return Stream.of(Arguments.of("LSTM", new ForecasterNetwork(config)), Arguments.of("GRU", new GruForecasterNetwork(config)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("forecasters")
    void aForecastIsTheSameAloneAndInALargeBatch(String cell, Network<double[][][], double[][]> network) {
        double[][][] windows = Harness.values(new Rng(13), 500, STEPS, 3);
        long[] keys = MaskKeys.range(1000, 500);
        RegressionPrediction[][] batch = McPredictor.forecast(network, windows, K, SEED, keys);
        RegressionPrediction[][] alone = McPredictor.forecast(network, new double[][][] {windows[300]}, K, SEED,
                new long[] {1300});
        for (int j = 0; j < 2; j++) {
            assertEquals(alone[0][j].mean(), batch[300][j].mean(), 1e-12, "mean of output " + j);
            assertEquals(alone[0][j].epistemicVariance(), batch[300][j].epistemicVariance(), 1e-12, "variance of output " + j);
        }
        assertTrue(Math.abs(batch[300][0].mean() - batch[301][0].mean()) > 1e-6, "other windows, other forecasts");
        RegressionPrediction[][] fromRng = McPredictor.forecast(network, Arrays.copyOf(windows, 3), K, new Rng(8));
        RegressionPrediction[][] fromSeed = McPredictor.forecast(network, new double[][][] {windows[2]}, K, new Rng(8).nextLong(),
                new long[] {2});
        assertEquals(fromSeed[0][1].mean(), fromRng[2][1].mean(), 1e-12, "window 2 has key 2");
    }

    /** A random example of the network's input: token ids or feature vectors over {@link #STEPS} steps. */
    private static Object example(boolean tokens, Rng rng) {
        return tokens ? Harness.tokens(rng, 1, STEPS, 11)[0] : Harness.values(rng, 1, STEPS, 3)[0];
    }

    /**
     * The K sampled outputs of one example, [k][prediction][output], from passes over a batch of
     * examples with the given keys: pass i holds {@code passes[i]} samples, as rows k·B + b.
     */
    @SuppressWarnings("unchecked")
    private static double[][][] samplesOf(Network<?, ?> network, Object[] examples, long[] keys, int example, int[] passes) {
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
                workspace.forward(input(rows));
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

    /** The rows as the workspace's input type: {@code int[][]} or {@code double[][][]}. */
    private static Object input(Object[] rows) {
        Function<Object[], Object> copy = rows[0] instanceof int[] ? r -> Arrays.copyOf(r, r.length, int[][].class)
                : r -> Arrays.copyOf(r, r.length, double[][][].class);
        return copy.apply(rows);
    }

    private static double maxDifference(double[][][] a, double[][][] b) {
        double worst = 0;
        for (int k = 0; k < a.length; k++) {
            for (int t = 0; t < a[k].length; t++) {
                for (int c = 0; c < a[k][t].length; c++) {
                    worst = Math.max(worst, Math.abs(a[k][t][c] - b[k][t][c]));
                }
            }
        }
        return worst;
    }
}
