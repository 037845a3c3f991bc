package dev.vdrop.runtime;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * The sizes of a network that come from the data: its input's (the vocabulary V of an
 * {@code @Embedding}, or the features F of an {@code @Input}) and its output's (the classes C of a
 * {@code @Softmax}, or the outputs of a {@code @Regression}), each with whether it was written in
 * the annotation or given when the network was built. Immutable.
 *
 * <p>Trainers and evaluators check data against these before any work: an id past V or C, or a
 * width other than F or the outputs, is an error naming both numbers ({@link #checkTokens},
 * {@link #checkFeatures}, {@link #checkOutputs}); a vocabulary smaller than a V written in the
 * annotation is a warning naming both ({@link #checkVocabulary}): the model would train classes
 * the data never shows.
 *
 * @param input the vocabulary or the features
 * @param output the classes or the outputs
 */
public record ModelSizes(Size input, Size output) {
    /** The name of the {@link System.Logger} the warnings go to. */
    public static final String LOGGER = "dev.vdrop.runtime.ModelSizes";

    /**
     * One size.
     *
     * @param name {@code vocabulary}, {@code features}, {@code classes} or {@code outputs}: the
     *     annotation element it is, and the builder method that gives it
     * @param value the size, at least 1
     * @param declared true when the annotation writes it, false when it was given at build time
     */
    public record Size(String name, int value, boolean declared) {
        /**
         * A size, checked.
         *
         * @param name {@code vocabulary}, {@code features}, {@code classes} or {@code outputs}
         * @param value the size, at least 1
         * @param declared true when the annotation writes it
         * @throws IllegalArgumentException when the name is not one of the four or the value is below 1
         */
        public Size {
            if (!name.equals("vocabulary") && !name.equals("features") && !name.equals("classes")
                    && !name.equals("outputs")) {
                throw new IllegalArgumentException("a size is the vocabulary, features, classes or outputs, not " + name);
            }
            if (value < 1) {
                throw new IllegalArgumentException("the " + name + " must be at least 1, got " + value);
            }
        }

        /**
         * A size written in the annotation.
         *
         * @param name {@code vocabulary}, {@code features}, {@code classes} or {@code outputs}
         * @param value the size, at least 1
         * @return the size
         */
        public static Size declared(String name, int value) {
            return new Size(name, value, true);
        }

        /**
         * A size given when the network was built.
         *
         * @param name {@code vocabulary}, {@code features}, {@code classes} or {@code outputs}
         * @param value the size, at least 1
         * @return the size
         */
        public static Size given(String name, int value) {
            return new Size(name, value, false);
        }

        @Override
        public String toString() {
            return name + " " + value + (declared ? " (declared)" : " (given)");
        }
    }

    /**
     * The sizes of a network, checked.
     *
     * @param input the vocabulary or the features
     * @param output the classes or the outputs
     * @throws IllegalArgumentException when the input is not a vocabulary or features, or the output
     *     not classes or outputs
     */
    public ModelSizes {
        if (!input.name().equals("vocabulary") && !input.name().equals("features")) {
            throw new IllegalArgumentException("the input's size is the vocabulary or the features, not " + input.name());
        }
        if (!output.name().equals("classes") && !output.name().equals("outputs")) {
            throw new IllegalArgumentException("the output's size is the classes or the outputs, not " + output.name());
        }
    }

    /** {@return V of a token model, empty for a feature model} */
    public OptionalInt vocabulary() {
        return valueOf(input, "vocabulary");
    }

    /** {@return F of a feature model, empty for a token model} */
    public OptionalInt features() {
        return valueOf(input, "features");
    }

    /** {@return C of a softmax model, empty for a regression model} */
    public OptionalInt classes() {
        return valueOf(output, "classes");
    }

    /** {@return the outputs of a regression model, empty for a softmax model} */
    public OptionalInt outputs() {
        return valueOf(output, "outputs");
    }

    /**
     * The size of a name.
     *
     * @param name {@code vocabulary}, {@code features}, {@code classes} or {@code outputs}
     * @return the size called {@code name}, if the network has it
     */
    public Optional<Size> size(String name) {
        return input.name().equals(name) ? Optional.of(input)
                : output.name().equals(name) ? Optional.of(output) : Optional.empty();
    }

    private static OptionalInt valueOf(Size size, String name) {
        return size.name().equals(name) ? OptionalInt.of(size.value()) : OptionalInt.empty();
    }

    /**
     * Checks token ids a language model reads and predicts (each id is an input and, one step
     * later, a target): every id in [0, V) and, for a softmax model, in [0, C).
     *
     * @param ids the ids
     * @param where what they are, for the message: "the training split"
     * @throws IllegalArgumentException naming the first id past the model's vocabulary or classes,
     *     its position and the size, e.g. "token id 10412 at position 17 of the training split is
     *     past the model's vocabulary of 10000 (ids 0 … 9999)"
     * @throws IllegalStateException when the network reads no tokens
     */
    public void checkTokens(int[] ids, String where) {
        checkTokens(ids, where, true);
    }

    /**
     * Checks token ids a model only reads (a context to predict from): every id in [0, V).
     *
     * @param ids the ids
     * @param where what they are, for the message: "the context"
     * @throws IllegalArgumentException naming the first id past the model's vocabulary, its
     *     position and the vocabulary
     * @throws IllegalStateException when the network reads no tokens
     */
    public void checkInputTokens(int[] ids, String where) {
        checkTokens(ids, where, false);
    }

    private void checkTokens(int[] ids, String where, boolean targets) {
        int vocabulary = vocabulary().orElseThrow(() -> new IllegalStateException(
                "this network reads " + input.value() + " features per step, not token ids"));
        for (int i = 0; i < ids.length; i++) {
            int id = ids[i];
            if (id < 0) {
                throw new IllegalArgumentException("token id " + id + " at position " + i + " of " + where
                        + " is negative; ids are 0 … " + (vocabulary - 1));
            }
            if (id >= vocabulary) {
                throw new IllegalArgumentException("token id " + id + " at position " + i + " of " + where
                        + " is past the model's vocabulary of " + vocabulary + " (ids 0 … " + (vocabulary - 1) + ")");
            }
            if (targets && classes().isPresent() && id >= classes().getAsInt()) {
                throw new IllegalArgumentException("token id " + id + " at position " + i + " of " + where
                        + " is past the model's classes of " + classes().getAsInt() + " (ids 0 … "
                        + (classes().getAsInt() - 1) + ")");
            }
        }
    }

    /**
     * Checks the size of the data's vocabulary against the model's: larger is an error (the data
     * has ids the model cannot read); smaller than a vocabulary (or classes) written in the
     * annotation is a warning, logged at {@link System.Logger.Level#WARNING WARNING} through the
     * logger {@value #LOGGER}: the model would train output classes the data never shows.
     *
     * @param words the number of words of the data's vocabulary
     * @param where what the vocabulary is, for the message: "the corpus"
     * @return the warning logged, if any
     * @throws IllegalArgumentException when the data's vocabulary is larger than the model's
     */
    public Optional<String> checkVocabulary(int words, String where) {
        int vocabulary = vocabulary().orElseThrow(() -> new IllegalStateException(
                "this network reads " + input.value() + " features per step, not token ids"));
        if (words > vocabulary) {
            throw new IllegalArgumentException("the vocabulary of " + where + " has " + words
                    + " words, more than the model's vocabulary of " + vocabulary
                    + "; build the network with .vocabulary(" + words + ")"
                    + (input.declared() ? " and leave vocabulary out of @Embedding" : ""));
        }
        for (Size size : new Size[] {input, output}) {
            if (size.declared() && size.name().matches("vocabulary|classes") && words < size.value()) {
                String warning = "the vocabulary of " + where + " has " + words + " words, fewer than the "
                        + size.value() + " " + size.name() + " declared in "
                        + (size == input ? "@Embedding" : "@Softmax") + "(" + size.name() + " = " + size.value()
                        + "): " + (size.value() - words) + " output classes will never be seen in the data;"
                        + " leave " + size.name() + " out of the annotation to take it from the data";
                System.getLogger(LOGGER).log(System.Logger.Level.WARNING, warning);
                return Optional.of(warning);
            }
        }
        return Optional.empty();
    }

    /**
     * Checks a regression model's inputs: every step as wide as the features F.
     *
     * @param inputs {@code [examples][steps][features]}
     * @param where what they are, for the message: "the training examples"
     * @throws IllegalArgumentException naming the first example and step whose width is not F, and both numbers
     */
    public void checkFeatures(double[][][] inputs, String where) {
        int features = features().orElseThrow(() -> new IllegalStateException(
                "this network reads token ids, not features"));
        for (int e = 0; e < inputs.length; e++) {
            for (int t = 0; t < inputs[e].length; t++) {
                int width = inputs[e][t] == null ? 0 : inputs[e][t].length;
                if (width != features) {
                    throw new IllegalArgumentException("example " + e + ", step " + t + " of " + where + " has "
                            + width + " features, but the model reads " + features);
                }
            }
        }
    }

    /**
     * Checks a regression model's targets: one row of the outputs' width per example.
     *
     * @param targets {@code [examples][outputs]}
     * @param where what they are, for the message: "the training targets"
     * @throws IllegalArgumentException naming the first example whose width is not the outputs, and both numbers
     */
    public void checkOutputs(double[][] targets, String where) {
        int outputs = outputs().orElseThrow(() -> new IllegalStateException("this network predicts classes, not values"));
        for (int e = 0; e < targets.length; e++) {
            int width = targets[e] == null ? 0 : targets[e].length;
            if (width != outputs) {
                throw new IllegalArgumentException("example " + e + " of " + where + " has " + width
                        + " target values, but the model predicts " + outputs);
            }
        }
    }
}
