package dev.vdrop.runtime.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Utf8Test {
    @TempDir
    Path dir;

    @Test
    void validUtf8DecodesAsItIs() throws IOException {
        String text = "\uFEFFЁжик, café 𝒜\r\nline two\n";
        assertEquals(text, Utf8.decode(text.getBytes(StandardCharsets.UTF_8), "x"));
        assertEquals("", Utf8.decode(new byte[0], "x"));
        // longer than the checking pass's buffer of 8,192 chars, so it is checked in several chunks
        String longText = "Ёжик в тумане 𝒜 café.\n".repeat(1_000);
        assertEquals(longText, Utf8.decode(longText.getBytes(StandardCharsets.UTF_8), "x"));
    }

    @Test
    void aLatin1ByteFarIntoTheFileIsNamedByOffsetLineAndValue() throws IOException {
        // past any decoder's first buffer (8 KB): 400 lines of 43 bytes
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < 400; i++) {
            bytes.write("ёж — a line of 43 bytes, 39 characters\n".getBytes(StandardCharsets.UTF_8));
        }
        assertEquals(400 * 43, bytes.size()); // 39 characters, of which ё and ж take 2 bytes each and — takes 3
        bytes.write(new byte[] {'c', 'a', 'f', (byte) 0xE9, '\n'});
        Path file = dir.resolve("latin1.txt");
        Files.write(file, bytes.toByteArray());

        NotUtf8Exception e = assertThrows(NotUtf8Exception.class, () -> Utf8.read(file));
        assertEquals(file + ": not UTF-8 at byte offset 17203 (line 401): 0xE9; save it as UTF-8", e.getMessage());
        assertEquals(17_203, e.offset());
        assertEquals(401, e.line());
        assertEquals(0xE9, e.value());
    }

    @Test
    void aTruncatedSequenceAtTheEndIsNamedByItsFirstByte() {
        byte[] bytes = {'a', '\n', 'b', (byte) 0xD0}; // the first byte of a two-byte Cyrillic letter, cut off
        NotUtf8Exception e = assertThrows(NotUtf8Exception.class, () -> Utf8.decode(bytes, "cut.txt"));
        assertEquals("cut.txt: not UTF-8 at byte offset 3 (line 2): 0xD0; save it as UTF-8", e.getMessage());
    }

    @Test
    void anEncodedSurrogateIsNotUtf8() {
        byte[] bytes = {'o', 'k', (byte) 0xED, (byte) 0xA0, (byte) 0x80}; // U+D800 in CESU style
        assertEquals(2, assertThrows(NotUtf8Exception.class, () -> Utf8.decode(bytes, "s")).offset());
    }
}
