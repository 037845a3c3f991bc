package dev.vdrop.spark;

import dev.vdrop.runtime.Network;
import dev.vdrop.runtime.NetworkConfig;
import dev.vdrop.runtime.eval.McPredictor;
import dev.vdrop.runtime.mc.ClassPrediction;
import dev.vdrop.runtime.model.ModelFile;
import dev.vdrop.runtime.model.ModelInput;
import dev.vdrop.runtime.model.PredictionInfo;
import dev.vdrop.runtime.model.Tokenization;
import dev.vdrop.runtime.text.Vocabulary;
import dev.vdrop.samples.TextClassifierNetwork;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the tests score: a names classifier of the samples' class with seeded random weights (no
 * training needed to compare one scorer with another), saved as a model file, and TSV files of
 * the bundled names; and the reference, {@link McPredictor} over all rows in this JVM.
 */
public final class TestData {
    /** The classes of the test classifier. */
    public static final List<String> LABELS = List.of("female", "male", "both");

    private TestData() {}

    /**
     * Saves a classifier of the samples' {@code TextClassifierNetwork} with seeded weights.
     *
     * @param file where to save it
     * @param tokenization how it splits text: characters or words
     * @return the file
     */
    public static Path classifier(Path file, Tokenization tokenization) throws Exception {
        List<String> tokens = new ArrayList<>();
        for (String name : names(400)) {
            tokens.addAll(tokenization.split(name));
        }
        Vocabulary vocabulary = Vocabulary.build(tokens, 10_000);
        Network<int[][], int[]> network = TextClassifierNetwork.builder().vocabulary(vocabulary.size())
                .classes(LABELS.size()).config(NetworkConfig.builder().seed(2026).initScale(0.5).build()).build();
        ModelFile.save(file, network,
                PredictionInfo.classifier(new ModelInput.Tokens(tokenization, vocabulary.words()), LABELS));
        return file;
    }

    /**
     * The first of the bundled names, female and male in turn.
     *
     * @param count how many
     * @return the names
     */
    public static List<String> names(int count) {
        List<String> female = bundled("female");
        List<String> male = bundled("male");
        List<String> out = new ArrayList<>();
        for (int i = 0; out.size() < count; i++) {
            out.add(female.get(i));
            if (out.size() < count) {
                out.add(male.get(i));
            }
        }
        return out;
    }

    private static List<String> bundled(String list) {
        try (InputStream in = TextClassifierNetwork.class.getResourceAsStream("data/names/" + list + ".txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes a TSV file of lines, with a header.
     *
     * @param file the file
     * @param header the header line's fields
     * @param rows each line's fields
     * @return the file
     */
    public static Path tsv(Path file, List<String> header, List<List<String>> rows) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add(String.join("\t", header));
        for (List<String> row : rows) {
            lines.add(String.join("\t", row));
        }
        return Files.write(file, lines, StandardCharsets.UTF_8);
    }

    /**
     * The library's own MC prediction of texts in one JVM and one call, with the given keys.
     *
     * @param model the model file
     * @param texts the texts
     * @param samples K
     * @param seed the seed
     * @param keys text i's key at i
     * @return one prediction per text
     */
    public static List<ClassPrediction> reference(Path model, List<String> texts, int samples, long seed, long[] keys)
            throws Exception {
        ModelFile file = ModelFile.load(model);
        @SuppressWarnings("unchecked")
        Network<int[][], int[]> network = (Network<int[][], int[]>) file.newNetwork(s -> SampleModels.classifiers().create(file));
        ModelInput.Tokens input = (ModelInput.Tokens) file.info().input();
        Vocabulary vocabulary = Vocabulary.of(input.symbols());
        int[][] ids = texts.stream().map(t -> vocabulary.encode(input.tokenization().split(t))).toArray(int[][]::new);
        return McPredictor.classify(network, ids, samples, seed, keys);
    }
}
