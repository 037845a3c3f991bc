package dev.vdrop.runtime.series;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One numeric column of a {@link Csv}, read with {@link Csv#numbers(String)}: a value per data row,
 * {@link Double#NaN} where the field is missing or bad, and every missing and bad field with its line.
 *
 * <p>A field is <em>missing</em> when, trimmed, it is empty or one of the markers {@code NA},
 * {@code N/A}, {@code NaN}, {@code null} or {@code .} (letters in any case). It is <em>bad</em> when it
 * is anything else that is not a plain decimal number ({@code 8486}, {@code -0.25}, {@code 1.5e3};
 * no hex, no {@code Infinity}, no {@code d}/{@code f} suffix), or a number too large for a double.
 * Missing values can be filled or kept as gaps by {@link MissingValues}; bad ones are refused
 * whatever the policy, since a typo is not a gap.
 *
 * <p>{@link #describe()} says what is wrong in one line, naming the first {@value Listing#SHOWN}
 * fields of each kind by line and then counting the rest, e.g.
 * {@code births.csv column births: 59 missing values (lines 12, 40, 41, 97, 130 and 54 more); use
 * --missing interpolate or --missing skip}.
 */
public final class NumericColumn {
    /** What a message says after listing bad fields: what a number and a missing value look like. */
    static final String BAD_HINT = "write plain decimal numbers such as 8486, -0.25 or 1.5e3, and mark a missing value with"
            + " an empty field or NA";
    /** What a message says after listing missing fields: the command line's policies that accept them. */
    static final String MISSING_HINT = "use --missing interpolate or --missing skip";

    private final String source;
    private final String name;
    private final double[] values;
    private final List<Field> missing;
    private final List<Field> bad;

    /**
     * A field of the column that did not give a value.
     *
     * @param row the data row, from 0
     * @param line the physical line of the text, from 1 with the header, as an editor shows it
     * @param text the field as read (trimmed unless it was quoted)
     */
    public record Field(int row, int line, String text) {}

    NumericColumn(String source, String name, double[] values, List<Field> missing, List<Field> bad) {
        this.source = Objects.requireNonNull(source, "source");
        this.name = Objects.requireNonNull(name, "name");
        this.values = values.clone();
        this.missing = List.copyOf(missing);
        this.bad = List.copyOf(bad);
    }

    /** {@return the name of the text the column was read from, e.g. {@code births.csv}} */
    public String source() {
        return source;
    }

    /** {@return the column's name in the header} */
    public String name() {
        return name;
    }

    /** {@return the number of values, one per data row} */
    public int size() {
        return values.length;
    }

    /** {@return a copy of the values in file order, {@link Double#NaN} where a field is missing or bad} */
    public double[] values() {
        return values.clone();
    }

    /** {@return the missing fields, in file order} */
    public List<Field> missing() {
        return missing;
    }

    /** {@return the bad fields (neither a number nor a missing-value marker), in file order} */
    public List<Field> bad() {
        return bad;
    }

    /** {@return whether every field is a number: nothing missing, nothing bad} */
    public boolean isComplete() {
        return missing.isEmpty() && bad.isEmpty();
    }

    /**
     * Says what is wrong with the column, in one line.
     *
     * <p>Only missing fields: {@code births.csv column births: 59 missing values (lines 12, 40, 41, 97,
     * 130 and 54 more); use --missing interpolate or --missing skip}. Only bad fields:
     * {@code births.csv column births: 2 values that are not numbers (line 3 'abc' and line 7 '1;5');
     * write plain decimal numbers such as 8486, -0.25 or 1.5e3, and mark a missing value with an empty
     * field or NA}. Both: {@code births.csv column births: 2 values that are not numbers (…) and 59
     * missing values (…); write plain decimal numbers such as 8486, -0.25 or 1.5e3, and mark a missing
     * value with an empty field or NA, then use --missing interpolate or --missing skip}. A
     * number too large for a double is listed as {@code line 2 '1e400' (too large for a double)}.
     * Nothing wrong: {@code births.csv column births: 7305 values, none missing or bad}.
     *
     * @return the description
     */
    public String describe() {
        if (isComplete()) {
            return prefix() + Listing.count(values.length, "value", "values") + ", none missing or bad";
        }
        if (bad.isEmpty()) {
            return prefix() + missingPart() + "; " + MISSING_HINT;
        }
        if (missing.isEmpty()) {
            return describeBad();
        }
        return prefix() + badPart() + " and " + missingPart() + "; " + BAD_HINT + ", then " + MISSING_HINT;
    }

    /** The bad fields only, as {@link #describe()} words them; for policies that accept missing values. */
    String describeBad() {
        return prefix() + badPart() + "; " + BAD_HINT;
    }

    /** {@return e.g. {@code births.csv column births: }} */
    String prefix() {
        return source + " column " + name + ": ";
    }

    private String missingPart() {
        return Listing.count(missing.size(), "missing value", "missing values") + " ("
                + Listing.lines(missing.stream().map(Field::line).toList()) + ")";
    }

    private String badPart() {
        List<String> items = new ArrayList<>();
        for (Field field : bad) {
            items.add("line " + field.line() + " '" + field.text() + "'"
                    + (Csv.isPlainNumber(field.text()) ? " (too large for a double)" : ""));
        }
        return Listing.count(bad.size(), "value that is not a number", "values that are not numbers") + " ("
                + Listing.join(items) + ")";
    }
}
