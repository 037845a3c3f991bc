package dev.vdrop.checks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vdrop.runtime.NetworkConfig;
import dev.vdrop.runtime.Rng;
import dev.vdrop.runtime.checkpoint.Checkpoints;
import dev.vdrop.runtime.io.DirectoryLock;
import dev.vdrop.runtime.model.ModelFile;
import dev.vdrop.runtime.model.ModelFileException;
import dev.vdrop.runtime.model.ModelInput;
import dev.vdrop.runtime.model.PredictionInfo;
import dev.vdrop.runtime.model.Tokenization;
import dev.vdrop.runtime.text.Corpus;
import dev.vdrop.runtime.train.LanguageModelTrainer;
import dev.vdrop.runtime.train.RegressionConfig;
import dev.vdrop.runtime.train.RegressionTrainer;
import dev.vdrop.runtime.train.SequenceConfig;
import dev.vdrop.runtime.train.SequenceResult;
import dev.vdrop.runtime.train.SequenceTrainer;
import dev.vdrop.runtime.train.TrainingConfig;
import dev.vdrop.runtime.train.TrainingException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checkpoint directory of every trainer, before epoch 1: a new run does not replace another
 * run's checkpoint unless told to overwrite, one run at a time holds the directory (a second one is
 * refused with the first one's process id), a directory that cannot be written is refused before
 * any training, and the temporaries a killed run left are removed. "No training happened" is shown
 * by the metrics file, which the first epoch would create.
 */
class CheckpointDirectoryTest {
    private static final String FILE = LanguageModelTrainer.CHECKPOINT_FILE;

    @TempDir
    Path dir;

    private static SequenceResult classify(SequenceConfig.Builder config) {
        Rng rng = new Rng(1);
        int[][] x = new int[24][];
        int[] y = new int[24];
        for (int i = 0; i < x.length; i++) {
            x[i] = new int[1 + (int) (rng.nextDouble() * 5)];
            for (int t = 0; t < x[i].length; t++) {
                x[i][t] = (int) (rng.nextDouble() * 9);
            }
            y[i] = x[i][0] % 3;
        }
        return new SequenceTrainer(config.batch(8).seed(5).build())
                .train(new LoopWordClassifierNetwork(NetworkConfig.builder().seed(1).build()), x, y, x, y);
    }

    @Test
    void aNewRunDoesNotReplaceAnotherRunsCheckpointUnlessToldTo() throws Exception {
        Path checkpoints = dir.resolve("run");
        classify(SequenceConfig.builder().epochs(2).checkpointDir(checkpoints));
        byte[] before = Files.readAllBytes(checkpoints.resolve(FILE));

        Path metrics = dir.resolve("train.jsonl");
        TrainingException refused = assertThrows(TrainingException.class,
                () -> classify(SequenceConfig.builder().epochs(1).checkpointDir(checkpoints).metrics(metrics)));
        assertEquals(checkpoints.resolve(FILE) + " holds the checkpoint of another run, which a new run would replace: "
                + "resume from it, set overwrite(true) in its configuration to replace it, or choose another checkpoint "
                + "directory", refused.getMessage());
        assertArrayEquals(before, Files.readAllBytes(checkpoints.resolve(FILE)), "the checkpoint is unchanged");
        assertFalse(Files.exists(metrics), "no epoch was trained");

        // resuming from it is what the checkpoint is for
        assertEquals(3, classify(SequenceConfig.builder().epochs(3).checkpointDir(checkpoints).resumeFrom(checkpoints))
                .epochs().size());
        classify(SequenceConfig.builder().epochs(1).checkpointDir(checkpoints).overwrite(true));
        assertEquals(1, Checkpoints.load(checkpoints.resolve(FILE)).requireLong("epoch"), "replaced on purpose");
    }

