package dev.vdrop.checks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vdrop.dsl.Input;
import dev.vdrop.dsl.Layer;
import dev.vdrop.dsl.Model;
import dev.vdrop.dsl.Regression;
import dev.vdrop.dsl.VariationalGRU;
import dev.vdrop.dsl.VariationalLSTM;
import dev.vdrop.runtime.DropoutMode;
import dev.vdrop.runtime.MaskKeys;
import dev.vdrop.runtime.ModelSizes;
import dev.vdrop.runtime.Mat;
import dev.vdrop.runtime.Network;
import dev.vdrop.runtime.NetworkConfig;
import dev.vdrop.runtime.Parameter;
import dev.vdrop.runtime.RecurrentState;
import dev.vdrop.runtime.Rng;
import dev.vdrop.runtime.Workspace;
import dev.vdrop.runtime.Summary;
import dev.vdrop.runtime.eval.McPredictor;
import dev.vdrop.runtime.mc.Coverage;
import dev.vdrop.runtime.mc.Interval;
import dev.vdrop.runtime.mc.RegressionPrediction;
import dev.vdrop.runtime.series.Split;
import dev.vdrop.runtime.series.Windows;
import dev.vdrop.runtime.train.RegressionConfig;
import dev.vdrop.runtime.train.RegressionResult;
import dev.vdrop.runtime.train.RegressionTrainer;
import dev.vdrop.runtime.train.TrainingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The forecaster's training loop: it learns a noisy sine (with an LSTM, and with a GRU) and its MC-dropout intervals are honest on
 * held-out data; one seed gives bitwise the same run; a diverging run stops with the epoch and the
 * batch; the last 10% of the examples are held out and never trained on, every training example is
 * seen once per epoch, and the last mini-batch gets a segment of its own shape.
 */
class RegressionTrainerTest {
    /** Noise of the sine, in its own units: what a perfect forecaster's σ would be. */
    private static final double NOISE = 0.2;

    /**
     * No input dropout: with one input feature and one mask per sequence, it would blank the whole
     * window for a tenth of the samples, and the predictive mixture would be far from the Gaussian
     * that the intervals match to it.
     */
    @Model
    abstract static class SineForecaster {
        @Input(features = 1) Layer value;
        @VariationalLSTM(units = 16, recurrent = 0.1, output = 0.1) Layer lstm;
        @Regression(outputs = 1) Layer next;
    }

    /** {@link SineForecaster} with a GRU. */
    @Model
    abstract static class SineGruForecaster {
        @Input(features = 1) Layer value;
        @VariationalGRU(units = 16, recurrent = 0.1, output = 0.1) Layer gru;
        @Regression(outputs = 1) Layer next;
    }

    /** {@code sin(2πt/25) + N(0, NOISE²)}: a period the window of 12 cannot hold whole. */
    private static double[] noisySine(int n, long seed) {
        Rng rng = new Rng(seed);
        double[] x = new double[n];
        for (int t = 0; t < n; t++) {
            // Box–Muller from the seeded generator
            double u = 1 - rng.nextDouble();
            double v = rng.nextDouble();
            x[t] = Math.sin(2 * Math.PI * t / 25) + NOISE * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
        }
        return x;
    }

    private static Split sine(int n) {
        return Windows.builder().window(12).build().split(noisySine(n, 5));
    }

    private static SineForecasterNetwork network(long seed) {
        return new SineForecasterNetwork(NetworkConfig.builder().seed(seed).initScale(0.2).build());
    }

    private static RegressionConfig.Builder config(int epochs) {
        return RegressionConfig.builder().epochs(epochs).batch(32).learningRate(1e-2).clip(5).seed(3);
    }

