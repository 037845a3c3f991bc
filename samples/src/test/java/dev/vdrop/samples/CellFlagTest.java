package dev.vdrop.samples;

import static dev.vdrop.samples.Cli.console;
import static dev.vdrop.samples.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vdrop.runtime.Network;
import dev.vdrop.runtime.NetworkConfig;
import dev.vdrop.runtime.Summary;
import dev.vdrop.runtime.model.ModelFile;
import dev.vdrop.runtime.text.Corpus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code --cell lstm|gru} on {@code lm}, {@code compare}, {@code classify} and {@code forecast}: the
 * flag picks the model's GRU twin, every report names the cell, a bad value or a resume with another
 * cell is refused with one line, and without the flag each command trains the LSTM model it trained
 * before. Tiny runs (a slice of Moby-Dick, small batches, one or two epochs: seconds each); no
 * number of a GRU run is asserted here beyond being a number — the cell's maths has its own tests.
 */
class CellFlagTest {
    /** The one line every bad {@code --cell} ends with: the value and the allowed ones. */
    private static final String BAD_CELL = "vdrop: unknown --cell 'rnn'; use one of lstm, gru" + System.lineSeparator();

    @TempDir
    static Path dir;
    private static Path corpus;
    private static Path csv;

    @BeforeAll
    static void writeData() throws Exception {
        corpus = dir.resolve("tiny.txt");
        Files.writeString(corpus, Resources.bundled(Resources.MOBY_DICK).substring(30_000, 36_000), StandardCharsets.UTF_8);
        StringBuilder rows = new StringBuilder("day,births\n");
        for (int t = 0; t < 200; t++) {
            rows.append(t).append(',').append(String.format(Locale.ROOT, "%.1f", 1000 + 2 * t + 150 * Math.sin(2 * Math.PI * t / 7)))
                    .append('\n');
        }
        csv = dir.resolve("small.csv");
        Files.writeString(csv, rows, StandardCharsets.UTF_8);
    }

