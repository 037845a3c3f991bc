package dev.vdrop.samples;

import static dev.vdrop.samples.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vdrop.runtime.text.CorpusTokenizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The {@code lm} and {@code compare} commands end to end on a tiny slice of Moby-Dick (seconds). */
class LmCommandTest {
    @TempDir
    Path dir;

    private Path tinyCorpus() throws IOException {
        String text = Resources.bundled(Resources.MOBY_DICK).substring(30_000, 50_000);
        Path file = dir.resolve("tiny.txt");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    @Test
    void lmWritesEveryKeyOfTheContract() throws IOException {
        Path out = dir.resolve("lm.json");
        Cli r = run("lm", "--corpus", tinyCorpus().toString(), "--scheme", "awd", "--epochs", "1", "--mc-samples", "2",
                "--seed", "3", "--out", out.toString(), "--no-progress");
        assertEquals(0, r.code(), r.err());
        JsonNode json = new ObjectMapper().readTree(out.toFile());
        for (String key : List.of("valid_ppl", "test_ppl", "valid_ppl_mc", "test_ppl_mc", "train_tokens_per_second", "epochs",
                "parameters", "seed", "scheme")) {
            assertTrue(json.has(key), "missing " + key + " in " + json);
        }
        assertEquals("awd", json.get("scheme").asText());
        assertEquals(3, json.get("seed").asLong());
        // the vocabulary comes from the corpus: the tiny text has 922 words (<unk> included), not the
        // preset's 10,000, so E (200 × V), Dᵀ (200 × V) and d (V) hold 401 · 922 values beside the
        // two LSTMs' 2 · (800 · 400 + 800) = 641,600 (4,651,600 with V = 10,000)
        int words = dev.vdrop.runtime.text.Corpus.of(Files.readString(tinyCorpus()), LmExperiment.VOCABULARY)
                .vocabulary().size();
        assertEquals(922, words);
        assertEquals(641_600 + 401L * 922, json.get("parameters").asLong());
        assertTrue(json.get("valid_ppl").asDouble() > 1 && json.get("test_ppl_mc").asDouble() > 1, json.toString());
    }

    /**
     * The default job's model takes its vocabulary from the bundled corpus, which has the preset's
     * 10,000 words: the same shapes, so the same weights from the same seed and the same numbers as
     * when the annotation wrote 10,000.
     */
    @Test
    void theBundledCorpusGivesThePresetsVocabulary() {
        int words = LmExperiment.corpus(null, CorpusTokenizer.CONVENTION).vocabulary().size();

        assertEquals(10_000, words);
        var network = Scheme.VARIATIONAL.create(Cell.LSTM, 1, words);
        assertEquals(4_651_600, network.parameterCount());
        assertEquals(10_000, network.sizes().vocabulary().getAsInt());
        assertEquals(10_000, network.sizes().classes().getAsInt());
    }

    @Test
    void compareWritesTableJsonAndPlot() throws IOException {
        Path out = dir.resolve("cmp");
        Cli r = run("compare", "--corpus", tinyCorpus().toString(), "--schemes", "none,zaremba", "--epochs", "2",
                "--mc-samples", "1", "--out", out.toString(), "--no-progress");
        assertEquals(0, r.code(), r.err());
        String md = Files.readString(out.resolve("compare.md"));
        assertTrue(md.startsWith("| scheme | valid ppl | test ppl | valid ppl, MC | test ppl, MC |"), md);
        assertTrue(md.contains("| none |") && md.contains("| zaremba |"), md);
        assertEquals(2, new ObjectMapper().readTree(out.resolve("compare.json").toFile()).get("schemes").size());
        assertEquals(1000, ImageIO.read(out.resolve("validation.png").toFile()).getWidth());
    }

    @Test
    void compareClipsAtTheNormItIsGivenAndRecordsIt() throws IOException {
        Path protocol = dir.resolve("clip-5");
        Path clipped = dir.resolve("clip-0.25");
        for (Path out : List.of(protocol, clipped)) {
            Cli r = run("compare", "--corpus", tinyCorpus().toString(), "--schemes", "awd", "--cell", "gru", "--epochs", "1",
                    "--mc-samples", "1", "--out", out.toString(), "--no-progress", "--clip", out == protocol ? "5" : "0.25");
            assertEquals(0, r.code(), r.err());
        }
        JsonNode five = new ObjectMapper().readTree(protocol.resolve("compare.json").toFile());
        JsonNode quarter = new ObjectMapper().readTree(clipped.resolve("compare.json").toFile());
        assertEquals(5.0, five.get("clip").asDouble());
        assertEquals(0.25, quarter.get("clip").asDouble());
        assertEquals("0.25", quarter.get("schemes").get(0).get("config").get("clip").asText());
        // the same seed and data: only the clip differs, and a smaller one changes the training
        assertNotEquals(five.get("schemes").get(0).get("valid_ppl").asDouble(),
                quarter.get("schemes").get(0).get("valid_ppl").asDouble());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "lm --scheme dropout --out x.json | unknown scheme 'dropout'; use one of none, zaremba, variational, untied, awd",
            "lm --corpus /nonexistent/corpus.txt --out x.json | no such file: /nonexistent/corpus.txt",
            "lm --mc-samples 0 --out x.json | --mc-samples must be at least 1, got 0",
            "lm --epochs 0 --out x.json | --epochs must be positive, got 0",
            "lm --preset huge --out x.json | unknown preset 'huge'; the only preset is moby-small",
            "lm --epochs many --out x.json | Invalid value for option '--epochs': 'many' is not an int (see vdrop lm --help)",
            "lm | Missing required option: '--out=FILE.json' (see vdrop lm --help)",
            "compare --clip -1 --out cmp-bad | --clip must be a finite number ≥ 0 (0 turns clipping off), got -1.0"})
    void badInputEndsWithOneLineAndANonZeroExit(String args, String message) {
        Cli r = run(args.trim().split(" "));
        assertEquals(2, r.code());
        assertEquals("vdrop: " + message.trim() + System.lineSeparator(), r.err());
    }

    @Test
    void aCorpusTooSmallForThePresetIsAOneLineError() throws IOException {
        Path small = dir.resolve("small.txt");
        Files.writeString(small, "call me ishmael. ".repeat(40));
        Cli r = run("lm", "--corpus", small.toString(), "--out", dir.resolve("x.json").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("vdrop: the corpus is too small for the moby-small preset: its training split has "),
                r.err());
        assertEquals(1, r.err().lines().count());
    }
}
