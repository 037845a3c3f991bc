package dev.vdrop.processor;

import java.util.List;

/**
 * One small model of every kind the processor writes different code for: token or feature input,
 * each dropout scheme, a tied or untied decoder, a softmax or regression head at every step or the
 * last. Layer names are placeholders {@code {0}}, {@code {1}}, … so that a test can give the same
 * model other names; sizes are small and distinct. {@link #UNTIED} and {@link #GRU_LM} have weight
 * drop beside recurrent dropout (U' kept whole for the per-gate products), which draws vdrop's
 * warning.
 */
enum ModelKind {
    TOKEN_LM(Input.TOKENS, Head.SOFTMAX_EVERY_STEP, 11, """
            @Embedding(vocabulary = 11, size = 5) Layer {0};
            @VariationalLSTM(units = 4, input = 0.3, recurrent = 0.3, output = 0.3) Layer {1};
            @VariationalLSTM(units = 6, input = 0.2, recurrent = 0.2) Layer {2};
            @Softmax(classes = 11) Layer {3};
            """, "embedding", "lstm1", "lstm2", "decoder"),
    TIED_DECODER(Input.TOKENS, Head.SOFTMAX_EVERY_STEP, 11, """
            @Embedding(vocabulary = 11, size = 5) @EmbeddingDropout(0.2) Layer {0};
            @VariationalLSTM(units = 6, input = 0.2, recurrent = 0.2) Layer {1};
            @VariationalLSTM(units = 5, input = 0.2, recurrent = 0.2, output = 0.2) Layer {2};
            @Softmax(classes = 11, tiedToEmbedding = true) Layer {3};
            """, "embedding", "lstm1", "lstm2", "decoder"),
    WEIGHT_DROP(Input.TOKENS, Head.SOFTMAX_EVERY_STEP, 11, """
            @Embedding(vocabulary = 11, size = 5) Layer {0};
            @VariationalLSTM(units = 4, input = 0.4) @WeightDrop(0.5) Layer {1};
            @VariationalLSTM(units = 6, input = 0.25, output = 0.4) @WeightDrop(0.5) Layer {2};
            @Softmax(classes = 11) Layer {3};
            """, "embedding", "lstm1", "lstm2", "decoder"),
    UNTIED(Input.TOKENS, Head.SOFTMAX_EVERY_STEP, 11, """
            @Embedding(vocabulary = 11, size = 5) Layer {0};
            @VariationalLSTM(units = 4, input = 0.3, recurrent = 0.3, output = 0.3, masks = Masks.UNTIED)
            @WeightDrop(0.3) Layer {1};
            @VariationalLSTM(units = 6, input = 0.3, masks = Masks.UNTIED) Layer {2};
            @Softmax(classes = 11) Layer {3};
            """, "embedding", "lstm1", "lstm2", "decoder"),
    PER_STEP(Input.TOKENS, Head.SOFTMAX_EVERY_STEP, 11, """
            @Embedding(vocabulary = 11, size = 5) Layer {0};
            @VariationalLSTM(units = 4, input = 0.3, output = 0.3, masks = Masks.PER_STEP) Layer {1};
            @VariationalLSTM(units = 6, input = 0.3, masks = Masks.PER_STEP) Layer {2};
            @Softmax(classes = 11) Layer {3};
            """, "embedding", "lstm1", "lstm2", "decoder"),
    EMBEDDING_DROPOUT_PER_SEQUENCE(Input.TOKENS, Head.SOFTMAX_EVERY_STEP, 11, """
            @Embedding(vocabulary = 11, size = 5) @EmbeddingDropout(0.4) Layer {0};
            @VariationalLSTM(units = 4, output = 0.2) Layer {1};
            @Softmax(classes = 11) Layer {2};
            """, "embedding", "lstm", "decoder"),
    EMBEDDING_DROPOUT_PER_BATCH(Input.TOKENS, Head.SOFTMAX_EVERY_STEP, 11, """
            @Embedding(vocabulary = 11, size = 5) @EmbeddingDropout(value = 0.4, scope = Scope.BATCH) Layer {0};
            @VariationalLSTM(units = 4, input = 0.2) Layer {1};
            @Softmax(classes = 11) Layer {2};
            """, "embedding", "lstm", "decoder"),
    REGRESSION_LAST_STEP(Input.FEATURES, Head.REGRESSION_LAST_STEP, 2, """
            @Input(features = 3) Layer {0};
            @VariationalLSTM(units = 4, input = 0.2, recurrent = 0.2, output = 0.2) Layer {1};
            @Regression(outputs = 2) Layer {2};
            """, "day", "lstm", "next"),
    REGRESSION_EVERY_STEP(Input.FEATURES, Head.REGRESSION_EVERY_STEP, 2, """
            @Input(features = 3) Layer {0};
            @VariationalLSTM(units = 4, input = 0.2, recurrent = 0.2, masks = Masks.UNTIED) Layer {1};
            @VariationalLSTM(units = 6, output = 0.2) @WeightDrop(0.3) Layer {2};
            @Regression(outputs = 2, over = Over.EVERY_STEP) Layer {3};
            """, "day", "lstm1", "lstm2", "value"),
    CLASSIFIER_LAST_STEP(Input.TOKENS, Head.SOFTMAX_LAST_STEP, 3, """
            @Embedding(vocabulary = 11, size = 5) Layer {0};
            @VariationalLSTM(units = 4, input = 0.3, recurrent = 0.3, output = 0.3) Layer {1};
            @Softmax(classes = 3, over = Over.LAST_STEP) Layer {2};
            """, "embedding", "lstm", "label"),
    /** The vocabulary from the data, and so the tied decoder's classes: built through its builder. */
    DATA_TIED_DECODER(Input.TOKENS, Head.SOFTMAX_EVERY_STEP, 11, """
            @Embedding(size = 5) @EmbeddingDropout(0.2) Layer {0};
            @VariationalLSTM(units = 5, input = 0.2, recurrent = 0.2, output = 0.2) Layer {1};
            @Softmax(tiedToEmbedding = true) Layer {2};
            """, "embedding", "lstm", "decoder"),
    /** Features and outputs from the data. */
    DATA_REGRESSION(Input.FEATURES, Head.REGRESSION_LAST_STEP, 2, """
            @Input Layer {0};
            @VariationalLSTM(units = 4, input = 0.2, recurrent = 0.2, output = 0.2) Layer {1};
            @Regression Layer {2};
            """, "day", "lstm", "next"),
    /** GRU layers: tied masks, then untied ones with weight drop (U' whole, per-gate products). */
    GRU_LM(Input.TOKENS, Head.SOFTMAX_EVERY_STEP, 11, """
            @Embedding(vocabulary = 11, size = 5) Layer {0};
            @VariationalGRU(units = 4, input = 0.3, recurrent = 0.3, output = 0.3) Layer {1};
            @VariationalGRU(units = 6, input = 0.3, recurrent = 0.3, masks = Masks.UNTIED) @WeightDrop(0.3) Layer {2};
            @Softmax(classes = 11) Layer {3};
            """, "embedding", "gru1", "gru2", "decoder"),
    /** GRU layers with weight drop through the step products (and a pass of several MC samples). */
    GRU_WEIGHT_DROP(Input.TOKENS, Head.SOFTMAX_EVERY_STEP, 11, """
            @Embedding(vocabulary = 11, size = 5) @EmbeddingDropout(0.2) Layer {0};
            @VariationalGRU(units = 4, input = 0.4) @WeightDrop(0.5) Layer {1};
            @VariationalGRU(units = 6, input = 0.25, output = 0.4) @WeightDrop(0.5) Layer {2};
            @Softmax(classes = 11) Layer {3};
            """, "embedding", "gru1", "gru2", "decoder"),
    /** An LSTM and a GRU with per-step masks, regression at every step. */
    MIXED_PER_STEP(Input.FEATURES, Head.REGRESSION_EVERY_STEP, 2, """
            @Input(features = 3) Layer {0};
            @VariationalLSTM(units = 4, input = 0.3, output = 0.3, masks = Masks.PER_STEP) Layer {1};
            @VariationalGRU(units = 6, input = 0.3, output = 0.2, masks = Masks.PER_STEP) Layer {2};
            @Regression(outputs = 2, over = Over.EVERY_STEP) Layer {3};
            """, "day", "lstm", "gru", "value");

