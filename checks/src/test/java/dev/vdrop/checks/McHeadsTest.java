package dev.vdrop.checks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * {@link McPredictor#classify} and {@link McPredictor#tag}: MC prediction for classifiers (last
 * step) and taggers and language models (every step), over token ids and feature vectors, without
 * and with weight drop, on ragged batches; with LSTM and GRU layers.
 *
 * <p>What is expected is computed here, not by the code under test: an example's K sampled
 * distributions come from K passes of one row each, sample k drawn with
 * {@code MaskKeys.samples(seed, {key}, k, 1)} in a workspace of that example's own length, and the
 * summaries (mean, argmax and its probability, entropies, mutual information, variation ratio)
 * are written out from their definitions.
 *
 * <p>Tolerances, as {@link KeyedPredictionTest}'s: the masks are the same bits; what differs is
 * the arithmetic of passes of other widths and of ragged packing (products summed in another
 * order): a few units of 2^-53 per operation in float64, where 1e-12 on a probability leaves a
 * factor of over 100, and 1e-6 in float32 (a unit of 2^-24 is 6e-8). The entropies in float32 get
 * 1e-5: an error e on p moves −p log p by |log p + 1|·e, under 10e for the p ≥ 1e-4 these small
 * models put out. Different masks would be caught: the samples of one example differ by more than
 * 1e-3, which the tests check.
 */
class McHeadsTest {
    private static final int K = 6;
    private static final long SEED = 0x6eadL;
    private static final long KEY = 7;

    /** A network, how to make its examples, and whether its head predicts at every step. */
    record Case(String name, Network<?, ?> network, boolean tokens, int width, boolean everyStep) {
        @Override
        public String toString() {
            return name;
        }

        /** An example of the given length: ids in [0, 11) or feature vectors of {@code width}. */
        Object example(Rng rng, int length) {
            return tokens ? Ragged.tokens(rng, new int[] {length}, 11)[0] : Ragged.values(rng, new int[] {length}, width)[0];
        }

        /** The examples as the network's input type. */
        Object batch(Object... examples) {
            return tokens ? Arrays.copyOf(examples, examples.length, int[][].class)
                    : Arrays.copyOf(examples, examples.length, double[][][].class);
        }

        /** {@code classify} or {@code tag}, per example and prediction (one for a classifier). */
        @SuppressWarnings("unchecked")
        ClassPrediction[][] predict(Object inputs, int samples, long seed, long[] keys) {
            if (everyStep) {
                return McPredictor.tag((Network<Object, int[][]>) network, inputs, samples, seed, keys).stream()
                        .map(steps -> steps.toArray(ClassPrediction[]::new)).toArray(ClassPrediction[][]::new);
            }
            return McPredictor.classify((Network<Object, int[]>) network, inputs, samples, seed, keys).stream()
                    .map(p -> new ClassPrediction[] {p}).toArray(ClassPrediction[][]::new);
        }
    }

    static Stream<Case> cases(DataType type) {
        NetworkConfig config = NetworkConfig.builder().dataType(type).seed(4).initScale(0.5).build();
        return Stream.of(
                new Case("classifier", new ClassifierNetwork(config), true, 0, false),
                new Case("features classifier", new FeatureClassifierNetwork(config), false, 3, false),
                new Case("weight-drop classifier", new WeightDropClassifierNetwork(config), true, 0, false),
                new Case("untied weight-drop classifier", new UntiedLastStepWeightDropNetwork(config), true, 0, false),
                new Case("tagger", TaggerNetwork.builder().vocabulary(11).config(config).build(), true, 0, true),
                new Case("features tagger, per-step masks", new FeatureTaggerNetwork(config), false, 3, true),
                new Case("weight-drop tagger", new WeightDropTaggerNetwork(config), true, 0, true),
                new Case("language model", new TiedNetwork(config), true, 0, true),
                new Case("GRU classifier", new GruClassifierNetwork(config), true, 0, false),
                new Case("GRU weight-drop classifier", new GruWeightDropClassifierNetwork(config), true, 0, false),
                new Case("GRU untied weight-drop classifier", new GruUntiedLastStepWeightDropNetwork(config), true, 0, false),
                new Case("GRU tagger", GruTaggerNetwork.builder().vocabulary(11).config(config).build(), true, 0, true),
                new Case("GRU features tagger, per-step masks", new GruFeatureTaggerNetwork(config), false, 3, true),
                new Case("GRU untied weight-drop tagger", new GruWeightDropTaggerNetwork(config), true, 0, true),
                new Case("GRU language model", new GruTiedNetwork(config), true, 0, true));
    }

