package dev.vdrop.samples;

import static dev.vdrop.samples.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vdrop.runtime.model.ModelFile;
import dev.vdrop.runtime.model.ModelInput;
import dev.vdrop.runtime.model.Tokenization;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Text in any script and bytes that are not UTF-8, through the commands: a Cyrillic corpus with
 * {@code --tokenizer unicode} from {@code lm} to {@code predict}, the convention's refusal of it,
 * and a Latin-1 byte at a known offset in every file a command reads. Training runs are tiny
 * ({@code --batch 2 --steps 5}, 1 epoch): they check the plumbing, not the model.
 */
class TextInputTest {
    @TempDir
    Path dir;

    /** The Russian test corpus (its README says where it comes from), copied to a file. */
    private Path river() throws IOException {
        Path file = dir.resolve("river.txt");
        try (InputStream in = TextInputTest.class.getResourceAsStream("cyrillic/river.txt")) {
            Files.write(file, in.readAllBytes());
        }
        return file;
    }

    private static final String[] TINY = {"--epochs", "1", "--batch", "2", "--steps", "5", "--mc-samples", "2",
            "--no-progress"};

    private static String[] args(List<String> first) {
        List<String> all = new ArrayList<>(first);
        all.addAll(List.of(TINY));
        return all.toArray(String[]::new);
    }

    @Test
    void aCyrillicCorpusTrainsWithTheUnicodeTokenizerAndPredictSplitsTheSameWay() throws Exception {
        Path model = dir.resolve("river.vdrop");
        Path json = dir.resolve("lm.json");
        Cli lm = run(args(List.of("lm", "--corpus", river().toString(), "--tokenizer", "unicode", "--scheme", "variational",
                "--out", json.toString(), "--save", model.toString())));
        assertEquals(0, lm.code(), lm.err());
        JsonNode report = new ObjectMapper().readTree(json.toFile());
        assertEquals("unicode", report.get("tokenizer").asText());
        // 593 words and 14 paragraph ends (the corpus's README); 80% of 607 for training
        assertEquals(485, report.get("tokens").get("train").asInt(), report.toString());
        // a model of Russian words, not of punctuation: a uniform guess over ~300 words would be ~300
        double ppl = report.get("valid_ppl").asDouble();
        assertTrue(Double.isFinite(ppl) && ppl > 2, report.toString());

        ModelFile file = ModelFile.load(model);
        ModelInput.Tokens input = (ModelInput.Tokens) file.info().input();
        assertEquals(Tokenization.WORDS, input.tokenization());
        assertTrue(input.symbols().containsAll(List.of("река", "деревня", "старик", "<eos>")), input.symbols().toString());

        Cli predict = run("predict", "--model", model.toString(), "--text", "Старик выходит на крыльцо и смотрит на",
                "--mc-samples", "3");
        assertEquals(0, predict.code(), predict.err());
        JsonNode line = new ObjectMapper().readTree(predict.out().lines().findFirst().orElseThrow());
        double sum = 0;
        boolean cyrillic = false;
        for (JsonNode next : line.get("next")) {
            double p = next.get("probability").asDouble();
            assertTrue(p > 0 && p < 1, line.toString());
            sum += p;
            cyrillic |= next.get("word").asText().codePoints()
                    .anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.CYRILLIC);
        }
        assertTrue(sum <= 1 + 1e-9, line.toString());
        assertTrue(cyrillic, "no Russian word among the five most likely: " + line);
        double entropy = line.get("entropy").asDouble();
        // between 0 and ln V nats: above 0 after one epoch, and no more than the uniform distribution's
        assertTrue(entropy > 0 && entropy <= Math.log(input.symbols().size()) + 1e-9, line.toString());

