package dev.vdrop.samples;

import static dev.vdrop.samples.Cli.console;
import static dev.vdrop.samples.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A resumed {@code lm} run reports the whole run; a resume that asks for fewer epochs than the
 * checkpoint has, or for another scheme or cell, is refused before any work with the flags the user typed.
 * On a tiny slice of Moby-Dick, small batches (seconds).
 */
class LmResumeReportTest {
    @TempDir
    static Path dir;
    private static Path corpus;
    /** A 2-epoch awd run from the start (its checkpoint after epoch 2), and a checkpoint after epoch 1. */
    private static JsonNode straight;
    private static Path afterTwo;
    private static Path afterOne;

    private static String[] lm(int epochs, String... more) {
        String[] base = {"lm", "--corpus", corpus.toString(), "--scheme", "awd", "--epochs", Integer.toString(epochs),
                "--mc-samples", "1", "--seed", "3", "--batch", "4", "--steps", "10", "--no-progress"};
        String[] all = Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    @BeforeAll
    static void trainStraightAndAfterOne() throws IOException {
        corpus = dir.resolve("tiny.txt");
        Files.writeString(corpus, Resources.bundled(Resources.MOBY_DICK).substring(30_000, 36_000), StandardCharsets.UTF_8);
        afterTwo = dir.resolve("after-two");
        Cli whole = run(lm(2, "--checkpoint", afterTwo.toString(), "--out", dir.resolve("straight.json").toString()));
        assertEquals(0, whole.code(), whole.err());
        straight = new ObjectMapper().readTree(dir.resolve("straight.json").toFile());
        afterOne = dir.resolve("after-one");
        Cli one = run(lm(1, "--checkpoint", afterOne.toString(), "--out", dir.resolve("one.json").toString()));
        assertEquals(0, one.code(), one.err());
    }

    /** A copy of a checkpoint, so that every test resumes from the same one. */
    private static Path copy(Path checkpoint, String name) throws IOException {
        Path copy = dir.resolve(name);
        Files.createDirectories(copy);
        Files.copy(checkpoint.resolve("checkpoint.vdrop"), copy.resolve("checkpoint.vdrop"));
        return copy;
    }

    @Test
    void aResumedReportIsTheWholeRunsReport() throws IOException {
        Path out = dir.resolve("resumed.json");
        Cli r = run(lm(2, "--resume", copy(afterOne, "resume-2").toString(), "--out", out.toString()));
        assertEquals(0, r.code(), r.err());
        JsonNode resumed = new ObjectMapper().readTree(out.toFile());

        JsonNode history = resumed.get("history");
        assertEquals(2, history.size(), history.toString());
        for (int e = 0; e < 2; e++) {
            assertEquals(e + 1, history.get(e).get("epoch").asInt());
            // the epochs before the checkpoint come from its history, exactly as the straight run's
            assertEquals(straight.get("history").get(e).get("valid_ppl").asDouble(), history.get(e).get("valid_ppl").asDouble(),
                    0.0, "epoch " + (e + 1));
            assertEquals(straight.get("history").get(e).get("train_ppl").asDouble(), history.get(e).get("train_ppl").asDouble(),
                    0.0, "epoch " + (e + 1));
        }
        for (String key : new String[] {"valid_ppl", "test_ppl", "best_valid_ppl", "best_epoch", "epochs"}) {
            assertEquals(straight.get(key).asDouble(), resumed.get(key).asDouble(), 0.0, key);
        }
        // the median of both epochs' throughputs (the upper one of two), the one before the resume included
        double[] speeds = {history.get(0).get("train_tokens_per_second").asDouble(),
            history.get(1).get("train_tokens_per_second").asDouble()};
        assertEquals(Math.max(speeds[0], speeds[1]), resumed.get("train_tokens_per_second").asDouble(), 0.0);
    }

    @Test
    void resumingWithTheCheckpointsEpochsTrainsNothingAndReportsTheWholeRun() throws IOException {
        Path out = dir.resolve("same.json");
        Cli r = run(lm(2, "--resume", copy(afterTwo, "resume-same").toString(), "--out", out.toString()));
        assertEquals(0, r.code(), r.err());
        JsonNode json = new ObjectMapper().readTree(out.toFile());
        assertEquals(2, json.get("epochs").asInt());
        assertEquals(2, json.get("history").size());
        assertEquals(straight.get("history"), json.get("history"), "the checkpoint's history, as the run reported it");
        assertEquals(straight.get("best_epoch"), json.get("best_epoch"));
        assertTrue(json.get("train_tokens_per_second").isNumber(), json.toString());
        assertTrue(json.get("train_tokens_per_second").asDouble() > 0, json.toString());
    }

    @Test
    void resumingWithFewerEpochsIsRefusedBeforeAnyWork() throws IOException {
        Path checkpoint = copy(afterTwo, "resume-1");
        Path out = dir.resolve("short.json");
        Cli r = console(lm(1, "--resume", checkpoint.toString(), "--out", out.toString()));
        assertEquals(2, r.code(), r.err());
        assertEquals("vdrop: the checkpoint in " + checkpoint + " has trained 2 epochs, more than --epochs 1; resume with "
                + "--epochs 2 or more (2 trains nothing more and reports the whole run)" + System.lineSeparator(), r.err());
        assertFalse(r.out().contains("scheme awd:"), "no work started: " + r.out());
        assertFalse(Files.exists(out));
    }

    @Test
    void aCheckpointOfAnotherSchemeIsNamedByItsScheme() throws IOException {
        Path checkpoint = copy(afterOne, "resume-variational");
        Cli r = run("lm", "--corpus", corpus.toString(), "--scheme", "variational", "--epochs", "2", "--resume",
                checkpoint.toString(), "--out", dir.resolve("other.json").toString(), "--no-progress");
        assertEquals(2, r.code(), r.err());
        assertEquals("vdrop: the checkpoint in " + checkpoint + " was trained with --scheme awd; this run asks for "
                + "--scheme variational; resume with --scheme awd" + System.lineSeparator(), r.err());
    }

    @Test
    void aCheckpointOfAnotherCellIsNamedByItsCell() throws IOException {
        Path checkpoint = copy(afterOne, "resume-gru");
        Path out = dir.resolve("gru.json");
        Cli r = run(lm(2, "--cell", "gru", "--resume", checkpoint.toString(), "--out", out.toString()));
        assertEquals(2, r.code(), r.err());
        assertEquals("vdrop: the checkpoint in " + checkpoint + " was trained with --cell lstm; this run asks for "
                + "--cell gru; resume with --cell lstm" + System.lineSeparator(), r.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void aCheckpointOfAnotherSchemeAndCellIsNamedByBoth() throws IOException {
        Path checkpoint = copy(afterOne, "resume-none-gru");
        Cli r = run("lm", "--corpus", corpus.toString(), "--scheme", "none", "--cell", "gru", "--epochs", "2", "--resume",
                checkpoint.toString(), "--out", dir.resolve("none-gru.json").toString(), "--no-progress");
        assertEquals(2, r.code(), r.err());
        assertEquals("vdrop: the checkpoint in " + checkpoint + " was trained with --scheme awd --cell lstm; this run asks "
                + "for --scheme none --cell gru; resume with --scheme awd --cell lstm" + System.lineSeparator(), r.err());
    }
}
