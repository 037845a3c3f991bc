package dev.vdrop.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A corpus too large for the heap ends in one line that says how large it is, the heap's limit and
 * how to give the JVM more, exit code 1: a child JVM with a 32 MB heap reads a 24 MB corpus (the
 * file's bytes and its text alone need 48 MB).
 */
class OutOfMemoryTest {
    @Test
    void aCorpusTooLargeForTheHeapIsOneLineNamingItsSizeAndTheFix(@TempDir Path dir) throws Exception {
        Path corpus = dir.resolve("large.txt");
        String line = "call me ishmael some years ago never mind how long precisely having little money in my purse\n";
        try (Writer w = Files.newBufferedWriter(corpus, StandardCharsets.UTF_8)) {
            for (long written = 0; written < 24L << 20; written += line.length()) {
                w.write(line);
            }
        }
        long size = Files.size(corpus);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-Xmx32m", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "lm", "--corpus", corpus.toString(), "--out", dir.resolve("lm.json").toString(),
                "--no-progress")
                .redirectOutput(dir.resolve("out.txt").toFile())
                .redirectError(dir.resolve("err.txt").toFile())
                .start();
        assertTrue(child.waitFor(120, TimeUnit.SECONDS), "the child JVM finished");
        List<String> err = Files.readAllLines(dir.resolve("err.txt"));

        assertEquals(1, child.exitValue(), String.join("\n", err));
        assertEquals(1, err.size(), "one line: " + err);
        String message = err.get(0);
        assertTrue(message.startsWith("vdrop: out of memory: this run needed more than the Java heap's limit of "), message);
        assertTrue(message.contains(" for its input " + corpus + " (" + String.format(Locale.ROOT, "%,.1f MB",
                size / (1024.0 * 1024.0)) + ")"), message);
        assertTrue(message.contains("give the JVM more with VDROP_JAVA_OPTS, e.g. VDROP_JAVA_OPTS=-Xmx1g ./vdrop"), message);
        assertFalse(Files.exists(dir.resolve("lm.json")));
    }

    /** The message without a file, and the suggestion: twice the heap, four times the inputs, in whole GB. */
    @Test
    void theSuggestedHeapGrowsWithTheHeapAndTheInput(@TempDir Path dir) throws IOException {
        assertEquals("out of memory: this run needed more than the Java heap's limit of 4,096.0 MB; give the JVM more with "
                        + "VDROP_JAVA_OPTS, e.g. VDROP_JAVA_OPTS=-Xmx8g ./vdrop ... (the launcher's default is -Xmx4g), "
                        + "or use a smaller input",
                Main.outOfMemory(new String[] {"lm", "--out", "x.json"}, 4L << 30));
        Path csv = dir.resolve("a.csv");
        Files.write(csv, new byte[3 << 20]);
        String message = Main.outOfMemory(new String[] {"forecast", "--csv=" + csv, "--out", "o"}, 1L << 20);
        assertTrue(message.contains(" for its input " + csv + " (3.0 MB);"), message);
        assertTrue(message.contains("VDROP_JAVA_OPTS=-Xmx1g"), message);
    }
}
