package dev.vdrop.runtime.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    /** The directory's files, sorted by name. */
    private List<String> files(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void writesTextBytesAndStreamsAndReplaces() throws IOException {
        Path text = dir.resolve("sub/report.md");
        AtomicFiles.writeString(text, "| a |\n");
        assertEquals("| a |\n", Files.readString(text));
        AtomicFiles.writeString(text, "| b |\n");
        assertEquals("| b |\n", Files.readString(text), "replaced");
        Path bytes = dir.resolve("b.bin");
        AtomicFiles.writeBytes(bytes, new byte[] {1, 2, 3});
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(bytes));
        Path stream = dir.resolve("s.txt");
        AtomicFiles.write(stream, out -> {
            out.write("ab".getBytes(StandardCharsets.US_ASCII));
            out.close(); // Jackson closes what it writes to; the writer must still finish the file
        });
        assertEquals("ab", Files.readString(stream));
        assertEquals(List.of("b.bin", "s.txt", "sub"), files(dir), "no temporary left");
    }

    @Test
    void aFailedWriteLeavesTheOldFileByteForByteAndNoTemporary() throws IOException {
        Path file = dir.resolve("forecast.csv");
        byte[] old = "index,truth\n1,2\n".getBytes(StandardCharsets.UTF_8);
        Files.write(file, old);
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(file, out -> {
            out.write(new byte[100_000]); // more than the buffer: part of it reached the temporary
            throw new IOException("No space left on device");
        }));
        assertTrue(e.getMessage().contains("forecast.csv") && e.getMessage().contains("No space left on device"),
                e.getMessage());
        assertArrayEquals(old, Files.readAllBytes(file));
        assertEquals(List.of("forecast.csv"), files(dir));
    }

    @Test
    void aFailedFirstWriteLeavesNoFile() throws IOException {
        Path file = dir.resolve("forecast.png");
        assertThrows(IOException.class, () -> AtomicFiles.write(file, out -> {
            out.write(1);
            throw new IOException("No space left on device");
        }));
        assertEquals(List.of(), files(dir));
    }

    @Test
    void anEmptyResultNeverReplacesAFile() throws IOException {
        Path file = dir.resolve("plot.png");
        Files.writeString(file, "old");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(file, out -> { }));
        assertTrue(e.getMessage().contains("nothing was written"), e.getMessage());
        assertEquals("old", Files.readString(file));
        assertEquals(List.of("plot.png"), files(dir));
    }

    @Test
    void refusesADirectoryAndAPathBelowAFile() throws IOException {
        Files.createDirectory(dir.resolve("d"));
        IOException isDir = assertThrows(IOException.class, () -> AtomicFiles.writeString(dir.resolve("d"), "x"));
        assertTrue(isDir.getMessage().contains("it is a directory"), isDir.getMessage());
        Files.writeString(dir.resolve("f"), "x");
        IOException below = assertThrows(IOException.class, () -> AtomicFiles.writeString(dir.resolve("f/g.json"), "x"));
        assertTrue(below.getMessage().contains("not a directory"), below.getMessage());
    }

    @Test
    void temporariesAreNamedAsTheCheckpointWritersAre() throws IOException {
        Path t = Temporaries.create(dir, "checkpoint.vdrop");
        String name = t.getFileName().toString();
        assertTrue(name.startsWith(".checkpoint.vdrop.") && name.endsWith(".tmp"), name);
        assertTrue(Temporaries.isTemporary(name));
        for (String other : List.of("checkpoint.vdrop", ".vdrop.lock", "notes.tmp", ".a.xyz.tmp", ".a.12.tmp~")) {
            assertFalse(Temporaries.isTemporary(other), other);
        }
    }

    /** A real full disk: a 1 MB tmpfs, where the machine lets the test mount one. */
    @Test
    void aRealFullDiskLeavesTheOldFile() throws IOException {
        Path mount = Files.createDirectory(dir.resolve("small"));
        try (TmpfsMount tmpfs = TmpfsMount.tryMount(mount, "size=1m")) {
            assumeTrue(tmpfs != null, "cannot mount a tmpfs here");
            Path file = mount.resolve("forecast.json");
            Files.writeString(file, "{\"rmse\": 1}");
            IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(file, out -> out.write(new byte[2_000_000])));
            assertTrue(e.getMessage().contains("forecast.json"), e.getMessage());
            assertEquals("{\"rmse\": 1}", Files.readString(file));
            assertEquals(List.of("forecast.json"), files(mount));
        }
    }
}
