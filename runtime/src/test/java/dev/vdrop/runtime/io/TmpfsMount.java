package dev.vdrop.runtime.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A small tmpfs mounted for a test where the machine lets the test mount one (Linux, as root); the
 * tests that use it are skipped elsewhere and have an injected twin that runs everywhere.
 */
final class TmpfsMount implements AutoCloseable {
    private final Path dir;

    private TmpfsMount(Path dir) {
        this.dir = dir;
    }

    /** Mounts a tmpfs of {@code options} (e.g. {@code size=1m} or {@code size=1m,ro}) on {@code dir}, or returns null. */
    static TmpfsMount tryMount(Path dir, String options) {
        if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
            return null;
        }
        try {
            return run("mount", "-t", "tmpfs", "-o", options, "tmpfs", dir.toString()) ? new TmpfsMount(dir) : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Remounts it read-only. */
    boolean readOnly() throws IOException {
        return run("mount", "-o", "remount,ro", dir.toString());
    }

    @Override
    public void close() throws IOException {
        run("umount", dir.toString());
    }

    private static boolean run(String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
