package dev.vdrop.runtime.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointSaveTest {
    @TempDir
    Path dir;

    private List<String> filesIn(Path directory) throws Exception {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void savingCreatesTheDirectoriesAndLeavesNoTemporaryFile() throws Exception {
        Path file = dir.resolve("runs/moby/lm.ckpt");
        Checkpoints.save(file, Fixtures.sample());
        assertEquals(List.of("lm.ckpt"), filesIn(dir.resolve("runs/moby")));
        assertEquals(Fixtures.sample(), Checkpoints.load(file));
    }

    @Test
    void anExistingCheckpointIsReplaced() throws Exception {
        Path file = dir.resolve("lm.ckpt");
        Checkpoints.save(file, Fixtures.sample());
        Checkpoint next = Checkpoint.builder().metadata("epoch", "4").build();
        Checkpoints.save(file, next);
        assertEquals(List.of("lm.ckpt"), filesIn(dir));
        Checkpoint loaded = Checkpoints.load(file);
        assertEquals("4", loaded.require("epoch"));
        assertEquals(next, loaded);
    }

    @Test
    void aFailedSaveLeavesTheOldCheckpointAndNoTemporaryFile() throws Exception {
        Path target = dir.resolve("lm.ckpt");
        Files.createDirectories(target.resolve("inside"));
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoints.save(target, Fixtures.sample()));
        assertEquals("cannot save checkpoint " + target + ": it is a directory", e.getMessage());
        assertEquals(List.of("lm.ckpt"), filesIn(dir));
        assertEquals(List.of("inside"), filesIn(target));
    }

    @Test
    void aParentThatIsAFile() throws Exception {
        Path parent = dir.resolve("runs");
        Files.writeString(parent, "not a directory");
        Path file = parent.resolve("lm.ckpt");
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoints.save(file, Fixtures.sample()));
        assertEquals("cannot save checkpoint " + file + ": " + parent + " is not a directory", e.getMessage());
    }

    @Test
    void aCheckpointGetsTheUsualPermissionsNotThoseOfATemporaryFile() throws Exception {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Path plain = Files.createFile(dir.resolve("plain"));
        Path file = dir.resolve("lm.ckpt");
        Checkpoints.save(file, Fixtures.sample());
        Set<PosixFilePermission> expected = Files.getPosixFilePermissions(plain);
        assertEquals(expected, Files.getPosixFilePermissions(file));
    }
}