    @Test
    void aRunHoldsItsDirectorySoASecondRunIsRefusedWithTheFirstsProcessId() throws IOException {
        Path metrics = dir.resolve("train.jsonl");
        try (DirectoryLock first = DirectoryLock.acquire(dir.resolve("run"))) {
            TrainingException e = assertThrows(TrainingException.class,
                    () -> classify(SequenceConfig.builder().epochs(1).checkpointDir(dir.resolve("run")).metrics(metrics)));
            assertTrue(e.getMessage().startsWith("cannot use the checkpoint directory: " + dir.resolve("run")
                    + " is in use by another vdrop run (process " + ProcessHandle.current().pid()), e.getMessage());
            assertFalse(Files.exists(metrics), "no epoch was trained");
        }
        classify(SequenceConfig.builder().epochs(1).checkpointDir(dir.resolve("run")));
        // released at the end of the run, and after a refused run too
        try (DirectoryLock after = DirectoryLock.acquire(dir.resolve("run"))) {
            assertThrows(TrainingException.class, () -> classify(SequenceConfig.builder().epochs(1).checkpointDir(dir.resolve("run"))));
        }
        assertThrows(TrainingException.class, () -> classify(SequenceConfig.builder().epochs(1).checkpointDir(dir.resolve("run"))));
        DirectoryLock.acquire(dir.resolve("run")).close();
    }

    @Test
    void aDirectoryBelowAFileIsRefusedBeforeTraining() throws IOException {
        Path file = Files.writeString(dir.resolve("notes.txt"), "x");
        Path metrics = dir.resolve("train.jsonl");
        TrainingException e = assertThrows(TrainingException.class,
                () -> classify(SequenceConfig.builder().epochs(1).checkpointDir(file.resolve("run")).metrics(metrics)));
        assertEquals("cannot write checkpoints: " + file.resolve("run") + " is below " + file
                + ", which is a file, not a directory", e.getMessage());
        assertFalse(Files.exists(metrics), "no epoch was trained");
    }

    @Test
    void theTemporaryOfAKilledSaveIsRemovedByTheNextRun() throws IOException {
        Path checkpoints = Files.createDirectory(dir.resolve("run"));
        Path stale = Files.write(checkpoints.resolve("." + FILE + ".5e1f00c3a9b2d417.tmp"), new byte[4096]);
        Path mine = Files.writeString(checkpoints.resolve("notes.tmp"), "not ours");
        classify(SequenceConfig.builder().epochs(1).checkpointDir(checkpoints));
        assertFalse(Files.exists(stale));
        assertTrue(Files.exists(mine));
        assertTrue(Files.exists(checkpoints.resolve(FILE)));
    }

    @Test
    void theLanguageModelAndRegressionTrainersRefuseToReplaceACheckpointToo() throws IOException {
        Corpus corpus;
        try (InputStream in = CheckpointDirectoryTest.class.getResourceAsStream("/moby-dick-slice.txt")) {
            corpus = Corpus.of(new String(in.readAllBytes(), StandardCharsets.UTF_8), 500);
        }
        Files.createDirectories(dir.resolve("lm"));
        Files.writeString(dir.resolve("lm").resolve(FILE), "another run's checkpoint");
        TrainingException lm = assertThrows(TrainingException.class, () -> new LanguageModelTrainer(
                TrainingConfig.builder().epochs(1).batch(10).steps(20).evalStreams(5).progress(false)
                        .checkpointDir(dir.resolve("lm")).metrics(dir.resolve("lm.jsonl")).build())
                .train(new TinyLmNetwork(NetworkConfig.builder().build()), corpus.train(), corpus.valid(),
                        corpus.vocabulary().words()));
        assertTrue(lm.getMessage().contains("set overwrite(true) in its configuration"), lm.getMessage());
        assertEquals("another run's checkpoint", Files.readString(dir.resolve("lm").resolve(FILE)));
        assertFalse(Files.exists(dir.resolve("lm.jsonl")));

        Files.createDirectories(dir.resolve("fc"));
        Files.writeString(dir.resolve("fc").resolve(FILE), "another run's checkpoint");
        double[][][] x = new double[20][6][3];
        double[][] y = new double[20][2];
        TrainingException fc = assertThrows(TrainingException.class, () -> new RegressionTrainer(RegressionConfig.builder()
                .epochs(1).checkpointDir(dir.resolve("fc")).metrics(dir.resolve("fc.jsonl")).build())
                .train(new ForecasterNetwork(NetworkConfig.builder().build()), x, y));
        assertTrue(fc.getMessage().contains("set overwrite(true) in its configuration"), fc.getMessage());
        assertFalse(Files.exists(dir.resolve("fc.jsonl")));
    }