    static Stream<Arguments> everyCase() {
        return Stream.of(DataType.DOUBLE, DataType.FLOAT).flatMap(type -> cases(type).map(c -> Arguments.of(c, type)));
    }

    private static double probabilityTolerance(DataType type) {
        return type == DataType.DOUBLE ? 1e-12 : 1e-6;
    }

    private static double entropyTolerance(DataType type) {
        return type == DataType.DOUBLE ? 1e-12 : 1e-5;
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("everyCase")
    void eachPredictionSummarisesItsKSampledDistributionsAsDefined(Case c, DataType type) {
        Rng rng = new Rng(31);
        Object[] examples = Arrays.stream(Ragged.LENGTHS).mapToObj(length -> c.example(rng, length)).toArray();
        long[] keys = {40, 41, 42, 43, 44};
        ClassPrediction[][] predicted = c.predict(c.batch(examples), K, SEED, keys);
        assertEquals(examples.length, predicted.length);
        double largestSpread = 0;
        double largestInformation = 0;
        for (int b = 0; b < examples.length; b++) {
            double[][][] samples = samplesOnePassEach(c, examples[b], keys[b]);
            assertEquals(c.everyStep() ? Ragged.LENGTHS[b] : 1, predicted[b].length, "example " + b + "'s predictions");
            for (int t = 0; t < samples.length; t++) {
                String where = c + ", example " + b + ", prediction " + t;
                ClassPrediction p = predicted[b][t];
                double[][] q = samples[t];
                double[] mean = new double[q[0].length];
                for (double[] sample : q) {
                    for (int j = 0; j < mean.length; j++) {
                        mean[j] += sample[j] / K;
                    }
                }
                assertEquals(K, p.samples(), where);
                assertArrayEquals(mean, p.mean(), probabilityTolerance(type), where + ": the mean of the K distributions");
                int argmax = argmax(mean);
                assertEquals(argmax, p.argmax(), where);
                assertEquals(mean[argmax], p.predictedProbability(), probabilityTolerance(type), where);
                double expected = 0;
                int[] votes = new int[mean.length];
                for (double[] sample : q) {
                    expected += entropy(sample) / K;
                    votes[argmax(sample)]++;
                }
                assertEquals(entropy(mean), p.predictiveEntropy(), entropyTolerance(type), where + ": predictive entropy");
                assertEquals(expected, p.expectedEntropy(), entropyTolerance(type), where + ": expected entropy");
                assertEquals(Math.max(0, entropy(mean) - expected), p.mutualInformation(), 2 * entropyTolerance(type),
                        where + ": mutual information");
                assertEquals(1 - (double) Arrays.stream(votes).max().orElseThrow() / K, p.variationRatio(), 1e-15,
                        where + ": variation ratio");
                largestSpread = Math.max(largestSpread, spread(q));
                largestInformation = Math.max(largestInformation, p.mutualInformation());
            }
        }
        assertTrue(largestSpread > 1e-3, c + ": the samples differ by only " + largestSpread + ": are the masks applied?");
        assertTrue(largestInformation > 1e-6, c + ": no mutual information anywhere: " + largestInformation);
    }

    /**
     * Example x of 5 steps, predicted alone (its K = 10 samples in one pass), among two others of
     * other lengths in two orders, and as example 300 of 500 ragged ones (passes of at most 4096
     * rows: 8 samples, then 2; with weight drop, one sample per pass): the same predictions.
     */
    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("everyCase")
    void anExamplesPredictionIsTheSameAloneInAnyBatchAndHoweverItsSamplesAreSplit(Case c, DataType type) {
        Rng rng = new Rng(32);
        int samples = 10;
        Object x = c.example(rng, 5);
        Object n1 = c.example(rng, 2);
        Object n2 = c.example(rng, 7);
        Object n3 = c.example(rng, 5);
        Object[] many = new Object[500];
        long[] manyKeys = MaskKeys.range(1000, 500);
        for (int i = 0; i < many.length; i++) {
            many[i] = c.example(rng, 1 + i % 7);
        }
        many[300] = x;
        manyKeys[300] = KEY;
        ClassPrediction[] alone = c.predict(c.batch(x), samples, SEED, new long[] {KEY})[0];
        List<ClassPrediction[]> elsewhere = List.of(
                c.predict(c.batch(n1, x, n2), samples, SEED, new long[] {3, KEY, 11})[1],
                c.predict(c.batch(x, n3, n1), samples, SEED, new long[] {KEY, 5, 3})[0],
                c.predict(c.batch(many), samples, SEED, manyKeys)[300]);
        for (ClassPrediction[] other : elsewhere) {
            assertEquals(alone.length, other.length);
            for (int t = 0; t < alone.length; t++) {
                assertArrayEquals(alone[t].mean(), other[t].mean(), probabilityTolerance(type), c + ", prediction " + t);
                assertEquals(alone[t].expectedEntropy(), other[t].expectedEntropy(), entropyTolerance(type), c + ", prediction " + t);
                assertEquals(alone[t].variationRatio(), other[t].variationRatio(), 0, c + ", prediction " + t);
            }
        }
        ClassPrediction[] otherKey = c.predict(c.batch(x), samples, SEED, new long[] {KEY + 1})[0];
        double moved = 0;
        for (int t = 0; t < alone.length; t++) {
            moved = Math.max(moved, spread(new double[][] {alone[t].mean(), otherKey[t].mean()}));
        }
        assertTrue(moved > 1e-4, c + ": another key, the same masks? " + moved);
    }

    /**
     * More examples than a pass holds: 4100 of 2 steps with K = 2 run as two passes of sample 0
     * and 1 over the first 4096, then one pass of both samples over the last 4; and 300 examples
     * of equal length with weight drop, K = 20, as passes of 13 samples then 7, each sample's
     * block of rows with its own U'. Examples in either chunk are predicted as alone.
     */
    @Test
    void examplesInEveryChunkArePredictedAsAlone() {
        NetworkConfig config = NetworkConfig.builder().dataType(DataType.DOUBLE).seed(4).initScale(0.5).build();
        ClassifierNetwork classifier = new ClassifierNetwork(config);
        int[][] many = Harness.tokens(new Rng(36), 4100, 2, 11);
        List<ClassPrediction> all = McPredictor.classify(classifier, many, 2, SEED);
        for (int b : new int[] {0, 4095, 4096, 4099}) {
            ClassPrediction alone = McPredictor.classify(classifier, new int[][] {many[b]}, 2, SEED, new long[] {b}).get(0);
            assertArrayEquals(alone.mean(), all.get(b).mean(), 1e-12, "example " + b);
        }
        WeightDropClassifierNetwork weightDrop = new WeightDropClassifierNetwork(config);
        int[][] equal = Harness.tokens(new Rng(37), 300, 5, 11);
        List<ClassPrediction> together = McPredictor.classify(weightDrop, equal, 20, SEED);
        for (int b : new int[] {0, 299}) {
            ClassPrediction alone = McPredictor.classify(weightDrop, new int[][] {equal[b]}, 20, SEED, new long[] {b}).get(0);
            assertArrayEquals(alone.mean(), together.get(b).mean(), 1e-12, "weight drop, example " + b);
            assertEquals(alone.variationRatio(), together.get(b).variationRatio(), 0, "weight drop, example " + b);
        }
    }

    /**
     * Sequence regression ({@code forecastSteps}): per example, step and output, the mean and the
     * epistemic variance (dividing by K) of the K sampled means from one-sample passes and the
     * noise variance exp(s) of the head's parameter; the same for an example alone and in a
     * ragged batch of 500 (untied masks and weight drop, float64).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("sequenceRegressions")
    void sequenceRegressionSummarisesItsKSampledMeansAtEveryStep(String cell, Network<double[][][], double[][][]> network) {
        Case c = new Case("sequence regression", network, false, 3, true);
        Rng rng = new Rng(38);
        double[][][] examples = Ragged.values(rng, Ragged.LENGTHS, 3);
        long[] keys = {40, 41, 42, 43, 44};
        RegressionPrediction[][][] predicted = McPredictor.forecastSteps(network, examples, K, SEED, keys);
        Mat s = network.parameters().stream().filter(p -> p.name().equals("value.s")).findFirst().orElseThrow().value();
        double largestSpread = 0;
        for (int b = 0; b < examples.length; b++) {
            double[][][] samples = samplesOnePassEach(c, examples[b], keys[b]);
            assertEquals(Ragged.LENGTHS[b], predicted[b].length, "example " + b + "'s steps");
            for (int t = 0; t < samples.length; t++) {
                for (int j = 0; j < 2; j++) {
                    double mean = 0;
                    for (double[] sample : samples[t]) {
                        mean += sample[j] / K;
                    }
                    double epistemic = 0;
                    for (double[] sample : samples[t]) {
                        epistemic += (sample[j] - mean) * (sample[j] - mean) / K;
                    }
                    String where = "example " + b + ", step " + t + ", output " + j;
                    assertEquals(mean, predicted[b][t][j].mean(), 1e-12, where);
                    assertEquals(epistemic, predicted[b][t][j].epistemicVariance(), 1e-12, where);
                    assertEquals(Math.exp(s.get(j, 0)), predicted[b][t][j].aleatoricVariance(), 1e-15, where);
                }
                largestSpread = Math.max(largestSpread, spread(samples[t]));
            }
        }
        assertTrue(largestSpread > 1e-3, "the sampled means differ by only " + largestSpread);
        double[][][] many = new double[500][][];
        for (int i = 0; i < many.length; i++) {
            many[i] = Ragged.values(rng, new int[] {1 + i % 7}, 3)[0];
        }
        many[300] = examples[4];
        long[] manyKeys = MaskKeys.range(1000, 500);
        manyKeys[300] = keys[4];
        RegressionPrediction[] inBatch = McPredictor.forecastSteps(network, many, K, SEED, manyKeys)[300][4];
        for (int j = 0; j < 2; j++) {
            assertEquals(predicted[4][4][j].mean(), inBatch[j].mean(), 1e-12, "output " + j);
            assertEquals(predicted[4][4][j].epistemicVariance(), inBatch[j].epistemicVariance(), 1e-12, "output " + j);
        }
        RegressionPrediction[][][] fromRng = McPredictor.forecastSteps(network, examples, K, new Rng(21));
        RegressionPrediction[][][] fromSeed = McPredictor.forecastSteps(network, examples, K, new Rng(21).nextLong());
        assertEquals(fromSeed[3][6][1].mean(), fromRng[3][6][1].mean(), 0);
    }

    static Stream<Arguments> sequenceRegressions() {
        NetworkConfig config = NetworkConfig.builder().dataType(DataType.DOUBLE).seed(4).initScale(0.5).build();
        return Stream.of(Arguments.of("LSTM", new SequenceRegressionNetwork(config)),
                Arguments.of("GRU", new GruSequenceRegressionNetwork(config)));
    }

    /** With an {@code Rng} the seed is its next draw, and with a seed alone example i's key is i. */
    @Test
    void theSeedIsTheRngsNextDrawAndTheKeysTheExamplesIndices() {
        NetworkConfig config = NetworkConfig.builder().dataType(DataType.DOUBLE).seed(4).initScale(0.5).build();
        ClassifierNetwork classifier = new ClassifierNetwork(config);
        int[][] names = Ragged.tokens(new Rng(33), new int[] {3, 5, 2}, 11);
        long seed = new Rng(21).nextLong();
        List<ClassPrediction> fromRng = McPredictor.classify(classifier, names, K, new Rng(21));
        List<ClassPrediction> fromSeed = McPredictor.classify(classifier, names, K, seed);
        ClassPrediction third = McPredictor.classify(classifier, new int[][] {names[2]}, K, seed, new long[] {2}).get(0);
        for (int b = 0; b < names.length; b++) {
            assertArrayEquals(fromSeed.get(b).mean(), fromRng.get(b).mean(), 0, "example " + b);
        }
        assertArrayEquals(third.mean(), fromSeed.get(2).mean(), 1e-12, "example 2 has key 2");

        TaggerNetwork tagger = TaggerNetwork.builder().vocabulary(11).config(config).build();
        List<List<ClassPrediction>> tagsFromRng = McPredictor.tag(tagger, names, K, new Rng(21));
        List<ClassPrediction> tagsOfThird = McPredictor.tag(tagger, new int[][] {names[2]}, K, seed, new long[] {2}).get(0);
        for (int t = 0; t < names[2].length; t++) {
            assertArrayEquals(tagsOfThird.get(t).mean(), tagsFromRng.get(2).get(t).mean(), 1e-12, "example 2, step " + t);
        }

        ForecasterNetwork forecaster = new ForecasterNetwork(config);
        double[][][] windows = Ragged.values(new Rng(34), new int[] {4, 6, 2}, 3);
        RegressionPrediction[][] forecastFromRng = McPredictor.forecast(forecaster, windows, K, new Rng(21));
        RegressionPrediction[] forecastOfThird = McPredictor.forecast(forecaster, new double[][][] {windows[2]}, K, seed,
                new long[] {2})[0];
        assertEquals(forecastOfThird[1].mean(), forecastFromRng[2][1].mean(), 1e-12, "window 2 has key 2");
    }

    /** A language model's {@code positions} of one sequence is {@code tag}'s row for it, with its key. */
    @Test
    void positionsAreTheTagsOfOneSequence() {
        TiedNetwork network = new TiedNetwork(NetworkConfig.builder().dataType(DataType.DOUBLE).seed(4).initScale(0.5).build());
        int[][] sequences = Ragged.tokens(new Rng(35), new int[] {4, 6, 3}, 11);
        List<List<ClassPrediction>> tags = McPredictor.tag(network, sequences, K, SEED, new long[] {9, KEY, 2});
        List<ClassPrediction> positions = McPredictor.positions(network, sequences[1], K, SEED, KEY);
        assertEquals(6, positions.size());
        for (int t = 0; t < 6; t++) {
            assertArrayEquals(positions.get(t).mean(), tags.get(1).get(t).mean(), 1e-12, "position " + t);
        }
    }

    @Test
    void badCallsSayWhatIsWrong() {
        ClassifierNetwork network = new ClassifierNetwork(NetworkConfig.builder().seed(4).build());
        int[][] names = {{1, 2}, {3}, {4, 11}};
        assertEquals("MC dropout needs at least 1 sample, got 0", assertThrows(IllegalArgumentException.class,
                () -> McPredictor.classify(network, names, 0, SEED)).getMessage());
        assertEquals("one key per example: 2 keys for 3 examples", assertThrows(IllegalArgumentException.class,
                () -> McPredictor.classify(network, names, 2, SEED, new long[] {1, 2})).getMessage());
        assertEquals("token id 11 at position 1 of example 2 is past the model's vocabulary of 11 (ids 0 … 10)",
                assertThrows(IllegalArgumentException.class, () -> McPredictor.classify(network, names, 2, SEED)).getMessage());
        assertEquals("example 1 is empty: an example to predict needs at least one step", assertThrows(
                IllegalArgumentException.class, () -> McPredictor.classify(network, new int[][] {{1}, {}}, 2, SEED)).getMessage());
        assertEquals("nothing to predict: no example", assertThrows(IllegalArgumentException.class,
                () -> McPredictor.classify(network, new int[0][], 2, SEED)).getMessage());
        FeatureClassifierNetwork features = new FeatureClassifierNetwork(NetworkConfig.builder().seed(4).build());
        assertEquals("example 1, step 0 of the examples has 2 features, but the model reads 3", assertThrows(
                IllegalArgumentException.class, () -> McPredictor.classify(features, new double[][][] {{{1, 2, 3}}, {{1, 2}}}, 2,
                        SEED)).getMessage());
    }

    /**
     * The K sampled distributions of one example, {@code [prediction][k][class]}: K passes of one
     * row in a workspace of the example's length, sample k with the keyed masks of sample k.
     */
    @SuppressWarnings("unchecked")
    private static double[][][] samplesOnePassEach(Case c, Object example, long key) {
        int length = java.lang.reflect.Array.getLength(example);
        int predictions = c.everyStep() ? length : 1;
        double[][][] out = null;
        for (int k = 0; k < K; k++) {
            try (Workspace<Object, ?> workspace = ((Network<Object, ?>) c.network()).workspace(1, length)) {
                workspace.sampleMasks(MaskKeys.samples(SEED, new long[] {key}, k, 1), DropoutMode.MC);
                workspace.forward(c.batch(example));
                Mat output = workspace.output();
                if (out == null) {
                    out = new double[predictions][K][output.rows()];
                }
                for (int t = 0; t < predictions; t++) {
                    for (int j = 0; j < output.rows(); j++) {
                        out[t][k][j] = output.get(j, t);
                    }
                }
            }
        }
        return out;
    }

    private static int argmax(double[] p) {
        int best = 0;
        for (int j = 1; j < p.length; j++) {
            if (p[j] > p[best]) {
                best = j;
            }
        }
        return best;
    }

    private static double entropy(double[] p) {
        double h = 0;
        for (double pj : p) {
            h -= pj > 0 ? pj * Math.log(pj) : 0;
        }
        return h;
    }

    /** The largest difference between any two of the vectors, in any class. */
    private static double spread(double[][] q) {
        double worst = 0;
        for (double[] a : q) {
            for (double[] b : q) {
                for (int j = 0; j < a.length; j++) {
                    worst = Math.max(worst, Math.abs(a[j] - b[j]));
                }
            }
        }
        return worst;
    }
}
