package dev.vdrop.runtime.checkpoint;

/**
 * A checkpoint cannot be saved, read or restored. The message says what is wrong and, where there
 * is one, what to do: {@code checkpoint runs/lm.ckpt is truncated: 1024 of 4096 bytes; it was cut
 * off while being written — use an earlier checkpoint}. When the cause was an I/O error, it is
 * kept as the {@linkplain #getCause() cause}.
 */
public final class CheckpointException extends Exception {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with a message that says what is wrong and what to do.
     *
     * @param message the message
     */
    public CheckpointException(String message) {
        super(message);
    }

    /**
     * An exception with such a message and the error that caused it.
     *
     * @param message the message
     * @param cause the error that caused it
     */
    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
