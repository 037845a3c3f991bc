package dev.vdrop.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Where a scorer reads a row and what it writes: the text column or the feature columns of the
 * input, its key column, the columns of a per-row map to the data's units if any, its
 * {@code error} column if it has one (a row already marked bad, by {@link TsvInput}), and the
 * output schema — the input's columns (less {@code error}), the head's MC columns, then
 * {@code error}. Checked on the driver, so an executor meets no schema surprise.
 */
final class RowLayout implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Set<DataType> WHOLE_NUMBERS = Set.of(DataTypes.LongType, DataTypes.IntegerType,
            DataTypes.ShortType, DataTypes.ByteType);

    private final int text;
    private final int[] features;
    private final String[] featureNames;
    private final boolean[] featureIsText;
    private final int offset;
    private final int scale;
    private final String[] mapNames;
    private final boolean[] mapIsText;
    private final int key;
    private final boolean keyIsText;
    private final String keyName;
    private final int error;
    private final int[] kept;
    private final int mcWidth;
    private final StructType output;

    private RowLayout(int text, int[] features, String[] featureNames, boolean[] featureIsText, int offset, int scale,
                      String[] mapNames, boolean[] mapIsText, int key, boolean keyIsText, String keyName, int error, int[] kept, int mcWidth, StructType output) {
        this.text = text;
        this.features = features;
        this.featureNames = featureNames;
        this.featureIsText = featureIsText;
        this.offset = offset;
        this.scale = scale;
        this.mapNames = mapNames;
        this.mapIsText = mapIsText;
        this.key = key;
        this.keyIsText = keyIsText;
        this.keyName = keyName;
        this.error = error;
        this.kept = kept;
        this.mcWidth = mcWidth;
        this.output = output;
    }

    /**
     * The layout of an input schema for a model of text, checked.
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
        return of(input, textColumn, List.of(), null, null, keyColumn, mc);
    }

    /**
     * The layout of an input schema, checked: of a model of text when {@code featureColumns} is
     * empty, else of a model of features.
     *
     * @param input the input's schema
     * @param textColumn the text column, a string; not read when there are feature columns
     * @param featureColumns the feature columns in the order the network reads them: names, or
     *     {@code prefix*} for every column whose name starts with the prefix, in the input's order;
     *     numbers or strings of them
     * @param offsetColumn the column of each row's map offset a (numbers or strings of them), or null
     * @param scaleColumn the column of each row's map scale b, or null (both or neither)
     * @param keyColumn the key column: whole numbers, or strings holding them
     * @param mc the MC columns
     * @return the layout
     * @throws IllegalArgumentException when a column is missing or of another type, a pattern matches
     *     no column, a column is named twice, the input has an {@code error} column that is not a
     *     string, or an MC column's name is an input column's
     */
    static RowLayout of(StructType input, String textColumn, List<String> featureColumns, String offsetColumn,
                        String scaleColumn, String keyColumn, List<StructField> mc) {
        List<String> names = Arrays.asList(input.fieldNames());
        int text = -1;
        int[] features = new int[0];
        if (featureColumns.isEmpty()) {
            text = index(names, textColumn, "text", input);
            if (!input.fields()[text].dataType().equals(DataTypes.StringType)) {
                throw new IllegalArgumentException("the text column " + textColumn + " holds " + input.fields()[text]
                        .dataType().simpleString() + ", not strings");
            }
        } else {
            features = featureIndices(input, featureColumns);
        }
        String[] featureNames = new String[features.length];
        boolean[] featureIsText = new boolean[features.length];
        for (int f = 0; f < features.length; f++) {
            featureNames[f] = names.get(features[f]);
            featureIsText[f] = number(input, features[f], "feature");
        }
        int offset = -1;
        int scale = -1;
        boolean[] mapIsText = new boolean[2];
        if (offsetColumn != null) {
            offset = index(names, offsetColumn, "map offset", input);
            scale = index(names, scaleColumn, "map scale", input);
            mapIsText[0] = number(input, offset, "map offset");
            mapIsText[1] = number(input, scale, "map scale");
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
        return new RowLayout(text, features, featureNames, featureIsText, offset, scale,
                new String[] {offsetColumn, scaleColumn}, mapIsText, key, keyIsText, keyColumn, error,
                kept.stream().mapToInt(Integer::intValue).toArray(), mc.size(), DataTypes.createStructType(fields));
    }

    /** The feature columns' indices: names and {@code prefix*} patterns, expanded in the input's order. */
    private static int[] featureIndices(StructType input, List<String> columns) {
        List<String> names = Arrays.asList(input.fieldNames());
        List<Integer> out = new ArrayList<>();
        for (String column : columns) {
            if (column.endsWith("*")) {
                String prefix = column.substring(0, column.length() - 1);
                int before = out.size();
                for (int i = 0; i < names.size(); i++) {
                    if (names.get(i).startsWith(prefix) && !names.get(i).equals(McScorer.ERROR)) {
                        out.add(i);
                    }
                }
                if (out.size() == before) {
                    throw new IllegalArgumentException("no feature column matches " + column + "; the input's columns are "
                            + String.join(", ", input.fieldNames()));
                }
            } else {
                out.add(index(names, column, "feature", input));
            }
        }
        for (int i = 0; i < out.size(); i++) {
            if (out.indexOf(out.get(i)) != i) {
                throw new IllegalArgumentException("the feature column " + names.get(out.get(i)) + " is named twice in "
                        + String.join(",", columns));
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Checks that a column holds numbers or strings; {@return whether it holds strings} */
    private static boolean number(StructType input, int column, String role) {
        DataType type = input.fields()[column].dataType();
        if (type.equals(DataTypes.StringType)) {
            return true;
        }
        if (type instanceof NumericType) {
            return false;
        }
        throw new IllegalArgumentException("the " + role + " column " + input.fields()[column].name() + " holds "
                + type.simpleString() + "; it must hold numbers (or strings of them)");
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

    /** {@return the number of feature columns, 0 for a model of text} */
    int featureCount() {
        return features.length;
    }

    /** {@return whether each row has its own map to the data's units} */
    boolean mapsByRow() {
        return offset >= 0;
    }

    /**
     * Reads a row's features, in the order of the feature columns.
     *
     * @param row the row
     * @param into where to write them, {@link #featureCount()} long
     * @return null when every feature is a finite number, else why not
     */
    String features(Row row, double[] into) {
        for (int f = 0; f < features.length; f++) {
            Object value = number(row, features[f], featureIsText[f], "feature column " + featureNames[f]);
            if (value instanceof String problem) {
                return problem;
            }
            into[f] = (Double) value;
        }
        return null;
    }

    /**
     * Reads a row's map {@code x = a + b·z}.
     *
     * @param row the row
     * @return {@code {a, b}}, or a {@code String} saying why there is none (b must be &gt; 0)
     */
    Object map(Row row) {
        Object a = number(row, offset, mapIsText[0], "map offset column " + mapNames[0]);
        if (a instanceof String) {
            return a;
        }
        Object b = number(row, scale, mapIsText[1], "map scale column " + mapNames[1]);
        if (b instanceof String) {
            return b;
        }
        if (!((Double) b > 0)) {
            return "the map scale column " + mapNames[1] + " holds " + b + "; a scale is > 0";
        }
        return new double[] {(Double) a, (Double) b};
    }

    /** A finite number from a column of numbers or strings, as a {@code Double}, or why there is none. */
    private static Object number(Row row, int column, boolean isText, String what) {
        if (row.isNullAt(column)) {
            return "no value in the " + what;
        }
        double value;
        if (isText) {
            String text = row.getString(column).strip();
            if (text.isEmpty()) {
                return "no value in the " + what;
            }
            try {
                value = Double.parseDouble(text);
            } catch (NumberFormatException e) {
                return "the " + what + " holds \"" + row.getString(column) + "\", not a number";
            }
        } else {
            value = ((Number) row.get(column)).doubleValue();
        }
        if (!Double.isFinite(value)) {
            return "the " + what + " holds " + value + ", not a finite number";
        }
        return value;
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
