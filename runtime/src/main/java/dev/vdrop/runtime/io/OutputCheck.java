package dev.vdrop.runtime.io;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * Checks an output location before any work, so that a run never trains for an hour and then finds
 * it cannot write: a missing directory is created (or refused, saying why); a directory below a
 * regular file, a directory nothing can be created in (probed by creating and deleting a file: a
 * read-only mount, or missing permissions — which do not stop the superuser, whence the probe), an
 * existing file unless overwriting is asked for, and a file system with less free space than the
 * run will write are refused with an {@link OutputException}.
 *
 * <pre>{@code
 * OutputCheck check = OutputCheck.system();
 * check.directory(out, Need.checkpoint(net.parameterCount(), 4));
 * check.file(out.resolve("report.json"), false, Need.NOTHING);
 * }</pre>
 *
 * <p>The file system is reached through a {@link Disk}, so that a test can make a directory full or
 * read-only without a real one. Immutable and thread-safe.
 */
public final class OutputCheck {
    private static final OutputCheck SYSTEM = new OutputCheck(Disk.SYSTEM);

    private final Disk disk;

    private OutputCheck(Disk disk) {
        this.disk = disk;
    }

    /** {@return the check of the real file system} */
    public static OutputCheck system() {
        return SYSTEM;
    }

    /**
     * A check through another view of the disk, e.g. one that reports no free space.
     *
     * @param disk answers for free space and whether a file can be created
     * @return the check
     */
    public static OutputCheck on(Disk disk) {
        return new OutputCheck(Objects.requireNonNull(disk, "disk"));
    }

    /** The two questions the check asks the file system. */
    public interface Disk {
        /** The real file system: {@link Files#getFileStore} and a temporary file created and deleted. */
        Disk SYSTEM = new Disk() {
            @Override
            public long usableSpace(Path directory) throws IOException {
                return Files.getFileStore(directory).getUsableSpace();
            }

            @Override
            public void probeWrite(Path directory) throws IOException {
                Files.delete(Temporaries.create(directory, "vdrop-probe"));
            }
        };

        /**
         * {@return the bytes this process may still write in the directory's file system}
         *
         * @param directory an existing directory
         * @throws IOException when the file system cannot say
         */
        long usableSpace(Path directory) throws IOException;

        /**
         * Creates a file in the directory and deletes it again.
         *
         * @param directory an existing directory
         * @throws IOException why a file cannot be created there
         */
        void probeWrite(Path directory) throws IOException;
    }

    /**
     * What a run will write into a location, as far as it can be estimated.
     *
     * @param bytes the estimate, 0 when unknown or small
     * @param what how the estimate was made, for the message
     */
    public record Need(long bytes, String what) {
        /** Nothing worth checking free space for (reports of a few kilobytes). */
        public static final Need NOTHING = new Need(0, "");

        /** The estimate and its explanation. */
        public Need {
            if (bytes < 0) {
                throw new IllegalArgumentException("bytes must be ≥ 0, got " + bytes);
            }
            Objects.requireNonNull(what, "what");
        }

        /**
         * A training checkpoint: about 4 tensor groups (the parameters, the optimiser's state — two
         * groups for Adam — and the best epoch's parameters) of every parameter.
         *
         * @param parameters the network's parameter count
         * @param bytesPerElement 4 for float, 8 for double
         * @return the need of one checkpoint (the old one stays until the new one is complete)
         */
        public static Need checkpoint(long parameters, int bytesPerElement) {
            return new Need(4 * parameters * bytesPerElement, String.format(Locale.ROOT,
                    "a checkpoint is about 4 tensor groups × %,d parameters × %d bytes", parameters, bytesPerElement));
        }
    }

    /**
     * Checks (and creates when missing) a directory the run will write into.
     *
     * @param directory the output directory
     * @param need what the run will write there
     * @return the directory
     * @throws OutputException when it cannot be created, is or is below a file, nothing can be created
     *     in it, or its file system has less free space than {@code need}
     */
    public Path directory(Path directory, Need need) throws OutputException {
        Objects.requireNonNull(need, "need");
        Path existing = directory.toAbsolutePath().normalize();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing != null && !Files.isDirectory(existing)) {
            throw new OutputException(OutputException.Reason.NOT_A_DIRECTORY, directory,
                    existing.equals(directory.toAbsolutePath().normalize())
                            ? directory + " is a file, not a directory"
                            : directory + " is below " + existing + ", which is a file, not a directory");
        }
        try {
            Files.createDirectories(directory);
        } catch (FileAlreadyExistsException e) {
            throw new OutputException(OutputException.Reason.NOT_A_DIRECTORY, directory,
                    "cannot create the directory " + directory + ": " + e.getFile() + " is not a directory");
        } catch (IOException e) {
            throw new OutputException(OutputException.Reason.CANNOT_CREATE, directory,
                    "cannot create the directory " + directory + " (" + Temporaries.reason(e) + ")");
        }
        try {
            disk.probeWrite(directory);
        } catch (IOException e) {
            throw new OutputException(OutputException.Reason.NOT_WRITABLE, directory,
                    "cannot write into " + directory + " (" + Temporaries.reason(e) + ")");
        }
        if (need.bytes() > 0) {
            long free;
            try {
                free = disk.usableSpace(directory);
            } catch (IOException e) {
                return directory; // the file system cannot say; the atomic writes still keep every old result
            }
            if (free < need.bytes()) {
                throw new OutputException(OutputException.Reason.NO_SPACE, directory, String.format(Locale.ROOT,
                        "%s has %s free, but this run writes about %s there (%s); free some space or use another place",
                        directory, megabytes(free), megabytes(need.bytes()), need.what()));
            }
        }
        return directory;
    }

    /**
     * Checks a file the run will write: not a directory, not existing unless {@code overwrite}, and
     * its directory as {@link #directory} checks it (created when missing).
     *
     * @param file the result file
     * @param overwrite whether an existing file may be replaced
     * @param need what the run will write into the file's directory
     * @return the file
     * @throws OutputException as {@link #directory}, or when the file is a directory or exists
     */
    public Path file(Path file, boolean overwrite, Need need) throws OutputException {
        if (Files.isDirectory(file)) {
            throw new OutputException(OutputException.Reason.IS_A_DIRECTORY, file, file + " is a directory, not a file");
        }
        Path parent = file.toAbsolutePath().normalize().getParent();
        if (parent != null) {
            directory(parent, need);
        }
        if (!overwrite && Files.exists(file)) {
            throw new OutputException(OutputException.Reason.EXISTS, file, file + " already exists");
        }
        return file;
    }

    private static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }
}
