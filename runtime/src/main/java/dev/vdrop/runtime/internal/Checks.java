package dev.vdrop.runtime.internal;

/**
 * Argument checks for the entry points of generated networks, with messages that say what was
 * wrong and what was expected. Separate from the compute, so the hot loops stay clean.
 *
 * <p>For generated code; not API (see the package).
 */
public final class Checks {
    private Checks() {}

    /**
     * Checks a batch of token sequences: at least one, each of at least one token (their lengths
     * may differ), ids in range.
     *
     * @param tokens {@code [batch][steps]} token ids, rows of any positive length
     * @param vocabulary the number of ids the model knows
     * @throws IllegalArgumentException naming the first sequence, step or id that is wrong
     */
    public static void tokens(int[][] tokens, int vocabulary) {
        if (tokens == null || tokens.length == 0) {
            throw new IllegalArgumentException("a batch needs at least one sequence, got none");
        }
        for (int b = 0; b < tokens.length; b++) {
            int[] sequence = tokens[b];
            if (sequence == null || sequence.length == 0) {
                throw new IllegalArgumentException("sequence " + b + " of the batch is empty; every sequence needs at least one token");
            }
            for (int t = 0; t < sequence.length; t++) {
                int id = sequence[t];
                if (id < 0 || id >= vocabulary) {
                    throw new IllegalArgumentException("token id " + id + " at sequence " + b + ", step " + t
                            + " is out of range; ids must be in [0, " + vocabulary + ")");
                }
            }
        }
    }

    /**
     * Checks a batch of feature sequences {@code [batch][steps][features]}: at least one, each of at
     * least one step (their lengths may differ), every step {@code features} wide.
     *
     * @param inputs the batch
     * @param features the width the model reads
     * @throws IllegalArgumentException naming the first sequence or step that is wrong
     */
    public static void features(double[][][] inputs, int features) {
        if (inputs == null || inputs.length == 0) {
            throw new IllegalArgumentException("a batch needs at least one sequence, got none");
        }
        for (int b = 0; b < inputs.length; b++) {
            double[][] sequence = inputs[b];
            if (sequence == null || sequence.length == 0) {
                throw new IllegalArgumentException("sequence " + b + " of the batch is empty; every sequence needs at least one step");
            }
            for (int t = 0; t < sequence.length; t++) {
                if (sequence[t] == null || sequence[t].length != features) {
                    throw new IllegalArgumentException("sequence " + b + ", step " + t + " has "
                            + (sequence[t] == null ? 0 : sequence[t].length) + " features; the model reads " + features);
                }
            }
        }
    }

    /**
     * Checks one class id per sequence, each in [0, classes).
     *
     * @param targets the class ids
     * @param classes the number of classes
     * @throws IllegalArgumentException naming the first id that is out of range
     */
    public static void classes(int[] targets, int classes) {
        if (targets == null || targets.length == 0) {
            throw new IllegalArgumentException("a batch needs at least one target, got none");
        }
        for (int b = 0; b < targets.length; b++) {
            if (targets[b] < 0 || targets[b] >= classes) {
                throw new IllegalArgumentException("class id " + targets[b] + " of sequence " + b
                        + " is out of range; ids must be in [0, " + classes + ")");
            }
        }
    }

    /**
     * Checks one vector of {@code width} values per sequence (their lengths, not their values).
     *
     * @param targets the target vectors
     * @param width the values the model predicts per sequence
     * @throws IllegalArgumentException naming the first target of another length
     */
    public static void values(double[][] targets, int width) {
        if (targets == null || targets.length == 0) {
            throw new IllegalArgumentException("a batch needs at least one target, got none");
        }
        for (int b = 0; b < targets.length; b++) {
            if (targets[b] == null || targets[b].length != width) {
                throw new IllegalArgumentException("the target of sequence " + b + " has "
                        + (targets[b] == null ? 0 : targets[b].length) + " values; the model predicts " + width);
            }
        }
    }

