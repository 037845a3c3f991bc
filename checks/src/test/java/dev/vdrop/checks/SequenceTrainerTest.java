package dev.vdrop.checks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdrop.runtime.Mat;
import dev.vdrop.runtime.Network;
import dev.vdrop.runtime.NetworkConfig;
import dev.vdrop.runtime.Parameter;
import dev.vdrop.runtime.Rng;
import dev.vdrop.runtime.Workspace;
import dev.vdrop.runtime.train.SequenceConfig;
import dev.vdrop.runtime.train.SequenceResult;
import dev.vdrop.runtime.train.SequenceTrainer;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Classifiers and taggers (LSTM and GRU) trained by the one loop: they learn a task a model must read its
 * sequences' own last step (or every step) for, in ragged batches; one seed gives bitwise the same
 * run; the best epoch is put back (or not, when asked); early stopping stops after the patience;
 * validation accuracy counts the packed layout of a ragged tagger's outputs right.
 */
class SequenceTrainerTest {
    /** Sequences of 1 … 10 ids below {@code vocabulary}. */
    private static int[][] sequences(int count, int vocabulary, long seed) {
        Rng rng = new Rng(seed);
        int[][] out = new int[count][];
        for (int i = 0; i < count; i++) {
            out[i] = new int[1 + (int) (rng.nextDouble() * 10)];
            for (int t = 0; t < out[i].length; t++) {
                out[i][t] = (int) (rng.nextDouble() * vocabulary);
            }
        }
        return out;
    }

    /** The class of a sequence: its own last id mod 3 (a model reading another step is at chance). */
    private static int[] lastIdMod3(int[][] sequences) {
        int[] labels = new int[sequences.length];
        for (int i = 0; i < sequences.length; i++) {
            labels[i] = sequences[i][sequences[i].length - 1] % 3;
        }
        return labels;
    }

    private static int[][] idMod4(int[][] sequences) {
        int[][] tags = new int[sequences.length][];
        for (int i = 0; i < sequences.length; i++) {
            tags[i] = new int[sequences[i].length];
            for (int t = 0; t < tags[i].length; t++) {
                tags[i][t] = sequences[i][t] % 4;
            }
        }
        return tags;
    }

    private static SequenceConfig.Builder config() {
        return SequenceConfig.builder().epochs(8).batch(16).learningRate(0.02).seed(3);
    }

    private static LoopWordClassifierNetwork classifier(long seed) {
        return new LoopWordClassifierNetwork(NetworkConfig.builder().seed(seed).build());
    }

    static Stream<Arguments> classifiers() {
        return Stream.of(Arguments.of("LSTM", classifier(1)),
                Arguments.of("GRU", new LoopGruWordClassifierNetwork(NetworkConfig.builder().seed(1).build())));
    }

