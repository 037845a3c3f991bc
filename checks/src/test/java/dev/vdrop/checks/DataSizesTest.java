package dev.vdrop.checks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdrop.runtime.DropoutMode;
import dev.vdrop.runtime.Mat;
import dev.vdrop.runtime.ModelSizes;
import dev.vdrop.runtime.Network;
import dev.vdrop.runtime.NetworkConfig;
import dev.vdrop.runtime.Parameter;
import dev.vdrop.runtime.Rng;
import dev.vdrop.runtime.Workspace;
import dev.vdrop.runtime.eval.McPredictor;
import dev.vdrop.runtime.eval.Perplexity;
import dev.vdrop.runtime.train.LanguageModelTrainer;
import dev.vdrop.runtime.train.RegressionConfig;
import dev.vdrop.runtime.train.RegressionTrainer;
import dev.vdrop.runtime.train.TrainingConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Sizes from the data. A model whose vocabulary (and so its tied decoder's classes), or whose
 * features and outputs, are given when it is built computes exactly what the same model with those
 * sizes written computes — the same weights from the same seed, the same loss and gradients, bit
 * for bit; its builder refuses a size that is missing or below 1 with a message naming the model,
 * the size and the annotation; and data that does not fit a model's sizes is refused by the
 * trainers and evaluators before any work (no parameter changes), naming both numbers, while a
 * vocabulary smaller than a declared one draws a warning naming both.
 */
class DataSizesTest {
    private static final int BATCH = 3;

    private static NetworkConfig float64(long seed) {
        return NetworkConfig.builder().dataType(DataType.DOUBLE).seed(seed).build();
    }

    private static List<double[]> values(List<Parameter> parameters, boolean gradients) {
        List<double[]> out = new ArrayList<>();
        for (Parameter p : parameters) {
            out.add(Harness.flatten(gradients ? p.gradient() : p.value()));
        }
        return out;
    }

    /** Loss, then every parameter's gradient, of one training pass with the masks of {@code rng}. */
    private static <I, T> List<double[]> pass(Network<I, T> network, I input, T targets) {
        try (Workspace<I, T> workspace = network.workspace(BATCH, 4)) {
            workspace.sampleMasks(new Rng(5), DropoutMode.TRAIN);
            double loss = workspace.forward(input, targets);
            workspace.backward();
            List<double[]> out = new ArrayList<>();
            out.add(new double[] {loss});
            out.addAll(values(network.parameters(), true));
            return out;
        }
    }

    private static void assertSame(List<double[]> expected, List<double[]> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i), 0.0, "entry " + i + " (0: the loss, then the gradients)");
        }
    }

    @Test
    void aVocabularyFromTheDataComputesWhatTheWrittenOneDoes() {
        var written = new TiedDecoderNetwork(float64(9));
        var fromData = DataTiedDecoderNetwork.builder().vocabulary(11).config(float64(9)).build();
        Rng rng = new Rng(21);
        int[][] input = Harness.tokens(rng, BATCH, 4, 11);
        int[][] targets = Harness.tokens(rng, BATCH, 4, 11);

        assertSame(values(written.parameters(), false), values(fromData.parameters(), false));
        assertSame(pass(written, input, targets), pass(fromData, input, targets));
        assertEquals(written.summary().toString(), fromData.summary().toString().replace("DataTiedDecoder", "TiedDecoder"));
    }

    @Test
    void featuresAndOutputsFromTheDataComputeWhatTheWrittenOnesDo() {
        var written = new ForecasterNetwork(float64(14));
        var fromData = DataForecasterNetwork.builder().features(3).outputs(2).config(float64(14)).build();
        Rng rng = new Rng(22);
        double[][][] input = Harness.values(rng, BATCH, 4, 3);
        double[][] targets = Harness.values(rng, 1, BATCH, 2)[0];

        assertSame(values(written.parameters(), false), values(fromData.parameters(), false));
        assertSame(pass(written, input, targets), pass(fromData, input, targets));
    }

    @Test
    void theSizesSayWhichWereDeclaredAndWhichGiven() {
        ModelSizes declared = new TiedDecoderNetwork(float64(1)).sizes();
        ModelSizes given = DataTiedDecoderNetwork.builder().vocabulary(13).build().sizes();
        ModelSizes features = DataForecasterNetwork.builder().features(4).outputs(1).build().sizes();

        assertEquals(new ModelSizes(ModelSizes.Size.declared("vocabulary", 11), ModelSizes.Size.declared("classes", 11)),
                declared);
        // a tied decoder's classes are the vocabulary given
        assertEquals(new ModelSizes(ModelSizes.Size.given("vocabulary", 13), ModelSizes.Size.given("classes", 13)), given);
        assertEquals(4, features.features().getAsInt());
        assertEquals(1, features.outputs().getAsInt());
        assertTrue(features.vocabulary().isEmpty());
        assertTrue(features.classes().isEmpty());
    }

    @Test
    void aMissingSizeIsRefusedByBuildNamingItAndItsAnnotation() {
        IllegalStateException vocabulary = assertThrows(IllegalStateException.class,
                () -> DataTiedDecoderNetwork.builder().config(float64(1)).build());
        assertEquals("Models.DataTiedDecoder needs its vocabulary (left out of @Embedding on 'embedding'): call"
                + " .vocabulary(n) with n ≥ 1 before build()", vocabulary.getMessage());

        IllegalStateException outputs = assertThrows(IllegalStateException.class,
                () -> DataForecasterNetwork.builder().features(3).build());
        assertEquals("Models.DataForecaster needs its outputs (left out of @Regression on 'next'): call"
                + " .outputs(n) with n ≥ 1 before build()", outputs.getMessage());
    }

    @Test
    void aSizeBelowOneIsRefusedWhenGiven() {
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> DataTiedDecoderNetwork.builder().vocabulary(0));
        assertEquals("Models.DataTiedDecoder's vocabulary (left out of @Embedding on 'embedding') must be at least 1,"
                + " got 0", zero.getMessage());
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> DataForecasterNetwork.builder().features(-3));
        assertEquals("Models.DataForecaster's features (left out of @Input on 'day') must be at least 1, got -3",
                negative.getMessage());
    }

    // ---------------------------------------------------------------------------------------------
    // Data meets a model

    private static int[] ids(int n, int vocabulary) {
        Rng rng = new Rng(31);
        return IntStream.range(0, n).map(i -> (int) Math.floor(rng.nextDouble() * vocabulary)).toArray();
    }

    private static List<String> words(int n) {
        return IntStream.range(0, n).mapToObj(i -> "w" + i).toList();
    }

    private static TrainingConfig lmConfig() {
        return TrainingConfig.builder().epochs(1).batch(2).steps(3).seed(4).evalStreams(2).progress(false).build();
    }

    @Test
    void anIdPastTheVocabularyIsRefusedBeforeTheFirstStep() {
        var network = DataTiedDecoderNetwork.builder().vocabulary(11).config(float64(2)).build();
        List<double[]> before = values(network.parameters(), false);
        int[] train = ids(200, 11);
        train[150] = 11;

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LanguageModelTrainer(lmConfig()).train(network, train, ids(40, 11), words(11)));

        assertEquals("token id 11 at position 150 of the training split is past the model's vocabulary of 11"
                + " (ids 0 … 10)", e.getMessage());
        assertSame(before, values(network.parameters(), false));
    }

    @Test
    void anIdPastTheVocabularyInTheValidationSplitIsRefusedBeforeTheFirstStep() {
        Network<int[][], int[][]> network = new TiedDecoderNetwork(float64(3));
        List<double[]> before = values(network.parameters(), false);
        int[] valid = ids(40, 11);
        valid[7] = 12;

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LanguageModelTrainer(lmConfig()).train(network, ids(200, 11), valid, words(11)));

        assertEquals("token id 12 at position 7 of the validation split is past the model's vocabulary of 11"
                + " (ids 0 … 10)", e.getMessage());
        assertSame(before, values(network.parameters(), false));
    }

    @Test
    void aTargetPastTheClassesNamesTheClasses() {
        // vocabulary 11, classes 3: an id 3 can be read but not predicted
        var network = new ClassifierNetwork(float64(3));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> network.sizes().checkTokens(new int[] {0, 2, 3}, "the labels"));

        assertEquals("token id 3 at position 2 of the labels is past the model's classes of 3 (ids 0 … 2)", e.getMessage());
        network.sizes().checkInputTokens(new int[] {0, 2, 3, 10}, "the context");
    }

    @Test
    void aCorpusVocabularyLargerThanTheModelsIsRefused() {
        var network = DataTiedDecoderNetwork.builder().vocabulary(11).config(float64(2)).build();

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LanguageModelTrainer(lmConfig()).train(network, ids(200, 11), ids(40, 11), words(12)));

        assertEquals("the vocabulary of the corpus has 12 words, more than the model's vocabulary of 11; build the"
                + " network with .vocabulary(12)", e.getMessage());
    }

    @Test
    void perplexityRefusesAnIdPastTheVocabulary() {
        var network = new TiedDecoderNetwork(float64(2));
        int[] split = ids(40, 11);
        split[39] = 20;

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Perplexity.standard(network, split, 2, 5));

        assertEquals("token id 20 at position 39 of the evaluated split is past the model's vocabulary of 11"
                + " (ids 0 … 10)", e.getMessage());
        IllegalArgumentException context = assertThrows(IllegalArgumentException.class,
                () -> McPredictor.next(network, new int[] {1, 11}, 2, new Rng(1)));
        assertTrue(context.getMessage().startsWith("token id 11 at position 1 of the sequence is past the model's"
                + " vocabulary of 11"), context.getMessage());
    }

    @Test
    void aVocabularySmallerThanTheDeclaredOneIsAWarningNamingBoth() {
        List<String> logged = Collections.synchronizedList(new ArrayList<>());
        Logger logger = Logger.getLogger(ModelSizes.LOGGER);
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                logged.add(record.getLevel() + " " + record.getMessage());
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        logger.addHandler(handler);
        try {
            // declared 11, the corpus has 9 words: 2 classes the data never shows
            var network = new TiedDecoderNetwork(float64(2));
            new LanguageModelTrainer(lmConfig()).train(network, ids(200, 9), ids(40, 9), words(9));
            // given 9: nothing to warn about
            var fitted = DataTiedDecoderNetwork.builder().vocabulary(9).config(float64(2)).build();
            new LanguageModelTrainer(lmConfig()).train(fitted, ids(200, 9), ids(40, 9), words(9));
        } finally {
            logger.removeHandler(handler);
        }

        assertEquals(List.of("WARNING the vocabulary of the corpus has 9 words, fewer than the 11 vocabulary declared"
                + " in @Embedding(vocabulary = 11): 2 output classes will never be seen in the data; leave vocabulary"
                + " out of the annotation to take it from the data"), logged);
    }

    @Test
    void aRegressionTrainerRefusesAWidthOtherThanTheModelsBeforeAnyWork() {
        var network = DataForecasterNetwork.builder().features(3).outputs(2).config(float64(6)).build();
        List<double[]> before = values(network.parameters(), false);
        Rng rng = new Rng(7);
        double[][][] inputs = Harness.values(rng, 12, 4, 3);
        double[][] targets = Harness.values(rng, 1, 12, 2)[0];
        double[][][] narrow = Harness.values(rng, 12, 4, 2);
        double[][] wide = Harness.values(rng, 1, 12, 3)[0];
        RegressionTrainer trainer = new RegressionTrainer(RegressionConfig.builder().epochs(1).batch(4).seed(1)
                .progress(false).build());

        IllegalArgumentException features = assertThrows(IllegalArgumentException.class,
                () -> trainer.train(network, narrow, targets));
        IllegalArgumentException outputs = assertThrows(IllegalArgumentException.class,
                () -> trainer.train(network, inputs, wide));

        assertEquals("example 0, step 0 of the input windows has 2 features, but the model reads 3", features.getMessage());
        assertEquals("example 0 of the targets has 3 target values, but the model predicts 2", outputs.getMessage());
        assertSame(before, values(network.parameters(), false));
        IllegalArgumentException forecast = assertThrows(IllegalArgumentException.class,
                () -> McPredictor.forecast(network, narrow, 2, new Rng(1)));
        assertFalse(forecast.getMessage().isEmpty());
        assertTrue(forecast.getMessage().contains("has 2 features, but the model reads 3"), forecast.getMessage());
    }
}
