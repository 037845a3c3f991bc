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
import java.util.zip.CRC32;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Writes a checkpoint atomically: to a temporary file in the same directory, forced to disk, then
 * moved over the target. A crash at any point leaves the old checkpoint or the new one, and at
 * worst a stray {@code .NAME.*.tmp} file.
 */
final class CheckpointWriter {
    private static final int BUFFER = 1 << 16;

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

        Path temporary = null;
        boolean moved = false;
        try {
            temporary = createTemporary(directory, name.toString());
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                Sink out = new Sink(channel);
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

        Sink(FileChannel channel) {
            this.channel = channel;
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
                channel.write(buffer);
            }
            buffer.clear();
        }
    }
}
