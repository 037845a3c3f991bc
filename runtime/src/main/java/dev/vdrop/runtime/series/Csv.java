package dev.vdrop.runtime.series;

import dev.vdrop.runtime.text.Utf8;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
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
 * skipped; a leading byte-order mark is ignored. Line numbers in messages count every physical line
 * of the text from 1, the header included, so they match what an editor shows.
 *
 * <p>Rows are checked when the text is parsed (every row must have as many fields as the header);
 * values are checked when a column is read with {@link #column(String)}. Whether a value is small
 * enough for a model is the model's arithmetic: {@link Normalizer} checks it, naming the line with
 * {@link #where(int, String)}.
 */
public final class Csv {
    /** Plain decimal numbers only: no hex, no {@code NaN}/{@code Infinity}, no {@code d}/{@code f} suffix. */
    private static final Pattern NUMBER = Pattern.compile("[+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?");

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
     * The values of one column, one per data row, in file order.
     *
     * @param name the column's name in the header
     * @return its values
     * @throws IllegalArgumentException when there is no such column, or when one of its fields is not
     *     a plain decimal number (the message gives the line and the field)
     */
    public double[] column(String name) {
        int c = header.indexOf(name);
        if (c < 0) {
            throw new IllegalArgumentException(source + " has no column '" + name + "'; its columns are "
                    + String.join(", ", header));
        }
        double[] values = new double[rows.size()];
        for (int r = 0; r < values.length; r++) {
            String field = rows.get(r)[c];
            if (!NUMBER.matcher(field).matches()) {
                throw new IllegalArgumentException(source + " line " + lines[r] + ", column " + name + ": '" + field
                        + "' is not a number");
            }
            double value = Double.parseDouble(field);
            if (Double.isInfinite(value)) {
                throw new IllegalArgumentException(source + " line " + lines[r] + ", column " + name + ": '" + field
                        + "' is too large for a double");
            }
            values[r] = value;
        }
        return values;
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
