package dev.vdrop.spark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vdrop.samples.ClassifyCommand;
import dev.vdrop.spark.TestData;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code vdrop-spark classify} on local[2]: one worker gives {@code vdrop classify}'s numbers and
 * predictions; two workers write the samples' files and report the cut and the rounds; a mistake
 * in its own flags is one line and exit code 2.
 */
class ClassifyOnSparkCommandTest {
    @TempDir
    Path dir;

    /** 401 names, female and male in turn: 321 to train, 40 to validate, 40 to test. */
    private Path names() throws Exception {
        List<List<String>> rows = new ArrayList<>();
        List<String> names = TestData.names(401);
        for (int i = 0; i < names.size(); i++) {
            rows.add(List.of(i % 2 == 0 ? "female" : "male", names.get(i)));
        }
        return TestData.tsv(dir.resolve("names.tsv"), List.of("label", "text"), rows);
    }

    private static JsonNode report(Path out) throws Exception {
        return new ObjectMapper().readTree(out.resolve("classify.json").toFile());
    }

    @Test
    void oneWorkerGivesVdropClassifysNumbers() throws Exception {
        Path data = names();
        Path single = dir.resolve("single");
        Path spark = dir.resolve("spark");
        String[] common = {"--data", data.toString(), "--epochs", "2", "--mc-samples", "3", "--seed", "5", "--no-progress"};
        List<String> singleArgs = new ArrayList<>(List.of(common));
        singleArgs.addAll(List.of("--out", single.toString()));
        StringWriter singleOut = new StringWriter();
        int code = new CommandLine(new ClassifyCommand()).setOut(new PrintWriter(singleOut, true))
                .execute(singleArgs.toArray(String[]::new));
        assertEquals(0, code, singleOut.toString());
        List<String> sparkArgs = new ArrayList<>(List.of("classify", "--workers", "1", "--average-every", "4",
                "--conf", "spark.ui.enabled=false", "--out", spark.toString()));
        sparkArgs.addAll(List.of(common));
        Cli run = Cli.run(sparkArgs.toArray(String[]::new));
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("spark: 1 worker of 321 examples (0 left out), averaging every 4 steps"), run.out());
        JsonNode a = report(single);
        JsonNode b = report(spark);
        for (String field : List.of("valid_loss", "valid_accuracy", "best_epoch", "accuracy", "nll_mc", "brier_mc")) {
            assertEquals(a.get(field).asDouble(), b.get(field).asDouble(), 0.0, field);
        }
        assertEquals(Files.readString(single.resolve("predictions.csv"), StandardCharsets.UTF_8),
                Files.readString(spark.resolve("predictions.csv"), StandardCharsets.UTF_8));
        assertEquals(1, b.get("workers").asInt());
    }

    @Test
    void twoWorkersWriteTheFilesAndReportTheCutAndTheRounds() throws Exception {
        Path out = dir.resolve("two");
        Cli run = Cli.run("classify", "--workers", "2", "--average-every", "3", "--data", names().toString(), "--epochs",
                "1", "--mc-samples", "2", "--no-progress", "--conf", "spark.ui.enabled=false", "--out", out.toString());
        assertEquals(0, run.code(), run.err());
        for (String file : ClassifyCommand.RESULTS) {
            assertTrue(Files.exists(out.resolve(file)), file);
        }
        JsonNode report = report(out);
        assertEquals(2, report.get("workers").asInt());
        assertEquals(160, report.get("examples_per_worker").asInt());
        assertEquals(1, report.get("dropped_examples").asInt());
        // 160 / 32 = 5 steps: averages after 3, then at the epoch's end
        assertEquals(2, report.get("rounds_per_worker").asInt());
        assertEquals(1, Files.readAllLines(out.resolve("train.jsonl")).size());
    }

    @Test
    void aMistakeInItsOwnFlagsIsOneLine() {
        Cli run = Cli.run("classify", "--workers", "0", "--out", dir.resolve("x").toString(), "--no-progress");
        assertEquals(2, run.code(), run.out());
        assertEquals("vdrop-spark: --workers must be at least 1, got 0", run.err().strip());
        Cli every = Cli.run("classify", "--average-every", "0", "--out", dir.resolve("y").toString(), "--no-progress");
        assertEquals(2, every.code(), every.out());
        assertEquals("vdrop-spark: --average-every must be at least 1 (optimiser steps between averages), got 0",
                every.err().strip());
    }
}
