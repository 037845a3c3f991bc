package dev.vdrop.runtime.train;

/**
 * Training stopped and cannot go on as configured: a non-finite loss, or a checkpoint that does not
 * fit. The message says where it happened and what was kept.
 */
public final class TrainingException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with a message for the user.
     *
     * @param message what happened, where, and what was kept
     */
    public TrainingException(String message) {
        super(message);
    }

    /**
     * An exception with a message for the user and its cause.
     *
     * @param message what happened, where, and what was kept
     * @param cause the underlying failure
     */
    public TrainingException(String message, Throwable cause) {
        super(message, cause);
    }
}
