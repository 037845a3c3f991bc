package dev.vdrop.runtime.text;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Strict UTF-8 decoding that says where it fails: the one decoder of every reader of a user's text
 * in vdrop (corpora, labelled TSV files, CSV series; {@link LabelledText#read(Path)} and the samples'
 * commands). {@link java.nio.file.Files#readString(Path)} fails with a bare "Input length = 1";
 * this names the byte offset, the line and the byte, so the user can find it:
 *
 * <pre>{@code
 * String text = Utf8.read(Path.of("corpus.txt"));
 * // corpus.txt: not UTF-8 at byte offset 1234 (line 17): 0xE9; save it as UTF-8
 * }</pre>
 *
 * Malformed sequences and unmappable characters are errors, never replaced; a byte-order mark is
 * kept as the character U+FEFF (readers that allow one drop it themselves).
 */
public final class Utf8 {
    /** The size of the checking pass's output buffer, whose chars are thrown away. */
    private static final int SCRATCH_CHARS = 8192;

    private Utf8() {}

    /**
     * Reads a whole file as strict UTF-8.
     *
     * @param file the file
     * @return its text
     * @throws NotUtf8Exception when a byte is not UTF-8; the message names the file by
     *     {@code file.toString()}
     * @throws IOException when the file cannot be read
     */
    public static String read(Path file) throws IOException {
        return decode(Files.readAllBytes(file), file.toString());
    }

    /**
     * Decodes bytes as strict UTF-8. One pass of a reporting decoder checks them, its output
     * thrown away chunk by chunk: when it reports an error, the input buffer's position is the
     * first byte of the malformed (or unmappable) sequence. Valid bytes are then decoded by
     * {@link String#String(byte[], java.nio.charset.Charset)}, which gives the same text, so a
     * corpus costs no more memory than {@link Files#readString(Path)} would take.
     *
     * @param bytes the bytes
     * @param source what to call them in the message, e.g. the file's name
     * @return the text
     * @throws NotUtf8Exception naming the offset, line and value of the first byte that is not UTF-8
     */
    public static String decode(byte[] bytes, String source) throws NotUtf8Exception {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer scratch = CharBuffer.allocate(SCRATCH_CHARS);
        CoderResult result;
        do {
            scratch.clear();
            result = decoder.decode(in, scratch, true);
        } while (result.isOverflow());
        if (result.isError()) {
            int offset = in.position();
            throw new NotUtf8Exception(source, offset, 1 + lineFeeds(bytes, offset), bytes[offset] & 0xFF);
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static long lineFeeds(byte[] bytes, int end) {
        long count = 0;
        for (int i = 0; i < end; i++) {
            if (bytes[i] == '\n') {
                count++;
            }
        }
        return count;
    }
}
