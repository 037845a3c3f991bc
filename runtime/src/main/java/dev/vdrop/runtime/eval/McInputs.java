package dev.vdrop.runtime.eval;

import dev.vdrop.runtime.ModelSizes;
import java.lang.reflect.Array;
import java.util.Arrays;

/**
 * A batch of examples as a network takes them — {@code int[][]} token ids or {@code double[][][]}
 * feature vectors, one row per example, rows of any lengths — seen as rows whatever the type, so
 * that MC prediction is written once for every input. Immutable view; the caller's arrays are
 * neither copied nor changed.
 *
 * @param <I> the network's input type
 */
final class McInputs<I> {
    private final I inputs;
    private final Object[] rows;
    private final int[] lengths;

    private McInputs(I inputs, Object[] rows) {
        this.inputs = inputs;
        this.rows = rows;
        this.lengths = new int[rows.length];
        for (int b = 0; b < rows.length; b++) {
            if (rows[b] == null) {
                throw new IllegalArgumentException("example " + b + " is null");
            }
            lengths[b] = Array.getLength(rows[b]);
            if (lengths[b] == 0) {
                throw new IllegalArgumentException("example " + b + " is empty: an example to predict needs at least one step");
            }
        }
    }

    /**
     * Wraps a network's input.
     *
     * @param inputs {@code [examples][steps]} ids or {@code [examples][steps][features]} values
     * @param <I> the input type
     * @return the rows
     * @throws IllegalArgumentException when there is no example, an example is null or empty, or
     *     the input is not an array of examples
     */
    static <I> McInputs<I> of(I inputs) {
        if (!(inputs instanceof Object[] rows)) {
            throw new IllegalArgumentException("the input must be int[][] token ids or double[][][] feature vectors, got "
                    + (inputs == null ? "null" : inputs.getClass().getSimpleName()));
        }
        if (rows.length == 0) {
            throw new IllegalArgumentException("nothing to predict: no example");
        }
        return new McInputs<>(inputs, rows);
    }

    /** {@return B, the number of examples} */
    int examples() {
        return rows.length;
    }

    /**
     * An example's steps.
     *
     * @param b the example
     * @return its length
     */
    int length(int b) {
        return lengths[b];
    }

    /** {@return the longest example's steps} */
    int longest() {
        return Arrays.stream(lengths).max().orElseThrow();
    }

    /** {@return whether the examples differ in length} */
    boolean ragged() {
        return Arrays.stream(lengths).anyMatch(l -> l != lengths[0]);
    }

    /**
     * Checks the examples against the sizes the network reads: token ids within the vocabulary, or
     * every step as wide as the features.
     *
     * @param sizes the network's sizes
     * @throws IllegalArgumentException naming the first example that does not fit
     */
    void check(ModelSizes sizes) {
        if (inputs instanceof int[][] tokens) {
            for (int b = 0; b < tokens.length; b++) {
                sizes.checkInputTokens(tokens[b], "example " + b);
            }
        } else if (inputs instanceof double[][][] features) {
            sizes.checkFeatures(features, "the examples");
        } else {
            throw new IllegalArgumentException("the input must be int[][] token ids or double[][][] feature vectors, got "
                    + inputs.getClass().getSimpleName());
        }
    }

    /**
     * The rows of one pass: examples {@code [from, from + size)} repeated for {@code samples}
     * samples, row k·size + b being example from + b (the layout of {@code MaskKeys.samples}).
     *
     * @param from the first example
     * @param size how many examples
     * @param samples how many samples of each
     * @return the pass's input, of the network's type
     */
    @SuppressWarnings("unchecked")
    I repeated(int from, int size, int samples) {
        Object[] batch = (Object[]) Array.newInstance(rows.getClass().getComponentType(), size * samples);
        for (int k = 0; k < samples; k++) {
            System.arraycopy(rows, from, batch, k * size, size);
        }
        return (I) batch;
    }

    /**
     * The lengths of a pass's rows, as {@link #repeated} lays them out.
     *
     * @param from the first example
     * @param size how many examples
     * @param samples how many samples of each
     * @return one length per row
     */
    int[] repeatedLengths(int from, int size, int samples) {
        int[] out = new int[size * samples];
        for (int k = 0; k < samples; k++) {
            System.arraycopy(lengths, from, out, k * size, size);
        }
        return out;
    }
}
