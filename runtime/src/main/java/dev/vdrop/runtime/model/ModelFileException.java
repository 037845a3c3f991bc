package dev.vdrop.runtime.model;

/**
 * A model file cannot be saved, read or restored into a network. The message names the file and
 * says what is wrong and what to do, e.g. {@code model file runs/names.vdrop holds a
 * com.example.NamesNetwork, not the com.example.OtherNetwork given}. A cause from the checkpoint
 * layer or the file system is kept as the {@linkplain #getCause() cause}.
 */
public final class ModelFileException extends Exception {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with a message that says what is wrong and what to do.
     *
     * @param message the message
     */
    public ModelFileException(String message) {
        super(message);
    }

    /**
     * An exception with such a message and the error that caused it.
     *
     * @param message the message
     * @param cause the error that caused it
     */
    public ModelFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