    /**
     * A full disk before training: a 96 KB tmpfs, less than the language model's checkpoint (4 groups ×
     * about 30,000 parameters × 4 bytes), where the machine lets the test mount one.
     */
    @Test
    void aFileSystemTooSmallForACheckpointIsRefusedBeforeTraining() throws Exception {
        Path mount = Files.createDirectory(dir.resolve("small"));
        assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=96k", "tmpfs", mount.toString()), "cannot mount a tmpfs here");
        try {
            TinyLmNetwork network = new TinyLmNetwork(NetworkConfig.builder().build());
            assertTrue(4 * network.parameterCount() * 4 > 96 * 1024, "the checkpoint does not fit: " + network.parameterCount());
            TrainingException e = assertThrows(TrainingException.class, () -> new LanguageModelTrainer(
                    TrainingConfig.builder().epochs(1).batch(10).steps(20).evalStreams(5).progress(false)
                            .checkpointDir(mount.resolve("run")).metrics(dir.resolve("lm.jsonl")).build())
                    .train(network, new int[2000], new int[100], java.util.List.of()));
            assertTrue(e.getMessage().startsWith("cannot write checkpoints: " + mount.resolve("run") + " has "), e.getMessage());
            assertTrue(e.getMessage().contains("a checkpoint is about 4 tensor groups × "), e.getMessage());
            assertFalse(Files.exists(dir.resolve("lm.jsonl")), "no epoch was trained");
        } finally {
            run("umount", mount.toString());
        }
    }

    /**
     * A model file goes through the checkpoint writer: on a full disk (a 64 KB tmpfs, too small for the
     * language model's 117 KB, where the machine lets the test mount one) the earlier file stays byte for
     * byte and no temporary is left.
     */
    @Test
    void aModelFileThatDoesNotFitLeavesTheEarlierOne() throws Exception {
        Corpus corpus;
        try (InputStream in = CheckpointDirectoryTest.class.getResourceAsStream("/moby-dick-slice.txt")) {
            corpus = Corpus.of(new String(in.readAllBytes(), StandardCharsets.UTF_8), 500);
        }
        Path mount = Files.createDirectory(dir.resolve("small"));
        assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", mount.toString()), "cannot mount a tmpfs here");
        try {
            Path file = mount.resolve("model.vdrop");
            ModelFile.save(file, new LoopWordClassifierNetwork(NetworkConfig.builder().build()), PredictionInfo.classifier(
                    new ModelInput.Tokens(Tokenization.CHARS, java.util.List.of("a", "b", "c", "d", "e", "f", "g", "h", "i")),
                    java.util.List.of("x", "y", "z")));
            byte[] before = Files.readAllBytes(file);
            assertThrows(ModelFileException.class, () -> ModelFile.save(file,
                    new TinyLmNetwork(NetworkConfig.builder().build()), PredictionInfo.languageModel(
                            new ModelInput.Tokens(Tokenization.ASCII_WORDS, corpus.vocabulary().words()))));
            assertArrayEquals(before, Files.readAllBytes(file));
            try (var files = Files.list(mount)) {
                assertEquals(java.util.List.of(file), files.toList(), "no temporary left");
            }
        } finally {
            run("umount", mount.toString());
        }
    }

    private static boolean run(String... command) throws IOException, InterruptedException {
        if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
            return false;
        }
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
    }
}
