package dev.vdrop.checks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdrop.runtime.Network;
import dev.vdrop.runtime.NetworkConfig;
import dev.vdrop.runtime.Parameter;
import dev.vdrop.runtime.Rng;
import dev.vdrop.runtime.model.ModelFile;
import dev.vdrop.runtime.model.ModelInput;
import dev.vdrop.runtime.model.PredictionInfo;
import dev.vdrop.runtime.model.Tokenization;
import dev.vdrop.runtime.train.RegressionConfig;
import dev.vdrop.runtime.train.RegressionResult;
import dev.vdrop.runtime.train.RegressionTrainer;
import dev.vdrop.runtime.train.SequenceConfig;
import dev.vdrop.runtime.train.SequenceResult;
import dev.vdrop.runtime.train.SequenceTrainer;
import dev.vdrop.runtime.train.TrainingException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.LongFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A run interrupted after epoch k and resumed from its checkpoint gives bitwise the uninterrupted
 * run's numbers and parameters, for a classifier (with early stopping and best-epoch restore), a
 * tagger and a forecaster, each with an LSTM and with a GRU (the language model's is
 * {@code TrainerTest}'s). The resumed network
 * starts from other weights, so only the checkpoint can make it match. A model file is refused.
 */
class LoopResumeTest {
    private static int[][] sequences(int count, int vocabulary, long seed) {
        Rng rng = new Rng(seed);
        int[][] out = new int[count][];
        for (int i = 0; i < count; i++) {
            out[i] = new int[1 + (int) (rng.nextDouble() * 8)];
            for (int t = 0; t < out[i].length; t++) {
                out[i][t] = (int) (rng.nextDouble() * vocabulary);
            }
        }
        return out;
    }

    private static int[] randomLabels(int count, long seed) {
        Rng rng = new Rng(seed);
        int[] out = new int[count];
        for (int i = 0; i < count; i++) {
            out[i] = (int) (rng.nextDouble() * 3);
        }
        return out;
    }

    private static SequenceResult classify(Network<int[][], int[]> net, SequenceConfig.Builder config) {
        int[][] x = sequences(30, 9, 1);
        int[][] vx = sequences(30, 9, 2);
        // random labels and a high rate: the validation loss turns up, so patience and best-epoch restore act
        return new SequenceTrainer(config.batch(8).learningRate(0.05).patience(3).seed(5).build()).train(net, x,
                randomLabels(30, 3), vx, randomLabels(30, 4));
    }

    /** A classifier, a tagger and a forecaster of each cell, built from a seed. */
    static Stream<Arguments> cells() {
        LongFunction<Network<int[][], int[]>> lstmClassifier = LoopResumeTest::classifier;
        LongFunction<Network<int[][], int[]>> gruClassifier = seed -> new LoopGruWordClassifierNetwork(
                NetworkConfig.builder().seed(seed).build());
        LongFunction<Network<int[][], int[][]>> lstmTagger = seed -> new LoopTaggerNetwork(NetworkConfig.builder().seed(seed).build());
        LongFunction<Network<int[][], int[][]>> gruTagger = seed -> new LoopGruTaggerNetwork(NetworkConfig.builder().seed(seed).build());
        LongFunction<Network<double[][][], double[][]>> lstmForecaster = seed -> new ForecasterNetwork(
                NetworkConfig.builder().seed(seed).build());
        LongFunction<Network<double[][][], double[][]>> gruForecaster = seed -> new GruForecasterNetwork(
                NetworkConfig.builder().seed(seed).build());
        return Stream.of(Arguments.of("LSTM", lstmClassifier, lstmTagger, lstmForecaster),
                Arguments.of("GRU", gruClassifier, gruTagger, gruForecaster));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cells")
    void aClassifierResumedAfterEpoch2IsTheUninterruptedRunWithItsEarlyStopAndBestEpoch(String cell,
            LongFunction<Network<int[][], int[]>> classifier, Object tagger, Object forecaster, @TempDir Path dir) {
        Network<int[][], int[]> whole = classifier.apply(1);
        SequenceResult uninterrupted = classify(whole, SequenceConfig.builder().epochs(15).checkpointDir(dir.resolve("a")));
        assertTrue(uninterrupted.stoppedEarly(), "precondition: the patience runs out");
        assertTrue(uninterrupted.epochs().size() > 2, "precondition: it stops after the interruption");
        assertTrue(uninterrupted.bestEpoch() < uninterrupted.epochs().size(), "precondition: the best epoch is not the last");

        classify(classifier.apply(1), SequenceConfig.builder().epochs(2).checkpointDir(dir.resolve("b")));
        Network<int[][], int[]> resumed = classifier.apply(99);
        SequenceResult continued = classify(resumed,
                SequenceConfig.builder().epochs(15).checkpointDir(dir.resolve("b")).resumeFrom(dir.resolve("b")));

        assertEquals(uninterrupted.epochs().size(), continued.epochs().size(), "stops at the same epoch");
        assertTrue(continued.stoppedEarly());
        assertEquals(uninterrupted.bestEpoch(), continued.bestEpoch());
        assertEquals(uninterrupted.bestScore(), continued.bestScore(), 0.0);
        for (int e = 0; e < uninterrupted.epochs().size(); e++) {
            assertEquals(uninterrupted.epochs().get(e).trainLoss(), continued.epochs().get(e).trainLoss(), 0.0);
            assertEquals(uninterrupted.epochs().get(e).validLoss(), continued.epochs().get(e).validLoss(), 0.0);
            assertEquals(uninterrupted.epochs().get(e).validAccuracy(), continued.epochs().get(e).validAccuracy(), 0.0);
        }
        assertSameParameters(whole, resumed);

        // resumed from the checkpoint of the epoch the patience ran out at, it stops there too
        Network<int[][], int[]> atTheStop = classifier.apply(98);
        SequenceResult again = classify(atTheStop, SequenceConfig.builder().epochs(15).resumeFrom(dir.resolve("a")));
        assertEquals(uninterrupted.epochs().size(), again.epochs().size(), "no epoch after the stop");
        assertTrue(again.stoppedEarly());
        assertSameParameters(whole, atTheStop);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cells")
    void aTaggerResumedAfterEpoch2IsTheUninterruptedRun(String cell, Object classifier,
            LongFunction<Network<int[][], int[][]>> tagger, Object forecaster, @TempDir Path dir) {
        int[][] x = sequences(40, 8, 7);
        int[][] vx = sequences(10, 8, 8);
        int[][] tags = mod4(x);
        int[][] vtags = mod4(vx);
        Network<int[][], int[][]> whole = tagger.apply(1);
        SequenceResult uninterrupted = new SequenceTrainer(SequenceConfig.builder().epochs(4).batch(6).learningRate(0.01)
                .restoreBest(false).build()).train(whole, x, tags, vx, vtags);
        new SequenceTrainer(SequenceConfig.builder().epochs(2).batch(6).learningRate(0.01).restoreBest(false)
                .checkpointDir(dir).build()).train(tagger.apply(1), x, tags,
                vx, vtags);
        Network<int[][], int[][]> resumed = tagger.apply(99);
        SequenceResult continued = new SequenceTrainer(SequenceConfig.builder().epochs(4).batch(6).learningRate(0.01)
                .restoreBest(false).resumeFrom(dir).build()).train(resumed, x, tags, vx, vtags);
        for (int e = 0; e < 4; e++) {
            assertEquals(uninterrupted.epochs().get(e).trainLoss(), continued.epochs().get(e).trainLoss(), 0.0);
            assertEquals(uninterrupted.epochs().get(e).validLoss(), continued.epochs().get(e).validLoss(), 0.0);
        }
        assertSameParameters(whole, resumed);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cells")
    void aForecasterResumedAfterEpoch2IsTheUninterruptedRun(String cell, Object classifier, Object tagger,
            LongFunction<Network<double[][][], double[][]>> forecaster, @TempDir Path dir) {
        Rng rng = new Rng(3);
        double[][][] x = new double[50][6][3];
        double[][] y = new double[50][2];
        for (int i = 0; i < 50; i++) {
            for (double[] step : x[i]) {
                for (int f = 0; f < 3; f++) {
                    step[f] = rng.nextDouble() - 0.5;
                }
            }
            y[i][0] = x[i][5][0];
            y[i][1] = x[i][0][1];
        }
        RegressionConfig.Builder config = RegressionConfig.builder().batch(8).learningRate(0.01).seed(4);
        Network<double[][][], double[][]> whole = forecaster.apply(1);
        RegressionResult uninterrupted = new RegressionTrainer(config.epochs(5).build()).train(whole, x, y);
        new RegressionTrainer(config.epochs(2).checkpointDir(dir).build())
                .train(forecaster.apply(1), x, y);
        Network<double[][][], double[][]> resumed = forecaster.apply(99);
        RegressionResult continued = new RegressionTrainer(config.epochs(5).checkpointDir(null).resumeFrom(dir).build())
                .train(resumed, x, y);
        assertEquals(5, continued.epochs().size(), "the history holds the epochs before the checkpoint");
        for (int e = 0; e < 5; e++) {
            assertEquals(uninterrupted.epochs().get(e).trainLoss(), continued.epochs().get(e).trainLoss(), 0.0);
            assertEquals(uninterrupted.epochs().get(e).validLoss(), continued.epochs().get(e).validLoss(), 0.0);
        }
        assertEquals(uninterrupted.bestEpoch(), continued.bestEpoch());
        assertSameParameters(whole, resumed);
    }

    @Test
    void aModelFileOrOtherSettingsAreRefused(@TempDir Path dir) throws Exception {
        Path file = dir.resolve(LoopCheckpointName.FILE);
        ModelFile.save(file, classifier(1), PredictionInfo.classifier(
                new ModelInput.Tokens(Tokenization.CHARS, List.of("a", "b", "c", "d", "e", "f", "g", "h", "i")),
                List.of("x", "y", "z")));
        TrainingException modelFile = assertThrows(TrainingException.class,
                () -> classify(classifier(1), SequenceConfig.builder().epochs(2).resumeFrom(dir)));
        assertEquals("cannot resume from " + dir + ": " + ModelFile.notACheckpointMessage(file), modelFile.getMessage());

        classify(classifier(1), SequenceConfig.builder().epochs(1).checkpointDir(dir.resolve("c")));
        TrainingException other = assertThrows(TrainingException.class, () -> classify(classifier(1),
                SequenceConfig.builder().epochs(2).weightDecay(0.1).resumeFrom(dir.resolve("c"))));
        assertEquals("cannot resume from " + dir.resolve("c") + ": the checkpoint was trained with weight_decay = 0.0, "
                + "this run asks for 0.1; resume with the same settings", other.getMessage());
    }

    /**
     * A checkpoint of a GRU classifier resumed into its LSTM twin, and the other way round, is
     * refused naming the layer and both cells (before the model's class, which would not say why).
     */
    @Test
    void aCheckpointOfTheOtherCellIsRefusedNamingBothCells(@TempDir Path dir) {
        classify(new LoopGruWordClassifierNetwork(NetworkConfig.builder().seed(1).build()),
                SequenceConfig.builder().epochs(1).checkpointDir(dir.resolve("gru")));
        TrainingException intoLstm = assertThrows(TrainingException.class,
                () -> classify(classifier(1), SequenceConfig.builder().epochs(2).resumeFrom(dir.resolve("gru"))));
        assertTrue(intoLstm.getMessage().contains("layer gru was trained as a VariationalGRU of 16 units")
                        && intoLstm.getMessage().contains("resume it with a model declared with @VariationalGRU"),
                intoLstm.getMessage());
        classify(classifier(1), SequenceConfig.builder().epochs(1).checkpointDir(dir.resolve("lstm")));
        TrainingException intoGru = assertThrows(TrainingException.class,
                () -> classify(new LoopGruWordClassifierNetwork(NetworkConfig.builder().seed(1).build()),
                        SequenceConfig.builder().epochs(2).resumeFrom(dir.resolve("lstm"))));
        assertTrue(intoGru.getMessage().contains("lstm") && intoGru.getMessage().contains("VariationalLSTM"),
                intoGru.getMessage());
    }

    /**
     * A resume asking for fewer epochs than the checkpoint has trained is refused before anything is
     * restored; as many trains nothing and gives the whole run's result.
     */
    @Test
    void aResumeWithFewerEpochsThanTheCheckpointIsRefused(@TempDir Path dir) {
        SequenceResult two = classify(classifier(1), SequenceConfig.builder().epochs(2).checkpointDir(dir));
        LoopWordClassifierNetwork fresh = classifier(99);
        double before = fresh.parameters().get(0).value().get(0, 0);
        TrainingException e = assertThrows(TrainingException.class,
                () -> classify(fresh, SequenceConfig.builder().epochs(1).resumeFrom(dir)));
        assertEquals("cannot resume from " + dir + ": the checkpoint has trained 2 epochs, more than the 1 this run asks "
                + "for; ask for at least 2 epochs (2 trains nothing more and reports the whole run)", e.getMessage());
        assertEquals(before, fresh.parameters().get(0).value().get(0, 0), 0.0, "nothing was restored");

        SequenceResult same = classify(fresh, SequenceConfig.builder().epochs(2).resumeFrom(dir));
        assertEquals(2, same.epochs().size());
        assertEquals(two.bestEpoch(), same.bestEpoch());
        assertEquals(two.epochs().get(0).validLoss(), same.epochs().get(0).validLoss(), 0.0);
        assertEquals(two.epochs().get(1).validLoss(), same.epochs().get(1).validLoss(), 0.0);
    }

    /** A checkpoint as the language-model trainer wrote it before the one loop (training format 1) is refused. */
    @Test
    void aCheckpointOfTheOlderTrainingFormatIsRefusedSayingSo(@TempDir Path dir) throws Exception {
        Path file = dir.resolve(LoopCheckpointName.FILE);
        LoopWordClassifierNetwork net = classifier(1);
        dev.vdrop.runtime.checkpoint.Checkpoints.save(file, dev.vdrop.runtime.checkpoint.Checkpoint.builder()
                .metadata("model", net.getClass().getName()).metadata("epoch", "1").metadata("rng_state", "7")
                .metadata("optimizer", "adam").metadata("best_epoch", "1").metadata("best_valid_ppl", "2.0")
                .tensors("parameters", dev.vdrop.runtime.checkpoint.Checkpoints.snapshot(net.parameters())).build());
        TrainingException old = assertThrows(TrainingException.class,
                () -> classify(classifier(1), SequenceConfig.builder().epochs(2).resumeFrom(dir)));
        assertEquals("cannot resume from " + dir + ": checkpoint " + file + " has training format 1, which this vdrop "
                + "cannot resume exactly: it resumes format 2, whose checkpoints hold what an exact resume needs (the "
                + "shuffled order, the best epoch and its parameters, the epoch history); train again from the start, "
                + "or resume with the vdrop that wrote it", old.getMessage());
    }

    /** The checkpoint's file name, as the language-model trainer publishes it. */
    private static final class LoopCheckpointName {
        static final String FILE = dev.vdrop.runtime.train.LanguageModelTrainer.CHECKPOINT_FILE;
    }

    private static LoopWordClassifierNetwork classifier(long seed) {
        return new LoopWordClassifierNetwork(NetworkConfig.builder().seed(seed).build());
    }

    private static int[][] mod4(int[][] x) {
        int[][] out = new int[x.length][];
        for (int i = 0; i < x.length; i++) {
            out[i] = new int[x[i].length];
            for (int t = 0; t < x[i].length; t++) {
                out[i][t] = x[i][t] % 4;
            }
        }
        return out;
    }

    private static void assertSameParameters(Network<?, ?> a, Network<?, ?> b) {
        List<Parameter> pa = a.parameters();
        List<Parameter> pb = b.parameters();
        for (int i = 0; i < pa.size(); i++) {
            assertArrayEquals(SequenceTrainerTest.values(pa.get(i).value()), SequenceTrainerTest.values(pb.get(i).value()),
                    0.0, pa.get(i).name());
        }
    }
}
