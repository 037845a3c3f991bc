package dev.vdrop.samples;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A training JVM started by a test, on the test's own class path, that the test can kill with
 * SIGKILL ({@link Process#destroyForcibly()} on Linux). Its standard output goes to a file; its
 * standard error is read line by line: the fault seam's {@code vdrop-fault: } lines (see
 * {@code dev.vdrop.runtime.checkpoint.CheckpointWriter}) are queued for {@link #await}, the last
 * lines are kept for failure messages.
 */
final class ChildJvm implements AutoCloseable {
    /** The system property of the checkpoint writer's fault seam. */
    static final String HOLD_PROPERTY = "vdrop.faults.holdSave";
    private static final String MARK = "vdrop-fault: ";
    private static final int TAIL = 40;
    /** Longer than a child ever needs on a loaded two-core machine; only a hang reaches it. */
    private static final long TIMEOUT_SECONDS = 120;

    private final Process process;
    private final BlockingQueue<String> marks = new LinkedBlockingQueue<>();
    private final Deque<String> tail = new ArrayDeque<>();
    private final Thread reader;

    private ChildJvm(Process process) {
        this.process = process;
        this.reader = new Thread(this::readErrors, "child-stderr-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts {@code mainClass} with {@code args}.
     *
     * @param hold the fault seam's value ({@code N:before}, {@code N:BYTES}, {@code N:after}), or null
     * @param stdout where the child's standard output goes
     */
    static ChildJvm start(String mainClass, List<String> args, String hold, Path stdout) {
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        command.add("-XX:+UseSerialGC");
        command.add("--add-modules");
        command.add("jdk.incubator.vector");
        if (hold != null) {
            command.add("-D" + HOLD_PROPERTY + "=" + hold);
        }
        command.add("-cp");
        command.add(classPath());
        command.add(mainClass);
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(stdout.toFile());
        builder.environment().put("OMP_WAIT_POLICY", "PASSIVE");
        try {
            return new ChildJvm(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Surefire's test class path: its own property when it boots through a manifest-only jar. */
    private static String classPath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }

    private void readErrors() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                synchronized (tail) {
                    tail.addLast(line);
                    if (tail.size() > TAIL) {
                        tail.removeFirst();
                    }
                }
                if (line.startsWith(MARK)) {
                    marks.add(line.substring(MARK.length()));
                }
            }
        } catch (IOException e) {
            // the child is gone; what it said is in the tail
        }
    }

    /**
     * Waits for the seam's next line, which must start with {@code prefix}; fails on another line,
     * on the child's exit first, or after the timeout.
     *
     * @return the line without its {@code vdrop-fault: } mark
     */
    String await(String prefix) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (System.nanoTime() < deadline) {
            String line = marks.poll(100, TimeUnit.MILLISECONDS);
            if (line != null) {
                if (!line.startsWith(prefix)) {
                    kill();
                    fail("expected the child to say '" + prefix + "…', it said '" + line + "'\n" + tail());
                }
                return line;
            }
            if (!process.isAlive() && marks.isEmpty()) {
                reader.join(1000);
                if (marks.isEmpty()) {
                    fail("the child ended with " + process.exitValue() + " before saying '" + prefix + "…'\n" + tail());
                }
            }
        }
        kill();
        return fail("no '" + prefix + "…' from the child in " + TIMEOUT_SECONDS + " s\n" + tail());
    }

    /** {@return whether the seam has said something not yet awaited} */
    boolean hasSaid() {
        return !marks.isEmpty();
    }

    /** SIGKILL, and waits until the process is gone. */
    void kill() {
        process.destroyForcibly();
        boolean interrupted = false;
        while (process.isAlive()) {
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits for the child's normal end and fails unless it exits with 0. */
    void awaitSuccess() throws InterruptedException {
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            kill();
            fail("the child did not end in " + TIMEOUT_SECONDS + " s\n" + tail());
        }
        reader.join(1000);
        if (process.exitValue() != 0) {
            fail("the child ended with " + process.exitValue() + "\n" + tail());
        }
    }

    /** {@return the last lines of the child's standard error} */
    String tail() {
        synchronized (tail) {
            return "child stderr (last lines):\n  " + String.join("\n  ", tail);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }
}
