package dev.vdrop.processor;

import java.util.Locale;

/**
 * Every message the processor prints, in one place. Each names the rule, the value it found and
 * the fix, so a user can act on it without reading vdrop's source.
 */
enum Message {
    // Rule 1: dropout probabilities.
    PROBABILITY_OUT_OF_RANGE(
            "%s(%s = %s) on '%s': a dropout probability must be in [0, 1), but it is %s;"
                    + " use a value such as 0.25 (0 turns this dropout off, 1 would drop every unit)"),
    PROBABILITY_HIGH(
            "%s(%s = %s) on '%s': a dropout probability of %s keeps fewer than one unit in ten,"
                    + " which makes training slow and noisy; values between 0.1 and 0.5 are usual"),

    // Rule 2: sizes.
    SIZE_NOT_POSITIVE(
            "%s(%s = %d) on '%s': %s must be positive, but it is %d; set it to the number of %s"),

    DATA_SIZE_NOT_POSITIVE(
            "%s(%s = %d) on '%s': %s must be positive, but it is %d; set it to the number of %s, or"
                    + " leave %s out to give it when the network is built (its builder's .%s(n))"),

    // Rule 3: modifiers beside the right layer.
    WEIGHT_DROP_NOT_ON_RECURRENT(
            "@WeightDrop on '%s' needs a recurrent layer, but %s; put @WeightDrop on a"
                    + " @VariationalLSTM or @VariationalGRU field"),
    EMBEDDING_DROPOUT_NOT_ON_EMBEDDING(
            "@EmbeddingDropout on '%s' needs an embedding, but %s; put @EmbeddingDropout on the"
                    + " @Embedding field"),

    // Rule 4: Zaremba's per-step masks never touch h.
    PER_STEP_WITH_RECURRENT(
            "%s(masks = PER_STEP, recurrent = %s) on '%s': per-step (Zaremba) dropout"
                    + " never drops the recurrent state h; set recurrent = 0, or use masks = TIED"
                    + " for variational dropout on h"),

    // Rule 5: the stack.
    NO_INPUT_LAYER(
            "@Model %s has no input layer; declare its first field as @Embedding(vocabulary = .., size = ..)"
                    + " for tokens or @Input(features = ..) for real-valued vectors"),
    SECOND_INPUT_LAYER(
            "'%s' is a second input layer (the first is '%s'); a model has exactly one input layer,"
                    + " so remove one of them"),
    INPUT_NOT_FIRST(
            "input layer '%s' must be the first layer, but '%s' is declared before it;"
                    + " move '%s' above every other layer field"),
    NO_OUTPUT_LAYER(
            "@Model %s has no output layer; declare its last field as @Softmax(classes = ..) for"
                    + " classes or tokens or @Regression(outputs = ..) for real values"),
    SECOND_OUTPUT_LAYER(
            "'%s' is a second output layer (the last is '%s'); a model has exactly one output"
                    + " layer, so remove one of them"),
    OUTPUT_NOT_LAST(
            "output layer '%s' must be the last layer, but '%s' is declared after it;"
                    + " move '%s' below every other layer field"),
    NO_RECURRENT_LAYER(
            "@Model %s has no recurrent layer; add a @VariationalLSTM(units = ..) or"
                    + " @VariationalGRU(units = ..) field between the input and the output layer"),

    // Rule 6: tied decoder.
    TIED_WITHOUT_EMBEDDING(
            "@Softmax(tiedToEmbedding = true) on '%s' reuses the embedding as the decoder, but the"
                    + " model's input is %s; set tiedToEmbedding = false or use an @Embedding input"),
    TIED_CLASSES_NOT_VOCABULARY(
            "@Softmax(tiedToEmbedding = true) on '%s' reuses the embedding as the decoder, so classes"
                    + " (%d) must equal the vocabulary of '%s' (%d); set classes = %d or"
                    + " tiedToEmbedding = false"),
    TIED_CLASSES_WITH_DATA_VOCABULARY(
            "@Softmax(tiedToEmbedding = true, classes = %d) on '%s' reuses the embedding as the decoder,"
                    + " so its classes are the vocabulary of '%s', which comes from the data; leave classes"
                    + " out or write the vocabulary in @Embedding"),
    TIED_UNITS_NOT_EMBEDDING_SIZE(
            "@Softmax(tiedToEmbedding = true) on '%s' reuses the embedding as the decoder, so the"
                    + " last %s '%s' must have as many units (%d) as the embedding size of '%s'"
                    + " (%d); set units = %d on '%s' or tiedToEmbedding = false"),

    // Rule 7: where the annotations are.
    MODEL_NOT_A_CLASS(
            "@Model on %s: a model is declared on an abstract class, but this is %s; declare"
                    + " 'abstract class %s' instead"),
    MODEL_FINAL(
            "@Model on %s: a model class cannot be final, but it is; remove 'final' and make it"
                    + " abstract"),
    MODEL_PRIVATE(
            "@Model on %s: the generated network must see the model class, but it is private;"
                    + " make it package-private or public"),
    MODEL_INNER(
            "@Model on %s: a model class must be top level or a static nested class, but this is"
                    + " an inner class; add 'static' to its declaration"),
    MODEL_NOT_ABSTRACT(
            "@Model on %s: a model class is only a declaration (you instantiate %s), but it is not"
                    + " abstract; add 'abstract'"),
    MODEL_BAD_NAME(
            "@Model(name = \"%s\") on %s: the name of the generated class must be a Java identifier,"
                    + " but it is not; use a name such as \"%sNetwork\""),
    NOT_IN_MODEL(
            "%s on '%s' in %s, which has no @Model: layers only exist inside a model; annotate %s"
                    + " with @Model or remove %s"),
    TWO_LAYER_ANNOTATIONS(
            "'%s' has two layer annotations, %s and %s; a field is one layer, so declare the second"
                    + " on a field of its own"),
    TWO_CELLS(
            "'%s' has two recurrent layer annotations, %s and %s; a recurrent layer has one cell, so"
                    + " keep the one you mean, or move %s to a field of its own below this one to"
                    + " stack the two"),
    LAYER_FIELD_NOT_LAYER_TYPE(
            "layer field '%s' has type %s, but layer fields must have type dev.vdrop.dsl.Layer;"
                    + " declare it as 'Layer %s'"),
    LAYER_FIELD_WITHOUT_ANNOTATION(
            "field '%s' has type Layer but no layer annotation; annotate it with @Embedding, @Input,"
                    + " @VariationalLSTM, @VariationalGRU, @Softmax or @Regression, or remove it"),

    // Warnings about a configuration that works but is probably not meant.
    WEIGHT_DROP_WITH_RECURRENT_DROPOUT(
            "'%s' has @WeightDrop(%s) and %s(recurrent = %s): U is then regularised"
                    + " twice, by DropConnect on its weights and by dropout on h; AWD-LSTM uses"
                    + " recurrent = 0 with weight drop"),

    // The processor's own failures.
    CANNOT_WRITE(
            "vdrop could not write %s for @Model %s: %s; if another class has that name, choose"
                    + " another with @Model(name = \"..\")"),
    INTERNAL_ERROR(
            "vdrop failed on @Model %s; this is a bug in vdrop, please report it with this stack"
                    + " trace:%n%s");

    private final String template;

    Message(String template) {
        this.template = template;
    }

    String format(Object... args) {
        return String.format(Locale.ROOT, template, args);
    }
}