    /**
     * Learning thresholds from five seeds (series seed 4 + s, network s, trainer 2 + s, MC 8 + s,
     * s = 1…5; this test is s = 1): the best validation loss lay 0.99–1.08 below the first epoch's
     * (sd 0.03) and the best validation RMSE was 0.172–0.207 (sd 0.014); the bounds are the worst
     * seed with five standard deviations of margin: a fall of at least 0.8, an RMSE under 0.27. A
     * recurrent mask dropped from the backward pass (the only deliberate bug of {@code mutants/}
     * this model has code for) stays within them (0.169–0.205): the gradient checks catch it.
     */
    @Test
    void learnsANoisySineWithHonestIntervals() {
        Split split = sine(1000);
        SineForecasterNetwork network = network(1);
        RegressionResult result = new RegressionTrainer(config(40).build()).train(network, split.train());

        RegressionResult.Epoch first = result.epochs().get(0);
        assertTrue(result.best().validLoss() < first.validLoss() - 0.8, "the validation loss falls: " + result.epochs());
        assertTrue(result.last().trainLoss() < first.trainLoss(), "the training loss falls: " + result.epochs());
        // A forecaster that learned the sine is off by about the noise: RMSE near 0.2, far below the
        // series' own spread (0.73) that a constant forecast would score.
        assertTrue(result.best().validRmse() < 0.27, "validation RMSE " + result.best().validRmse());
        assertEquals(split.train().size() / 10, result.validExamples());

        double[][] truths = split.test().targets();
        RegressionPrediction[][] p = McPredictor.forecast(network, split.test().inputs(), 50, new Rng(9));
        double[] truth = new double[truths.length];
        List<Interval> intervals = new ArrayList<>();
        for (int i = 0; i < truths.length; i++) {
            truth[i] = truths[i][0];
            intervals.add(p[i][0].interval(0.95));
        }
        Coverage coverage = Coverage.of(truth, intervals);
        // 200 held-out points. Honest 95% intervals cover Binomial(200, 0.95)/200 of them: 95% ± 1.5%
        // (one sigma), so sampling alone keeps an honest model within about [90.4%, 99.6%] at three
        // sigma. On top of that the model is only approximately calibrated: 40 short epochs leave σ
        // and the mean a little off, and σ², learned with dropout on, already holds part of the
        // dropout spread that MC adds again as epistemic variance (a slight widening) — a few per
        // cent of coverage either way, hence 85% below. Above, 99.5% (at most one point outside)
        // means intervals far wider than the noise: the band rejects over-confident and useless
        // intervals alike. The seeds are fixed, so the test is deterministic (it gives 96%); the
        // band keeps it from hanging on them.
        assertTrue(coverage.fraction() >= 0.85 && coverage.fraction() <= 0.995, "95% coverage " + coverage);
        double meanWidth = intervals.stream().mapToDouble(Interval::width).average().orElseThrow();
        assertTrue(meanWidth < 2 * 1.96 * NOISE * 1.5, "mean 95% width " + meanWidth + " is informative");
    }

    /**
     * A GRU forecaster learns the sine too, in 20 epochs. Five seeds (series seed 4 + s, network s,
     * trainer 2 + s, s = 1…5; this test is s = 1), the same with either kernel set: the best
     * validation loss lay 0.91–1.03 below the first epoch's (sd 0.04), the best validation RMSE was
     * 0.177–0.220 (sd 0.016); the bounds are the worst seed with five standard deviations of margin,
     * a fall of at least 0.7 and an RMSE under 0.3 (a constant forecast scores 0.73).
     */
    @Test
    void aGruForecasterLearnsTheNoisySine() {
        Split split = sine(1000);
        SineGruForecasterNetwork network = new SineGruForecasterNetwork(NetworkConfig.builder().seed(1).initScale(0.2).build());
        RegressionResult result = new RegressionTrainer(config(20).build()).train(network, split.train());
        RegressionResult.Epoch first = result.epochs().get(0);
        assertTrue(result.best().validLoss() < first.validLoss() - 0.7, "the validation loss falls: " + result.epochs());
        assertTrue(result.last().trainLoss() < first.trainLoss(), "the training loss falls: " + result.epochs());
        assertTrue(result.best().validRmse() < 0.3, "validation RMSE " + result.best().validRmse());
    }

    @Test
    void theSameSeedGivesBitwiseTheSameRun() {
        Split split = sine(400);
        RegressionResult a = new RegressionTrainer(config(2).build()).train(network(1), split.train());
        SineForecasterNetwork second = network(1);
        RegressionResult b = new RegressionTrainer(config(2).build()).train(second, split.train());
        for (int e = 0; e < 2; e++) {
            assertEquals(a.epochs().get(e).trainLoss(), b.epochs().get(e).trainLoss(), 0.0);
            assertEquals(a.epochs().get(e).validLoss(), b.epochs().get(e).validLoss(), 0.0);
        }
        for (Parameter p : second.parameters()) {
            assertArrayEquals(Harness.flatten(a.bestParameters().get(p.name())), Harness.flatten(p.value()), 0.0, p.name());
        }
        RegressionResult other = new RegressionTrainer(config(2).seed(4).build()).train(network(1), split.train());
        assertNotEquals(a.epochs().get(0).trainLoss(), other.epochs().get(0).trainLoss(), "the trainer's seed matters");
    }

