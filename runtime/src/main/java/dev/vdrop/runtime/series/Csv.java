package dev.vdrop.runtime.series;

import dev.vdrop.runtime.text.Utf8;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A small table read from CSV text: a header row naming the columns, then data rows with as many
 * fields as the header.
 *
 * <p>What is accepted: fields separated by commas; {@code \n} or {@code \r\n} line ends; white space
 * around unquoted fields is trimmed; a field may be quoted with {@code "…"} to hold commas, and
 * {@code ""} inside quotes stands for one quote (a quoted field cannot span lines); blank lines are
 * skipped, except in a table of one column, where a blank line between the header and the last data
 * line is a row whose field is empty, a missing value (dropping it would shift every later row by one
 * step); a leading byte-order mark is ignored. Line numbers in messages count every physical line
 * of the text from 1, the header included, so they match what an editor shows.
 *
 * <p>Rows are checked when the text is parsed (every row must have as many fields as the header);
 * values are checked when a column is read: {@link #column(String)} refuses a column with any field
 * that is not a number, {@link #numbers(String)} reads a column with gaps, {@link NumericColumn}
 * collecting every missing and bad field, and {@link Dates#read(Csv, String)} reads dates. Whether
 * a value is small enough for a model is the model's arithmetic: {@link Normalizer} checks it, naming
 * the line with {@link #where(int, String)}.
 */
public final class Csv {
    /** Plain decimal numbers only: no hex, no {@code NaN}/{@code Infinity}, no {@code d}/{@code f} suffix. */
    private static final Pattern NUMBER = Pattern.compile("[+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?");
    /** The markers of a missing value, lower case; a field is compared trimmed and lower-cased. */
    private static final Set<String> MISSING = Set.of("", "na", "n/a", "nan", "null", ".");

    private final String source;
    private final List<String> header;
    private final List<String[]> rows;
    private final int[] lines;

    private Csv(String source, List<String> header, List<String[]> rows, int[] lines) {
        this.source = source;
        this.header = List.copyOf(header);
        this.rows = List.copyOf(rows);
        this.lines = lines;
    }

    /**
     * Parses CSV text.
     *
     * @param text the whole file's content
     * @param source what to call the text in messages, usually its file name, e.g. {@code births.csv}
     * @return the table
     * @throws IllegalArgumentException when the text is empty or has a header only, when the header
     *     has an empty or repeated column name, or when a row has the wrong number of fields or an
     *     unclosed quote; the message names the source and the line
     */
    public static Csv parse(String text, String source) {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(source, "source");
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        List<String> header = null;
        int headerLine = 0;
        List<String[]> rows = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        List<Integer> blanks = new ArrayList<>();
        int lineNumber = 0;
        int start = 0;
        while (start <= text.length()) {
            int end = text.indexOf('\n', start);
            if (end < 0) {
                end = text.length();
            }
            String line = text.substring(start, end);
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            lineNumber++;
            start = end + 1;
            if (line.isBlank()) {
                if (header != null && header.size() == 1) {
                    blanks.add(lineNumber);
                }
                continue;
            }
            List<String> fields = split(line, source, lineNumber);
            if (header == null) {
                header = fields;
                headerLine = lineNumber;
                checkHeader(header, source, lineNumber);
            } else {
                if (fields.size() != header.size()) {
                    throw new IllegalArgumentException(source + " line " + lineNumber + ": expected " + header.size()
                            + " fields, found " + fields.size());
                }
                for (int blank : blanks) {
                    rows.add(new String[] {""});
                    lines.add(blank);
                }
                blanks.clear();
                rows.add(fields.toArray(new String[0]));
                lines.add(lineNumber);
            }
        }
        if (header == null) {
            throw new IllegalArgumentException(source + " is empty: expected a header row and at least one data row");
        }
        if (rows.isEmpty()) {
            throw new IllegalArgumentException(source + " has a header (line " + headerLine + ") but no data rows");
        }
        return new Csv(source, header, rows, lines.stream().mapToInt(Integer::intValue).toArray());
    }

    /**
     * Reads a UTF-8 file and parses it, naming it by its file name in messages.
     *
     * @param file the CSV file, with a header row
     * @return the table
     * @throws IOException when the file cannot be read, or is not UTF-8 (a
     *     {@link dev.vdrop.runtime.text.NotUtf8Exception} naming the first bad byte's offset and line)
     * @throws IllegalArgumentException as {@link #parse(String, String)}
     */
    public static Csv read(Path file) throws IOException {
        return parse(Utf8.read(file), String.valueOf(file.getFileName()));
    }

    /** {@return the name used in messages} */
    public String source() {
        return source;
    }

    /** {@return the column names, in file order} */
    public List<String> header() {
        return header;
    }

    /**
     * Where a data row's field is, for messages.
     *
     * @param row a data row, from 0
     * @param column a column's name
     * @return e.g. {@code births.csv line 12, column births}: the physical line, counted from 1 with the header
     */
    public String where(int row, String column) {
        return source + " line " + lines[row] + ", column " + column;
    }

    /** {@return the number of data rows (the header and blank lines not counted)} */
    public int rows() {
        return rows.size();
    }

    /**
     * The values of one column, one per data row, in file order, when every field is a number.
     *
     * <p>For a column that may have gaps, read {@link #numbers(String)} instead.
     *
     * @param name the column's name in the header
     * @return its values
     * @throws IllegalArgumentException when there is no such column, or when a field is not a plain
     *     decimal number (missing fields included); the message names the first such field's line and
     *     text, e.g. {@code births.csv line 3, column births: 'abc' is not a number}, or
     *     {@code births.csv line 2, column a: '1e400' is too large for a double}, and when there are
     *     more, counts them: {@code …, nor are 58 more fields of this column (lines 12, 40, 41, 97, 130
     *     and 53 more)}
     */
    public double[] column(String name) {
        NumericColumn column = numbers(name);
        if (column.isComplete()) {
            return column.values();
        }
        List<NumericColumn.Field> problems = new ArrayList<>(column.missing());
        problems.addAll(column.bad());
        problems.sort(Comparator.comparingInt(NumericColumn.Field::row));
        NumericColumn.Field first = problems.get(0);
        String message = where(first.row(), name) + ": '" + first.text() + "' is "
                + (isPlainNumber(first.text()) ? "too large for a double" : "not a number");
        if (problems.size() > 1) {
            List<Integer> more = problems.subList(1, problems.size()).stream().map(NumericColumn.Field::line).toList();
            message += ", nor " + (more.size() == 1 ? "is 1 more field" : "are " + more.size() + " more fields")
                    + " of this column (" + Listing.lines(more) + ")";
        }
        throw new IllegalArgumentException(message);
    }

    /**
     * Reads one numeric column, gaps and all: every field is looked at, and the missing and bad ones
     * are collected rather than stopping at the first (see {@link NumericColumn} for which is which).
     *
     * @param name the column's name in the header
     * @return the values, {@link Double#NaN} where a field is missing or bad, with the fields in trouble
     * @throws IllegalArgumentException when there is no such column (the message lists the columns)
     */
    public NumericColumn numbers(String name) {
        int c = columnIndex(name);
        double[] values = new double[rows.size()];
        List<NumericColumn.Field> missing = new ArrayList<>();
        List<NumericColumn.Field> bad = new ArrayList<>();
        for (int r = 0; r < values.length; r++) {
            String field = rows.get(r)[c];
            values[r] = Double.NaN;
            if (isMissing(field)) {
                missing.add(new NumericColumn.Field(r, lines[r], field));
            } else if (!isPlainNumber(field) || Double.isInfinite(Double.parseDouble(field))) {
                bad.add(new NumericColumn.Field(r, lines[r], field));
            } else {
                values[r] = Double.parseDouble(field);
            }
        }
        return new NumericColumn(source, name, values, missing, bad);
    }

    /** {@return whether a field, trimmed, is empty or a missing-value marker: NA, N/A, NaN, null or . in any case} */
    static boolean isMissing(String field) {
        return MISSING.contains(field.trim().toLowerCase(Locale.ROOT));
    }

    /** {@return whether a field is a plain decimal number (which may still be too large for a double)} */
    static boolean isPlainNumber(String field) {
        return NUMBER.matcher(field).matches();
    }

    /**
     * Finds a column.
     *
     * @param name the column's name in the header
     * @return its index, from 0
     * @throws IllegalArgumentException when there is no such column, listing the columns there are
     */
    int columnIndex(String name) {
        int c = header.indexOf(name);
        if (c < 0) {
            throw new IllegalArgumentException(source + " has no column '" + name + "'; its columns are "
                    + String.join(", ", header));
        }
        return c;
    }

    /** {@return the field of a data row in a column, as read} */
    String field(int row, int column) {
        return rows.get(row)[column];
    }

    /** {@return the physical line of a data row, from 1 with the header} */
    int line(int row) {
        return lines[row];
    }

    private static void checkHeader(List<String> header, String source, int line) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < header.size(); i++) {
            String name = header.get(i);
            if (name.isEmpty()) {
                throw new IllegalArgumentException(source + " line " + line + ": column " + (i + 1)
                        + " of the header has no name");
            }
            if (!seen.add(name)) {
                throw new IllegalArgumentException(source + " line " + line + ": column '" + name
                        + "' appears more than once in the header");
            }
        }
    }

    /** Splits one line into fields: commas separate, unquoted fields are trimmed, quotes are minimal. */
    static List<String> split(String line, String source, int lineNumber) {
        List<String> fields = new ArrayList<>();
        int i = 0;
        int n = line.length();
        while (true) {
            while (i < n && isBlank(line.charAt(i))) {
                i++;
            }
            if (i < n && line.charAt(i) == '"') {
                StringBuilder field = new StringBuilder();
                i++;
                boolean closed = false;
                while (i < n) {
                    char ch = line.charAt(i++);
                    if (ch == '"') {
                        if (i < n && line.charAt(i) == '"') {
                            field.append('"');
                            i++;
                        } else {
                            closed = true;
                            break;
                        }
                    } else {
                        field.append(ch);
                    }
                }
                if (!closed) {
                    throw new IllegalArgumentException(source + " line " + lineNumber + ": field " + (fields.size() + 1)
                            + " opens a quote that is not closed on this line");
                }
                while (i < n && isBlank(line.charAt(i))) {
                    i++;
                }
                if (i < n && line.charAt(i) != ',') {
                    throw new IllegalArgumentException(source + " line " + lineNumber + ": field " + (fields.size() + 1)
                            + " has text after its closing quote");
                }
                fields.add(field.toString());
            } else {
                int comma = line.indexOf(',', i);
                int end = comma < 0 ? n : comma;
                fields.add(line.substring(i, end).trim());
                i = end;
            }
            if (i >= n) {
                return fields;
            }
            i++; // the comma
            if (i == n) {
                fields.add("");
                return fields;
            }
        }
    }

    private static boolean isBlank(char ch) {
        return ch == ' ' || ch == '\t';
    }
}
