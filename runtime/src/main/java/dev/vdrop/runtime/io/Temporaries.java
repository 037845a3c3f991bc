package dev.vdrop.runtime.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * The temporaries of vdrop's writers: {@code .NAME.<hex>.tmp} in the target's directory, where
 * {@code <hex>} is a random long in lower-case hexadecimal (1 to 16 digits) — the checkpoint
 * writer's naming, so that one pattern finds the temporaries of every writer.
 */
final class Temporaries {
    /** A dot, the target's name, a dot, 1–16 hex digits, {@code .tmp}. */
    static final Pattern NAME = Pattern.compile("\\..+\\.[0-9a-f]{1,16}\\.tmp");

    private Temporaries() {}

    /**
     * A new empty file {@code .NAME.RANDOM.tmp} in {@code directory}, with the default permissions a
     * new file gets (not {@code Files.createTempFile}'s owner-only ones, which the result would keep
     * after the move).
     */
    static Path create(Path directory, String name) throws IOException {
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

    /** {@return whether a file name is of the temporaries' naming} */
    static boolean isTemporary(String fileName) {
        return NAME.matcher(fileName).matches();
    }

    /**
     * Deletes the regular files of the temporaries' naming directly in {@code directory} (not below).
     * Call it only while holding the directory's lock: no live run of ours then writes there.
     *
     * @return the files deleted
     */
    static List<Path> removeStale(Path directory) throws IOException {
        List<Path> removed = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path f : files) {
                if (isTemporary(f.getFileName().toString()) && Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                    Files.deleteIfExists(f);
                    removed.add(f);
                }
            }
        }
        return removed;
    }

    /** Deletes a temporary after a failed write; the failure that matters is already being thrown. */
    static void discard(Path temporary) {
        if (temporary == null) {
            return;
        }
        try {
            Files.deleteIfExists(temporary);
        } catch (IOException ignored) {
            // nothing better to do: the write's own error is the one to report
        }
    }

    /**
     * {@return the message of an I/O error (its class when it has none), and its root cause's when
     * that says more: an image writer's "I/O error writing PNG file!" hides "No space left on device"}
     */
    static String reason(IOException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e || root.getMessage() == null || message.contains(root.getMessage())
                ? message
                : message + " (" + root.getMessage() + ")";
    }
}
