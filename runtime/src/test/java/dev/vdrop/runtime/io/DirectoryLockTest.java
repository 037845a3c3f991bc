package dev.vdrop.runtime.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryLockTest {
    @TempDir
    Path dir;

    @Test
    void aSecondRunInThisProcessIsRefusedUntilTheFirstEnds() throws IOException {
        long self = ProcessHandle.current().pid();
        try (DirectoryLock first = DirectoryLock.acquire(dir)) {
            DirectoryLockedException e = assertThrows(DirectoryLockedException.class, () -> DirectoryLock.acquire(dir));
            assertEquals(self, e.holder().orElseThrow());
            assertTrue(e.getMessage().contains("process " + self), e.getMessage());
            // the same directory by another spelling
            assertThrows(DirectoryLockedException.class, () -> DirectoryLock.acquire(dir.resolve(".")));
        }
        try (DirectoryLock again = DirectoryLock.acquire(dir)) {
            assertEquals(dir.toRealPath(), again.directory());
        }
    }

    @Test
    void aSecondProcessIsRefusedWithTheFirstsPidAndAKilledHolderLeavesNoStaleLock() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process holder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), LockHolder.class.getName(),
                dir.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("locked " + holder.pid(), out.readLine());
            DirectoryLockedException e = assertThrows(DirectoryLockedException.class, () -> DirectoryLock.acquire(dir));
            assertEquals(holder.pid(), e.holder().orElseThrow());
            assertTrue(e.getMessage().contains("process " + holder.pid()), e.getMessage());
        } finally {
            holder.destroyForcibly(); // kill -9: the lock must go with the process
            assertTrue(holder.waitFor(30, TimeUnit.SECONDS));
        }
        try (DirectoryLock lock = DirectoryLock.acquire(dir)) {
            assertEquals(ProcessHandle.current().pid() + "\n", Files.readString(dir.resolve(DirectoryLock.FILE)),
                    "the lock file names its holder");
        }
    }

    @Test
    void holdingTheLockRemovesOnlyTheTemporariesOfOurNaming() throws IOException {
        Path stale = Files.writeString(dir.resolve(".checkpoint.vdrop.3fa9c1d2e4b5a607.tmp"), "half a checkpoint");
        Path staleJson = Files.writeString(dir.resolve(".forecast.json.1a.tmp"), "{");
        List<Path> kept = List.of(Files.writeString(dir.resolve("checkpoint.vdrop"), "a"),
                Files.writeString(dir.resolve("notes.tmp"), "b"), Files.writeString(dir.resolve(".hidden.tmp"), "c"),
                Files.createDirectory(dir.resolve(".dir.12.tmp")));
        try (DirectoryLock lock = DirectoryLock.acquire(dir)) {
            assertEquals(2, lock.removedTemporaries().size(), lock.removedTemporaries().toString());
            assertFalse(Files.exists(stale));
            assertFalse(Files.exists(staleJson));
            for (Path p : kept) {
                assertTrue(Files.exists(p), p + " kept");
            }
        }
    }

    @Test
    void createsAMissingDirectoryAndRefusesAFile() throws IOException {
        try (DirectoryLock lock = DirectoryLock.acquire(dir.resolve("a/b"))) {
            assertTrue(Files.isRegularFile(dir.resolve("a/b/" + DirectoryLock.FILE)));
        }
        Files.writeString(dir.resolve("file"), "x");
        IOException e = assertThrows(IOException.class, () -> DirectoryLock.acquire(dir.resolve("file")));
        assertTrue(e.getMessage().contains("not a directory"), e.getMessage());
    }
}
