package dev.vdrop.runtime.io;

import java.io.IOException;
import java.nio.file.Path;

/** An output location that a run cannot write its results to; the message says why, in one line. */
public final class OutputException extends IOException {
    private static final long serialVersionUID = 1L;

    /** Why the location was refused. */
    public enum Reason {
        /** The file exists and overwriting was not asked for. */
        EXISTS,
        /** The path, or a directory above it, is a file where a directory is needed. */
        NOT_A_DIRECTORY,
        /** The path of a file to write is a directory. */
        IS_A_DIRECTORY,
        /** A missing directory cannot be created. */
        CANNOT_CREATE,
        /** Nothing can be created in the directory (read-only, no permission). */
        NOT_WRITABLE,
        /** The file system has less free space than the run will write. */
        NO_SPACE
    }

    private final Reason reason;
    private final transient Path path;

    OutputException(Reason reason, Path path, String message) {
        super(message);
        this.reason = reason;
        this.path = path;
    }

    /** {@return why the location was refused} */
    public Reason reason() {
        return reason;
    }

    /** {@return the path the message is about} */
    public Path path() {
        return path;
    }
}