    /**
     * The length of each sequence of a batch a workspace of B sequences × T steps runs: exactly B
     * rows, each of 1 to T steps (the rows themselves checked by {@link #tokens}).
     *
     * @param tokens the batch, one row per sequence
     * @param batch B
     * @param steps T, the most steps a sequence may have
     * @return each row's length, in the batch's order
     * @throws IllegalArgumentException naming the count, or the first row and both lengths, that do not fit
     */
    public static int[] lengths(int[][] tokens, int batch, int steps) {
        int[] lengths = new int[checkRows(tokens.length, batch, steps)];
        for (int b = 0; b < batch; b++) {
            lengths[b] = checkLength(b, tokens[b].length, steps);
        }
        return lengths;
    }

    /**
     * {@link #lengths(int[][], int, int)} for feature sequences (checked by {@link #features}).
     *
     * @param inputs the batch, one row per sequence
     * @param batch B
     * @param steps T, the most steps a sequence may have
     * @return each row's length, in the batch's order
     * @throws IllegalArgumentException naming the count, or the first row and both lengths, that do not fit
     */
    public static int[] lengths(double[][][] inputs, int batch, int steps) {
        int[] lengths = new int[checkRows(inputs.length, batch, steps)];
        for (int b = 0; b < batch; b++) {
            lengths[b] = checkLength(b, inputs[b].length, steps);
        }
        return lengths;
    }

    private static int checkRows(int rows, int batch, int steps) {
        if (rows != batch) {
            throw new IllegalArgumentException("this segment takes " + batch + " sequences of 1 to " + steps
                    + " steps, got " + rows + " sequences");
        }
        return batch;
    }

    private static int checkLength(int b, int length, int steps) {
        if (length > steps) {
            throw new IllegalArgumentException("sequence " + b + " has " + length + " steps, more than the " + steps
                    + " this segment takes");
        }
        return length;
    }

    /**
     * The longest row of a batch, for a workspace that takes it whole (rows checked by {@link #tokens}).
     *
     * @param tokens the batch
     * @return the most steps of any row
     */
    public static int longest(int[][] tokens) {
        int longest = 0;
        for (int[] row : tokens) {
            longest = Math.max(longest, row.length);
        }
        return longest;
    }

    /**
     * The longest row of a batch of feature sequences (rows checked by {@link #features}).
     *
     * @param inputs the batch
     * @return the most steps of any row
     */
    public static int longest(double[][][] inputs) {
        int longest = 0;
        for (double[][] row : inputs) {
            longest = Math.max(longest, row.length);
        }
        return longest;
    }

    /**
     * Checks that targets at every step have one row per sequence of the input, each as long as
     * that sequence (their values checked by {@link #tokens} or {@link #features}).
     *
     * @param targetLengths the length of each row of the targets
     * @param input the input's packing, which knows each sequence's length
     * @throws IllegalArgumentException naming the counts, or the first row and both lengths, that differ
     */
    public static void sameLengths(int[] targetLengths, Packing input) {
        if (targetLengths.length != input.batch()) {
            throw new IllegalArgumentException("the targets have " + targetLengths.length + " sequences but the input has "
                    + input.batch());
        }
        for (int b = 0; b < targetLengths.length; b++) {
            if (targetLengths[b] != input.length(b)) {
                throw new IllegalArgumentException("the targets of sequence " + b + " have " + targetLengths[b]
                        + " steps but its input has " + input.length(b) + "; every step needs a target");
            }
        }
    }

    /**
     * The length of each row, for {@link #sameLengths}.
     *
     * @param targets class ids at every step
     * @return each row's length
     */
    public static int[] rowLengths(int[][] targets) {
        int[] lengths = new int[targets.length];
        for (int b = 0; b < targets.length; b++) {
            lengths[b] = targets[b].length;
        }
        return lengths;
    }

    /**
     * The length of each row, for {@link #sameLengths}.
     *
     * @param targets values at every step
     * @return each row's length
     */
    public static int[] rowLengths(double[][][] targets) {
        int[] lengths = new int[targets.length];
        for (int b = 0; b < targets.length; b++) {
            lengths[b] = targets[b].length;
        }
        return lengths;
    }
}
