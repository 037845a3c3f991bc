package dev.vdrop.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vdrop.runtime.checkpoint.Checkpoint;
import dev.vdrop.runtime.checkpoint.CheckpointException;
import dev.vdrop.runtime.checkpoint.Checkpoints;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault test: a training run with a checkpoint after every epoch runs in a child JVM that is
 * killed with SIGKILL at a fixed list of moments — during an epoch's batches, inside a save (its
 * temporary file partly written), right after a save — each time resumed from its checkpoint
 * directory in a new child, until one child finishes. Every kill must leave the last completed
 * checkpoint loadable (and a kill inside a save its temporary file), and the finished run must equal
 * one uninterrupted run with the same seed: its checkpoint's every tensor bit for bit and its
 * metadata but the timings, and what it reports. Two runs: the language model through the command
 * line ({@code vdrop lm}, the stateful-stream loop) and a classifier through {@code SequenceTrainer}
 * ({@link ClassifierTrainingChild}, the shuffled-sequence loop).
 *
 * <p>The moments are deterministic through the checkpoint writer's fault seam (the system property
 * {@value ChildJvm#HOLD_PROPERTY}): a child killed inside or right after a save is held there until
 * the kill; a child killed during epoch e's batches is killed a seeded fraction of an epoch after
 * epoch e − 1's save, and is held before epoch e's save should it get there first, so the kill always
 * lands between the two checkpoints. The byte offsets and fractions come from
 * {@code new SplittableRandom(19)} (the classifier's from 20).
 */
class KillResumeTest {
    private static final int LM_EPOCHS = 6;
    private static final int CLASSIFIER_EPOCHS = 5;
    private static final long SEED = 19;
    private static final String CHECKPOINT = "checkpoint.vdrop";
    /** A save no child reaches: the seam's lines without a hold. */
    private static final int NEVER = 1_000_000;

    @TempDir
    Path dir;

    /** Where a kill lands. */
    private sealed interface Moment {
        /** {@return the epoch whose save (or whose batches, for a kill during an epoch) the kill is at} */
        int epoch();

        /** {@return the epoch whose checkpoint the kill leaves} */
        int leaves();
    }

    /** During epoch {@code epoch}'s batches, {@code fraction} of an epoch after the previous save. */
    private record DuringEpoch(int epoch, double fraction) implements Moment {
        @Override
        public int leaves() {
            return epoch - 1;
        }
    }

    /**
     * Inside epoch {@code epoch}'s save, {@code fraction} of the checkpoint's bytes written to the
     * temporary file (between 5% and 75%, so that it is partly written whatever the 64 KiB steps of
     * the writer).
     */
    private record InsideSave(int epoch, double fraction) implements Moment {
        InsideSave(int epoch, SplittableRandom random) {
            this(epoch, 0.05 + 0.7 * random.nextDouble());
        }

        @Override
        public int leaves() {
            return epoch - 1;
        }
    }

    /** Right after epoch {@code epoch}'s save: the checkpoint moved into place, nothing else done. */
    private record AfterSave(int epoch) implements Moment {
        @Override
        public int leaves() {
            return epoch;
        }
    }

    /** A training run in a child JVM: a new one on an empty directory, or the resume of one. */
    private interface Trainer {
        ChildJvm start(boolean resume, Path checkpointDir, String hold, String name);
    }

    /** The uninterrupted run: its last checkpoint, the length of an epoch and the checkpoint's size. */
    private record Reference(Checkpoint checkpoint, double epochMillis, long checkpointBytes) {}

    @Test
    void theLanguageModelsCommandLineResumedAfterEveryKillEqualsTheUninterruptedRun() throws Exception {
        long start = System.nanoTime();
        Path corpus = dir.resolve("corpus.txt");
        // about 430 tokens: 345 to train (8 segments of 4 streams × 10 steps an epoch), 43 each to validate and test
        Files.writeString(corpus, Resources.bundled(Resources.MOBY_DICK).substring(30_000, 32_000), StandardCharsets.UTF_8);
        Trainer lm = (resume, checkpointDir, hold, name) -> ChildJvm.start(Main.class.getName(), List.of("lm",
                "--corpus", corpus.toString(), "--scheme", "variational", "--seed", Long.toString(SEED),
                "--epochs", Integer.toString(LM_EPOCHS), "--batch", "4", "--steps", "10", "--mc-samples", "2", "--no-progress",
                resume ? "--resume" : "--checkpoint", checkpointDir.toString(),
                "--out", checkpointDir.resolveSibling(checkpointDir.getFileName() + ".json").toString()),
                hold, dir.resolve(name + ".out"));
        SplittableRandom random = new SplittableRandom(SEED);
        // two kills during an epoch, three inside a save, two right after one — the last after the
        // final epoch's save, before the report is written: the last resume has no epoch left to train
        List<Moment> moments = List.of(
                new DuringEpoch(2, random.nextDouble()),
                new InsideSave(3, random),
                new AfterSave(3),
                new InsideSave(4, random),
                new DuringEpoch(5, random.nextDouble()),
                new InsideSave(6, random),
                new AfterSave(6));

        Path whole = dir.resolve("whole");
        Reference reference = uninterrupted(lm, whole, LM_EPOCHS, "lm");
        Path run = dir.resolve("killed");
        List<Path> temporaries = new ArrayList<>();
        killAndResume(lm, run, moments, reference, temporaries, "lm");
        assertFinishedAsUninterrupted(lm, reference, run, temporaries, "lm");
        assertSameReport(new ObjectMapper().readTree(dir.resolve("whole.json").toFile()),
                new ObjectMapper().readTree(dir.resolve("killed.json").toFile()));
        System.out.printf(Locale.ROOT, "KillResumeTest lm: %d kills, every resume equal to the uninterrupted run, %.1f s%n",
                moments.size(), (System.nanoTime() - start) / 1e9);
    }

    @Test
    void theShuffledSequenceLoopResumedAfterEveryKillEqualsTheUninterruptedRun() throws Exception {
        long start = System.nanoTime();
        Trainer classifier = (resume, checkpointDir, hold, name) -> ChildJvm.start(ClassifierTrainingChild.class.getName(),
                List.of(resume ? "resume" : "fresh", checkpointDir.toString(), Integer.toString(CLASSIFIER_EPOCHS),
                        checkpointDir.resolveSibling(checkpointDir.getFileName() + ".result").toString()),
                hold, dir.resolve(name + ".out"));
        SplittableRandom random = new SplittableRandom(SEED + 1);
        List<Moment> moments = List.of(
                new InsideSave(2, random),
                new DuringEpoch(3, random.nextDouble()),
                new AfterSave(3),
                new InsideSave(5, random));

        Path whole = dir.resolve("whole");
        Reference reference = uninterrupted(classifier, whole, CLASSIFIER_EPOCHS, "classifier");
        Path run = dir.resolve("killed");
        List<Path> temporaries = new ArrayList<>();
        killAndResume(classifier, run, moments, reference, temporaries, "classifier");
        assertFinishedAsUninterrupted(classifier, reference, run, temporaries, "classifier");
        Checkpoint expected = Checkpoints.load(dir.resolve("whole.result"));
        Checkpoint actual = Checkpoints.load(dir.resolve("killed.result"));
        assertEquals(expected.metadata(), actual.metadata(), "the result's best epoch, score and every epoch's metrics");
        assertSameTensors(expected, actual);
        System.out.printf(Locale.ROOT, "KillResumeTest classifier: %d kills, every resume equal to the uninterrupted run, "
                + "%.1f s%n", moments.size(), (System.nanoTime() - start) / 1e9);
    }

    /** Runs {@code trainer} to its end, timing its epochs by the seam's lines (a hold that never comes). */
    private static Reference uninterrupted(Trainer trainer, Path checkpointDir, int epochs, String label) throws Exception {
        long[] saved = new long[epochs + 1];
        try (ChildJvm child = trainer.start(false, checkpointDir, NEVER + ":after", label + "-whole")) {
            for (int e = 1; e <= epochs; e++) {
                child.await("saved " + e + " ");
                saved[e] = System.nanoTime();
            }
            child.awaitSuccess();
        }
        Path file = checkpointDir.resolve(CHECKPOINT);
        double epochMillis = (saved[epochs] - saved[1]) / 1e6 / (epochs - 1);
        Reference reference = new Reference(Checkpoints.load(file), epochMillis, Files.size(file));
        System.out.printf(Locale.ROOT, "KillResumeTest %s: uninterrupted run, %.0f ms an epoch, checkpoint %,d bytes%n", label,
                reference.epochMillis(), reference.checkpointBytes());
        return reference;
    }

    /**
     * Kills a new child at each moment in turn, the first a new run, the others resumes of the one
     * before, and checks what each kill left.
     *
     * @param temporaries gets the temporary file each kill inside a save left
     */
    private void killAndResume(Trainer trainer, Path run, List<Moment> moments, Reference reference, List<Path> temporaries,
                              String label) throws Exception {
        int from = 0;
        int kills = 0;
        for (Moment moment : moments) {
            kills++;
            String what = label + " kill " + kills + " " + moment;
            // a child that resumes from epoch `from` saves epoch e as its (e − from)-th save
            int save = moment.epoch() - from;
            assertTrue(save >= (moment instanceof DuringEpoch ? 2 : 1),
                    what + ": the plan must kill after the last kill's checkpoint (during an epoch: a save after it)");
            String hold;
            if (moment instanceof InsideSave s) {
                hold = save + ":" + (long) (s.fraction() * reference.checkpointBytes());
            } else {
                hold = save + (moment instanceof DuringEpoch ? ":before" : ":after");
            }
            String landed;
            try (ChildJvm child = trainer.start(from > 0, run, hold, label + "-kill" + kills)) {
                for (int n = 1; n < save; n++) {
                    child.await("saved " + n + " ");
                }
                if (moment instanceof DuringEpoch d) {
                    Thread.sleep((long) (d.fraction() * reference.epochMillis()));
                    landed = child.hasSaid() ? "held before its save" : "during the epoch";
                    child.kill();
                } else if (moment instanceof InsideSave) {
                    String line = child.await("holding save " + save + " at ");
                    child.kill();
                    Path temporary = Path.of(line.substring(line.lastIndexOf(' ') + 1));
                    assertTrue(Files.exists(temporary), what + ": the kill inside the save must leave " + temporary);
                    assertTrue(temporary.getFileName().toString().matches("\\.checkpoint\\.vdrop\\.[0-9a-f]+\\.tmp"),
                            temporary.toString());
                    long size = Files.size(temporary);
                    assertTrue(size > 0 && size < reference.checkpointBytes(), what + ": " + size + " bytes, partly written");
                    temporaries.add(temporary);
                    landed = "with " + size + " bytes of " + temporary.getFileName();
                } else {
                    child.await("saved " + save + " ");
                    child.await("holding save " + save + " at after ");
                    child.kill();
                    landed = "after the move";
                }
            }
            Checkpoint left = Checkpoints.load(run.resolve(CHECKPOINT));
            assertEquals(Integer.toString(moment.leaves()), left.require("epoch"), what);
            assertSameRunSoFar(reference.checkpoint(), left, what);
            System.out.printf(Locale.ROOT, "KillResumeTest %s, %s: the checkpoint of epoch %d loads%n", what, landed,
                    moment.leaves());
            from = moment.leaves();
        }
    }

    /** Resumes the killed run to its end; its checkpoint must be the uninterrupted run's but for timings. */
    private void assertFinishedAsUninterrupted(Trainer trainer, Reference reference, Path run, List<Path> temporaries,
                                               String label) throws Exception {
        try (ChildJvm child = trainer.start(true, run, null, label + "-last")) {
            child.awaitSuccess();
        }
        Checkpoint finished = Checkpoints.load(run.resolve(CHECKPOINT));
        assertEquals(reference.checkpoint().metadata().keySet(), finished.metadata().keySet());
        assertSameRunSoFar(reference.checkpoint(), finished, label + ": the finished run");
        assertSameTensors(reference.checkpoint(), finished);
        // the next run in the directory, holding its lock, removes what kills inside a save left
        for (Path temporary : temporaries) {
            assertFalse(Files.exists(temporary), "a resume leaves the stale " + temporary);
        }
        try (Stream<Path> files = Files.list(run)) {
            assertEquals(List.of(), files.filter(f -> f.getFileName().toString().endsWith(".tmp")).toList());
        }
    }

    /**
     * The checkpoint after a kill against the uninterrupted run's last: the same settings, model and
     * vocabulary, and the history of its epochs equal but for the timings (throughput and seconds,
     * the third and fourth fields of a history line).
     */
    private static void assertSameRunSoFar(Checkpoint reference, Checkpoint left, String label) throws CheckpointException {
        assertEquals(reference.vocabulary(), left.vocabulary(), label);
        int epoch = Integer.parseInt(left.require("epoch"));
        for (var e : reference.metadata().entrySet()) {
            String key = e.getKey();
            boolean setting = key.startsWith("config.") && !key.equals("config.epochs");
            if (setting || key.equals("model") || key.equals("training_format")) {
                assertEquals(e.getValue(), left.metadata().get(key), label + ": " + key);
            }
        }
        for (int n = 1; n <= epoch; n++) {
            assertEquals(withoutTimings(reference.require("history." + n)), withoutTimings(left.require("history." + n)),
                    label + ": history of epoch " + n);
        }
        if (epoch == Integer.parseInt(reference.require("epoch"))) {
            for (var e : reference.metadata().entrySet()) {
                if (!e.getKey().startsWith("history.")) {
                    assertEquals(e.getValue(), left.metadata().get(e.getKey()), label + ": " + e.getKey());
                }
            }
        }
    }

    private static List<String> withoutTimings(String historyLine) {
        List<String> fields = new ArrayList<>(List.of(historyLine.split(" ")));
        fields.remove(3);
        fields.remove(2);
        return fields;
    }

    /** Every group, name, type, shape and bit of the tensors. */
    private static void assertSameTensors(Checkpoint expected, Checkpoint actual) {
        assertEquals(expected.tensors().keySet(), actual.tensors().keySet());
        int compared = 0;
        for (var group : expected.tensors().entrySet()) {
            var other = actual.tensors().get(group.getKey());
            assertEquals(group.getValue().keySet(), other.keySet(), group.getKey());
            for (var t : group.getValue().entrySet()) {
                var a = t.getValue();
                var b = other.get(t.getKey());
                String name = group.getKey() + "/" + t.getKey();
                assertEquals(a.dataType(), b.dataType(), name);
                assertEquals(a.rows(), b.rows(), name);
                assertEquals(a.cols(), b.cols(), name);
                for (int c = 0; c < a.cols(); c++) {
                    for (int r = 0; r < a.rows(); r++) {
                        if (Double.doubleToRawLongBits(a.get(r, c)) != Double.doubleToRawLongBits(b.get(r, c))) {
                            throw new AssertionError(name + "[" + r + ", " + c + "]: " + a.get(r, c) + " uninterrupted, "
                                    + b.get(r, c) + " after the kills");
                        }
                    }
                }
                compared++;
            }
        }
        assertTrue(compared > 0, "no tensors compared");
    }

    /**
     * The final report against the uninterrupted run's: every number but the timings, and the whole
     * run's history entry by entry (a resumed report carries the epochs before the resume too).
     */
    private static void assertSameReport(JsonNode expected, JsonNode actual) {
        for (String key : List.of("scheme", "seed", "epochs", "parameters", "valid_ppl", "test_ppl", "valid_ppl_mc",
                "test_ppl_mc", "mc_samples", "best_valid_ppl", "best_epoch", "tokens", "config")) {
            assertTrue(expected.has(key), key);
            assertEquals(expected.get(key), actual.get(key), key);
        }
        List<JsonNode> history = new ArrayList<>();
        expected.get("history").forEach(e -> history.add(withoutTimings(e)));
        List<JsonNode> resumed = new ArrayList<>();
        actual.get("history").forEach(e -> resumed.add(withoutTimings(e)));
        assertEquals(history, resumed, "history");
    }

    private static JsonNode withoutTimings(JsonNode epoch) {
        var copy = epoch.deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) copy).remove("train_tokens_per_second");
        return copy;
    }
}