    @Test
    void aNonFiniteLossStopsTrainingWithTheEpochAndBatch() {
        Split split = sine(400);
        SineForecasterNetwork network = network(1);
        network.parameters().get(0).value().set(0, 0, Double.NaN);
        int batches = (split.train().size() - split.train().size() / 10 + 31) / 32;
        TrainingException e = assertThrows(TrainingException.class,
                () -> new RegressionTrainer(config(2).build()).train(network, split.train()));
        assertTrue(e.getMessage().startsWith("training diverged at epoch 1, batch 1 of " + batches + ": the loss is NaN"),
                e.getMessage());
        assertTrue(e.getMessage().contains("Lower the learning rate"), e.getMessage());
    }

    @Test
    void aDivergenceAfterAGoodEpochPutsTheBestParametersBack() {
        Split split = sine(400);
        int batches = (split.train().size() - split.train().size() / 10 + 31) / 32;
        Recording network = new Recording(network(1));
        network.poisonAtTrainingForward = batches + 2; // epoch 2, batch 2
        TrainingException e = assertThrows(TrainingException.class,
                () -> new RegressionTrainer(config(3).build()).train(network, split.train()));
        assertTrue(e.getMessage().startsWith("training diverged at epoch 2, batch 2 of " + batches + ": the loss is NaN"),
                e.getMessage());
        assertTrue(e.getMessage().contains("the network holds the best parameters so far, from epoch 1"), e.getMessage());
        for (Parameter p : network.parameters()) {
            for (double v : Harness.flatten(p.value())) {
                assertTrue(Double.isFinite(v), p.name() + " was put back to a finite value");
            }
        }
    }

    @Test
    void holdsOutTheLastTenthAndTrainsOnEveryOtherExampleOncePerEpoch(@TempDir Path dir) throws Exception {
        // 50 examples: 5 held out, 45 trained on in mini-batches of 16, 16 and 13.
        int n = 50;
        double[][][] inputs = new double[n][][];
        double[][] targets = new double[n][];
        double[] series = noisySine(n + 12, 8);
        for (int e = 0; e < n; e++) {
            inputs[e] = new double[12][1];
            for (int s = 0; s < 12; s++) {
                inputs[e][s][0] = series[e + s];
            }
            targets[e] = new double[] {series[e + 12]};
        }
        Recording network = new Recording(network(1));
        Path metrics = dir.resolve("train.jsonl");
        RegressionResult result = new RegressionTrainer(config(3).batch(16).metrics(metrics).build())
                .train(network, inputs, targets);

        assertEquals(45, result.trainExamples());
        assertEquals(5, result.validExamples());
        assertEquals(Set.of(16, 13, 5), network.shapes, "segments: 16 and 13 for training, 5 for validation");
        Map<double[][], Integer> index = new IdentityHashMap<>();
        for (int e = 0; e < n; e++) {
            index.put(inputs[e], e);
        }
        assertEquals(3 * 3, network.trained.size(), "three mini-batches per epoch");
        List<List<Integer>> orders = new ArrayList<>();
        for (int epoch = 0; epoch < 3; epoch++) {
            List<Integer> seen = new ArrayList<>();
            for (int b = 0; b < 3; b++) {
                for (double[][] window : network.trained.get(epoch * 3 + b)) {
                    seen.add(index.get(window));
                }
            }
            TreeSet<Integer> distinct = new TreeSet<>(seen);
            assertEquals(45, seen.size());
            assertEquals(45, distinct.size(), "each example once per epoch");
            assertEquals(44, distinct.last(), "never a held-out example");
            orders.add(seen);
        }
        assertNotEquals(orders.get(0), orders.get(1), "the order is shuffled each epoch");
        assertTrue(network.resetBeforeEachTrainingForward, "each mini-batch starts from a zero state");

        List<String> lines = Files.readAllLines(metrics);
        assertEquals(3, lines.size());
        JsonNode line = new ObjectMapper().readTree(lines.get(2));
        assertEquals(3, line.get("epoch").asInt());
        for (String key : List.of("learning_rate", "train_loss", "valid_loss", "valid_rmse", "train_examples_per_second",
                "seconds")) {
            assertTrue(line.get(key).isNumber(), key + " in " + lines.get(2));
        }
    }

    @Test
    void patienceStopsEarlyAndTheBestEpochIsKept() {
        Split split = sine(400);
        SineForecasterNetwork network = network(1);
        // Patience 1: training stops at the first epoch whose validation loss is no better.
        RegressionResult result = new RegressionTrainer(config(40).patience(1).build()).train(network, split.train());
        assertTrue(result.stoppedEarly(), "stopped early: " + result.epochs());
        assertTrue(result.epochs().size() < 40);
        assertEquals(result.epochs().size() - 1, result.bestEpoch());
        double bestLoss = result.epochs().stream().mapToDouble(RegressionResult.Epoch::validLoss).min().orElseThrow();
        assertEquals(bestLoss, result.bestValidLoss(), 0.0);
        for (Parameter p : network.parameters()) {
            assertArrayEquals(Harness.flatten(result.bestParameters().get(p.name())), Harness.flatten(p.value()), 0.0,
                    "the network holds the best epoch's " + p.name());
        }
    }