        // predict's standard input is strict UTF-8 too: "Старик\n" is 13 bytes, then a Latin-1 é
        InputStream stdin = System.in;
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            bytes.write("Старик\n".getBytes(StandardCharsets.UTF_8));
            bytes.write(new byte[] {(byte) 0xE9, '\n'});
            System.setIn(new ByteArrayInputStream(bytes.toByteArray()));
            Cli bad = run("predict", "--model", model.toString(), "--mc-samples", "2");
            assertEquals(2, bad.code());
            assertEquals("vdrop: standard input: not UTF-8 at byte offset 13 (line 2): 0xE9; save it as UTF-8"
                    + System.lineSeparator(), bad.err());
        } finally {
            System.setIn(stdin);
        }
    }

    @Test
    void anEnglishCorpusKeepsTheConventionByDefault() throws Exception {
        // a slice of the bundled Moby-Dick: English, so the convention keeps nearly all of its letters
        Path corpus = dir.resolve("tiny.txt");
        Files.writeString(corpus, Resources.bundled(Resources.MOBY_DICK).substring(30_000, 40_000), StandardCharsets.UTF_8);
        Path model = dir.resolve("en.vdrop");
        Path json = dir.resolve("lm.json");
        Cli lm = run(args(List.of("lm", "--corpus", corpus.toString(), "--scheme", "none", "--out", json.toString(),
                "--save", model.toString())));
        assertEquals(0, lm.code(), lm.err());
        assertEquals("convention", new ObjectMapper().readTree(json.toFile()).get("tokenizer").asText());
        assertEquals(Tokenization.ASCII_WORDS, ((ModelInput.Tokens) ModelFile.load(model).info().input()).tokenization());
    }

    @Test
    void theConventionRefusesACorpusThatLosesItsLettersBeforeTraining() throws IOException {
        Path json = dir.resolve("lm.json");
        Path corpus = river();
        Cli r = run(args(List.of("lm", "--corpus", corpus.toString(), "--out", json.toString())));
        assertEquals(2, r.code());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("vdrop: " + corpus + ": the convention's tokens ([a-z0-9] words and punctuation) "
                + "drop 100.0% of the corpus's letters ("), r.err());
        assertTrue(r.err().contains("--tokenizer unicode"), r.err());
        assertFalse(Files.exists(json));
    }

    @Test
    void compareStatesItsTokenizerInJsonAndTable() throws IOException {
        Path out = dir.resolve("cmp");
        Cli r = run(args(List.of("compare", "--corpus", river().toString(), "--tokenizer", "unicode", "--schemes", "none",
                "--out", out.toString())));
        assertEquals(0, r.code(), r.err());
        JsonNode json = new ObjectMapper().readTree(out.resolve("compare.json").toFile());
        assertEquals("unicode", json.get("tokenizer").asText());
        assertEquals("unicode", json.get("schemes").get(0).get("tokenizer").asText());
        assertTrue(Files.readString(out.resolve("compare.md")).contains("\nTokenizer: unicode (docs/data.md).\n"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"lm", "compare"})
    void anUnknownTokenizerIsAOneLineError(String command) {
        Cli r = run(command, "--tokenizer", "ascii", "--out", dir.resolve("x").toString());
        assertEquals(2, r.code());
        assertEquals("vdrop: unknown --tokenizer 'ascii'; use convention (the comparison's English words, the default) "
                + "or unicode (words of every script)" + System.lineSeparator(), r.err());
    }

    /**
     * A file of {@code lines} valid UTF-8 lines (Cyrillic included, so characters and bytes differ)
     * and then {@code caf}, a Latin-1 {@code é} (0xE9) and a line feed: the bad byte is at offset
     * {@code size of the lines + 3}, on line {@code lines + 1}.
     */
    private static byte[] withLatin1(String header, String line, int lines, String before) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write(header.getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < lines; i++) {
            bytes.write(line.getBytes(StandardCharsets.UTF_8));
        }
        bytes.write(before.getBytes(StandardCharsets.UTF_8));
        bytes.write(new byte[] {(byte) 0xE9, '\n'});
        return bytes.toByteArray();
    }

    @Test
    void aCorpusThatIsNotUtf8NamesTheOffset() throws IOException {
        // 500 lines of "call me ишмаэль.\n": "call me " (8 bytes), 7 Cyrillic letters of 2 bytes, ".\n": 24 bytes
        Path corpus = dir.resolve("latin1.txt");
        Files.write(corpus, withLatin1("", "call me ишмаэль.\n", 500, "caf"));
        Cli r = run(args(List.of("lm", "--corpus", corpus.toString(), "--out", dir.resolve("x.json").toString())));
        assertEquals(2, r.code());
        assertEquals("vdrop: " + corpus + ": not UTF-8 at byte offset " + (500 * 24 + 3)
                + " (line 501): 0xE9; save it as UTF-8" + System.lineSeparator(), r.err());
    }

    @Test
    void aLabelledTsvThatIsNotUtf8NamesTheOffset() throws IOException {
        // "label\ttext\n" is 11 bytes; "ru\tпривет\n" is 3 + 12 + 1 = 16
        Path tsv = dir.resolve("latin1.tsv");
        Files.write(tsv, withLatin1("label\ttext\n", "ru\tпривет\n", 300, "fr\tcaf"));
        Cli r = run("classify", "--data", tsv.toString(), "--epochs", "1", "--out", dir.resolve("out").toString());
        assertEquals(2, r.code());
        assertEquals("vdrop: " + tsv + ": not UTF-8 at byte offset " + (11 + 300 * 16 + 6)
                + " (line 302): 0xE9; save it as UTF-8" + System.lineSeparator(), r.err());
    }

    @Test
    void aForecastCsvThatIsNotUtf8NamesTheOffset() throws IOException {
        // "day,births\n" is 11 bytes; "1,9000\n" is 7
        Path csv = dir.resolve("latin1.csv");
        Files.write(csv, withLatin1("day,births\n", "1,9000\n", 400, "2,caf"));
        Cli r = run("forecast", "--csv", csv.toString(), "--column", "births", "--epochs", "1",
                "--out", dir.resolve("fc").toString());
        assertEquals(2, r.code());
        assertEquals("vdrop: " + csv + ": not UTF-8 at byte offset " + (11 + 400 * 7 + 5)
                + " (line 402): 0xE9; save it as UTF-8" + System.lineSeparator(), r.err());
    }
}