    /**
     * For the GRU the same bound: five seeds (network s, trainer 2 + s, s = 1…5), with either kernel
     * set, reached a validation accuracy of 1.0, and the loss fell in every run.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("classifiers")
    void aClassifierLearnsItsSequencesOwnLastStepInRaggedBatches(String cell, Network<int[][], int[]> net) {
        int[][] train = sequences(400, 9, 1);
        int[][] valid = sequences(100, 9, 2);
        SequenceResult result = new SequenceTrainer(config().build()).train(net, train, lastIdMod3(train), valid,
                lastIdMod3(valid));
        assertEquals(8, result.epochs().size());
        assertEquals(400, result.trainExamples());
        assertEquals(100, result.validExamples());
        // chance is 1/3; the task is one lookup, so a model that reads the right step gets nearly all
        assertTrue(result.best().validAccuracy() > 0.9, "accuracy " + result.best().validAccuracy());
        assertTrue(result.best().validLoss() < result.epochs().get(0).validLoss(), "the validation loss went down");
    }

    @Test
    void oneSeedGivesBitwiseTheSameRunAndAnotherSeedAnotherOrder() {
        int[][] train = sequences(100, 9, 1);
        int[][] valid = sequences(30, 9, 2);
        SequenceConfig config = config().epochs(3).build();
        LoopWordClassifierNetwork a = classifier(1);
        LoopWordClassifierNetwork b = classifier(1);
        LoopWordClassifierNetwork c = classifier(1);
        SequenceResult ra = new SequenceTrainer(config).train(a, train, lastIdMod3(train), valid, lastIdMod3(valid));
        SequenceResult rb = new SequenceTrainer(config).train(b, train, lastIdMod3(train), valid, lastIdMod3(valid));
        SequenceResult rc = new SequenceTrainer(config().epochs(3).seed(4).build()).train(c, train, lastIdMod3(train),
                valid, lastIdMod3(valid));
        for (int e = 0; e < 3; e++) {
            assertEquals(ra.epochs().get(e).trainLoss(), rb.epochs().get(e).trainLoss(), 0.0);
            assertEquals(ra.epochs().get(e).validLoss(), rb.epochs().get(e).validLoss(), 0.0);
        }
        assertParametersEqual(a.parameters(), b.parameters());
        assertNotEquals(ra.epochs().get(0).trainLoss(), rc.epochs().get(0).trainLoss());
    }

    /** 24 examples with random labels and a high rate: the validation loss rises after a few epochs. */
    private static SequenceResult overfit(LoopWordClassifierNetwork net, SequenceConfig.Builder config) {
        int[][] train = sequences(24, 9, 5);
        int[][] valid = sequences(40, 9, 6);
        Rng labels = new Rng(7);
        int[] y = new int[24];
        int[] validY = new int[40];
        for (int i = 0; i < y.length; i++) {
            y[i] = (int) (labels.nextDouble() * 3);
        }
        for (int i = 0; i < validY.length; i++) {
            validY[i] = (int) (labels.nextDouble() * 3);
        }
        return new SequenceTrainer(config.epochs(12).batch(8).learningRate(0.05).build()).train(net, train, y, valid,
                validY);
    }

    @Test
    void theBestEpochIsPutBackUnlessAskedNot() {
        LoopWordClassifierNetwork restored = classifier(1);
        LoopWordClassifierNetwork last = classifier(1);
        SequenceResult withBest = overfit(restored, config());
        SequenceResult withLast = overfit(last, config().restoreBest(false));
        List<SequenceResult.Epoch> epochs = withBest.epochs();
        int argmin = 0;
        for (int e = 1; e < epochs.size(); e++) {
            if (epochs.get(e).validLoss() < epochs.get(argmin).validLoss()) {
                argmin = e;
            }
        }
        assertEquals(argmin + 1, withBest.bestEpoch(), "the best epoch is the one of the lowest validation loss");
        assertTrue(withBest.bestEpoch() < epochs.size(), "precondition: the run overfits, its best epoch is not its last");
        assertEquals(withBest.bestEpoch(), withLast.bestEpoch());
        assertParametersEqual(withBest.bestParameters(), restored.parameters());
        assertParametersDiffer(withBest.bestParameters(), last.parameters());
    }

    @Test
    void earlyStoppingEndsThePatienceAfterTheBestEpoch() {
        SequenceResult full = overfit(classifier(1), config());
        SequenceResult stopped = overfit(classifier(1), config().patience(2));
        assertTrue(stopped.stoppedEarly());
        assertFalse(full.stoppedEarly());
        assertEquals(full.bestEpoch() + 2, stopped.epochs().size(), "two epochs without a better loss, then stop");
        for (int e = 0; e < stopped.epochs().size(); e++) {
            assertEquals(full.epochs().get(e).validLoss(), stopped.epochs().get(e).validLoss(), 0.0,
                    "the same run up to the stop");
        }
    }

    static Stream<Arguments> taggers() {
        return Stream.of(Arguments.of("LSTM", new LoopTaggerNetwork(NetworkConfig.builder().seed(2).build())),
                Arguments.of("GRU", new LoopGruTaggerNetwork(NetworkConfig.builder().seed(2).build())));
    }

