package dev.vdrop.runtime.io;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes a file so that it is either the old one or the whole new one, never a part: the content
 * goes to a temporary {@code .NAME.<hex>.tmp} in the same directory, is forced to disk, and is then
 * moved over the target in one atomic rename (and the directory synced, where the platform allows).
 * On any failure — a full disk, a read-only directory, an exception of the content's writer — the
 * temporary is deleted, an existing target is left byte for byte as it was, and the error is thrown.
 * An empty result is refused, so a 0-byte file never replaces a result.
 *
 * <pre>{@code
 * AtomicFiles.writeString(dir.resolve("report.md"), table);
 * AtomicFiles.write(dir.resolve("plot.png"), out -> ChartUtils.writeChartAsPNG(out, chart, 800, 600));
 * }</pre>
 *
 * <p>Thread-safe: concurrent writes of one target each move a complete file, the last one wins.
 */
public final class AtomicFiles {
    private static final int BUFFER = 1 << 16;

    private AtomicFiles() {}

    /**
     * What a file is to contain, written to a stream. The stream is buffered; closing it is allowed
     * and does nothing (the writer closes the file after forcing it to disk).
     */
    @FunctionalInterface
    public interface Content {
        /**
         * Writes the whole content.
         *
         * @param out the temporary file's stream
         * @throws IOException to abandon the write: the target is left as it was
         */
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Writes text as UTF-8.
     *
     * @param file the target, replaced atomically; its parent directories are created
     * @param text at least one character
     * @throws IOException naming the file and why, the target unchanged
     */
    public static void writeString(Path file, CharSequence text) throws IOException {
        writeBytes(file, text.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Writes bytes.
     *
     * @param file the target, replaced atomically; its parent directories are created
     * @param bytes at least one byte
     * @throws IOException naming the file and why, the target unchanged
     */
    public static void writeBytes(Path file, byte[] bytes) throws IOException {
        write(file, out -> out.write(bytes));
    }

    /**
     * Writes what {@code content} writes to a stream, e.g. a chart as PNG or a JSON document.
     *
     * @param file the target, replaced atomically; its parent directories are created
     * @param content writes at least one byte
     * @throws IOException naming the file and why (the content's own exception as the cause), the
     *     target unchanged and no temporary left
     */
    public static void write(Path file, Content content) throws IOException {
        Path name = file.getFileName();
        if (name == null) {
            throw new IOException("cannot write " + file + ": the path names no file");
        }
        if (Files.isDirectory(file)) {
            throw new IOException("cannot write " + file + ": it is a directory");
        }
        Path directory = file.toAbsolutePath().getParent();
        try {
            Files.createDirectories(directory);
        } catch (FileAlreadyExistsException e) {
            throw new IOException("cannot write " + file + ": " + e.getFile() + " is not a directory", e);
        } catch (IOException e) {
            throw new IOException("cannot write " + file + ": " + Temporaries.reason(e), e);
        }
        Path temporary = null;
        boolean moved = false;
        try {
            temporary = Temporaries.create(directory, name.toString());
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                OutputStream buffered = new BufferedOutputStream(Channels.newOutputStream(channel), BUFFER);
                content.writeTo(new KeepOpen(buffered));
                buffered.flush();
                if (channel.size() == 0) {
                    throw new IOException("nothing was written");
                }
                channel.force(true);
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            moved = true;
            syncDirectory(directory);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot write " + file + ": its file system cannot rename atomically", e);
        } catch (IOException e) {
            throw new IOException("cannot write " + file + ": " + Temporaries.reason(e), e);
        } finally {
            if (!moved) {
                Temporaries.discard(temporary);
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

    /** The content's stream: {@code close} only flushes (Jackson and image writers close what they are given). */
    private static final class KeepOpen extends FilterOutputStream {
        KeepOpen(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
