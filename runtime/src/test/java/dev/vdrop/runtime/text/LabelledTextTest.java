package dev.vdrop.runtime.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabelledTextTest {
    /** The name lists the samples ship; docs/data.md gives these counts. */
    private static final Path NAMES = Path.of("../samples/src/main/resources/dev/vdrop/samples/data/names");

    private static LabelledText read(String tsv) throws IOException, LabelledTextException {
        return LabelledText.read(new ByteArrayInputStream(tsv.getBytes(StandardCharsets.UTF_8)), "data.tsv");
    }

    /** The message of the exception reading {@code tsv} throws; it must be one line. */
    private static String error(String tsv) {
        return error(tsv.getBytes(StandardCharsets.UTF_8));
    }

    private static String error(byte[] tsv) {
        LabelledTextException e = assertThrows(LabelledTextException.class,
                () -> LabelledText.read(new ByteArrayInputStream(tsv), "data.tsv"));
        assertFalse(e.getMessage().contains("\n") || e.getMessage().contains("\r"), e.getMessage());
        return e.getMessage();
    }

    @Test
    void readsTheLabelAndTextColumnsInAnyOrderIgnoringTheOthers() throws Exception {
        String tsv = "\uFEFFid\ttext\tlabel\r\n"
                + "1\tA quiet, lovely film.\tpositive\r\n"
                + "2\t  Две звезды из десяти.  \tnegative\r\n"
                + "\r\n"
                + "3\tΚαλό!\tpositive\n";
        LabelledText data = read(tsv);
        assertEquals(3, data.size());
        assertEquals(List.of("A quiet, lovely film.", "Две звезды из десяти.", "Καλό!"), data.texts());
        // ids in sorted order of the names, not in the order they are first seen
        assertEquals(List.of("negative", "positive"), data.labelNames());
        assertArrayEquals(new int[] {1, 0, 1}, data.labels());
        assertEquals("data.tsv line 2", data.location(0));
        // the blank line 4 is skipped, and counted
        assertEquals("data.tsv line 5", data.location(2));
    }

    @Test
    void readsAFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("reviews.tsv");
        Files.writeString(file, "label\ttext\nb\tzwei\na\teins\nc\tdrei", StandardCharsets.UTF_8);
        LabelledText data = LabelledText.read(file);
        assertEquals(List.of("zwei", "eins", "drei"), data.texts());
        assertEquals(List.of("a", "b", "c"), data.labelNames());
        assertArrayEquals(new int[] {1, 0, 2}, data.labels());
        assertEquals(file + " line 4", data.location(2));
    }

    @Test
    void theLabelsAreACopy() throws Exception {
        LabelledText data = read("label\ttext\nx\ta\ny\tb\n");
        data.labels()[0] = 7;
        assertArrayEquals(new int[] {0, 1}, data.labels());
    }

    @Test
    void aMissingColumnIsNamed() {
        assertEquals("data.tsv: no column label in the header row (line 1 has 'id', 'text'); it must name the "
                + "columns label and text, separated by a tab", error("id\ttext\n1\thello\n"));
        assertTrue(error("label\tsentence\nx\thello\n").startsWith("data.tsv: no column text in the header row"));
        // a header separated by commas is one column
        assertTrue(error("label,text\nx,hello\n").startsWith("data.tsv: no column label"));
    }

    @Test
    void aColumnNamedTwiceIsAnError() {
        assertEquals("data.tsv line 1: the column text appears twice (columns 2 and 3)",
                error("label\ttext\ttext\nx\ta\tb\n"));
    }

    @Test
    void aRowWithAnotherNumberOfFieldsNamesItsLine() {
        assertEquals("data.tsv line 3: 2 fields, but the header row has 3 (fields are separated by tabs)",
                error("id\tlabel\ttext\n1\tx\thello\n2\tworld\n"));
        assertEquals("data.tsv line 2: 4 fields, but the header row has 2 (fields are separated by tabs)",
                error("label\ttext\nx\ta\tb\tc\n"));
        // a line of only white space is not blank: it is one field
        assertEquals("data.tsv line 3: 1 field, but the header row has 2 (fields are separated by tabs)",
                error("label\ttext\nx\ta\n \n"));
    }

    @Test
    void anEmptyTextOrLabelNamesItsLine() {
        assertEquals("data.tsv line 3: the text is empty", error("label\ttext\nx\ta\ny\t\n"));
        assertEquals("data.tsv line 2: the text is empty", error("label\ttext\nx\t   \n"));
        assertEquals("data.tsv line 2: the label is empty", error("label\ttext\n\thello\n"));
    }

    @Test
    void aFileWithoutHeaderOrExamplesIsAnError() {
        assertTrue(error("").startsWith("data.tsv: no header row"));
        assertTrue(error("\nlabel\ttext\n").startsWith("data.tsv: no header row"));
        assertEquals("data.tsv: no examples after the header row", error("label\ttext\n\n"));
    }

    @Test
    void bytesThatAreNotUtf8NameTheirOffsetAndLine() throws IOException {
        // far enough into the file that a buffered decoder would have read past it before line 300
        ByteArrayOutputStream tsv = new ByteArrayOutputStream();
        tsv.write("label\ttext\n".getBytes(StandardCharsets.UTF_8));
        for (int i = 2; i < 300; i++) {
            tsv.write(("x\tline number " + i + " of a file long enough to fill more than one buffer\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
        int offset = tsv.size() + 5; // after "y\tcaf"
        tsv.write(new byte[] {'y', '\t', 'c', 'a', 'f', (byte) 0xE9, '\n'}); // é in Latin-1
        tsv.write("z\tfine\n".getBytes(StandardCharsets.UTF_8));
        assertEquals("data.tsv: not UTF-8 at byte offset " + offset + " (line 300): 0xE9; save it as UTF-8",
                error(tsv.toByteArray()));
    }

    @Test
    void tokensOfEveryTextOrTheLineOfOneWithout() throws Exception {
        LabelledText data = read("label\ttext\nx\tЁжик, café\ny\t...!\n");
        LabelledTextException e = assertThrows(LabelledTextException.class, () -> data.tokens(UnicodeTokens::words));
        assertEquals("data.tsv line 3: the text gives no tokens (\"...!\"); a word needs a letter or digit", e.getMessage());
        List<List<String>> characters = data.tokens(UnicodeTokens::characters);
        assertEquals(List.of("Ё", "ж", "и", "к", ",", " ", "c", "a", "f", "é"), characters.get(0));
        assertEquals(List.of(".", ".", ".", "!"), characters.get(1));
    }

    @Test
    void listsKeepATextInBothListsOnceWithEachLabel() {
        LabelledText data = LabelledText.fromLists(Map.of(
                "male", List.of("Robin", "Adam", " ", "Adam", "Jordan"),
                "female", List.of("Anna ", "Robin", "Jordan")));
        // label by label in sorted order; the second "Adam" and the blank line are skipped
        assertEquals(List.of("Anna", "Robin", "Jordan", "Robin", "Adam", "Jordan"), data.texts());
        assertEquals(List.of("female", "male"), data.labelNames());
        assertArrayEquals(new int[] {0, 0, 0, 1, 1, 1}, data.labels());
        assertEquals("male line 5", data.location(5));
    }

    @Test
    void listsNeedTextsAndLabels() {
        assertThrows(IllegalArgumentException.class, () -> LabelledText.fromLists(Map.of("a", List.of("x"), "b", List.of(" "))));
        assertThrows(IllegalArgumentException.class, () -> LabelledText.fromLists(Map.of(" ", List.of("x"))));
    }

    @Test
    void theBundledNamesHave419NamesWithBothLabels() throws IOException {
        LabelledText names = LabelledText.fromLists(Map.of(
                "female", Files.readAllLines(NAMES.resolve("female.txt"), StandardCharsets.UTF_8),
                "male", Files.readAllLines(NAMES.resolve("male.txt"), StandardCharsets.UTF_8)));
        assertEquals(List.of("female", "male"), names.labelNames());
        int[] labels = names.labels();
        long female = java.util.Arrays.stream(labels).filter(l -> l == 0).count();
        assertEquals(4_944, female);
        assertEquals(3_897, labels.length - female);
        Set<String> distinct = new HashSet<>(names.texts());
        assertEquals(8_422, distinct.size());
        assertEquals(419, names.size() - distinct.size());
    }
}
