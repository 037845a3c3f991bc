package dev.vdrop.runtime.checkpoint;

import dev.vdrop.runtime.Mat;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Reads a checkpoint, checking in this order so that each failure gets the message that helps:
 * magic, version, length (truncated or not), checksum, header, then the tensors. Nothing is parsed
 * before the checksum matched, so a damaged file is reported as damaged, not as nonsense.
 */
final class CheckpointReader {
    private static final int BUFFER = 1 << 16;
    private static final int CRC_BUFFER = 1 << 20;

    private final Path file;
    private final FileChannel channel;

    private CheckpointReader(Path file, FileChannel channel) {
        this.file = file;
        this.channel = channel;
    }

    static Checkpoint read(Path file) throws CheckpointException {
        if (!Files.exists(file)) {
            throw new CheckpointException(Messages.missing(file));
        }
        if (Files.isDirectory(file)) {
            throw new CheckpointException(Messages.isDirectory(file));
        }
        if (!Files.isRegularFile(file)) {
            throw new CheckpointException(Messages.notRegularFile(file));
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return new CheckpointReader(file, channel).read();
        } catch (NoSuchFileException e) {
            throw new CheckpointException(Messages.missing(file), e);
        } catch (IOException e) {
            throw new CheckpointException(Messages.cannotRead(file, e), e);
        }
    }

    private Checkpoint read() throws IOException, CheckpointException {
        long size = channel.size();
        ByteBuffer prelude = readAt(0, (int) Math.min(size, Format.PRELUDE));
        byte[] magic = Arrays.copyOf(prelude.array(), (int) Math.min(size, Format.MAGIC.length));
        if (!Arrays.equals(magic, Arrays.copyOf(Format.MAGIC, magic.length))) {
            throw new CheckpointException(Messages.notACheckpoint(file));
        }
        if (size < Format.OFFSET_VERSION + Integer.BYTES) {
            throw new CheckpointException(Messages.truncatedEarly(file, size));
        }
        int version = prelude.getInt(Format.OFFSET_VERSION);
        if (version != Format.VERSION) {
            throw new CheckpointException(Messages.version(file, version));
        }
        if (size < Format.OFFSET_TOTAL + Long.BYTES) {
            throw new CheckpointException(Messages.truncatedEarly(file, size));
        }
        long total = prelude.getLong(Format.OFFSET_TOTAL);

        // The length at the end equals the file's only when the file is complete.
        long endLength = size >= Format.MIN_LENGTH ? readAt(size - Long.BYTES, Long.BYTES).getLong(0) : -1;
        if (endLength != size) {
            if (total > size) {
                throw new CheckpointException(Messages.truncated(file, size, total));
            }
            if (total == size) {
                throw new CheckpointException(Messages.corrupt(file));
            }
            throw new CheckpointException(Messages.wrongLength(file, size, total));
        }
        long checked = size - Format.TRAILER;
        int stored = readAt(checked, Integer.BYTES).getInt(0);
        if (stored != (int) crc(checked)) {
            throw new CheckpointException(Messages.corrupt(file));
        }
        if (total != size) {
            throw new CheckpointException(Messages.wrongLength(file, size, total));
        }

        int headerLength = prelude.getInt(Format.OFFSET_HEADER_LENGTH);
        if (headerLength <= 0 || headerLength > size - Format.MIN_LENGTH) {
            throw new CheckpointException(Messages.malformedHeader(file, "its length " + headerLength
                    + " does not fit in the " + size + " bytes of the file"));
        }
        byte[] json = readAt(Format.PRELUDE, headerLength).array();
        long dataStart = Format.PRELUDE + (long) headerLength;
        Header header;
        try {
            header = Header.parse(json, checked - dataStart);
        } catch (Header.MalformedException e) {
            throw new CheckpointException(Messages.malformedHeader(file, e.getMessage()), e);
        }

        Checkpoint.Builder builder = Checkpoint.builder().version(version)
                .metadata(header.metadata())
                .vocabulary(header.vocabulary());
        Source in = new Source(dataStart);
        for (Map.Entry<String, List<TensorEntry>> group : header.groups().entrySet()) {
            Map<String, Mat> named = new LinkedHashMap<>();
            for (TensorEntry entry : group.getValue()) {
                named.put(entry.name(), in.tensor(entry));
            }
            builder.tensors(group.getKey(), named);
        }
        return builder.build();
    }

    /** The CRC-32 of the first {@code length} bytes. */
    private long crc(long length) throws IOException, CheckpointException {
        CRC32 crc = new CRC32();
        ByteBuffer buffer = ByteBuffer.allocateDirect((int) Math.max(1, Math.min(CRC_BUFFER, length)));
        long position = 0;
        while (position < length) {
            buffer.clear();
            buffer.limit((int) Math.min(buffer.capacity(), length - position));
            fill(buffer, position);
            buffer.flip();
            position += buffer.remaining();
            crc.update(buffer);
        }
        return crc.getValue();
    }

    /** {@code length} bytes from {@code position}, big-endian. */
    private ByteBuffer readAt(long position, int length) throws IOException, CheckpointException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        fill(buffer, position);
        buffer.flip();
        return buffer;
    }

    /** Fills the buffer to its limit; a file that shrinks meanwhile is reported as truncated. */
    private void fill(ByteBuffer buffer, long position) throws IOException, CheckpointException {
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, position);
            if (n < 0) {
                throw new CheckpointException(Messages.changedWhileReading(file), new EOFException());
            }
            position += n;
        }
    }

    /** Sequential big-endian reads of the tensor data through one buffer. */
    private final class Source {
        private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
        private long position;

        Source(long start) {
            this.position = start;
            buffer.limit(0);
        }

        /** A new matrix with the tensor's values, bit for bit. */
        Mat tensor(TensorEntry entry) throws IOException, CheckpointException {
            Mat m = Mat.zeros(entry.type(), entry.rows(), entry.cols());
            int rows = entry.rows();
            long count = (long) rows * entry.cols();
            int width = Format.bytesPer(entry.type());
            boolean single = entry.type() == DataType.FLOAT;
            int r = 0;
            int c = 0;
            long left = count;
            while (left > 0) {
                need(width);
                long n = Math.min(left, buffer.remaining() / width);
                left -= n;
                for (long i = 0; i < n; i++) {
                    if (single) {
                        m.set(r, c, Float.intBitsToFloat(buffer.getInt()));
                    } else {
                        m.set(r, c, Double.longBitsToDouble(buffer.getLong()));
                    }
                    if (++r == rows) {
                        r = 0;
                        c++;
                    }
                }
            }
            return m;
        }

        private void need(int bytes) throws IOException, CheckpointException {
            if (buffer.remaining() >= bytes) {
                return;
            }
            buffer.compact();
            while (buffer.position() < bytes) {
                int n = channel.read(buffer, position);
                if (n < 0) {
                    throw new CheckpointException(Messages.changedWhileReading(file), new EOFException());
                }
                position += n;
            }
            buffer.flip();
        }
    }
}
