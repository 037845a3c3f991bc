package dev.vdrop.runtime.checkpoint;

import dev.vdrop.runtime.Mat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Writes a checkpoint atomically: to a temporary file in the same directory, forced to disk, then
 * moved over the target. A crash at any point leaves the old checkpoint or the new one, and at
 * worst a stray {@code .NAME.*.tmp} file.
 *
 * <p><b>Test hook, not API: a fault-injection seam.</b> The system property {@value Hold#PROPERTY}
 * makes this JVM stop for good at one moment of one save, so that a test can kill it exactly there
 * (the samples' {@code KillResumeTest}). Its value is {@code N:before}, {@code N:BYTES} or
 * {@code N:after}: the N-th save of this JVM (counted from 1, model files included) blocks before it
 * creates its temporary file, once at least BYTES bytes of the temporary are written (0: just
 * created; in 64 KiB steps; the temporary not yet forced nor moved), or after the move. While the
 * property is set, every completed save prints {@code vdrop-fault: saved N PATH} on standard error,
 * and the hold prints {@code vdrop-fault: holding save N at MOMENT PATH} (PATH the temporary
 * inside a save) before it blocks; a held JVM halts by itself once the process that started it
 * ends. The property is read once, when this class is loaded; unset (the default), the seam costs
 * one test of a static final null per save and per 64 KiB written.
 */
final class CheckpointWriter {
    private static final int BUFFER = 1 << 16;
    private static final Hold HOLD = Hold.parse(System.getProperty(Hold.PROPERTY));

    private CheckpointWriter() {}

    static void write(Path file, Checkpoint checkpoint) throws CheckpointException {
        if (Files.isDirectory(file)) {
            throw new CheckpointException(Messages.cannotSave(file, "it is a directory"));
        }
        Path name = file.getFileName();
        if (name == null) {
            throw new CheckpointException(Messages.cannotSave(file, "the path names no file"));
        }
        Path directory = file.toAbsolutePath().getParent();
        try {
            Files.createDirectories(directory);
        } catch (FileAlreadyExistsException e) {
            throw new CheckpointException(Messages.cannotSave(file, e.getFile() + " is not a directory"), e);
        } catch (IOException e) {
            throw new CheckpointException(Messages.cannotSave(file, e), e);
        }

        Header header = Header.of(checkpoint);
        byte[] json;
        try {
            json = header.toJson();
        } catch (IOException e) {
            throw new CheckpointException(Messages.cannotSave(file, "its header cannot be written as JSON: " + e.getMessage()), e);
        }
        long total = Format.PRELUDE + json.length + header.dataBytes() + Format.TRAILER;

        int save = HOLD == null ? 0 : HOLD.start(file);
        Path temporary = null;
        boolean moved = false;
        try {
            temporary = createTemporary(directory, name.toString());
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                Sink out = new Sink(channel, save, temporary);
                if (HOLD != null) {
                    HOLD.written(save, 0, temporary);
                }
                out.bytes(Format.MAGIC);
                out.putInt(Format.VERSION);
                out.putLong(total);
                out.putInt(json.length);
                out.bytes(json);
                for (Map<String, Mat> group : checkpoint.tensors().values()) {
                    for (Mat m : group.values()) {
                        out.tensor(m);
                    }
                }
                out.trailer(total);
                if (channel.size() != total) {
                    throw new IllegalStateException("wrote " + channel.size() + " bytes, planned " + total);
                }
                channel.force(true);
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            moved = true;
            syncDirectory(directory);
            if (HOLD != null) {
                HOLD.saved(save, file);
            }
        } catch (AtomicMoveNotSupportedException e) {
            throw new CheckpointException(Messages.notAtomic(file), e);
        } catch (IOException e) {
            throw new CheckpointException(Messages.cannotSave(file, e), e);
        } finally {
            if (!moved && temporary != null) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException ignored) {
                    // The save already failed with the error that matters.
                }
            }
        }
    }

    /**
     * A new empty file {@code .NAME.RANDOM.tmp} in {@code directory}. Not {@link Files#createTempFile},
     * whose owner-only permissions the checkpoint would keep after the move.
     */
    private static Path createTemporary(Path directory, String name) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path candidate = directory.resolve("." + name + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
            try {
                FileChannel.open(candidate, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                return candidate;
            } catch (FileAlreadyExistsException e) {
                if (attempt == 10) {
                    throw e;
                }
            }
        }
    }

    /** Makes the rename itself durable where the platform allows it (Linux); elsewhere a no-op. */
    private static void syncDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Not every platform can open or sync a directory; the move is atomic either way.
        }
    }

    /** Big-endian output through one buffer, with the CRC-32 of everything written before the trailer. */
    private static final class Sink {
        private final FileChannel channel;
        private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
        private final CRC32 crc = new CRC32();
        private final int save;
        private final Path temporary;
        private long written;

        /** @param save the save's number for the {@link Hold}, 0 without one */
        Sink(FileChannel channel, int save, Path temporary) {
            this.channel = channel;
            this.save = save;
            this.temporary = temporary;
        }

        void putInt(int v) throws IOException {
            room(Integer.BYTES);
            buffer.putInt(v);
        }

        void putLong(long v) throws IOException {
            room(Long.BYTES);
            buffer.putLong(v);
        }

        void bytes(byte[] bytes) throws IOException {
            int from = 0;
            while (from < bytes.length) {
                room(1);
                int n = Math.min(buffer.remaining(), bytes.length - from);
                buffer.put(bytes, from, n);
                from += n;
            }
        }

        /** The elements column by column, with their raw bits, so every NaN and −0.0 survives. */
        void tensor(Mat m) throws IOException {
            int rows = m.rows();
            if (m.dataType() == DataType.FLOAT) {
                for (int c = 0; c < m.cols(); c++) {
                    for (int r = 0; r < rows; r++) {
                        room(Float.BYTES);
                        buffer.putInt(Float.floatToRawIntBits((float) m.get(r, c)));
                    }
                }
            } else {
                for (int c = 0; c < m.cols(); c++) {
                    for (int r = 0; r < rows; r++) {
                        room(Double.BYTES);
                        buffer.putLong(Double.doubleToRawLongBits(m.get(r, c)));
                    }
                }
            }
        }

        /** The checksum of all bytes so far, then the total length; flushes everything. */
        void trailer(long total) throws IOException {
            drain();
            buffer.putInt((int) crc.getValue());
            buffer.putLong(total);
            buffer.flip();
            writeFully();
        }

        private void room(int bytes) throws IOException {
            if (buffer.remaining() < bytes) {
                drain();
            }
        }

        private void drain() throws IOException {
            crc.update(buffer.array(), 0, buffer.position());
            buffer.flip();
            writeFully();
        }

        private void writeFully() throws IOException {
            while (buffer.hasRemaining()) {
                written += channel.write(buffer);
            }
            buffer.clear();
            if (HOLD != null) {
                HOLD.written(save, written, temporary);
            }
        }
    }

    /**
     * The fault-injection seam of the class comment: which save holds, and where.
     *
     * @param save the number of the save that holds, counted from 1 in this JVM
     * @param bytes where inside that save: {@link #BEFORE}, {@link #AFTER} or the bytes of its
     *     temporary file written before it holds
     */
    record Hold(int save, long bytes) {
        static final String PROPERTY = "vdrop.faults.holdSave";
        /** {@link #bytes} of a hold before the temporary file is created. */
        static final long BEFORE = -1;
        /** {@link #bytes} of a hold after the move, the new checkpoint in place. */
        static final long AFTER = Long.MAX_VALUE;
        private static final String MARK = "vdrop-fault: ";
        private static final AtomicInteger SAVES = new AtomicInteger();

        /**
         * {@return the hold that {@code value} asks for: {@code N:before}, {@code N:BYTES} or
         * {@code N:after}; null for none}
         */
        static Hold parse(String value) {
            if (value == null || value.isBlank()) {
                return null;
            }
            int colon = value.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException(PROPERTY + " must be N:before, N:BYTES or N:after, got " + value);
            }
            String at = value.substring(colon + 1).trim();
            long bytes = switch (at) {
                case "before" -> BEFORE;
                case "after" -> AFTER;
                default -> Long.parseLong(at);
            };
            return new Hold(Integer.parseInt(value.substring(0, colon).trim()), bytes);
        }

        /** {@return the number of the save of {@code file} that starts now}; holds first if it is to hold before */
        int start(Path file) {
            int n = SAVES.incrementAndGet();
            if (n == save && bytes == BEFORE) {
                hold(n, "before " + file);
            }
            return n;
        }

        void written(int n, long soFar, Path temporary) {
            if (n == save && bytes != BEFORE && bytes != AFTER && soFar >= bytes) {
                hold(n, soFar + " bytes " + temporary);
            }
        }

        void saved(int n, Path file) {
            System.err.println(MARK + "saved " + n + " " + file);
            if (n == save && bytes == AFTER) {
                hold(n, "after " + file);
            }
        }

        /**
         * Says where on standard error, then blocks this thread until the test kills the JVM; should
         * the process that started this JVM end first, halts it (status 3), so that no held JVM
         * outlives its test.
         */
        private static void hold(int n, String where) {
            System.err.println(MARK + "holding save " + n + " at " + where);
            System.err.flush();
            ProcessHandle parent = ProcessHandle.current().parent().orElse(null);
            while (parent == null || parent.isAlive()) {
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    // still held: only the kill ends it
                }
            }
            Runtime.getRuntime().halt(3);
        }
    }
}
