package dev.vdrop.runtime.text;

import java.io.IOException;

/**
 * Bytes that are not UTF-8, with where: the offset of the first bad byte (counting from 0, as
 * {@code xxd} and {@code cmp} show offsets), its line (counting from 1) and its value. The message
 * is one line, e.g. {@code reviews.tsv: not UTF-8 at byte offset 1234 (line 17): 0xE9; save it as
 * UTF-8}. Thrown by {@link Utf8#decode(byte[], String)}.
 */
public final class NotUtf8Exception extends IOException {
    private static final long serialVersionUID = 1L;

    private final long offset;
    private final long line;
    private final int value;

    NotUtf8Exception(String source, long offset, long line, int value) {
        super(String.format("%s: not UTF-8 at byte offset %d (line %d): 0x%02X; save it as UTF-8", source, offset, line,
                value));
        this.offset = offset;
        this.line = line;
        this.value = value;
    }

    /** {@return the offset of the first byte that is not UTF-8, counting from 0} */
    public long offset() {
        return offset;
    }

    /** {@return the line of that byte, counting from 1: one more than the line feeds before it} */
    public long line() {
        return line;
    }

    /** {@return that byte's value, 0 to 255} */
    public int value() {
        return value;
    }
}
