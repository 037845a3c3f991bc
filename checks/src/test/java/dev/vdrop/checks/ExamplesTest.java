package dev.vdrop.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdrop.runtime.Mat;
import dev.vdrop.runtime.NetworkConfig;
import dev.vdrop.runtime.Rng;
import dev.vdrop.runtime.checkpoint.Checkpoint;
import dev.vdrop.runtime.checkpoint.Checkpoints;
import dev.vdrop.runtime.model.ModelFile;
import dev.vdrop.runtime.model.ModelInput;
import dev.vdrop.runtime.model.PredictionInfo;
import dev.vdrop.runtime.model.Tokenization;
import dev.vdrop.runtime.text.Vocabulary;
import dev.vdrop.runtime.train.LanguageModelTrainer;
import dev.vdrop.runtime.train.TrainingConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The javadoc examples of {@link ModelFile}, {@link Checkpoint} and {@link Checkpoints}, compiled and
 * run on generated networks. Each example is the code between {@code // example: NAME} and
 * {@code // end} below; {@link #theJavadocShowsExactlyTheseExamples} checks that the javadoc's
 * {@code <pre>{@code …}</pre>} block after "(example {@code NAME}" is the same code, line for line,
 * so neither can change without the other.
 */
class ExamplesTest {
    private static final List<String> WORDS = List.of("<unk>", "the", "whale", "sea", "ship", "call", "me", "ishmael",
            ".", ",", "<eos>");

    @TempDir
    Path dir;

    @Test
    void saveAndLoadAModelFile() throws Exception {
        Path file = dir.resolve("lm.vdrop");
        DataTiedDecoderNetwork trained = DataTiedDecoderNetwork.builder().vocabulary(WORDS.size())
                .config(NetworkConfig.builder().seed(5).build()).build();
        Vocabulary vocabulary = Vocabulary.of(WORDS);
        DataTiedDecoderNetwork network = trained;
        // example: ModelFile.save
        ModelInput.Tokens words = new ModelInput.Tokens(Tokenization.ASCII_WORDS, vocabulary.words());
        ModelFile.save(file, network, PredictionInfo.languageModel(words));
        // end
        INDArray expected = trained.predict(new int[][] {{1, 2}});
        // example: ModelFile.load
        ModelFile model = ModelFile.load(file);
        DataTiedDecoderNetwork loaded = model.newNetwork(sizes -> DataTiedDecoderNetwork.builder()
                .vocabulary(sizes.vocabulary().getAsInt())
                .config(NetworkConfig.builder().dataType(model.dataType()).build())
                .build());
        List<String> symbols = ((ModelInput.Tokens) model.info().input()).symbols();
        INDArray next = loaded.predict(new int[][] {{symbols.indexOf("the"), symbols.indexOf("whale")}});
        // end
        assertEquals(expected, next, "the loaded network predicts what the saved one did");
    }

    @Test
    void saveAClassifierWithItsLabels() throws Exception {
        Path file = dir.resolve("names.vdrop");
        ClassifierNetwork network = new ClassifierNetwork(NetworkConfig.builder().seed(6).build());
        List<String> characters = List.of("<unk>", "a", "e", "i", "o", "u", "n", "r", "l", "s", "t");
        // example: ModelFile.save classifier
        PredictionInfo info = PredictionInfo.classifier(
                new ModelInput.Tokens(Tokenization.CHARS, characters), List.of("female", "male", "both"));
        ModelFile.save(file, network, info);
        // end
        ModelFile model = ModelFile.load(file);
        assertEquals(List.of("female", "male", "both"), model.info().labels());
        ClassifierNetwork loaded = model.restoreInto(new ClassifierNetwork(NetworkConfig.builder().seed(7).build()));
        assertEquals(network.predict(new int[][] {{1, 2, 3}}), loaded.predict(new int[][] {{1, 2, 3}}));
    }

    @Test
    void buildACheckpointByHand() throws Exception {
        Path file = dir.resolve("hand.ckpt");
        DataTiedDecoderNetwork network = DataTiedDecoderNetwork.builder().vocabulary(WORDS.size()).build();
        Vocabulary vocabulary = Vocabulary.of(WORDS);
        Rng rng = new Rng(3);
        int epoch = 2;
        // example: Checkpoint.builder
        Checkpoint c = Checkpoint.builder()
                .metadata("model", network.getClass().getName())
                .metadata("epoch", Integer.toString(epoch))
                .metadata("rng_state", Long.toString(rng.state()))
                .vocabulary(vocabulary.words())
                .tensors("parameters", Checkpoints.snapshot(network.parameters()))
                .build();
        Checkpoints.save(file, c);
        // end
        assertEquals(c, Checkpoints.load(file));
    }

    @Test
    void readWhatTheLanguageModelTrainerWrites() throws Exception {
        Path checkpointDir = dir.resolve("run");
        DataTiedDecoderNetwork trained = DataTiedDecoderNetwork.builder().vocabulary(WORDS.size())
                .config(NetworkConfig.builder().dataType(DataType.DOUBLE).seed(8).build()).build();
        TrainingConfig config = TrainingConfig.builder().epochs(2).batch(2).steps(3).seed(4).evalStreams(2)
                .progress(false).checkpointDir(checkpointDir).build();
        new LanguageModelTrainer(config).train(trained, ids(120), ids(40), WORDS);
        // example: Checkpoints.load
        Checkpoint c = Checkpoints.load(checkpointDir.resolve(LanguageModelTrainer.CHECKPOINT_FILE));
        String model = c.require("model");
        long epoch = c.requireLong("epoch");
        long bestEpoch = c.requireLong("best_epoch");
        double bestPerplexity = c.requireDouble("best_valid_ppl");
        long seed = c.requireLong("config.seed");
        Vocabulary vocabulary = Vocabulary.of(c.vocabulary());
        DataTiedDecoderNetwork network = DataTiedDecoderNetwork.builder().vocabulary(vocabulary.size())
                .config(NetworkConfig.builder().dataType(DataType.DOUBLE).build()).build();
        Checkpoints.restore(c.requireGroup("best"), network.parameters());
        // end
        assertEquals(DataTiedDecoderNetwork.class.getName(), model);
        assertEquals(2, epoch);
        assertTrue(bestEpoch == 1 || bestEpoch == 2, "best epoch " + bestEpoch);
        assertTrue(bestPerplexity > 1 && bestPerplexity < 1e6, "best perplexity " + bestPerplexity);
        assertEquals(4, seed);
        assertEquals(WORDS, vocabulary.words());
        Map<String, Mat> best = c.requireGroup("best");
        assertEquals(best.keySet().size(), network.parameters().size());
        for (var p : network.parameters()) {
            Mat saved = best.get(p.name());
            for (int col = 0; col < saved.cols(); col++) {
                for (int row = 0; row < saved.rows(); row++) {
                    assertEquals(saved.get(row, col), p.value().get(row, col), 0.0, p.name());
                }
            }
        }
    }

    @Test
    void theJavadocShowsExactlyTheseExamples() throws IOException {
        Path runtime = Path.of("..", "runtime", "src", "main", "java", "dev", "vdrop", "runtime");
        String examples = Files.readString(Path.of("src", "test", "java", "dev", "vdrop", "checks", "ExamplesTest.java"));
        Map<String, Path> shownIn = Map.of(
                "ModelFile.save", runtime.resolve("model/ModelFile.java"),
                "ModelFile.load", runtime.resolve("model/ModelFile.java"),
                "ModelFile.save classifier", runtime.resolve("model/PredictionInfo.java"),
                "Checkpoint.builder", runtime.resolve("checkpoint/Checkpoint.java"),
                "Checkpoints.load", runtime.resolve("checkpoint/Checkpoints.java"));
        for (Map.Entry<String, Path> e : shownIn.entrySet()) {
            List<String> tested = Snippets.ofTest(examples, e.getKey(), "ExamplesTest");
            List<String> shown = Snippets.ofJavadoc(Files.readString(e.getValue()), e.getKey(), e.getValue());
            assertEquals(tested, shown, "the javadoc example \"" + e.getKey() + "\" of " + e.getValue()
                    + " must be the code of ExamplesTest's, line for line");
        }
    }

    private static int[] ids(int n) {
        Rng rng = new Rng(n);
        return IntStream.range(0, n).map(i -> (int) (rng.nextDouble() * WORDS.size())).toArray();
    }
}
