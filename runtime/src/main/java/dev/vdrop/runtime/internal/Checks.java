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
     * Checks a batch of token sequences: at least one, all of one positive length, ids in range.
     *
     * @param tokens {@code [batch][steps]} token ids
     * @param vocabulary the number of ids the model knows
     * @throws IllegalArgumentException naming the first sequence, step or id that is wrong
     */
    public static void tokens(int[][] tokens, int vocabulary) {
        if (tokens == null || tokens.length == 0) {
            throw new IllegalArgumentException("a batch needs at least one sequence, got none");
        }
        int steps = tokens[0] == null ? 0 : tokens[0].length;
        for (int b = 0; b < tokens.length; b++) {
            int[] sequence = tokens[b];
            if (sequence == null || sequence.length == 0) {
                throw new IllegalArgumentException("sequence " + b + " of the batch is empty; every sequence needs at least one token");
            }
            if (sequence.length != steps) {
                throw new IllegalArgumentException("sequence " + b + " has " + sequence.length + " tokens but sequence 0 has "
                        + steps + "; the sequences of a batch must have one length");
            }
            for (int t = 0; t < steps; t++) {
                int id = sequence[t];
                if (id < 0 || id >= vocabulary) {
                    throw new IllegalArgumentException("token id " + id + " at sequence " + b + ", step " + t
                            + " is out of range; ids must be in [0, " + vocabulary + ")");
                }
            }
        }
    }

    /**
     * Checks a batch of feature sequences {@code [batch][steps][features]}: at least one, all of
     * one positive length, every step {@code features} wide.
     *
     * @param inputs the batch
     * @param features the width the model reads
     * @throws IllegalArgumentException naming the first sequence or step that is wrong
     */
    public static void features(double[][][] inputs, int features) {
        if (inputs == null || inputs.length == 0) {
            throw new IllegalArgumentException("a batch needs at least one sequence, got none");
        }
        int steps = inputs[0] == null ? 0 : inputs[0].length;
        for (int b = 0; b < inputs.length; b++) {
            double[][] sequence = inputs[b];
            if (sequence == null || sequence.length == 0) {
                throw new IllegalArgumentException("sequence " + b + " of the batch is empty; every sequence needs at least one step");
            }
            if (sequence.length != steps) {
                throw new IllegalArgumentException("sequence " + b + " has " + sequence.length + " steps but sequence 0 has "
                        + steps + "; the sequences of a batch must have one length");
            }
            for (int t = 0; t < steps; t++) {
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
}
