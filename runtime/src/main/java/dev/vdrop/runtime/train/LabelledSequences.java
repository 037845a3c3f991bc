package dev.vdrop.runtime.train;

import dev.vdrop.runtime.Mat;
import dev.vdrop.runtime.ModelSizes;

/**
 * Sequences with a class each (a classifier's labels) or a class per step (a tagger's tags),
 * checked against the model before any work, and graded: how many predictions a pass got right.
 */
final class LabelledSequences<I, T> {
    private final Picker<I> inputs;
    private final Picker<T> targets;
    private final int[] lengths;
    private final int[] labels;
    private final int[][] tags;

    private LabelledSequences(Picker<I> inputs, Picker<T> targets, int[] lengths, int[] labels, int[][] tags) {
        this.inputs = inputs;
        this.targets = targets;
        this.lengths = lengths;
        this.labels = labels;
        this.tags = tags;
    }

    /** Token sequences with one class each. */
    static LabelledSequences<int[][], int[]> labelled(int[][] sequences, int[] labels, ModelSizes sizes, String where) {
        int[] lengths = lengths(sequences, labels == null ? -1 : labels.length, "labels", where);
        checkTokens(sequences, sizes, where);
        checkClasses(labels, sizes, where);
        return new LabelledSequences<>(Picker.rows(sequences), Picker.ints(labels), lengths, labels, null);
    }

    /** Feature sequences with one class each. */
    static LabelledSequences<double[][][], int[]> labelled(double[][][] sequences, int[] labels, ModelSizes sizes,
                                                           String where) {
        int[] lengths = lengths(sequences, labels == null ? -1 : labels.length, "labels", where);
        sizes.checkFeatures(sequences, where);
        checkClasses(labels, sizes, where);
        return new LabelledSequences<>(Picker.rows(sequences), Picker.ints(labels), lengths, labels, null);
    }

    /** Token sequences with one class per step. */
    static LabelledSequences<int[][], int[][]> tagged(int[][] sequences, int[][] tags, ModelSizes sizes, String where) {
        int[] lengths = lengths(sequences, tags == null ? -1 : tags.length, "tag rows", where);
        checkTokens(sequences, sizes, where);
        for (int i = 0; i < tags.length; i++) {
            int width = tags[i] == null ? 0 : tags[i].length;
            if (width != lengths[i]) {
                throw new IllegalArgumentException("sequence " + i + " of " + where + " has " + lengths[i]
                        + " steps but " + width + " tags; give one tag per step");
            }
            checkClasses(tags[i], sizes, where + ", sequence " + i);
        }
        return new LabelledSequences<>(Picker.rows(sequences), Picker.rows(tags), lengths, null, tags);
    }

    int count() {
        return lengths.length;
    }

    /** {@return the longest sequence's steps} */
    int longest() {
        int longest = 0;
        for (int length : lengths) {
            longest = Math.max(longest, length);
        }
        return longest;
    }

    Picker<I> inputs() {
        return inputs;
    }

    Picker<T> targets() {
        return targets;
    }

    /** {@return what the picked examples count for the loss and accuracy: examples, or a tagger's tags} */
    long units(int[] picked) {
        if (tags == null) {
            return picked.length;
        }
        long steps = 0;
        for (int i : picked) {
            steps += lengths[i];
        }
        return steps;
    }

    /**
     * The predictions of a pass over the picked examples (in that order) that name the right class:
     * the most probable class of each output column ({@link dev.vdrop.runtime.Workspace#output()}'s
     * layout: column b for example b at the last step; for every step, the steps in the packed
     * order — sequences sorted by length, longest first, ties in the batch's order — step by step).
     */
    long correct(Mat output, int[] picked) {
        long right = 0;
        if (tags == null) {
            for (int b = 0; b < picked.length; b++) {
                right += argmax(output, b) == labels[picked[b]] ? 1 : 0;
            }
            return right;
        }
        Integer[] packed = new Integer[picked.length];
        int longest = 0;
        for (int b = 0; b < picked.length; b++) {
            packed[b] = b;
            longest = Math.max(longest, lengths[picked[b]]);
        }
        java.util.Arrays.sort(packed, (a, b) -> Integer.compare(lengths[picked[b]], lengths[picked[a]]));
        int column = 0;
        for (int t = 0; t < longest; t++) {
            for (int b : packed) {
                if (lengths[picked[b]] > t) {
                    right += argmax(output, column++) == tags[picked[b]][t] ? 1 : 0;
                }
            }
        }
        return right;
    }

    private static int argmax(Mat output, int column) {
        int best = 0;
        for (int r = 1; r < output.rows(); r++) {
            if (output.get(r, column) > output.get(best, column)) {
                best = r;
            }
        }
        return best;
    }

    private static int[] lengths(Object[] sequences, int targets, String what, String where) {
        if (sequences == null || targets < 0) {
            throw new IllegalArgumentException(where + ": the sequences and their " + what + " must not be null");
        }
        if (sequences.length != targets) {
            throw new IllegalArgumentException(where + " has " + sequences.length + " sequences but " + targets + " "
                    + what + "; give one per sequence");
        }
        int[] lengths = new int[sequences.length];
        for (int i = 0; i < sequences.length; i++) {
            lengths[i] = sequences[i] == null ? 0 : java.lang.reflect.Array.getLength(sequences[i]);
            if (lengths[i] == 0) {
                throw new IllegalArgumentException("sequence " + i + " of " + where + " is empty; every sequence "
                        + "needs at least one step");
            }
        }
        return lengths;
    }

    private static void checkTokens(int[][] sequences, ModelSizes sizes, String where) {
        int vocabulary = sizes.vocabulary().orElseThrow(() -> new IllegalArgumentException(
                "this network reads feature vectors, not token ids; give double[][][] sequences"));
        for (int i = 0; i < sequences.length; i++) {
            for (int t = 0; t < sequences[i].length; t++) {
                int id = sequences[i][t];
                if (id < 0 || id >= vocabulary) {
                    throw new IllegalArgumentException("token id " + id + " at step " + t + " of sequence " + i + " of "
                            + where + " is outside the model's vocabulary of " + vocabulary + " (ids 0 … "
                            + (vocabulary - 1) + ")");
                }
            }
        }
    }

    private static void checkClasses(int[] classes, ModelSizes sizes, String where) {
        int count = sizes.classes().orElseThrow(() -> new IllegalArgumentException(
                "this network has no softmax head; it predicts values, not classes"));
        for (int i = 0; i < classes.length; i++) {
            if (classes[i] < 0 || classes[i] >= count) {
                throw new IllegalArgumentException("class " + classes[i] + " at position " + i + " of " + where
                        + " is outside the model's " + count + " classes (0 … " + (count - 1) + ")");
            }
        }
    }
}