    @Test
    void badSettingsAndExamplesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> RegressionConfig.builder().epochs(0).build());
        assertThrows(IllegalArgumentException.class, () -> RegressionConfig.builder().batch(0).build());
        assertThrows(IllegalArgumentException.class, () -> RegressionConfig.builder().learningRate(-1).build());
        assertThrows(IllegalArgumentException.class, () -> RegressionConfig.builder().validationFraction(0.9).build());
        assertThrows(IllegalArgumentException.class, () -> RegressionConfig.builder().validationFraction(0).patience(2).build());
        RegressionTrainer trainer = new RegressionTrainer(config(1).build());
        IllegalArgumentException one = assertThrows(IllegalArgumentException.class,
                () -> trainer.train(network(1), new double[][][] {{{0.0}}}, new double[][] {{1.0}}));
        assertTrue(one.getMessage().contains("too few"), one.getMessage());
        IllegalArgumentException ragged = assertThrows(IllegalArgumentException.class,
                () -> trainer.train(network(1), new double[][][] {{{0.0}}, {{0.0}, {1.0}}}, new double[][] {{1.0}, {2.0}}));
        assertTrue(ragged.getMessage().contains("window 1 has 2 steps but window 0 has 1"), ragged.getMessage());
    }

    /**
     * Delegates to a generated network and records the segment shapes it hands out, the windows of
     * every forward pass followed by a backward pass, and whether the state was reset before each.
     */
    private static final class Recording implements Network<double[][][], double[][]> {
        private final Network<double[][][], double[][]> inner;
        final Set<Integer> shapes = new TreeSet<>();
        final List<double[][][]> trained = new ArrayList<>();
        boolean resetBeforeEachTrainingForward = true;
        /** The training forward pass (from 1) before which a weight is set to NaN; 0 for never. */
        int poisonAtTrainingForward;
        private int trainingForwards;

        Recording(Network<double[][][], double[][]> inner) {
            this.inner = inner;
        }

        @Override
        public List<Parameter> parameters() {
            return inner.parameters();
        }

        @Override
        public Summary summary() {
            return inner.summary();
        }

        @Override
        public ModelSizes sizes() {
            return inner.sizes();
        }

        @Override
        public INDArray predict(double[][][] input) {
            return inner.predict(input);
        }

        @Override
        public Workspace<double[][][], double[][]> workspace(int batch, int steps) {
            shapes.add(batch);
            Workspace<double[][][], double[][]> s = inner.workspace(batch, steps);
            return new Workspace<>() {
                private boolean reset;
                private boolean train;
                private double[][][] last;

                @Override public int batch() { return s.batch(); }
                @Override public int steps() { return s.steps(); }
                @Override public void sampleMasks(Rng rng, DropoutMode mode) {
                    train = mode == DropoutMode.TRAIN;
                    s.sampleMasks(rng, mode);
                }
                @Override public void sampleMasks(MaskKeys keys, DropoutMode mode) {
                    train = false;
                    s.sampleMasks(keys, mode);
                }
                @Override public void resampleStepMasks(Rng rng) { s.resampleStepMasks(rng); }
                @Override public void close() { s.close(); }
                @Override public void dropoutOff() {
                    train = false;
                    s.dropoutOff();
                }
                @Override public void resetState() {
                    reset = true;
                    s.resetState();
                }
                @Override public RecurrentState state() { return s.state(); }
                @Override public void setState(RecurrentState state) {
                    reset = false;
                    s.setState(state);
                }
                @Override public double forward(double[][][] input, double[][] targets) {
                    if (train && !reset) {
                        resetBeforeEachTrainingForward = false;
                    }
                    if (train && ++trainingForwards == poisonAtTrainingForward) {
                        inner.parameters().get(0).value().set(0, 0, Double.NaN);
                    }
                    reset = false;
                    last = input.clone();
                    return s.forward(input, targets);
                }
                @Override public void forward(double[][][] input) {
                    reset = false;
                    s.forward(input);
                }
                @Override public void backward() {
                    assertTrue(train, "backward only after a training forward pass");
                    trained.add(last);
                    s.backward();
                }
                @Override public Mat output() { return s.output(); }
                @Override public Mat inputGradient() { return s.inputGradient(); }
                @Override public Map<String, Mat> masks() { return s.masks(); }
                @Override public boolean hasWeightDrop() { return s.hasWeightDrop(); }
                @Override public boolean hasStepMasks() { return s.hasStepMasks(); }
            };
        }
    }
}
