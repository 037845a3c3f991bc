package dev.vdrop.samples;

import static dev.vdrop.samples.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vdrop.runtime.mc.ClassPrediction;
import dev.vdrop.runtime.model.ModelFile;
import dev.vdrop.runtime.model.ModelInput;
import dev.vdrop.runtime.model.Tokenization;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code classify} and {@code predict} end to end on a tiny TSV (40 reviews) and a tiny corpus (seconds). */
class ClassifyCommandTest {
    /** Averages of K float32 softmaxes: each sums to 1 within float rounding, so the mean does too. */
    private static final double SUM_TOLERANCE = ClassPrediction.SUM_TOLERANCE;

    @TempDir
    Path dir;

    private Path reviews() throws IOException {
        Path file = dir.resolve("reviews.tsv");
        try (InputStream in = ClassifyCommandTest.class.getResourceAsStream("reviews.tsv")) {
            Files.write(file, in.readAllBytes());
        }
        return file;
    }

    private Path classify(String tokens) throws IOException {
        Path out = dir.resolve("out-" + tokens);
        Cli r = run("classify", "--data", reviews().toString(), "--tokens", tokens, "--epochs", "2", "--mc-samples", "3",
                "--seed", "5", "--out", out.toString(), "--no-progress");
        assertEquals(0, r.code(), r.err());
        return out;
    }

    @Test
    void classifyWritesEveryFileOfTheContract() throws Exception {
        Path out = classify("words");

        JsonNode json = new ObjectMapper().readTree(out.resolve("classify.json").toFile());
        for (String key : List.of("accuracy", "accuracy_mc", "nll_mc", "brier_mc", "ece_mc", "auroc_entropy",
                "auroc_mutual_information", "classes", "train_examples", "valid_examples", "test_examples", "epochs",
                "mc_samples", "seed")) {
            assertTrue(json.has(key), "missing " + key + " in " + json);
        }
        // 40 examples: 4 test, 4 validation, 32 training; labels in sorted order
        assertEquals(32, json.get("train_examples").asInt());
        assertEquals(4, json.get("valid_examples").asInt());
        assertEquals(4, json.get("test_examples").asInt());
        assertEquals(List.of("negative", "positive"), List.of(json.get("classes").get(0).asText(), json.get("classes").get(1).asText()));
        assertEquals(2, json.get("epochs").asInt());
        assertEquals(3, json.get("mc_samples").asInt());
        assertEquals(5, json.get("seed").asLong());
        double accuracy = json.get("accuracy_mc").asDouble();
        assertTrue(accuracy >= 0 && accuracy <= 1, json.toString());

        List<List<String>> csv = parseCsv(Files.readString(out.resolve("predictions.csv")));
        assertEquals(List.of("text", "label", "predicted", "p_predicted", "entropy", "mutual_information"), csv.get(0));
        assertEquals(5, csv.size());
        Set<String> texts = new HashSet<>(Files.readAllLines(reviews()).stream().skip(1).map(l -> l.split("\t")[1]).toList());
        for (List<String> row : csv.subList(1, csv.size())) {
            assertEquals(6, row.size(), row.toString());
            assertTrue(texts.contains(row.get(0)), "not a text of the data: " + row.get(0));
            assertTrue(Set.of("negative", "positive").containsAll(row.subList(1, 3)), row.toString());
            double p = Double.parseDouble(row.get(3));
            assertTrue(p >= 0.5 - 1e-6 && p <= 1, row.toString()); // the most probable of two classes
            assertTrue(Double.parseDouble(row.get(4)) >= 0 && Double.parseDouble(row.get(5)) >= -1e-9, row.toString());
        }
        assertTrue(ImageIO.read(out.resolve("reliability.png").toFile()).getWidth() > 0);
        assertTrue(Files.size(out.resolve("train.jsonl")) > 0);

        ModelFile model = ModelFile.load(out.resolve("model.vdrop"));
        assertEquals(TextClassifierNetwork.class.getName(), model.modelClass());
        assertEquals(List.of("negative", "positive"), model.info().labels());
        assertEquals(Tokenization.WORDS, ((ModelInput.Tokens) model.info().input()).tokenization());
    }

