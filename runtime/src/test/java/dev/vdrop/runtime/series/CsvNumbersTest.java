package dev.vdrop.runtime.series;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link Csv#numbers(String)}: every missing and bad field collected, and the messages that name them. */
class CsvNumbersTest {
    private static final double NaN = Double.NaN;

    @Test
    void everyMarkerIsMissingInAnyCaseAndTrimmed() {
        // line 1 the header; data on lines 2..12; line 3 is blank, an empty field in a one-column table
        Csv csv = Csv.parse("v\n1\n\nNA\nn/a\n NaN \nnan\nNULL\n.\n\" na \"\n\"\"\n2\n", "m.csv");
        NumericColumn column = csv.numbers("v");
        assertEquals(11, column.size());
        assertArrayEquals(new double[] {1, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, 2}, column.values());
        assertEquals(List.of(3, 4, 5, 6, 7, 8, 9, 10, 11), column.missing().stream().map(NumericColumn.Field::line).toList());
        assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9), column.missing().stream().map(NumericColumn.Field::row).toList());
        assertEquals(List.of("", "NA", "n/a", "NaN", "nan", "NULL", ".", " na ", ""),
                column.missing().stream().map(NumericColumn.Field::text).toList());
        assertTrue(column.bad().isEmpty());
        assertFalse(column.isComplete());
    }

    /** A spreadsheet saves an empty cell of a one-column sheet as a blank line: a row, or the spacing breaks. */
    @Test
    void aBlankLineInsideAOneColumnTableIsAnEmptyField() {
        Csv csv = Csv.parse("\nv\n\n1\n\n\n4\n\n\n", "one.csv");
        // line 2 the header; the blank line 1 before it and lines 8..10 after the last value are not rows
        assertEquals(5, csv.rows());
        NumericColumn column = csv.numbers("v");
        assertArrayEquals(new double[] {NaN, 1, NaN, NaN, 4}, column.values());
        assertEquals(List.of(3, 5, 6), column.missing().stream().map(NumericColumn.Field::line).toList());
        assertEquals("one.csv line 3, column v", csv.where(0, "v"));
        // with two columns a blank line is no row (an empty row would be written ",")
        Csv two = Csv.parse("d,v\n1,1\n\n2,4\n", "two.csv");
        assertEquals(2, two.rows());
        assertArrayEquals(new double[] {1, 4}, two.column("v"));
        // a header followed by blank lines only still has no data rows
        assertEquals("h.csv has a header (line 1) but no data rows",
                assertThrows(IllegalArgumentException.class, () -> Csv.parse("v\n\n\n", "h.csv")).getMessage());
    }

    @Test
    void textThatIsNeitherANumberNorAMarkerIsBad() {
        Csv csv = Csv.parse("v\n1\nabc\n-\nInfinity\n0x10\n1d\nn.a.\n1e400\n2\n", "b.csv");
        NumericColumn column = csv.numbers("v");
        assertArrayEquals(new double[] {1, NaN, NaN, NaN, NaN, NaN, NaN, NaN, 2}, column.values());
        assertEquals(List.of("abc", "-", "Infinity", "0x10", "1d", "n.a.", "1e400"),
                column.bad().stream().map(NumericColumn.Field::text).toList());
        assertEquals(List.of(3, 4, 5, 6, 7, 8, 9), column.bad().stream().map(NumericColumn.Field::line).toList());
        assertTrue(column.missing().isEmpty());
    }

    @Test
    void aCompleteColumnHasItsValuesAndSaysSo() {
        NumericColumn column = Csv.parse("a,v\nx,1.5\ny,-2\nz,3e2\n", "c.csv").numbers("v");
        assertTrue(column.isComplete());
        assertArrayEquals(new double[] {1.5, -2, 300}, column.values());
        assertEquals("c.csv column v: 3 values, none missing or bad", column.describe());
        assertEquals("c.csv", column.source());
        assertEquals("v", column.name());
    }

    /** The lead's example: 59 missing values of 200, the first five on lines 12, 40, 41, 97, 130. */
    @Test
    void manyMissingValuesNameTheFirstFiveLinesAndCountTheRest() {
        Set<Integer> gaps = new java.util.TreeSet<>(List.of(12, 40, 41, 97, 130));
        for (int line = 140; line < 194; line++) {
            gaps.add(line);
        }
        assertEquals(59, gaps.size());
        StringBuilder text = new StringBuilder("births\n");
        for (int line = 2; line <= 201; line++) {
            text.append(gaps.contains(line) ? "" : String.valueOf(line)).append('\n');
        }
        NumericColumn column = Csv.parse(text.toString(), "births.csv").numbers("births");
        assertEquals(200, column.size());
        assertEquals(59, column.missing().size());
        assertEquals("births.csv column births: 59 missing values (lines 12, 40, 41, 97, 130 and 54 more); "
                + "use --missing interpolate or --missing skip", column.describe());
    }

    @Test
    void oneTwoAndFiveMissingValuesAreListedAsProse() {
        assertEquals("o.csv column v: 1 missing value (line 3); use --missing interpolate or --missing skip",
                Csv.parse("v\n1\nNA\n", "o.csv").numbers("v").describe());
        assertEquals("o.csv column v: 2 missing values (lines 3 and 4); use --missing interpolate or --missing skip",
                Csv.parse("v\n1\nNA\n\n5\n", "o.csv").numbers("v").describe());
        assertEquals("o.csv column v: 5 missing values (lines 2, 3, 5, 6 and 7); use --missing interpolate or "
                + "--missing skip", Csv.parse("v\nNA\nNA\n1\n\"\"\n.\nnull\n8\n", "o.csv").numbers("v").describe());
        assertEquals("o.csv column v: 6 missing values (lines 2, 3, 4, 5, 6 and 1 more); use --missing interpolate or "
                + "--missing skip", Csv.parse("v\nNA\nNA\nNA\nNA\nNA\nNA\n7\n", "o.csv").numbers("v").describe());
    }

    @Test
    void badValuesAreListedWithTheirTextAndTheHint() {
        NumericColumn column = Csv.parse("v\n1\nabc\n2\n1;5\n", "b.csv").numbers("v");
        assertEquals("b.csv column v: 2 values that are not numbers (line 3 'abc' and line 5 '1;5'); write plain "
                + "decimal numbers such as 8486, -0.25 or 1.5e3, and mark a missing value with an empty field or NA",
                column.describe());
        NumericColumn seven = Csv.parse("v\na\nb\nc\nd\ne\nf\n1e400\n", "b.csv").numbers("v");
        assertEquals("b.csv column v: 7 values that are not numbers (line 2 'a', line 3 'b', line 4 'c', line 5 'd', "
                + "line 6 'e' and 2 more); write plain decimal numbers such as 8486, -0.25 or 1.5e3, and mark a "
                + "missing value with an empty field or NA", seven.describe());
        assertEquals("b.csv column v: 1 value that is not a number (line 2 '1e400' (too large for a double)); write "
                + "plain decimal numbers such as 8486, -0.25 or 1.5e3, and mark a missing value with an empty field or NA",
                Csv.parse("v\n1e400\n", "b.csv").numbers("v").describe());
    }

    @Test
    void badAndMissingTogetherAreBothListed() {
        NumericColumn column = Csv.parse("v\n1\nabc\nNA\n\n4\n", "t.csv").numbers("v");
        assertEquals(List.of(4, 5), column.missing().stream().map(NumericColumn.Field::line).toList());
        assertEquals("t.csv column v: 1 value that is not a number (line 3 'abc') and 2 missing values (lines 4 and 5); "
                + "write plain decimal numbers such as 8486, -0.25 or 1.5e3, and mark a missing value with an empty "
                + "field or NA, then use --missing interpolate or --missing skip", column.describe());
    }

    @Test
    void columnKeepsItsMessageForTheFirstProblemAndCountsTheOthers() {
        Csv csv = Csv.parse("v\n1\nabc\nNA\n\n4\nx\n", "births.csv");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> csv.column("v"));
        assertEquals("births.csv line 3, column v: 'abc' is not a number, nor are 3 more fields of this column "
                + "(lines 4, 5 and 7)", e.getMessage());
        Csv two = Csv.parse("v\n\n1e400\n", "t.csv");
        assertEquals("t.csv line 2, column v: '' is not a number, nor is 1 more field of this column (line 3)",
                assertThrows(IllegalArgumentException.class, () -> two.column("v")).getMessage());
        Csv large = Csv.parse("v\n1e400\nNA\n", "t.csv");
        assertEquals("t.csv line 2, column v: '1e400' is too large for a double, nor is 1 more field of this column "
                + "(line 3)", assertThrows(IllegalArgumentException.class, () -> large.column("v")).getMessage());
    }

    @Test
    void anUnknownColumnListsTheColumns() {
        Csv csv = Csv.parse("year,births\n1969,8486\n", "births.csv");
        assertEquals("births.csv has no column 'birth'; its columns are year, births",
                assertThrows(IllegalArgumentException.class, () -> csv.numbers("birth")).getMessage());
    }

    @Test
    void theValuesAreACopy() {
        NumericColumn column = Csv.parse("v\n1\n2\n", "c.csv").numbers("v");
        column.values()[0] = 99;
        assertEquals(1, column.values()[0]);
    }
}
