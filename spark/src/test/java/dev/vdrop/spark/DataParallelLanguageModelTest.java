package dev.vdrop.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdrop.runtime.Network;
import dev.vdrop.runtime.NetworkConfig;
import dev.vdrop.runtime.model.ModelInput;
import dev.vdrop.runtime.model.Tokenization;
import dev.vdrop.runtime.text.Vocabulary;
import dev.vdrop.runtime.train.EpochMetrics;
import dev.vdrop.runtime.train.LanguageModelTrainer;
import dev.vdrop.runtime.train.TrainingConfig;
import dev.vdrop.runtime.train.TrainingResult;
import dev.vdrop.samples.MobyDickLmNetwork;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The language model on {@code local[2]}: one worker is {@link LanguageModelTrainer} in one JVM bit
 * for bit (every epoch's perplexities, the parameters) with no exchange; two workers averaging
 * after every step end with identical replicas, each the mean of what the two had before the last
 * average; the token split; refusals before any job. A tiny corpus: 120 names drawn at random,
 * the samples' {@code moby-small} variational model.
 */
class DataParallelLanguageModelTest {
    private static final int SEED = 13;
    private static List<String> words;
    private static int[] stream;
    private static int[] valid;

    @BeforeAll
    static void corpus() {
        List<String> names = TestData.names(120).stream().map(n -> n.toLowerCase(java.util.Locale.ROOT)).toList();
        Random random = new Random(3);
        List<String> text = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            text.add(names.get(random.nextInt(names.size())));
        }
        Vocabulary v = Vocabulary.build(text, Integer.MAX_VALUE);
        words = v.words();
        int[] ids = v.encode(text);
        stream = Arrays.copyOfRange(ids, 0, 900);
        valid = Arrays.copyOfRange(ids, 900, 1_000);
    }

    private static Network<int[][], int[][]> network() {
        return MobyDickLmNetwork.builder().vocabulary(words.size()).classes(words.size())
                .config(NetworkConfig.builder().seed(5).build()).build();
    }

    private static LanguageModelReplicaFactory factory() {
        int v = words.size();
        return () -> MobyDickLmNetwork.builder().vocabulary(v).classes(v).build();
    }

    /** {@code epochs} epochs of 4 streams × 10 steps, validated over 2 streams. */
    private static LanguageModelReplicaConfig config(int epochs) {
        return seed -> TrainingConfig.builder().epochs(epochs).batch(4).steps(10).evalStreams(2).seed(seed)
                .progress(false).build();
    }

    private static ModelInput.Tokens tokens() {
        return new ModelInput.Tokens(Tokenization.WORDS, words);
    }

    private static double[] parameters(byte[] modelFile) {
        Network<int[][], int[][]> n = network();
        DataParallelTrainer.restore(modelFile, n);
        return Parameters.read(n.parameters());
    }

    @Test
    void oneWorkerIsLanguageModelTrainerBitForBitWithoutAnExchange() {
        Network<int[][], int[][]> single = network();
        TrainingResult expected = new LanguageModelTrainer(config(2).create(SEED)).train(single, stream, valid, words);
        Network<int[][], int[][]> driver = network();
        DataParallelLanguageModelResult result = DataParallelTrainer.builder().workers(1).averageEvery(3).seed(SEED)
                .build().trainLanguageModel(LocalSpark.session(), driver, factory(), config(2), stream, valid, tokens());
        assertEquals(expected.epochs().size(), result.epochs().size());
        for (int e = 0; e < expected.epochs().size(); e++) {
            EpochMetrics a = expected.epochs().get(e);
            EpochMetrics b = result.epochs().get(e);
            assertEquals(a.trainPerplexity(), b.trainPerplexity(), 0.0, "epoch " + (e + 1));
            assertEquals(a.validPerplexity(), b.validPerplexity(), 0.0, "epoch " + (e + 1));
            assertEquals(a.learningRate(), b.learningRate(), 0.0);
        }
        assertEquals(expected.bestEpoch(), result.bestEpoch());
        assertEquals(expected.bestValidPerplexity(), result.bestValidPerplexity(), 0.0);
        assertArrayEquals(Parameters.read(single.parameters()), Parameters.read(driver.parameters()), 0.0);
        assertArrayEquals(Parameters.read(single.parameters()), parameters(result.modelFile()), 0.0);
        assertEquals(900, result.tokensPerWorker());
        assertEquals(0, result.droppedTokens());
        // 225 ids a stream: 224 predictions in segments of 10
        assertEquals(23, result.stepsPerEpoch());
        assertEquals(List.of(), result.rounds(), "one worker exchanges nothing");
        assertEquals(0.0, result.exchangeSeconds(), 0.0);
    }

    @Test
    void twoWorkersAveragingEveryStepEndWithTheMeanOfTheirReplicas() {
        int[] odd = Arrays.copyOf(stream, 401);
        Network<int[][], int[][]> driver = network();
        double[] initial = Parameters.read(driver.parameters());
        DataParallelTrainer.LanguageModelRun run = DataParallelTrainer.builder().workers(2).averageEvery(1).seed(SEED)
                .build(true).runLanguageModel(LocalSpark.session(), driver, factory(), config(1), odd, valid, tokens());
        DataParallelLanguageModelResult result = run.result();
        assertEquals(200, result.tokensPerWorker());
        assertEquals(1, result.droppedTokens());
        // 50 ids a stream: 49 predictions, 5 segments
        assertEquals(5, result.stepsPerEpoch());
        double[] a = parameters(run.outputs().get(0).modelFile());
        double[] b = parameters(run.outputs().get(1).modelFile());
        assertArrayEquals(a, b, 0.0);
        assertArrayEquals(a, Parameters.read(driver.parameters()), 0.0);
        double[] beforeA = run.outputs().get(0).beforeLastAverage();
        double[] beforeB = run.outputs().get(1).beforeLastAverage();
        assertNotNull(beforeA);
        assertTrue(!Arrays.equals(beforeA, beforeB), "the replicas trained on other tokens with other masks");
        for (int i = 0; i < a.length; i++) {
            assertEquals((float) ((beforeA[i] + beforeB[i]) / 2), a[i], 0.0, "parameter value " + i);
        }
        assertTrue(!Arrays.equals(initial, a), "the replicas trained");
        for (int w = 0; w < 2; w++) {
            int worker = w;
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L), result.rounds().stream()
                    .filter(r -> r.worker() == worker).map(DataParallelResult.Round::step).toList());
        }
        // both validated the same averaged model
        assertEquals(run.outputs().get(0).epochs()[0][3], run.outputs().get(1).epochs()[0][3], 0.0);
        assertEquals(1, result.epochs().size());
    }

    @Test
    void theSplitGivesEveryWorkerAsManyContiguousTokens() {
        int[] ids = java.util.stream.IntStream.range(0, 1_003).toArray();
        TokenSplit one = TokenSplit.of(1_003, 1);
        assertEquals(new TokenSplit(1, 1_003, 0), one);
        assertArrayEquals(ids, one.part(ids, 0));
        TokenSplit four = TokenSplit.of(1_003, 4);
        assertEquals(new TokenSplit(4, 250, 3), four);
        for (int w = 0; w < 4; w++) {
            assertArrayEquals(java.util.stream.IntStream.range(w * 250, (w + 1) * 250).toArray(), four.part(ids, w));
        }
        // 250 ids, 20 streams: 12 ids a stream (10 left out), 11 predictions in segments of 5
        assertEquals(3, four.stepsPerEpoch(20, 5));
        assertEquals(10, four.unusedPerWorker(20));
        assertEquals(0, TokenSplit.of(30, 4).stepsPerEpoch(20, 5), "a stream of one id predicts nothing");
        assertThrows(IllegalArgumentException.class, () -> TokenSplit.of(3, 4));
    }

    @Test
    void partsShorterThanASegmentAndSettingsForOneMachineAreRefusedBeforeAnyJob() {
        IllegalArgumentException short_ = assertThrows(IllegalArgumentException.class, () -> DataParallelTrainer
                .builder().workers(30).build().trainLanguageModel(LocalSpark.session(), network(), factory(), config(1),
                        stream, valid, tokens()));
        assertEquals("900 training tokens give each of 30 workers 30, fewer than one segment needs (4 streams × 11"
                + " tokens); use fewer workers, a larger corpus, or fewer streams or steps", short_.getMessage());
        IllegalArgumentException progress = assertThrows(IllegalArgumentException.class, () -> DataParallelTrainer
                .builder().workers(2).build().trainLanguageModel(LocalSpark.session(), network(), factory(),
                        seed -> TrainingConfig.builder().batch(4).steps(10).seed(seed).progress(true).build(), stream,
                        valid, tokens()));
        assertTrue(progress.getMessage().contains("must not ask for a progress bar"), progress.getMessage());
    }
}