    @Test
    void predictPrintsOneJsonLinePerTextWithProbabilitiesSummingToOne() throws IOException {
        Path out = classify("chars");
        Cli r = run("predict", "--model", out.resolve("model.vdrop").toString(), "--text", "lovely, warm", "--text",
                "never-seen ✓ symbols", "--mc-samples", "4", "--seed", "2");
        assertEquals(0, r.code(), r.err());

        List<String> lines = r.out().lines().toList();
        assertEquals(2, lines.size(), r.out());
        assertEquals("lovely, warm", checkClassifierLine(lines.get(0)).get("text").asText());
        assertEquals("never-seen ✓ symbols", checkClassifierLine(lines.get(1)).get("text").asText());
        // the same seed gives the same lines
        assertEquals(r.out(), run("predict", "--model", out.resolve("model.vdrop").toString(), "--text", "lovely, warm",
                "--text", "never-seen ✓ symbols", "--mc-samples", "4", "--seed", "2").out());
    }

    @Test
    void predictReadsStandardInputLineByLine() throws IOException {
        Path out = classify("chars");
        InputStream stdin = System.in;
        try {
            System.setIn(new ByteArrayInputStream("great fun\n\nslow\n".getBytes(StandardCharsets.UTF_8)));
            Cli r = run("predict", "--model", out.resolve("model.vdrop").toString(), "--mc-samples", "2");
            assertEquals(0, r.code(), r.err());
            List<String> lines = r.out().lines().toList();
            assertEquals(2, lines.size(), r.out()); // the blank line is skipped
            assertEquals("great fun", checkClassifierLine(lines.get(0)).get("text").asText());
            assertEquals("slow", checkClassifierLine(lines.get(1)).get("text").asText());
        } finally {
            System.setIn(stdin);
        }
    }

    private static JsonNode checkClassifierLine(String line) throws IOException {
        JsonNode json = new ObjectMapper().readTree(line);
        JsonNode probabilities = json.get("probabilities");
        double sum = 0;
        double most = -1;
        String argmax = null;
        for (Iterator<String> names = probabilities.fieldNames(); names.hasNext(); ) {
            String label = names.next();
            double p = probabilities.get(label).asDouble();
            assertTrue(p >= 0 && p <= 1, line);
            sum += p;
            if (p > most) {
                most = p;
                argmax = label;
            }
        }
        assertEquals(Set.of("negative", "positive"), toSet(probabilities.fieldNames()));
        assertEquals(1, sum, SUM_TOLERANCE, line);
        assertEquals(argmax, json.get("label").asText(), line);
        assertEquals(most, json.get("p_predicted").asDouble(), 0, line);
        assertTrue(json.get("entropy").asDouble() >= 0 && json.get("entropy").asDouble() <= Math.log(2) + 1e-6, line);
        assertTrue(json.get("mutual_information").asDouble() >= -1e-9, line);
        return json;
    }

    @Test
    void lmSavesAModelFileThatPredictReads() throws IOException {
        Path corpus = dir.resolve("tiny.txt");
        Files.writeString(corpus, Resources.bundled(Resources.MOBY_DICK).substring(30_000, 50_000), StandardCharsets.UTF_8);
        Path model = dir.resolve("lm.vdrop");
        Cli lm = run("lm", "--corpus", corpus.toString(), "--scheme", "none", "--epochs", "1", "--mc-samples", "1",
                "--out", dir.resolve("lm.json").toString(), "--save", model.toString(), "--no-progress");
        assertEquals(0, lm.code(), lm.err());

        Cli r = run("predict", "--model", model.toString(), "--text", "call me", "--text", "zzqx unknownword",
                "--mc-samples", "3");
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(2, lines.size(), r.out());
        for (String line : lines) {
            JsonNode json = new ObjectMapper().readTree(line);
            JsonNode next = json.get("next");
            assertEquals(5, next.size(), line);
            double sum = 0;
            double previous = 1;
            for (JsonNode word : next) {
                double p = word.get("probability").asDouble();
                assertTrue(p <= previous && p > 0, "not in decreasing order: " + line);
                previous = p;
                sum += p;
                assertTrue(!word.get("word").asText().isEmpty(), line);
            }
            assertTrue(sum <= 1 + SUM_TOLERANCE, line);
            assertTrue(json.get("entropy").asDouble() > 0 && json.get("mutual_information").asDouble() >= -1e-9, line);
        }
    }

