package dev.vdrop.runtime.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputCheckTest {
    @TempDir
    Path dir;

    /** A disk that reports {@code free} bytes and refuses every new file when {@code readOnly}. */
    private static OutputCheck.Disk disk(long free, boolean readOnly) {
        return new OutputCheck.Disk() {
            @Override
            public long usableSpace(Path directory) {
                return free;
            }

            @Override
            public void probeWrite(Path directory) throws IOException {
                if (readOnly) {
                    throw new IOException(directory + ": Read-only file system");
                }
            }
        };
    }

    @Test
    void createsAMissingDirectory() throws IOException {
        Path out = dir.resolve("a/b/c");
        assertEquals(out, OutputCheck.system().directory(out, OutputCheck.Need.NOTHING));
        assertTrue(Files.isDirectory(out));
        try (var files = Files.list(out)) {
            assertEquals(0, files.count(), "the probe leaves nothing");
        }
    }

    @Test
    void refusesAPathBelowAFileAndAFileForADirectory() throws IOException {
        Path file = Files.writeString(dir.resolve("notes.txt"), "x");
        OutputException below = assertThrows(OutputException.class,
                () -> OutputCheck.system().directory(file.resolve("out"), OutputCheck.Need.NOTHING));
        assertEquals(OutputException.Reason.NOT_A_DIRECTORY, below.reason());
        assertTrue(below.getMessage().contains("is below " + file), below.getMessage());
        OutputException itself = assertThrows(OutputException.class,
                () -> OutputCheck.system().directory(file, OutputCheck.Need.NOTHING));
        assertTrue(itself.getMessage().contains("is a file"), itself.getMessage());
        OutputException dirAsFile = assertThrows(OutputException.class,
                () -> OutputCheck.system().file(dir, true, OutputCheck.Need.NOTHING));
        assertEquals(OutputException.Reason.IS_A_DIRECTORY, dirAsFile.reason());
    }

    @Test
    void refusesAnExistingFileUnlessOverwriting() throws IOException {
        Path file = Files.writeString(dir.resolve("lm.json"), "{}");
        OutputException e = assertThrows(OutputException.class,
                () -> OutputCheck.system().file(file, false, OutputCheck.Need.NOTHING));
        assertEquals(OutputException.Reason.EXISTS, e.reason());
        assertEquals(file, OutputCheck.system().file(file, true, OutputCheck.Need.NOTHING));
        assertEquals(dir.resolve("new.json"), OutputCheck.system().file(dir.resolve("new.json"), false, OutputCheck.Need.NOTHING));
    }

    @Test
    void refusesAReadOnlyDirectory() {
        OutputException e = assertThrows(OutputException.class,
                () -> OutputCheck.on(disk(Long.MAX_VALUE, true)).directory(dir, OutputCheck.Need.NOTHING));
        assertEquals(OutputException.Reason.NOT_WRITABLE, e.reason());
        assertTrue(e.getMessage().contains("Read-only file system"), e.getMessage());
    }

    @Test
    void refusesAFullDiskAndSaysHowTheNeedWasEstimated() throws IOException {
        OutputCheck.Need need = OutputCheck.Need.checkpoint(1_000_000, 4);
        assertEquals(16_000_000, need.bytes(), "4 groups × 10⁶ parameters × 4 bytes");
        OutputException e = assertThrows(OutputException.class,
                () -> OutputCheck.on(disk(15_999_999, false)).directory(dir, need));
        assertEquals(OutputException.Reason.NO_SPACE, e.reason());
        assertTrue(e.getMessage().contains("16.0 MB") && e.getMessage().contains("4 tensor groups × 1,000,000 parameters × 4 bytes"),
                e.getMessage());
        assertEquals(dir, OutputCheck.on(disk(16_000_000, false)).directory(dir, need), "exactly enough is enough");
    }

    /** A real read-only file system: a tmpfs remounted read-only, where the machine lets the test mount one. */
    @Test
    void refusesARealReadOnlyMount() throws IOException {
        Path mount = Files.createDirectory(dir.resolve("ro"));
        try (TmpfsMount tmpfs = TmpfsMount.tryMount(mount, "size=1m")) {
            assumeTrue(tmpfs != null, "cannot mount a tmpfs here");
            assumeTrue(tmpfs.readOnly(), "cannot remount read-only");
            OutputException e = assertThrows(OutputException.class,
                    () -> OutputCheck.system().directory(mount, OutputCheck.Need.NOTHING));
            assertEquals(OutputException.Reason.NOT_WRITABLE, e.reason());
            OutputException below = assertThrows(OutputException.class,
                    () -> OutputCheck.system().directory(mount.resolve("new"), OutputCheck.Need.NOTHING));
            assertEquals(OutputException.Reason.CANNOT_CREATE, below.reason());
        }
    }
}
