package dev.vdrop.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdrop.runtime.Network;
import dev.vdrop.runtime.NetworkConfig;
import dev.vdrop.runtime.model.Tokenization;
import dev.vdrop.runtime.text.Vocabulary;
import dev.vdrop.runtime.train.SequenceConfig;
import dev.vdrop.runtime.train.SequenceResult;
import dev.vdrop.runtime.train.SequenceTrainer;
import dev.vdrop.samples.TextClassifierNetwork;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Data-parallel training on {@code local[2]}: one worker is the single-machine run bitwise, without
 * an exchange; two workers averaging after every step end with identical replicas, each the mean of
 * what the two had before the last average; the cut and the rounds are reported; refusals come
 * before any job.
 */
class DataParallelTrainerTest {
    private static final int SEED = 11;
    private static int vocabulary;
    private static int[][] train;
    private static int[] trainLabels;
    private static int[][] valid;
    private static int[] validLabels;

    @BeforeAll
    static void names() {
        List<String> names = TestData.names(161);
        List<String> tokens = new ArrayList<>();
        names.forEach(n -> tokens.addAll(Tokenization.CHARS.split(n)));
        Vocabulary v = Vocabulary.build(tokens, Integer.MAX_VALUE);
        vocabulary = v.size();
        int[][] ids = names.stream().map(n -> v.encode(Tokenization.CHARS.split(n))).toArray(int[][]::new);
        // names alternate female, male: the label is the parity; 121 to train, 40 to validate
        train = java.util.Arrays.copyOfRange(ids, 0, 121);
        valid = java.util.Arrays.copyOfRange(ids, 121, 161);
        trainLabels = java.util.stream.IntStream.range(0, 121).map(i -> i % 2).toArray();
        validLabels = java.util.stream.IntStream.range(121, 161).map(i -> i % 2).toArray();
    }

    private static Network<int[][], int[]> network() {
        return TextClassifierNetwork.builder().vocabulary(vocabulary).classes(2)
                .config(NetworkConfig.builder().seed(5).build()).build();
    }

    private static ReplicaFactory factory() {
        int v = vocabulary;
        return () -> TextClassifierNetwork.builder().vocabulary(v).classes(2).build();
    }

    /** {@code epochs} epochs of batch 16 at 3e-3, the best kept unless {@code restoreBest} is false. */
    private static ReplicaConfig config(int epochs, boolean restoreBest) {
        return seed -> SequenceConfig.builder().epochs(epochs).batch(16).learningRate(3e-3).clip(5).seed(seed)
                .restoreBest(restoreBest).build();
    }

    private static void assertSameParameters(Network<int[][], int[]> expected, Network<int[][], int[]> actual) {
        assertArrayEquals(Parameters.read(expected.parameters()), Parameters.read(actual.parameters()), 0.0);
    }

    @Test
    void oneWorkerIsTheSingleMachineRunBitwise() {
        Network<int[][], int[]> single = network();
        SequenceResult expected = new SequenceTrainer(config(2, true).create(SEED)).train(single, train, trainLabels, valid,
                validLabels);
        Network<int[][], int[]> driver = network();
        DataParallelResult result = DataParallelTrainer.builder().workers(1).averageEvery(6).seed(SEED).build()
                .train(LocalSpark.session(), driver, factory(), config(2, true), train, trainLabels, valid, validLabels);
        assertEquals(expected.epochs().size(), result.epochs().size());
        for (int e = 0; e < expected.epochs().size(); e++) {
            assertEquals(expected.epochs().get(e).trainLoss(), result.epochs().get(e).trainLoss(), 0.0);
            assertEquals(expected.epochs().get(e).validLoss(), result.epochs().get(e).validLoss(), 0.0);
            assertEquals(expected.epochs().get(e).validAccuracy(), result.epochs().get(e).validAccuracy(), 0.0);
        }
        assertEquals(expected.bestEpoch(), result.bestEpoch());
        assertSameParameters(single, driver);
        assertEquals(121, result.examplesPerWorker());
        assertEquals(0, result.droppedExamples());
        // one replica is its own average: no barrier, no exchange, no rounds
        assertEquals(List.of(), result.rounds());
    }