    @Test
    void badDataEndsWithOneLineNamingTheLineOrColumn() throws IOException {
        assertUserError("label\ttext\npositive\tgood\nnegative\tbad\textra\n", "line 3: 3 fields, but the header row has 2");
        assertUserError("label\ttext\npositive\tgood\nnegative\t  \n", "line 3: the text is empty");
        assertUserError("label\tbody\npositive\tgood\n", "no column text in the header row");
        assertUserError("label\ttext\n" + "positive\tgood\n".repeat(12), "has 1 label (positive) in its label column; "
                + "a classifier needs at least 2");
        assertUserError("label\ttext\npositive\tgood\nnegative\tbad\n", "has 2 examples; the 80/10/10 split needs at least 10");
    }

    @Test
    void aTextWithoutWordsIsAOneLineErrorNamingItsLine() throws IOException {
        String tsv = "label\ttext\n" + "a\tgood\nb\tbad\n".repeat(5) + "a\t!!! ...\n";
        assertUserError(tsv, "line 12: the text gives no tokens (\"!!! ...\"); a word needs a letter or digit", "--tokens",
                "words");
    }

    private void assertUserError(String tsv, String message, String... flags) throws IOException {
        Path file = dir.resolve("bad.tsv");
        Files.writeString(file, tsv, StandardCharsets.UTF_8);
        List<String> args = new ArrayList<>(List.of("classify", "--data", file.toString(), "--epochs", "1", "--out",
                dir.resolve("bad").toString()));
        args.addAll(List.of(flags));
        Cli r = run(args.toArray(String[]::new));
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().startsWith("vdrop: ") && r.err().contains(message), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
    }

    @Test
    void badFlagsAndModelFilesAreOneLineErrors() throws IOException {
        Cli tokens = run("classify", "--tokens", "bytes", "--out", dir.toString());
        assertEquals(2, tokens.code());
        assertEquals("vdrop: --tokens must be chars or words, got 'bytes'" + System.lineSeparator(), tokens.err());

        Cli missing = run("predict", "--model", dir.resolve("none.vdrop").toString(), "--text", "x");
        assertEquals(2, missing.code());
        assertEquals("vdrop: no model file at " + dir.resolve("none.vdrop") + System.lineSeparator(), missing.err());
    }

    @Test
    void csvFieldsAreQuotedAsRfc4180Says() {
        assertEquals("Anna", ClassifyCommand.csvField("Anna"));
        assertEquals("\"a, b\"", ClassifyCommand.csvField("a, b"));
        assertEquals("\"say \"\"hi\"\"\"", ClassifyCommand.csvField("say \"hi\""));
    }

    @Test
    void theSplitIsAShuffledPartitionOfEightyTenTen() {
        ClassifyCommand.Split split = ClassifyCommand.split(100, 7);
        assertEquals(80, split.train().size());
        assertEquals(10, split.valid().size());
        assertEquals(10, split.test().size());
        Set<Integer> all = new HashSet<>(split.train());
        all.addAll(split.valid());
        all.addAll(split.test());
        assertEquals(100, all.size());
        List<Integer> identity = new ArrayList<>();
        for (int i = 0; i < 80; i++) {
            identity.add(i);
        }
        assertTrue(!split.train().equals(identity), "not shuffled: " + split.train());
        assertEquals(split, ClassifyCommand.split(100, 7));
    }

    private static Set<String> toSet(Iterator<String> names) {
        Set<String> out = new HashSet<>();
        names.forEachRemaining(out::add);
        return out;
    }

    /** RFC 4180: fields separated by commas, a quoted field may hold commas, doubled quotes and line breaks. */
    private static List<List<String>> parseCsv(String text) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                row.add(field.toString());
                field.setLength(0);
            } else if (c == '\n') {
                row.add(field.toString());
                field.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
            } else {
                field.append(c);
            }
        }
        return rows;
    }
}
