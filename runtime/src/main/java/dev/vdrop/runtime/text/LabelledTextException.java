package dev.vdrop.runtime.text;

/**
 * Labelled text that cannot be read: a file without the {@code label} or {@code text} column, a
 * row with the wrong number of fields, an empty label or text, bytes that are not UTF-8, a text
 * without tokens. The message is one line that names the file and the line (or the missing
 * column), e.g. {@code reviews.tsv line 7: 2 fields, but the header row has 3 (fields are separated
 * by tabs)}: a command line prints it as it is.
 */
public final class LabelledTextException extends Exception {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with a one-line message naming the file and the line or column.
     *
     * @param message the message
     */
    public LabelledTextException(String message) {
        super(message);
    }
}
