package dev.vdrop.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A network at a glance, like Keras's {@code model.summary()}: each layer with its type, output
 * shape, parameter shapes and count, and the dropout on each of its connections.
 */
public final class Summary {
    /**
     * One layer's line.
     *
     * @param name the field that declares the layer
     * @param type the layer's annotation, e.g. {@code VariationalLSTM}
     * @param outputShape per step, e.g. {@code (B, T, 200)}
     * @param parameterShapes e.g. {@code W 800×200, U 800×200, b 800}
     * @param parameters number of trainable values
     * @param dropout what is dropped where, e.g. {@code x 0.5, h 0.2, y 0.5 (tied per sequence)}
     */
    public record Row(String name, String type, String outputShape, String parameterShapes, long parameters,
                      String dropout) {}

    private final String title;
    private final List<Row> rows;

    private Summary(String title, List<Row> rows) {
        this.title = title;
        this.rows = List.copyOf(rows);
    }

    /**
     * A builder for a summary.
     *
     * @param title the first line, e.g. {@code Model MobyDickLm (generated MobyDickLmNetwork)}
     * @return a builder with no rows yet
     */
    public static Builder builder(String title) {
        return new Builder(title);
    }

    /** {@return the layers' lines, input first} */
    public List<Row> rows() {
        return rows;
    }

    /** {@return the number of trainable values of every layer together} */
    public long totalParameters() {
        return rows.stream().mapToLong(Row::parameters).sum();
    }

    @Override
    public String toString() {
        String[] header = {"Layer (type)", "Output shape", "Parameters", "Param #", "Dropout"};
        List<String[]> cells = new ArrayList<>();
        for (Row row : rows) {
            cells.add(new String[] {row.name() + " (" + row.type() + ")", row.outputShape(), row.parameterShapes(),
                    String.format(Locale.ROOT, "%,d", row.parameters()), row.dropout()});
        }
        int[] width = new int[header.length];
        for (int i = 0; i < header.length; i++) {
            width[i] = header[i].length();
            for (String[] line : cells) {
                width[i] = Math.max(width[i], line[i].length());
            }
        }
        int total = 0;
        for (int w : width) {
            total += w + 2;
        }
        StringBuilder out = new StringBuilder();
        out.append(title).append('\n');
        out.append("_".repeat(total)).append('\n');
        appendLine(out, header, width);
        out.append("=".repeat(total)).append('\n');
        for (String[] line : cells) {
            appendLine(out, line, width);
        }
        out.append("=".repeat(total)).append('\n');
        out.append(String.format(Locale.ROOT, "Total parameters: %,d%n", totalParameters()));
        return out.toString();
    }

    private static void appendLine(StringBuilder out, String[] line, int[] width) {
        for (int i = 0; i < line.length; i++) {
            boolean number = i == 3;
            String cell = number ? " ".repeat(width[i] - line[i].length()) + line[i]
                    : line[i] + " ".repeat(width[i] - line[i].length());
            out.append(cell).append(i + 1 < line.length ? "  " : "");
        }
        while (out.charAt(out.length() - 1) == ' ') {
            out.setLength(out.length() - 1);
        }
        out.append('\n');
    }

    /** Collects the rows of a {@link Summary}. */
    public static final class Builder {
        private final String title;
        private final List<Row> rows = new ArrayList<>();

        private Builder(String title) {
            this.title = title;
        }

        /**
         * Adds one layer's line; the arguments are those of {@link Row}.
         *
         * @param name the field that declares the layer
         * @param type the layer's annotation
         * @param outputShape per step, e.g. {@code (B, T, 200)}
         * @param parameterShapes e.g. {@code W 800×200, U 800×200, b 800}
         * @param parameters the number of trainable values
         * @param dropout what is dropped where
         * @return this builder
         */
        public Builder layer(String name, String type, String outputShape, String parameterShapes, long parameters,
                             String dropout) {
            rows.add(new Row(name, type, outputShape, parameterShapes, parameters, dropout));
            return this;
        }

        /** {@return the summary of the rows added so far} */
        public Summary build() {
            return new Summary(title, rows);
        }
    }
}
