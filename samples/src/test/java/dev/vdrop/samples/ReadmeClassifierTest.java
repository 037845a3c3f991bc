package dev.vdrop.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdrop.runtime.eval.McPredictor;
import dev.vdrop.runtime.mc.ClassPrediction;
import dev.vdrop.runtime.metrics.ClassificationSummary;
import dev.vdrop.runtime.model.ModelFile;
import dev.vdrop.runtime.model.ModelInput;
import dev.vdrop.runtime.model.PredictionInfo;
import dev.vdrop.runtime.model.Tokenization;
import dev.vdrop.runtime.text.LabelledText;
import dev.vdrop.runtime.text.Vocabulary;
import dev.vdrop.runtime.train.SequenceConfig;
import dev.vdrop.runtime.train.SequenceResult;
import dev.vdrop.runtime.train.SequenceTrainer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's classifier in Java, compiled and run: the model is {@link Names}, the code the lines
 * between {@code // example: NAME} and {@code // end} here; {@link #theReadmeShowsExactlyThisCode}
 * checks that README.md's {@code java} blocks under "A classifier in Java" are these, line for line.
 */
class ReadmeClassifierTest {
    @TempDir
    Path dir;

    @Test
    void declareTrainPredictSaveAndLoad() throws Exception {
        // 300 bundled names, alternately female and male, as a TSV: the README's names.tsv, smaller
        LabelledText names = ClassifyCommand.bundledNames();
        List<String> rows = new ArrayList<>(List.of("label\ttext"));
        int female = 0;
        int male = names.size() - 1;
        for (int i = 0; i < 150; i++) {
            rows.add(names.labelNames().get(names.labels()[female]) + "\t" + names.texts().get(female));
            rows.add(names.labelNames().get(names.labels()[male]) + "\t" + names.texts().get(male));
            female += 29;
            male -= 23;
        }
        Path tsv = dir.resolve("names.tsv");
        Files.write(tsv, rows, StandardCharsets.UTF_8);
        Path saved = dir.resolve("names.vdrop");

        // example: code
        LabelledText data = LabelledText.read(tsv);                  // columns label and text
        List<List<String>> chars = data.tokens(Tokenization.CHARS::split);
        Vocabulary symbols = Vocabulary.build(chars.stream().flatMap(List::stream).toList(), 1_000);
        int[][] ids = chars.stream().map(symbols::encode).toArray(int[][]::new);
        int[] labels = data.labels();                                // ids of data.labelNames()
        int cut = ids.length * 9 / 10;                               // rows in random order: hold out 10%
        int[][] test = Arrays.copyOfRange(ids, cut, ids.length);
        int[] testLabels = Arrays.copyOfRange(labels, cut, labels.length);

        NamesNetwork net = NamesNetwork.builder().vocabulary(symbols.size()).classes(data.labelNames().size()).build();
        SequenceResult result = new SequenceTrainer(SequenceConfig.builder().epochs(10).learningRate(3e-3).build())
                .train(net, Arrays.copyOf(ids, cut), Arrays.copyOf(labels, cut), test, testLabels);  // best epoch kept

        List<ClassPrediction> p = McPredictor.classify(net, test, 50, 7L);    // K = 50, seed 7
        ClassificationSummary s = ClassificationSummary.of(p, testLabels);
        System.out.printf("epoch %d: accuracy %.3f, ECE %.3f, AUROC of entropy %.3f%n", result.bestEpoch(),
                s.accuracy(), s.expectedCalibrationError(), s.aurocEntropy());

        ModelFile.save(saved, net, PredictionInfo.classifier(
                new ModelInput.Tokens(Tokenization.CHARS, symbols.words()), data.labelNames()));
        ModelFile model = ModelFile.load(saved);                     // later, in another JVM
        NamesNetwork loaded = model.newNetwork(sizes -> NamesNetwork.builder()
                .vocabulary(sizes.vocabulary().getAsInt()).classes(sizes.classes().getAsInt()).build());
        List<ClassPrediction> again = McPredictor.classify(loaded, test, 50, 7L);  // the same as p
        List<String> alphabet = ((ModelInput.Tokens) model.info().input()).symbols();  // to encode new names
        // end

        assertEquals(30, test.length);
        assertEquals(List.of("female", "male"), data.labelNames());
        assertTrue(result.bestEpoch() >= 1 && result.bestEpoch() <= 10, "epoch " + result.bestEpoch());
        assertEquals(30, s.examples());
        assertTrue(s.accuracy() >= 0 && s.accuracy() <= 1, "accuracy " + s.accuracy());
        // the loaded network predicts what the trained one does: the same parameters, seed and keys
        for (int i = 0; i < p.size(); i++) {
            assertTrue(Arrays.equals(p.get(i).mean(), again.get(i).mean()), "the loaded network predicts otherwise, name " + i);
            assertEquals(1, again.get(i).probability(0) + again.get(i).probability(1), ClassPrediction.SUM_TOLERANCE);
        }
        assertEquals(symbols.words(), alphabet);
    }

    @Test
    void theReadmeShowsExactlyThisCode() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        int section = readme.indexOf("\n## A classifier in Java\n");
        assertTrue(section >= 0, "README.md has no section \"A classifier in Java\"");
        List<List<String>> blocks = javaBlocks(readme.substring(section, readme.indexOf("\n## ", section + 1)));
        assertEquals(2, blocks.size(), "the section's java blocks: the model and the code");
        String model = Files.readString(Path.of("src", "test", "java", "dev", "vdrop", "samples", "Names.java"));
        String test = Files.readString(Path.of("src", "test", "java", "dev", "vdrop", "samples", "ReadmeClassifierTest.java"));
        assertEquals(snippet(model, "model"), blocks.get(0).subList(2, blocks.get(0).size()),
                "README's model must be Names.java's, line for line (after its import line and a blank)");
        assertEquals(snippet(test, "code"), blocks.get(1), "README's code must be ReadmeClassifierTest's, line for line");
    }

    /** The lines of every {@code ```java} block. */
    private static List<List<String>> javaBlocks(String markdown) {
        List<List<String>> blocks = new ArrayList<>();
        List<String> current = null;
        for (String line : markdown.split("\n")) {
            if (current == null && line.equals("```java")) {
                current = new ArrayList<>();
            } else if (current != null && line.equals("```")) {
                blocks.add(current);
                current = null;
            } else if (current != null) {
                current.add(line);
            }
        }
        return blocks;
    }

    /** The lines between {@code // example: NAME} and {@code // end}, without their common indentation. */
    private static List<String> snippet(String source, String name) {
        String start = "// example: " + name + "\n";
        int from = source.indexOf(start);
        assertTrue(from >= 0, "no example " + name);
        from += start.length();
        int to = source.indexOf("// end", from);
        List<String> lines = List.of(source.substring(from, to).stripTrailing().split("\n"));
        int indent = lines.stream().filter(l -> !l.isBlank()).mapToInt(l -> l.length() - l.stripLeading().length()).min()
                .orElse(0);
        return lines.stream().map(l -> l.isBlank() ? "" : l.substring(indent)).toList();
    }
}
