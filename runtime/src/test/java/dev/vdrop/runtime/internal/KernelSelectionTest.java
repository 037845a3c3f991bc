package dev.vdrop.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdrop.runtime.VectorSupport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the kernels are chosen and what vdrop says when it falls back to the scalar ones: the
 * selection with a fake module lookup and a fake loader, the warning's route through
 * System.Logger, and two JVMs started without the module (the one thing a test JVM that resolves
 * the module cannot show in-process).
 */
class KernelSelectionTest {
    /** Stands for the vector kernels where only identity matters. */
    private static final Kernels FAKE_VECTOR = new PlainKernels();
    private static final Callable<Kernels> LOADS = () -> FAKE_VECTOR;
    private static final Callable<Kernels> MUST_NOT_LOAD = () -> {
        throw new AssertionError("the vector kernels should not be loaded");
    };

    private final List<String> warnings = new ArrayList<>();
    private final KernelSelection selection = new KernelSelection(warnings::add);

    @Test
    void withoutTheModuleThePlainKernelsRunAndSaySoOnce() {
        Kernels first = selection.select("auto", false, MUST_NOT_LOAD);
        Kernels second = selection.select("auto", false, MUST_NOT_LOAD);
        assertInstanceOf(PlainKernels.class, first);
        assertInstanceOf(PlainKernels.class, second);
        assertEquals(1, warnings.size(), warnings.toString());
    }

    /** One paragraph: what runs, why, what it costs, the fix for java, exec:java and surefire, and how to silence it. */
    @Test
    void theWarningNamesTheCauseAndEveryFix() {
        selection.select("auto", false, MUST_NOT_LOAD);
        String message = warnings.get(0);
        assertFalse(message.contains("\n"), message);
        for (String part : new String[] {"scalar Java kernels", "without the incubator vector module",
                "training is slower", "add --add-modules jdk.incubator.vector to the java command", "exec:java",
                "MAVEN_OPTS=\"--add-modules jdk.incubator.vector\"", ".mvn/jvm.config", "<argLine>",
                "maven-surefire-plugin", "-Dvdrop.kernels=plain"}) {
            assertTrue(message.contains(part), "missing '" + part + "' in: " + message);
        }
    }

    @Test
    void plainIsChosenOnPurposeWithoutAWarning() {
        assertInstanceOf(PlainKernels.class, selection.select("plain", false, MUST_NOT_LOAD));
        assertInstanceOf(PlainKernels.class, selection.select("plain", true, MUST_NOT_LOAD));
        assertEquals(List.of(), warnings);
    }

    @Test
    void withTheModuleTheVectorKernelsRunSilently() {
        assertSame(FAKE_VECTOR, selection.select("auto", true, LOADS));
        assertSame(FAKE_VECTOR, selection.select("vector", true, LOADS));
        assertEquals(List.of(), warnings);
    }

    @Test
    void vectorWithoutTheModuleIsAnError() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> selection.select("vector", false, MUST_NOT_LOAD));
        assertTrue(e.getMessage().contains("--add-modules jdk.incubator.vector"), e.getMessage());
        assertEquals(List.of(), warnings);
    }

    /** The module is there but the classes do not load (a broken platform): plain and a warning naming the cause, or an error when vector was asked for. */
    @Test
    void vectorKernelsThatFailToLoadFallBackWithTheCause() {
        Callable<Kernels> broken = () -> {
            throw new UnsupportedClassVersionError("no vector unit here");
        };
        assertInstanceOf(PlainKernels.class, selection.select("auto", true, broken));
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).contains("did not load") && warnings.get(0).contains("no vector unit here"),
                warnings.get(0));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> selection.select("vector", true, broken));
        assertInstanceOf(UnsupportedClassVersionError.class, e.getCause());
    }

    @Test
    void anUnknownValueIsAnError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> selection.select("simd", true, LOADS));
        assertTrue(e.getMessage().contains("auto, vector or plain") && e.getMessage().contains("'simd'"), e.getMessage());
    }

    /** The JVM's warning goes to the System.Logger named after VectorSupport, at WARNING (java.util.logging by default). */
    @Test
    void theWarningIsLoggedAsAWarningUnderVectorSupport() {
        Logger logger = Logger.getLogger("dev.vdrop.runtime.VectorSupport");
        List<LogRecord> records = new ArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        boolean parents = logger.getUseParentHandlers();
        logger.addHandler(handler);
        logger.setUseParentHandlers(false);
        try {
            KernelSelection.log("the message");
        } finally {
            logger.removeHandler(handler);
            logger.setUseParentHandlers(parents);
        }
        assertEquals(1, records.size());
        assertEquals(Level.WARNING, records.get(0).getLevel());
        assertEquals("the message", records.get(0).getMessage());
    }

    /** The build's JVM resolves the module (root POM), so the public answer is the vector kernels, and the same as LstmCell's. */
    @Test
    void vectorSupportTellsWhichKernelsRun() {
        assertTrue(VectorSupport.enabled());
        assertTrue(VectorSupport.description().startsWith("vector ("), VectorSupport.description());
        assertEquals(VectorSupport.description(), LstmCell.implementation());
    }

    /**
     * A JVM started without {@code --add-modules jdk.incubator.vector}: the warning appears on
     * stderr exactly once, though the kernels are asked for three times; with
     * {@code -Dvdrop.kernels=plain} it does not appear. Two small JVMs that load no ND4J.
     */
    @Test
    void aJvmWithoutTheModuleWarnsOnceUnlessPlainWasChosen(@TempDir Path dir) throws Exception {
        Run fallback = runWithoutTheModule(dir, "fallback");
        assertEquals(0, fallback.exit, fallback.toString());
        assertTrue(fallback.out.contains("enabled false"), fallback.toString());
        assertEquals(1, occurrences(fallback.err, "vdrop runs its scalar Java kernels"), fallback.toString());
        assertTrue(fallback.err.contains("WARNING"), fallback.toString());

        Run plain = runWithoutTheModule(dir, "plain", "-Dvdrop.kernels=plain");
        assertEquals(0, plain.exit, plain.toString());
        assertTrue(plain.out.contains("enabled false"), plain.toString());
        assertEquals(0, occurrences(plain.err, "vdrop runs"), plain.toString());
    }

    /** What the forked JVMs run: the kernels asked for three times. */
    static final class AskThreeTimes {
        public static void main(String[] args) {
            System.out.println("enabled " + VectorSupport.enabled());
            System.out.println("description " + VectorSupport.description());
            System.out.println("implementation " + LstmCell.implementation());
        }
    }

    private record Run(int exit, String out, String err) {}

    private static Run runWithoutTheModule(Path dir, String name, String... options) throws IOException, InterruptedException {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(options));
        command.addAll(List.of("-cp", classPath, AskThreeTimes.class.getName()));
        Path out = dir.resolve(name + ".out");
        Path err = dir.resolve(name + ".err");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the JVM without the module did not finish in 120 s");
        }
        return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    private static int occurrences(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            count++;
        }
        return count;
    }
}
