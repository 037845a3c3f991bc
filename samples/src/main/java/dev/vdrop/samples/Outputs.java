package dev.vdrop.samples;

import dev.vdrop.runtime.io.AtomicFiles;
import dev.vdrop.runtime.io.DirectoryLock;
import dev.vdrop.runtime.io.DirectoryLockedException;
import dev.vdrop.runtime.io.OutputCheck;
import dev.vdrop.runtime.io.OutputException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Where the commands write: every output location checked before any work, existing results
 * refused unless {@code --overwrite} is given, output directories locked for the run (a second run is
 * refused with the first one's process id), and every result file written through
 * {@link AtomicFiles}. Every refusal is a {@link UserError}: one line, exit code 2.
 */
final class Outputs {
    /** The check of output locations; tests replace it with a full or read-only disk. */
    static OutputCheck check = OutputCheck.system();
    /** Wraps the stream of every result file; tests make it fail part-way, as a full disk would. */
    static BiFunction<Path, OutputStream, OutputStream> streams = (file, out) -> out;
    /** What the reports and plots of one command take at most: a few hundred kilobytes, checked with room to spare. */
    static final OutputCheck.Need REPORTS = new OutputCheck.Need(1_000_000,
            "its reports and plot take well under 1 MB");

    private Outputs() {}

    /**
     * Claims an output directory before any work: created when missing and writable, then locked for
     * this run, then holding none of {@code results} unless {@code overwrite}. The lock comes before
     * the results, so a run still writing there is named by its process id rather than mistaken for
     * an earlier run's results.
     *
     * @param flag the option that named it, for the message, e.g. {@code --out}
     * @param results the files the command writes there
     * @return the directory's lock, held until {@link #release}
     */
    static DirectoryLock claim(String flag, Path dir, boolean overwrite, List<String> results) {
        try {
            check.directory(dir, REPORTS);
        } catch (OutputException e) {
            throw new UserError(flag + ": " + e.getMessage());
        }
        DirectoryLock lock = lock(flag, dir);
        List<String> existing = new ArrayList<>();
        for (String name : results) {
            if (Files.exists(dir.resolve(name))) {
                existing.add(name);
            }
        }
        if (!overwrite && !existing.isEmpty()) {
            release(List.of(lock));
            throw new UserError(flag + " " + dir + " already holds the results of an earlier run ("
                    + String.join(", ", existing) + "); give another " + flag + ", or --overwrite to replace them");
        }
        return lock;
    }

    /**
     * Checks a result file before any work: not a directory, its directory writable (created when
     * missing), and not existing unless {@code overwrite}.
     *
     * @param flag the option that named it, e.g. {@code --save}
     */
    static Path file(String flag, Path file, boolean overwrite) {
        try {
            return check.file(file, overwrite, OutputCheck.Need.NOTHING);
        } catch (OutputException e) {
            if (e.reason() == OutputException.Reason.EXISTS) {
                throw new UserError(flag + " " + file + " already exists; give another " + flag
                        + ", or --overwrite to replace it");
            }
            throw new UserError(flag + ": " + e.getMessage());
        }
    }

    /** Locks an output directory for this run; another run holding it ends this one with its process id. */
    static DirectoryLock lock(String flag, Path dir) {
        try {
            return DirectoryLock.acquire(dir);
        } catch (DirectoryLockedException e) {
            throw new UserError(flag + " " + e.getMessage());
        } catch (IOException e) {
            throw new UserError("cannot lock " + flag + " " + dir + ": " + e.getMessage());
        }
    }

    /** Releases locks, the last taken first; a release that fails loses nothing (the process's end drops it). */
    static void release(List<DirectoryLock> locks) {
        for (int i = locks.size() - 1; i >= 0; i--) {
            try {
                locks.get(i).close();
            } catch (IOException ignored) {
                // the operating system drops the lock with the process
            }
        }
    }

    /**
     * Writes a result file atomically.
     *
     * @throws IOException naming the file and why; the file is then as it was
     */
    static void write(Path file, AtomicFiles.Content content) throws IOException {
        AtomicFiles.write(file, out -> content.writeTo(streams.apply(file, out)));
    }

    /** Writes a text result file atomically, as UTF-8; a failure is a {@link UserError}. */
    static void writeString(Path file, CharSequence text) {
        try {
            write(file, out -> out.write(text.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UserError(e.getMessage());
        }
    }
}
