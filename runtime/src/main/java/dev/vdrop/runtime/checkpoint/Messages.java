package dev.vdrop.runtime.checkpoint;

import dev.vdrop.runtime.Mat;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/** Every message of this package, in one place: what is wrong, the value found, what to do. */
final class Messages {
    /** A restore that does not fit lists at most this many differences. */
    static final int MAX_LISTED = 10;

    private static final String USE_EARLIER = "use an earlier checkpoint";

    private Messages() {}

    // Reading.

    static String missing(Path file) {
        return "no checkpoint at " + file;
    }

    static String isDirectory(Path file) {
        return file + " is a directory, not a checkpoint; give the path of a checkpoint file inside it";
    }

    static String notRegularFile(Path file) {
        return file + " is not a regular file, so it is not a checkpoint";
    }

    static String cannotRead(Path file, IOException e) {
        return "cannot read checkpoint " + file + ": " + describe(e);
    }

    static String notACheckpoint(Path file) {
        return file + " is not a vdrop checkpoint: it does not start with "
                + new String(Format.MAGIC, java.nio.charset.StandardCharsets.US_ASCII);
    }

    static String version(Path file, int version) {
        if (version > Format.VERSION) {
            return "checkpoint " + file + " has format version " + version + "; this vdrop reads version "
                    + Format.VERSION + " — open it with the newer vdrop that wrote it";
        }
        return "checkpoint " + file + " has format version " + version + ", which no vdrop writes; this vdrop reads version "
                + Format.VERSION + " — the file is damaged, " + USE_EARLIER;
    }

    static String truncated(Path file, long length, long expected) {
        return "checkpoint " + file + " is truncated: " + length + " of " + expected
                + " bytes; it was cut off while being written — " + USE_EARLIER;
    }

    /** Truncated before the total length could be read. */
    static String truncatedEarly(Path file, long length) {
        return "checkpoint " + file + " is truncated: " + length + " of at least " + Format.MIN_LENGTH
                + " bytes; it was cut off while being written — " + USE_EARLIER;
    }

    static String changedWhileReading(Path file) {
        return "checkpoint " + file + " became shorter while it was being read; read it again once it is written";
    }

    static String corrupt(Path file) {
        return "checkpoint " + file + " is corrupt: its checksum does not match; it was damaged after it was written — "
                + USE_EARLIER;
    }

    static String wrongLength(Path file, long length, long expected) {
        return "checkpoint " + file + " is corrupt: it is " + length + " bytes long but says it is " + expected
                + "; it was damaged after it was written — " + USE_EARLIER;
    }

    static String malformedHeader(Path file, String detail) {
        return "checkpoint " + file + " has a malformed header: " + detail
                + "; the file is intact but was not written by this vdrop";
    }

    // Writing.

    static String cannotSave(Path file, String reason) {
        return "cannot save checkpoint " + file + ": " + reason;
    }

    static String cannotSave(Path file, IOException e) {
        return cannotSave(file, describe(e));
    }

    static String notAtomic(Path file) {
        return cannotSave(file, "its file system cannot replace a file atomically, so a crash could destroy the old "
                + "checkpoint; save to a local disk");
    }

    // Metadata.

    static String noMetadata(String key, Iterable<String> present) {
        String keys = String.join(", ", present);
        return "the checkpoint has no metadata \"" + key + "\"; it has " + (keys.isEmpty() ? "none" : keys);
    }

    static String notANumber(String key, String value, String kind) {
        return "the checkpoint's metadata \"" + key + "\" is \"" + value + "\", not " + kind;
    }

    static String noGroup(String group, Iterable<String> present) {
        String groups = String.join(", ", present);
        return "the checkpoint has no tensor group \"" + group + "\"; it has " + (groups.isEmpty() ? "none" : groups);
    }

    // Restoring.

    static String missingParameter(String name) {
        return "the checkpoint has no parameter " + name + " that the model has";
    }

    static String extraParameter(String name) {
        return "the checkpoint has a parameter " + name + " that the model does not have";
    }

    static String wrongShape(String name, Mat saved, Mat model) {
        return "the checkpoint's " + name + " is " + shape(saved) + " but the model's is " + shape(model);
    }

    /** One difference as it is; several as a list, so that one attempt shows all of them. */
    static String doesNotFit(List<String> differences) {
        if (differences.size() == 1) {
            return differences.get(0);
        }
        StringBuilder s = new StringBuilder("the checkpoint does not fit the model (")
                .append(differences.size()).append(" differences; was it saved from another model or configuration?): ");
        int listed = Math.min(differences.size(), MAX_LISTED);
        s.append(String.join("; ", differences.subList(0, listed)));
        if (differences.size() > listed) {
            s.append("; and ").append(differences.size() - listed).append(" more");
        }
        return s.toString();
    }

    /** The cells of a checkpoint's layers are not those of the model resuming from it. */
    static String otherCells(List<RecurrentCells.Mismatch> mismatches) {
        return "the checkpoint's " + RecurrentCells.describe(mismatches, "this model's") + "; resume it with a model "
                + "declared with " + RecurrentCells.declaration(mismatches) + ", or train this one from the start";
    }

    static String badLayer(String key, String layer, String detail) {
        return "the metadata \"" + key + "\" names a layer " + layer + " whose record is malformed: " + detail;
    }

    static String shape(Mat m) {
        return m.rows() + " × " + m.cols();
    }

    /** An I/O error in words: the file system's reason, not just the path it names. */
    static String describe(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        if (e.getMessage() != null) {
            return e.getMessage();
        }
        return e.getClass().getSimpleName();
    }
}
