package dev.vdrop.runtime.series;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vdrop.runtime.text.NotUtf8Exception;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvTest {
    /** Shipped by the samples; see docs/data.md (CDC NCHS via @stdlib, public domain). */
    private static final Path BIRTHS = Path.of("../samples/src/main/resources/dev/vdrop/samples/data/us-births-1969-1988.csv");

    @Test
    void birthsParse() throws IOException {
        Csv csv = Csv.read(BIRTHS);
        assertEquals("us-births-1969-1988.csv", csv.source());
        assertEquals(List.of("year", "month", "date_of_month", "day_of_week", "births"), csv.header());
        assertEquals(7_305, csv.rows());
        double[] births = csv.column("births");
        assertEquals(7_305, births.length);
        // First and last rows and the column total, read off the file with head, tail and awk.
        assertEquals(8486, births[0]);
        assertEquals(9133, births[7_304]);
        assertEquals(70_485_508, Arrays.stream(births).sum());
        double[] year = csv.column("year");
        assertEquals(1969, year[0]);
        assertEquals(1988, year[7_304]);
    }

    /** "date,v\n" (7 bytes), "1,2\n" (4), "3,caf" (5), then 0xE9 (é in Latin-1): offset 7 + 4 + 5 = 16, line 3. */
    @Test
    void aFileThatIsNotUtf8NamesTheOffsetOfItsFirstBadByte(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("latin1.csv");
        byte[] head = "date,v\n1,2\n3,caf".getBytes(StandardCharsets.US_ASCII);
        byte[] bytes = Arrays.copyOf(head, head.length + 2);
        bytes[head.length] = (byte) 0xE9;
        bytes[head.length + 1] = '\n';
        Files.write(file, bytes);
        NotUtf8Exception e = assertThrows(NotUtf8Exception.class, () -> Csv.read(file));
        assertEquals(file + ": not UTF-8 at byte offset 16 (line 3): 0xE9; save it as UTF-8", e.getMessage());
    }

    @Test
    void rowWithTheWrongNumberOfFieldsNamesItsLine() {
        String text = "a,b,c\n1,2,3\n\n4,5\n";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Csv.parse(text, "t.csv"));
        assertEquals("t.csv line 4: expected 3 fields, found 2", e.getMessage());
    }

    @Test
    void nonNumericValueNamesLineAndColumn() {
        Csv csv = Csv.parse("year,births\n1969,8486\n1969,abc\n", "births.csv");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> csv.column("births"));
        assertEquals("births.csv line 3, column births: 'abc' is not a number", e.getMessage());
        // The other column is fine: values are checked per column, when read.
        assertArrayEquals(new double[] {1969, 1969}, csv.column("year"));
    }

    @Test
    void emptyFieldAndJavaOnlyNumberFormsAreNotNumbers() {
        Csv csv = Csv.parse("x,y,z,w\n1,,NaN,1d\n", "f.csv");
        assertEquals("f.csv line 2, column y: '' is not a number",
                assertThrows(IllegalArgumentException.class, () -> csv.column("y")).getMessage());
        assertEquals("f.csv line 2, column z: 'NaN' is not a number",
                assertThrows(IllegalArgumentException.class, () -> csv.column("z")).getMessage());
        assertEquals("f.csv line 2, column w: '1d' is not a number",
                assertThrows(IllegalArgumentException.class, () -> csv.column("w")).getMessage());
    }

    @Test
    void unknownColumnListsTheColumns() {
        Csv csv = Csv.parse("year,month,births\n1969,1,8486\n", "births.csv");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> csv.column("birth"));
        assertEquals("births.csv has no column 'birth'; its columns are year, month, births", e.getMessage());
    }

    @Test
    void emptyAndHeaderOnlyAreErrors() {
        assertEquals("e.csv is empty: expected a header row and at least one data row",
                assertThrows(IllegalArgumentException.class, () -> Csv.parse("", "e.csv")).getMessage());
        assertEquals("e.csv is empty: expected a header row and at least one data row",
                assertThrows(IllegalArgumentException.class, () -> Csv.parse(" \r\n\n", "e.csv")).getMessage());
        assertEquals("h.csv has a header (line 1) but no data rows",
                assertThrows(IllegalArgumentException.class, () -> Csv.parse("a,b\r\n", "h.csv")).getMessage());
    }

    @Test
    void badHeadersAreErrors() {
        assertEquals("h.csv line 1: column 'a' appears more than once in the header",
                assertThrows(IllegalArgumentException.class, () -> Csv.parse("a,b,a\n1,2,3\n", "h.csv")).getMessage());
        assertEquals("h.csv line 1: column 2 of the header has no name",
                assertThrows(IllegalArgumentException.class, () -> Csv.parse("a, ,c\n1,2,3\n", "h.csv")).getMessage());
    }

    @Test
    void crlfWhitespaceBomAndQuotes() {
        String text = "\uFEFF name , \"value\" ,note\r\n"
                + " x ,  1.5e2 , \"a, b\"\r\n"
                + "y,-.25,\"say \"\"hi\"\"\"\r\n"
                + "z,+3,\r\n";
        Csv csv = Csv.parse(text, "q.csv");
        assertEquals(List.of("name", "value", "note"), csv.header());
        assertEquals(3, csv.rows());
        assertArrayEquals(new double[] {150, -0.25, 3}, csv.column("value"));
        // The quoted comma did not split the field; the other two notes are not numbers either.
        assertEquals("q.csv line 2, column note: 'a, b' is not a number, nor are 2 more fields of this column "
                + "(lines 3 and 4)", assertThrows(IllegalArgumentException.class, () -> csv.column("note")).getMessage());
        // The doubled quote is one quote.
        Csv quotes = Csv.parse("n\n\"say \"\"hi\"\"\"\n", "q.csv");
        assertEquals("q.csv line 2, column n: 'say \"hi\"' is not a number",
                assertThrows(IllegalArgumentException.class, () -> quotes.column("n")).getMessage());
    }

    @Test
    void noTrailingNewlineAndTrailingEmptyField() {
        Csv csv = Csv.parse("a,b\n1,2\n3,", "t.csv");
        assertEquals(2, csv.rows());
        assertArrayEquals(new double[] {1, 3}, csv.column("a"));
        assertEquals("t.csv line 3, column b: '' is not a number",
                assertThrows(IllegalArgumentException.class, () -> csv.column("b")).getMessage());
    }

    @Test
    void unclosedQuoteNamesItsLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Csv.parse("a,b\n1,\"2\n3,4\n", "u.csv"));
        assertEquals("u.csv line 2: field 2 opens a quote that is not closed on this line", e.getMessage());
        IllegalArgumentException after = assertThrows(IllegalArgumentException.class,
                () -> Csv.parse("a,b\n1,\"2\"x\n", "u.csv"));
        assertEquals("u.csv line 2: field 2 has text after its closing quote", after.getMessage());
    }

    @Test
    void tooLargeNumberIsAnError() {
        Csv csv = Csv.parse("a\n1e400\n", "big.csv");
        assertEquals("big.csv line 2, column a: '1e400' is too large for a double",
                assertThrows(IllegalArgumentException.class, () -> csv.column("a")).getMessage());
    }
}