    /** {@code lm} on the tiny corpus for {@code epochs} epochs, small segments, then {@code more}. */
    private static String[] lm(int epochs, String... more) {
        String[] base = {"lm", "--corpus", corpus.toString(), "--epochs", Integer.toString(epochs), "--mc-samples", "1",
            "--seed", "3", "--batch", "4", "--steps", "10", "--no-progress"};
        String[] all = Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    private static JsonNode json(Path file) throws Exception {
        return new ObjectMapper().readTree(file.toFile());
    }

    @Test
    void lmWithGruTrainsTheGruTwinNamesItAndSavesAModelFileThatPredictReads() throws Exception {
        Path out = dir.resolve("lm-gru.json");
        Path model = dir.resolve("lm-gru.vdrop");
        Cli r = console(lm(1, "--scheme", "awd", "--cell", "gru", "--out", out.toString(), "--save", model.toString()));
        assertEquals(0, r.code(), r.err());

        assertTrue(r.out().contains("scheme awd: GRU layers, "), r.out());
        JsonNode report = json(out);
        assertEquals("gru", report.get("cell").asText());
        assertEquals("awd", report.get("scheme").asText());
        // two GRU layers of 200 units: 2 · 3 · 200 · (200 + 200 + 2), beside 401 values per word
        int words = Corpus.of(Files.readString(corpus), LmExperiment.VOCABULARY).vocabulary().size();
        assertEquals(482_400 + 401L * words, report.get("parameters").asLong());
        assertTrue(report.get("valid_ppl").asDouble() > 1, report.toString());
        // the model file names the network's class, and with it the cell
        assertEquals("dev.vdrop.samples.MobySmallGruAwd", ModelFile.load(model).modelClass());

        Cli predict = run("predict", "--model", model.toString(), "--text", "call me", "--mc-samples", "2");
        assertEquals(0, predict.code(), predict.err());
        List<String> lines = predict.out().lines().toList();
        assertEquals(1, lines.size(), predict.out());
        JsonNode line = new ObjectMapper().readTree(lines.get(0));
        assertEquals("call me", line.get("text").asText());
        assertEquals(5, line.get("next").size(), line.toString());
    }

    /**
     * Without {@code --cell} the language model is the LSTM network of before: its class, its
     * parameter count (two LSTM layers of 200 units: 2 · (800 · 400 + 800) beside the embedding,
     * decoder and bias: 401 values per word) and, with {@code --cell lstm}, the same numbers to the bit.
     */
    @Test
    void withoutTheFlagLmTrainsTheLstmModelOfBefore() throws Exception {
        Path plain = dir.resolve("lm-plain.json");
        Path model = dir.resolve("lm-plain.vdrop");
        Cli r = console(lm(1, "--out", plain.toString(), "--save", model.toString()));
        assertEquals(0, r.code(), r.err());
        Path lstm = dir.resolve("lm-lstm.json");
        Cli named = run(lm(1, "--cell", "lstm", "--out", lstm.toString()));
        assertEquals(0, named.code(), named.err());

        assertTrue(r.out().contains("scheme variational: LSTM layers, "), r.out());
        assertEquals(MobyDickLmNetwork.class.getName(), ModelFile.load(model).modelClass());
        JsonNode a = json(plain);
        JsonNode b = json(lstm);
        assertEquals("lstm", a.get("cell").asText());
        int words = Corpus.of(Files.readString(corpus), LmExperiment.VOCABULARY).vocabulary().size();
        assertEquals(641_600 + 401L * words, a.get("parameters").asLong());
        for (String key : List.of("parameters", "valid_ppl", "test_ppl", "valid_ppl_mc", "test_ppl_mc", "best_valid_ppl")) {
            assertEquals(a.get(key).asDouble(), b.get(key).asDouble(), 0.0, key);
        }
        assertEquals(a.get("history").get(0).get("train_ppl"), b.get("history").get(0).get("train_ppl"));
    }

    @Test
    void compareWithGruRunsEverySchemesGruTwinAndNamesTheCell() throws Exception {
        Path out = dir.resolve("cmp-gru");
        Cli r = console("compare", "--corpus", corpus.toString(), "--schemes", "zaremba,untied", "--cell", "gru", "--epochs", "1",
                "--mc-samples", "1", "--batch", "4", "--steps", "10", "--out", out.toString(), "--no-progress");
        assertEquals(0, r.code(), r.err());

        JsonNode all = json(out.resolve("compare.json"));
        assertEquals("gru", all.get("cell").asText());
        assertEquals(2, all.get("schemes").size());
        for (JsonNode scheme : all.get("schemes")) {
            assertEquals("gru", scheme.get("cell").asText(), scheme.toString());
        }
        assertTrue(r.out().contains("scheme zaremba: GRU layers, ") && r.out().contains("scheme untied: GRU layers, "), r.out());
        String md = Files.readString(out.resolve("compare.md"));
        assertTrue(md.contains("\nCell: gru.\nTokenizer: convention (docs/data.md).\n"), md);
    }

    @Test
    void theComparisonTableNamesItsCell() throws IOException {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("scheme", "none");
        report.put("tokenizer", "convention");
        for (String key : List.of("valid_ppl", "test_ppl", "valid_ppl_mc", "test_ppl_mc", "best_valid_ppl", "train_tokens_per_second")) {
            report.put(key, 2.0);
        }
        report.put("best_epoch", 1);
        Path md = dir.resolve("table.md");
        CompareCommand.writeTable(md, Cell.GRU, List.of(report));
        assertTrue(Files.readString(md).endsWith("\n\nCell: gru.\nTokenizer: convention (docs/data.md).\n"), Files.readString(md));
    }

    /** The bundled names, one epoch: the GRU classifier end to end, and predict reads its model file. */
    @Test
    void classifyWithGruRunsOnTheBundledNames() throws Exception {
        Path out = dir.resolve("names-gru");
        Cli r = run("classify", "--cell", "gru", "--epochs", "1", "--mc-samples", "2", "--seed", "2", "--out",
                out.toString(), "--no-progress");
        assertEquals(0, r.code(), r.err());

        assertTrue(r.out().contains("train / valid / test; GRU, "), r.out());
        JsonNode report = json(out.resolve("classify.json"));
        assertEquals("gru", report.get("cell").asText());
        assertEquals("TextClassifierGruNetwork", report.get("model").asText());
        assertEquals(8_841, report.get("train_examples").asInt() + report.get("valid_examples").asInt()
                + report.get("test_examples").asInt(), "every bundled name");
        double accuracy = report.get("accuracy_mc").asDouble();
        assertTrue(accuracy >= 0 && accuracy <= 1, report.toString());
        Path model = out.resolve("model.vdrop");
        assertEquals(TextClassifierGruNetwork.class.getName(), ModelFile.load(model).modelClass());

        Cli predict = run("predict", "--model", model.toString(), "--text", "anna", "--mc-samples", "2");
        assertEquals(0, predict.code(), predict.err());
        JsonNode line = new ObjectMapper().readTree(predict.out().lines().findFirst().orElseThrow());
        assertTrue(Set.of("female", "male").contains(line.get("label").asText()), line.toString());
    }

    @Test
    void forecastWithGruTrainsTheGruTwinAndNamesTheCell() throws Exception {
        Path out = dir.resolve("fc-gru");
        Cli r = run("forecast", "--csv", csv.toString(), "--cell", "gru", "--epochs", "2", "--mc-samples", "3", "--out",
                out.toString());
        assertEquals(0, r.code(), r.err());

        assertTrue(r.out().contains("window 14, horizon 1; GRU"), r.out());
        JsonNode report = json(out.resolve("forecast.json"));
        assertEquals("gru", report.get("cell").asText());
        assertEquals("SeriesForecasterGruNetwork", report.get("model").asText());
        assertTrue(report.get("rmse").asDouble() > 0, report.toString());
    }

    @Test
    void forecastWithoutTheFlagIsTheLstmForecaster() throws Exception {
        Path out = dir.resolve("fc-plain");
        Cli r = run("forecast", "--csv", csv.toString(), "--epochs", "1", "--mc-samples", "2", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode report = json(out.resolve("forecast.json"));
        assertEquals("lstm", report.get("cell").asText());
        assertEquals("SeriesForecasterNetwork", report.get("model").asText());
    }

    @ParameterizedTest
    @ValueSource(strings = {"lm", "compare", "classify", "forecast"})
    void aBadCellIsRefusedNamingTheAllowedValues(String command) {
        Path out = dir.resolve("bad-" + command + (command.equals("lm") ? ".json" : ""));
        Cli r = run(command, "--cell", "rnn", "--out", out.toString());
        assertEquals(2, r.code(), r.err());
        assertEquals(BAD_CELL, r.err());
        assertFalse(Files.exists(out), "nothing written before the flags are checked");
    }

    @Test
    void aCellIsCaseSensitiveAsEveryOtherChoiceIs() {
        Cli r = run("lm", "--cell", "GRU", "--out", dir.resolve("upper.json").toString());
        assertEquals(2, r.code());
        assertEquals("vdrop: unknown --cell 'GRU'; use one of lstm, gru" + System.lineSeparator(), r.err());
    }

    /** A GRU checkpoint resumed without {@code --cell} (an LSTM run), alone and with another scheme too. */
    @Test
    void resumingACheckpointWithAnotherCellIsRefusedNamingBothCells() throws Exception {
        Path checkpoint = dir.resolve("gru-checkpoint");
        Cli trained = run(lm(1, "--scheme", "awd", "--cell", "gru", "--checkpoint", checkpoint.toString(), "--out",
                dir.resolve("gru-one.json").toString()));
        assertEquals(0, trained.code(), trained.err());

        Path out = dir.resolve("resumed.json");
        Cli cell = console(lm(2, "--scheme", "awd", "--resume", checkpoint.toString(), "--out", out.toString()));
        assertEquals(2, cell.code(), cell.err());
        assertEquals("vdrop: the checkpoint in " + checkpoint + " was trained with --cell gru; this run asks for --cell lstm; "
                + "resume with --cell gru" + System.lineSeparator(), cell.err());
        assertFalse(cell.out().contains("scheme awd:"), "refused before any work: " + cell.out());
        assertFalse(Files.exists(out));

        Cli both = run(lm(2, "--resume", checkpoint.toString(), "--out", out.toString()));
        assertEquals(2, both.code(), both.err());
        assertEquals("vdrop: the checkpoint in " + checkpoint + " was trained with --scheme awd --cell gru; this run asks for "
                + "--scheme variational --cell lstm; resume with --scheme awd --cell gru" + System.lineSeparator(), both.err());

        Cli same = run(lm(2, "--scheme", "awd", "--cell", "gru", "--resume", checkpoint.toString(), "--out",
                out.toString()));
        assertEquals(0, same.code(), same.err());
        assertEquals("gru", json(out).get("cell").asText());
    }

    /**
     * Every scheme's GRU twin drops what its LSTM network drops: the same layers in the same order,
     * the same dropout on every connection (probabilities, masks, weight drop), each recurrent layer a
     * {@code VariationalGRU} where the LSTM network has a {@code VariationalLSTM}.
     */
    @ParameterizedTest
    @EnumSource(Scheme.class)
    void everySchemesGruTwinHasItsLstmNetworksDropout(Scheme scheme) {
        Network<int[][], int[][]> lstm = scheme.create(Cell.LSTM, 1, 30);
        Network<int[][], int[][]> gru = scheme.create(Cell.GRU, 1, 30);
        assertEquals(scheme.networkClass(Cell.LSTM), lstm.getClass());
        assertEquals(scheme.networkClass(Cell.GRU), gru.getClass());
        assertNotEquals(lstm.getClass(), gru.getClass());
        assertTwins(lstm.summary(), gru.summary());
        assertEquals(new Scheme.Trained(scheme, Cell.GRU), Scheme.ofNetworkClass(gru.getClass().getName()).orElseThrow());
        assertEquals(new Scheme.Trained(scheme, Cell.LSTM), Scheme.ofNetworkClass(lstm.getClass().getName()).orElseThrow());
    }

    @Test
    void theClassifierAndTheForecasterHaveGruTwinsWithTheirDropout() {
        NetworkConfig config = NetworkConfig.builder().seed(1).build();
        assertTwins(ClassifyCommand.classifier(Cell.LSTM, 30, 2, config).summary(),
                ClassifyCommand.classifier(Cell.GRU, 30, 2, config).summary());
        assertTwins(ForecastCommand.forecaster(Cell.LSTM, config).summary(), ForecastCommand.forecaster(Cell.GRU, config).summary());
        assertEquals(TextClassifierGruNetwork.class, ClassifyCommand.classifierClass(Cell.GRU));
        assertEquals(TextClassifierNetwork.class, ClassifyCommand.classifierClass(Cell.LSTM));
    }

    /**
     * Every GRU twin's recurrent layer has a GRU's parameters: with H units over I inputs, where the
     * LSTM layer has 4H × I, 4H × H and 4H biases, the GRU has 3H × I, 3H × H, and b_x and b_h of 3H.
     */
    @Test
    void everyGruTwinsLayersHaveAGrusParameters() {
        NetworkConfig config = NetworkConfig.builder().seed(1).build();
        for (Scheme scheme : Scheme.values()) {
            assertGruParameters(scheme.create(Cell.LSTM, 1, 30).summary(), scheme.create(Cell.GRU, 1, 30).summary());
        }
        assertGruParameters(ClassifyCommand.classifier(Cell.LSTM, 30, 2, config).summary(),
                ClassifyCommand.classifier(Cell.GRU, 30, 2, config).summary());
        assertGruParameters(ForecastCommand.forecaster(Cell.LSTM, config).summary(),
                ForecastCommand.forecaster(Cell.GRU, config).summary());
    }

    private static void assertGruParameters(Summary lstm, Summary gru) {
        for (int i = 0; i < lstm.rows().size(); i++) {
            Summary.Row l = lstm.rows().get(i);
            Summary.Row g = gru.rows().get(i);
            if (!l.type().equals("VariationalLSTM")) {
                assertEquals(l.parameters(), g.parameters(), g.toString());
                continue;
            }
            long units = Long.parseLong(l.outputShape().replaceAll(".*\\D(\\d+)\\)$", "$1"));
            assertEquals(0, l.parameters() % (4 * units), l.toString());
            long inputs = l.parameters() / (4 * units) - units - 1;
            assertEquals(3 * units * (inputs + units + 2), g.parameters(), g.toString());
        }
    }

    private static void assertTwins(Summary lstm, Summary gru) {
        assertEquals(lstm.rows().size(), gru.rows().size());
        int recurrent = 0;
        for (int i = 0; i < lstm.rows().size(); i++) {
            Summary.Row l = lstm.rows().get(i);
            Summary.Row g = gru.rows().get(i);
            if (l.type().equals("VariationalLSTM")) {
                recurrent++;
                assertEquals("VariationalGRU", g.type(), g.toString());
                assertEquals(l.name().replace("lstm", "gru"), g.name());
            } else {
                assertEquals(l.type(), g.type());
                assertEquals(l.name(), g.name());
            }
            assertEquals(l.dropout(), g.dropout(), l.name() + " and " + g.name());
            assertEquals(l.outputShape(), g.outputShape(), l.name() + " and " + g.name());
        }
        assertTrue(recurrent > 0, lstm.toString());
    }
}