    @Test
    void twoWorkersAveragingEveryStepEndWithTheMeanOfTheirReplicas() {
        Network<int[][], int[]> driver = network();
        double[] initial = Parameters.read(driver.parameters());
        DataParallelTrainer.Run run = DataParallelTrainer.builder().workers(2).averageEvery(1).seed(SEED).build(true)
                .run(LocalSpark.session(), driver, factory(), config(1, false), train, trainLabels, valid, validLabels);
        DataParallelResult result = run.result();
        assertEquals(60, result.examplesPerWorker());
        assertEquals(1, result.droppedExamples());
        double[] a = run.outputs().get(0).parameters();
        double[] b = run.outputs().get(1).parameters();
        assertArrayEquals(a, b, 0.0);
        assertArrayEquals(a, Parameters.read(driver.parameters()), 0.0);
        double[] beforeA = run.outputs().get(0).beforeLastAverage();
        double[] beforeB = run.outputs().get(1).beforeLastAverage();
        assertTrue(!java.util.Arrays.equals(beforeA, beforeB), "the replicas trained on other examples");
        for (int i = 0; i < a.length; i++) {
            assertEquals((float) ((beforeA[i] + beforeB[i]) / 2), a[i], 0.0, "parameter value " + i);
        }
        assertTrue(!java.util.Arrays.equals(initial, a), "the replicas trained");
        // 4 steps an epoch (60 / 16, rounded up), one round after each; the epoch's end had just averaged
        for (int w = 0; w < 2; w++) {
            int worker = w;
            assertEquals(List.of(1L, 2L, 3L, 4L), result.rounds().stream()
                    .filter(r -> r.worker() == worker).map(DataParallelResult.Round::step).toList());
        }
        assertTrue(result.rounds().stream().allMatch(r -> r.gatherSeconds() >= 0 && r.computeSeconds() >= 0));
        assertEquals(1, result.epochs().size());
    }

    @Test
    void theExchangeIsTheMedianOfEachRoundsShortestGather() {
        List<DataParallelResult.Round> rounds = List.of(new DataParallelResult.Round(0, 5, 1, 0.9, 1),
                new DataParallelResult.Round(1, 5, 1, 0.2, 1), new DataParallelResult.Round(0, 10, 1, 0.1, 1),
                new DataParallelResult.Round(1, 10, 1, 0.7, 1), new DataParallelResult.Round(0, 12, 1, 0.3, 1),
                new DataParallelResult.Round(1, 12, 1, 0.4, 1));
        // shortest per round: 0.2, 0.1, 0.3
        assertEquals(0.2, new DataParallelResult(List.of(), 0, 2, 5, 10, 0, rounds, 1).exchangeSeconds(), 0.0);
        assertEquals(0.0, new DataParallelResult(List.of(), 0, 1, 5, 10, 0, List.of(), 1).exchangeSeconds(), 0.0);
    }

    @Test
    void settingsThatCannotRunOnExecutorsAreRefusedBeforeAnyJob() {
        DataParallelTrainer trainer = DataParallelTrainer.builder().workers(2).build();
        IllegalArgumentException files = assertThrows(IllegalArgumentException.class, () -> trainer.train(
                LocalSpark.session(), network(), factory(), seed -> SequenceConfig.builder().seed(seed)
                        .metrics(Path.of("m.jsonl")).build(), train, trainLabels, valid, validLabels));
        assertTrue(files.getMessage().contains("must not name a metrics file"), files.getMessage());
        IllegalArgumentException few = assertThrows(IllegalArgumentException.class, () -> DataParallelTrainer.builder()
                .workers(200).build().train(LocalSpark.session(), network(), factory(), config(2, true), train, trainLabels,
                        valid, validLabels));
        assertEquals("121 training examples cannot be cut for 200 workers; give at least one example per worker",
                few.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DataParallelTrainer.builder().averageEvery(0).build());
    }
}
