package dev.vdrop.runtime.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One run at a time in a directory: an exclusive lock on the file {@value #FILE} in it, taken with
 * {@link FileChannel#tryLock()}, with the holder's process id written in the file. The operating
 * system releases the lock when the process ends, however it ends (a {@code kill -9} too), so a lock
 * is never stale; the file itself stays behind, empty, and is reused by the next run.
 *
 * <p>A second run — in another process or in this one — is refused with
 * {@link DirectoryLockedException}, which names the holder's process id. Holding the lock, the run
 * deletes the temporaries ({@code .NAME.<hex>.tmp}) a killed run left in the directory: every run of
 * vdrop writes into a directory only while holding its lock, so no live run can own them. (A file of
 * that naming that is not vdrop's would be deleted too.)
 *
 * <pre>{@code
 * try (DirectoryLock lock = DirectoryLock.acquire(out)) {
 *     ... train, then AtomicFiles.writeString(out.resolve("report.json"), json) ...
 * }
 * }</pre>
 *
 * <p>Within one process the locks are tracked here too: the platform's locks belong to the process,
 * and closing any channel of the lock file would drop them, so this class never opens the file of a
 * lock the process holds.
 */
public final class DirectoryLock implements AutoCloseable {
    /** The lock file's name inside the directory. */
    public static final String FILE = ".vdrop.lock";

    private static final Set<Path> HELD = new HashSet<>();

    private final Path directory;
    private final FileChannel channel;
    private final FileLock lock;
    private final List<Path> removed;
    private boolean closed;

    private DirectoryLock(Path directory, FileChannel channel, FileLock lock, List<Path> removed) {
        this.directory = directory;
        this.channel = channel;
        this.lock = lock;
        this.removed = List.copyOf(removed);
    }

    /**
     * Locks a directory (created when missing) for this run and removes the temporaries a killed run
     * left in it.
     *
     * @param directory the output or checkpoint directory
     * @return the held lock; close it when the run ends
     * @throws DirectoryLockedException when another run, in this process or another, holds it
     * @throws IOException when the directory or its lock file cannot be created or written
     */
    public static DirectoryLock acquire(Path directory) throws IOException {
        try {
            Files.createDirectories(directory);
        } catch (FileAlreadyExistsException e) {
            throw new IOException("cannot lock " + directory + ": " + e.getFile() + " is not a directory", e);
        }
        Path key = directory.toRealPath();
        long self = ProcessHandle.current().pid();
        synchronized (HELD) {
            if (HELD.contains(key)) {
                throw new DirectoryLockedException(directory, self, true);
            }
            Path file = key.resolve(FILE);
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                // held through a channel this class did not open; closing ours would release it
                throw new DirectoryLockedException(directory, self, true);
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
            if (lock == null) {
                channel.close();
                throw new DirectoryLockedException(directory, holder(file), false);
            }
            try {
                channel.truncate(0);
                channel.write(ByteBuffer.wrap((self + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
                List<Path> removed = Temporaries.removeStale(key);
                HELD.add(key);
                return new DirectoryLock(key, channel, lock, removed);
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        }
    }

    /** The process id written in a lock file another process holds, or 0 when there is none yet. */
    private static long holder(Path file) {
        try {
            return Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).trim());
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    /** {@return the locked directory (its real path)} */
    public Path directory() {
        return directory;
    }

    /** {@return the temporaries of a killed run this lock's acquisition deleted} */
    public List<Path> removedTemporaries() {
        return removed;
    }

    /** Releases the lock and empties the lock file; a second call does nothing. */
    @Override
    public void close() throws IOException {
        synchronized (HELD) {
            if (closed) {
                return;
            }
            closed = true;
            HELD.remove(directory);
            try {
                channel.truncate(0);
            } catch (IOException ignored) {
                // the lock goes with the channel either way; an old pid in the file is harmless
            }
            try {
                lock.release();
            } finally {
                channel.close();
            }
        }
    }
}
