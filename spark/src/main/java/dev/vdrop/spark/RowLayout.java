package dev.vdrop.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Where a scorer reads a row and what it writes: the text and key columns of the input, its
 * {@code error} column if it has one (a row already marked bad, by {@link TsvInput}), and the
 * output schema — the input's columns (less {@code error}), the head's MC columns, then
 * {@code error}. Checked on the driver, so an executor meets no schema surprise.
 */
final class RowLayout implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Set<DataType> WHOLE_NUMBERS = Set.of(DataTypes.LongType, DataTypes.IntegerType,
            DataTypes.ShortType, DataTypes.ByteType);

    private final int text;
    private final int key;
    private final boolean keyIsText;
    private final String keyName;
    private final int error;
    private final int[] kept;
    private final int mcWidth;
    private final StructType output;

    private RowLayout(int text, int key, boolean keyIsText, String keyName, int error, int[] kept, int mcWidth,
                      StructType output) {
        this.text = text;
        this.key = key;
        this.keyIsText = keyIsText;
        this.keyName = keyName;
        this.error = error;
        this.kept = kept;
        this.mcWidth = mcWidth;
        this.output = output;
    }

    /**
     * The layout of an input schema, checked.
     *
     * @param input the input's schema
     * @param textColumn the text column, a string
     * @param keyColumn the key column: whole numbers, or strings holding them
     * @param mc the MC columns
     * @return the layout
     * @throws IllegalArgumentException when a column is missing or of another type, the input has an
     *     {@code error} column that is not a string, or an MC column's name is an input column's
     */
    static RowLayout of(StructType input, String textColumn, String keyColumn, List<StructField> mc) {
        List<String> names = Arrays.asList(input.fieldNames());
        int text = index(names, textColumn, "text", input);
        if (!input.fields()[text].dataType().equals(DataTypes.StringType)) {
            throw new IllegalArgumentException("the text column " + textColumn + " holds " + input.fields()[text].dataType()
                    .simpleString() + ", not strings");
        }
        int key = index(names, keyColumn, "key", input);
        DataType keyType = input.fields()[key].dataType();
        boolean keyIsText = keyType.equals(DataTypes.StringType);
        if (!keyIsText && !WHOLE_NUMBERS.contains(keyType)) {
            throw new IllegalArgumentException("the key column " + keyColumn + " holds " + keyType.simpleString()
                    + "; a key is a whole number (a long, or a string of one)");
        }
        int error = names.indexOf(McScorer.ERROR);
        if (error >= 0 && !input.fields()[error].dataType().equals(DataTypes.StringType)) {
            throw new IllegalArgumentException("the input's " + McScorer.ERROR + " column holds "
                    + input.fields()[error].dataType().simpleString() + "; the scorer reads a string there (why a row is "
                    + "bad) and writes its own: rename that column");
        }
        List<StructField> fields = new ArrayList<>();
        List<Integer> kept = new ArrayList<>();
        for (int i = 0; i < input.fields().length; i++) {
            if (i != error) {
                kept.add(i);
                fields.add(input.fields()[i]);
            }
        }
        for (StructField f : mc) {
            if (names.contains(f.name()) || f.name().equals(McScorer.ERROR)) {
                throw new IllegalArgumentException("the input has a column named " + f.name()
                        + ", which the scorer adds; rename it");
            }
            fields.add(f);
        }
        fields.add(DataTypes.createStructField(McScorer.ERROR, DataTypes.StringType, true));
        return new RowLayout(text, key, keyIsText, keyColumn, error, kept.stream().mapToInt(Integer::intValue).toArray(),
                mc.size(), DataTypes.createStructType(fields));
    }

    private static int index(List<String> names, String column, String role, StructType input) {
        int i = names.indexOf(column);
        if (i < 0) {
            throw new IllegalArgumentException("no " + role + " column " + column + " in the input; its columns are "
                    + String.join(", ", input.fieldNames()));
        }
        return i;
    }

    /** {@return the output schema: the input's columns less {@code error}, the MC columns, {@code error}} */
    StructType output() {
        return output;
    }

    /** {@return the number of MC columns} */
    int mcWidth() {
        return mcWidth;
    }

    /** {@return the row's input error, null when it has none} */
    String inputError(Row row) {
        return error < 0 || row.isNullAt(error) ? null : row.getString(error);
    }

    /** {@return the row's text, possibly null} */
    String text(Row row) {
        return row.isNullAt(text) ? null : row.getString(text);
    }

    /** {@return the row's key as a {@code Long}, or a {@code String} saying why it has none} */
    Object key(Row row) {
        if (row.isNullAt(key)) {
            return "no key: the key column " + keyName + " is empty";
        }
        if (!keyIsText) {
            return ((Number) row.get(key)).longValue();
        }
        String value = row.getString(key).strip();
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            return "the key column " + keyName + " holds \"" + row.getString(key) + "\", not a whole number";
        }
    }

    /**
     * An output row's values.
     *
     * @param row the input row
     * @param mc the MC values, nulls for a bad row
     * @param problem the error, null for a scored row
     * @return the values in output order
     */
    Object[] output(Row row, Object[] mc, String problem) {
        Object[] values = new Object[kept.length + mc.length + 1];
        for (int i = 0; i < kept.length; i++) {
            values[i] = row.get(kept[i]);
        }
        System.arraycopy(mc, 0, values, kept.length, mc.length);
        values[values.length - 1] = problem;
        return values;
    }
}
