package dev.vdrop.spark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vdrop.runtime.model.Tokenization;
import dev.vdrop.spark.Births;
import dev.vdrop.spark.TestData;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vdrop-spark score} in this JVM on local[2]: its CSV part files, summary and refusals. */
class ScoreCommandTest {
    @TempDir
    Path dir;

    @Test
    void writesCsvPartsWithAHeaderAndASummary() throws Exception {
        Path model = TestData.classifier(dir.resolve("model.vdrop"), Tokenization.CHARS);
        List<List<String>> rows = new ArrayList<>();
        for (String name : TestData.names(30)) {
            rows.add(List.of(name, "x"));
        }
        rows.add(List.of("", "y"));
        Path data = TestData.tsv(dir.resolve("names.tsv"), List.of("text", "note"), rows);
        Path out = dir.resolve("scored");
        String[] args = {"score", "--model", model.toString(), "--data", data.toString(), "--out", out.toString(),
                "--mc-samples", "4", "--seed", "3", "--batch", "8", "--partitions", "2", "--conf", "spark.ui.enabled=false"};
        Cli run = Cli.run(args);
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().startsWith("vdrop-spark: scored 30 rows with K = 4 (1 not scored: see their error column)"),
                run.out());

        List<Path> parts;
        try (Stream<Path> files = Files.list(out)) {
            parts = files.filter(f -> f.getFileName().toString().startsWith("part-")).sorted().toList();
        }
        assertTrue(parts.size() >= 1, "part files in " + out);
        List<String> lines = new ArrayList<>();
        for (Path part : parts) {
            List<String> partLines = Files.readAllLines(part, StandardCharsets.UTF_8);
            assertEquals("line,text,note,predicted,p_predicted,entropy,mutual_information,p_female,p_male,p_both,error",
                    partLines.get(0));
            lines.addAll(partLines.subList(1, partLines.size()));
        }
        assertEquals(31, lines.size());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("32,\"\",y,,,,,,,,empty text")), String.join("\n", lines));

        JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertEquals(31, summary.get("rows").asLong());
        assertEquals(30, summary.get("scored").asLong());
        assertEquals(1, summary.get("errors").asLong());
        assertEquals(4, summary.get("mc_samples").asInt());
        assertEquals(3, summary.get("seed").asLong());
        assertEquals(8, summary.get("batch").asInt());
        assertEquals("line", summary.get("key").asText());
        assertTrue(summary.get("seconds").asDouble() > 0);
        assertTrue(summary.get("startup_seconds").asDouble() > 0);

        Cli again = Cli.run(args);
        assertEquals(2, again.code());
        assertEquals("vdrop-spark: " + out + " exists; give another --out, or --overwrite to replace it\n", again.err());
    }

    @Test
    void scoresAForecastersFeatureColumns() throws Exception {
        Births births = new Births();
        Path model = births.model(dir.resolve("births.vdrop"));
        List<String> header = new ArrayList<>(List.of("day"));
        header.addAll(Births.columns());
        List<List<String>> rows = new ArrayList<>();
        for (int origin = 7000; origin < 7020; origin++) {
            List<String> fields = new ArrayList<>(List.of(Integer.toString(origin)));
            fields.addAll(Births.fields(births.window(origin)));
            rows.add(fields);
        }
        rows.get(3).set(5, "x");
        Path data = TestData.tsv(dir.resolve("windows.tsv"), header, rows);
        Path out = dir.resolve("forecasts");
        Cli run = Cli.run("score", "--model", model.toString(), "--data", data.toString(), "--features", "s0*,s1*", "--key", "day",
                "--out", out.toString(), "--mc-samples", "4", "--batch", "8", "--conf", "spark.ui.enabled=false");
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().startsWith("vdrop-spark: scored 19 rows with K = 4 (1 not scored: see their error column)"),
                run.out());
        JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertEquals("s0*", summary.get("features").get(0).asText());
        assertTrue(summary.get("units").asText().endsWith("(the model file's scaling)"), summary.toString());
        try (Stream<Path> files = Files.list(out)) {
            Path part = files.filter(f -> f.getFileName().toString().startsWith("part-")).findFirst().orElseThrow();
            assertTrue(Files.readAllLines(part).get(0).endsWith(",s13_cos,mean_0,variance_0,lo80_0,hi80_0,lo95_0,hi95_0,"
                    + "mean_1,variance_1,lo80_1,hi80_1,lo95_1,hi95_1,error"), part.toString());
        }

        Cli text = Cli.run("score", "--model", model.toString(), "--data", data.toString(), "--out", dir.resolve("o").toString());
        assertEquals(2, text.code());
        assertTrue(text.err().endsWith("holds a model that reads 3 features a step, not text: name its feature columns\n"),
                text.err());
        Cli map = Cli.run("score", "--model", model.toString(), "--data", data.toString(), "--features", "s*", "--map", "1",
                "--out", dir.resolve("o").toString());
        assertEquals("vdrop-spark: --map takes two numbers, A,B; got 1\n", map.err());
    }

    @Test
    void theBaselineInOneJvmGivesWhatScoreGives() throws Exception {
        Path model = TestData.classifier(dir.resolve("model.vdrop"), Tokenization.CHARS);
        List<List<String>> rows = new ArrayList<>();
        for (String name : TestData.names(50)) {
            rows.add(List.of(name, "x"));
        }
        Path data = TestData.tsv(dir.resolve("names.tsv"), List.of("text", "note"), rows);
        Cli spark = Cli.run("score", "--model", model.toString(), "--data", data.toString(), "--out", dir.resolve("spark").toString(),
                "--mc-samples", "4", "--batch", "16", "--partitions", "3", "--conf", "spark.ui.enabled=false");
        assertEquals(0, spark.code(), spark.err());
        JsonNode summary = new ObjectMapper().readTree(dir.resolve("spark/summary.json").toFile());
        assertTrue(summary.get("scoring_seconds").asDouble() > 0, summary.toString());
        assertTrue(summary.get("first_task_seconds").asDouble() >= 0, summary.toString());
        Cli local = Cli.run("score-local", "--model", model.toString(), "--data", data.toString(), "--out",
                dir.resolve("local").toString(), "--mc-samples", "4", "--batch", "7");
        assertEquals(0, local.code(), local.err());
        assertTrue(local.out().startsWith("vdrop-spark score-local: scored 50 rows with K = 4"), local.out());
        Cli same = Cli.run("score-compare", dir.resolve("local").toString(), dir.resolve("spark").toString());
        assertEquals(0, same.code(), same.out());
        assertTrue(same.out().startsWith("same: 50 lines, largest difference "), same.out());
        Cli other = Cli.run("score-local", "--model", model.toString(), "--data", data.toString(), "--out",
                dir.resolve("seed2").toString(), "--mc-samples", "4", "--seed", "2");
        assertEquals(0, other.code(), other.err());
        Cli different = Cli.run("score-compare", dir.resolve("local").toString(), dir.resolve("seed2").toString());
        assertEquals(1, different.code(), different.out());
        assertTrue(different.out().startsWith("DIFFERENT: 50 lines"), different.out());
    }

    @Test
    void refusesWhatItCannotScore() throws Exception {
        Cli missing = Cli.run("score", "--model", dir.resolve("none.vdrop").toString(), "--data", "x.tsv", "--out",
                dir.resolve("o").toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().startsWith("vdrop-spark: "), missing.err());
        assertTrue(missing.err().contains("none.vdrop"), missing.err());

        Path model = TestData.classifier(dir.resolve("model.vdrop"), Tokenization.CHARS);
        Cli noData = Cli.run("score", "--model", model.toString(), "--data", dir.resolve("none.tsv").toString(), "--out",
                dir.resolve("o").toString(), "--conf", "spark.ui.enabled=false");
        assertEquals(2, noData.code(), noData.err());
        assertTrue(noData.err().startsWith("vdrop-spark: cannot read --data: Input path does not exist: "), noData.err());

        Cli samples = Cli.run("score", "--model", "m", "--data", "d", "--out", "o", "--mc-samples", "0");
        assertEquals(2, samples.code());
        assertEquals("vdrop-spark: --mc-samples must be between 1 and 10000, got 0\n", samples.err());

        Cli noOut = Cli.run("score", "--model", "m", "--data", "d");
        assertEquals(2, noOut.code());
        assertTrue(noOut.err().contains("Missing required option: '--out=DIR'"), noOut.err());
    }
}