    /** What the model reads: token ids of a vocabulary of 11, or 3 real features per step. */
    enum Input { TOKENS, FEATURES }

    /** What the model predicts, and where. */
    enum Head { SOFTMAX_EVERY_STEP, SOFTMAX_LAST_STEP, REGRESSION_EVERY_STEP, REGRESSION_LAST_STEP }

    static final int VOCABULARY = 11;
    static final int FEATURES = 3;

    private final Input input;
    private final Head head;
    private final int outputs;
    private final String fields;
    private final List<String> ordinaryNames;

    ModelKind(Input input, Head head, int outputs, String fields, String... ordinaryNames) {
        this.input = input;
        this.head = head;
        this.outputs = outputs;
        this.fields = fields;
        this.ordinaryNames = List.of(ordinaryNames);
    }

    Input input() {
        return input;
    }

    Head head() {
        return head;
    }

    /** Classes of the softmax, or values of the regression. */
    int outputs() {
        return outputs;
    }

    /** The layer names a user would choose, in declaration order. */
    List<String> ordinaryNames() {
        return ordinaryNames;
    }

    /** The source of this model as class {@code test.<simpleName>} with the given layer names. */
    String source(String simpleName, List<String> layerNames) {
        if (layerNames.size() != ordinaryNames.size()) {
            throw new IllegalArgumentException(this + " has " + ordinaryNames.size() + " layers, not " + layerNames);
        }
        String body = fields;
        for (int i = 0; i < layerNames.size(); i++) {
            body = body.replace("{" + i + "}", layerNames.get(i));
        }
        return "package test;\n\nimport dev.vdrop.dsl.*;\n\n@Model\nabstract class " + simpleName + " {\n"
                + body.indent(4) + "}\n";
    }
}
