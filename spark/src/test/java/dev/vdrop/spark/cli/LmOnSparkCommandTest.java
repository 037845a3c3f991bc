package dev.vdrop.spark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vdrop.samples.LmCommand;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code vdrop-spark lm} on local[2]: one worker gives {@code vdrop lm}'s numbers (a tiny corpus,
 * one epoch); its own flags' mistakes ({@code --workers} or {@code --average-every} below 1, a
 * checkpoint) are one line and exit code 2.
 */
class LmOnSparkCommandTest {
    @TempDir
    Path dir;

    /** 20,000 characters of the bundled Moby-Dick: about 3,600 training tokens. */
    private Path tinyCorpus() throws Exception {
        String text;
        try (InputStream in = LmCommand.class.getResourceAsStream("data/moby-dick.txt")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8).substring(30_000, 50_000);
        }
        Path file = dir.resolve("tiny.txt");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    @Test
    void oneWorkerGivesVdropLmsNumbers() throws Exception {
        Path corpus = tinyCorpus();
        Path single = dir.resolve("single.json");
        Path spark = dir.resolve("spark.json");
        String[] common = {"--corpus", corpus.toString(), "--epochs", "1", "--mc-samples", "2", "--seed", "3",
            "--no-progress"};
        List<String> singleArgs = new ArrayList<>(List.of(common));
        singleArgs.addAll(List.of("--out", single.toString()));
        int code = new CommandLine(new LmCommand()).execute(singleArgs.toArray(String[]::new));
        assertEquals(0, code);
        List<String> sparkArgs = new ArrayList<>(List.of("lm", "--workers", "1", "--average-every", "2",
                "--conf", "spark.ui.enabled=false", "--out", spark.toString()));
        sparkArgs.addAll(List.of(common));
        Cli run = Cli.run(sparkArgs.toArray(String[]::new));
        assertEquals(0, run.code(), run.err());
        JsonNode a = new ObjectMapper().readTree(single.toFile());
        JsonNode b = new ObjectMapper().readTree(spark.toFile());
        for (String field : List.of("valid_ppl", "test_ppl", "valid_ppl_mc", "test_ppl_mc", "best_valid_ppl",
                "best_epoch", "parameters")) {
            assertEquals(a.get(field).asDouble(), b.get(field).asDouble(), 0.0, field);
        }
        assertEquals(a.get("history").get(0).get("train_ppl").asDouble(),
                b.get("history").get(0).get("train_ppl").asDouble(), 0.0);
        assertEquals(1, b.get("workers").asInt());
        assertEquals(a.get("tokens").get("train").asInt(), b.get("tokens_per_worker").asInt());
        assertEquals(0, b.get("dropped_tokens").asInt());
        assertEquals(0, b.get("rounds_per_worker").asInt());
    }

    @Test
    void mistakesInItsOwnFlagsAreOneLine() throws Exception {
        String corpus = tinyCorpus().toString();
        Cli workers = Cli.run("lm", "--workers", "0", "--corpus", corpus, "--out", dir.resolve("a.json").toString(),
                "--no-progress");
        assertEquals(2, workers.code(), workers.out());
        assertEquals("vdrop-spark: --workers must be at least 1, got 0", workers.err().strip());
        Cli every = Cli.run("lm", "--average-every", "0", "--corpus", corpus, "--out", dir.resolve("b.json").toString(),
                "--no-progress");
        assertEquals(2, every.code(), every.out());
        assertEquals("vdrop-spark: --average-every must be at least 1 (optimiser steps between averages), got 0",
                every.err().strip());
        Cli checkpoint = Cli.run("lm", "--workers", "1", "--corpus", corpus, "--checkpoint", dir.toString(), "--out",
                dir.resolve("c.json").toString(), "--no-progress");
        assertEquals(2, checkpoint.code(), checkpoint.out());
        assertTrue(checkpoint.err().startsWith("vdrop-spark: vdrop-spark lm has no --checkpoint or --resume"),
                checkpoint.err());
    }
}