    /** The GRU's tagger, as the classifier: five seeds (network s + 1, trainer 2 + s) reached 1.0. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("taggers")
    void aTaggerLearnsEveryStepAndItsAccuracyCountsEachTagOnce(String cell, Network<int[][], int[][]> net) {
        int[][] train = sequences(300, 8, 11);
        int[][] valid = sequences(50, 8, 12);
        SequenceResult result = new SequenceTrainer(config().epochs(5).restoreBest(false).build()).train(net, train,
                idMod4(train), valid, idMod4(valid));
        assertTrue(result.last().validAccuracy() > 0.9, "accuracy " + result.last().validAccuracy());
        // the same accuracy, one sequence at a time: output column t is step t
        int[][] tags = idMod4(valid);
        long right = 0;
        long total = 0;
        for (int i = 0; i < valid.length; i++) {
            try (Workspace<int[][], int[][]> one = net.workspace(1, valid[i].length)) {
                one.dropoutOff();
                one.forward(new int[][] {valid[i]});
                Mat p = one.output();
                for (int t = 0; t < valid[i].length; t++) {
                    int best = 0;
                    for (int k = 1; k < 4; k++) {
                        best = p.get(k, t) > p.get(best, t) ? k : best;
                    }
                    right += best == tags[i][t] ? 1 : 0;
                    total++;
                }
            }
        }
        assertEquals((double) right / total, result.last().validAccuracy(), 1e-12);
    }

    @Test
    void aClassifierOfFeaturesTrains() {
        Rng rng = new Rng(9);
        double[][][] x = new double[60][][];
        int[] y = new int[60];
        for (int i = 0; i < x.length; i++) {
            x[i] = new double[1 + (int) (rng.nextDouble() * 5)][2];
            for (double[] step : x[i]) {
                step[0] = rng.nextDouble() - 0.5;
                step[1] = rng.nextDouble() - 0.5;
            }
            y[i] = x[i][x[i].length - 1][0] > 0 ? 1 : 0;
        }
        var net = new LoopFeatureClassifierNetwork(NetworkConfig.builder().seed(1).build());
        SequenceResult result = new SequenceTrainer(config().epochs(2).build()).train(net, x, y);
        assertEquals(2, result.epochs().size());
        assertEquals(2, result.bestEpoch(), "without validation data the last epoch is kept");
        assertTrue(Double.isNaN(result.bestScore()));
        assertTrue(Double.isFinite(result.last().trainLoss()));
    }

    @Test
    void badDataIsRefusedBeforeAnyWorkWithWhereItIs() {
        SequenceTrainer trainer = new SequenceTrainer(config().build());
        int[][] x = {{1, 2}, {3}};
        var tagger = new LoopTaggerNetwork(NetworkConfig.builder().seed(1).build());
        IllegalArgumentException shortTags = assertThrows(IllegalArgumentException.class,
                () -> trainer.train(tagger, x, new int[][] {{1, 2}, {1, 2}}));
        assertEquals("sequence 1 of the training data has 1 steps but 2 tags; give one tag per step", shortTags.getMessage());
        IllegalArgumentException label = assertThrows(IllegalArgumentException.class,
                () -> trainer.train(classifier(1), x, new int[] {0, 3}));
        assertEquals("class 3 at position 1 of the training data is outside the model's 3 classes (0 … 2)",
                label.getMessage());
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> trainer.train(classifier(1), new int[][] {{1}, {}}, new int[] {0, 1}));
        assertEquals("sequence 1 of the training data is empty; every sequence needs at least one step",
                empty.getMessage());
        IllegalArgumentException patience = assertThrows(IllegalArgumentException.class,
                () -> new SequenceTrainer(config().patience(2).build()).train(classifier(1), x, new int[] {0, 1}));
        assertTrue(patience.getMessage().contains("needs validation data"), patience.getMessage());
    }

    private static void assertParametersEqual(List<Parameter> a, List<Parameter> b) {
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(values(a.get(i).value()), values(b.get(i).value()), 0.0, a.get(i).name());
        }
    }

    private static void assertParametersEqual(Map<String, Mat> saved, List<Parameter> live) {
        for (Parameter p : live) {
            assertArrayEquals(values(saved.get(p.name())), values(p.value()), 0.0, p.name());
        }
    }

    private static void assertParametersDiffer(Map<String, Mat> saved, List<Parameter> live) {
        boolean differ = false;
        for (Parameter p : live) {
            differ |= !java.util.Arrays.equals(values(saved.get(p.name())), values(p.value()));
        }
        assertTrue(differ, "the last epoch's parameters are not the best epoch's");
    }

    static double[] values(Mat m) {
        double[] out = new double[m.rows() * m.cols()];
        for (int r = 0; r < m.rows(); r++) {
            for (int c = 0; c < m.cols(); c++) {
                out[r * m.cols() + c] = m.get(r, c);
            }
        }
        return out;
    }
}
