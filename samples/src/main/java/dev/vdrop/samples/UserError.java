package dev.vdrop.samples;

/**
 * A mistake in what the user asked for: printed as one line, exit code 2, no stack trace. Public
 * for {@code vdrop-spark}, whose {@code classify} is this module's command on Spark.
 */
public final class UserError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * A mistake, named.
     *
     * @param message what is wrong and how to put it right, one line
     */
    public UserError(String message) {
        super(message);
    }
}
