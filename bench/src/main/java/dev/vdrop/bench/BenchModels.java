package dev.vdrop.bench;

import dev.vdrop.dsl.Embedding;
import dev.vdrop.dsl.EmbeddingDropout;
import dev.vdrop.dsl.Layer;
import dev.vdrop.dsl.Model;
import dev.vdrop.dsl.Over;
import dev.vdrop.dsl.Softmax;
import dev.vdrop.dsl.VariationalGRU;
import dev.vdrop.dsl.VariationalLSTM;
import dev.vdrop.dsl.WeightDrop;

/**
 * The benchmark language models: vocabulary 10,000, two LSTM layers, variational tied masks on the
 * inputs and outputs, weight drop on every U and embedding dropout — the AWD-style variant (c) of
 * the PyTorch reference script (see docs/protocol.md) — and their GRU twins, the same declarations
 * with {@code @VariationalGRU} (the reference's {@code --cell gru}).
 */
final class BenchModels {
    private BenchModels() {}

    /** SMALL: embedding 200, 2 × 200 units. */
    @Model(name = "SmallLm")
    abstract static class Small {
        @Embedding(vocabulary = 10_000, size = 200) @EmbeddingDropout(0.1) Layer embedding;
        @VariationalLSTM(units = 200, input = 0.4) @WeightDrop(0.5) Layer lstm1;
        @VariationalLSTM(units = 200, input = 0.25, output = 0.4) @WeightDrop(0.5) Layer lstm2;
        @Softmax(classes = 10_000) Layer decoder;
    }

    /**
     * The word-level classifier of the classifier group ({@link ClassifierBench}): SMALL's embedding
     * and layers with the same dropout, and a softmax over {@link ClassifierConfig#CLASSES} classes
     * at each sequence's last step — the PyTorch reference's {@code --classifier} model.
     */
    @Model(name = "SmallClassifier")
    abstract static class Classifier {
        @Embedding(vocabulary = 10_000, size = 200) @EmbeddingDropout(0.1) Layer embedding;
        @VariationalLSTM(units = 200, input = 0.4) @WeightDrop(0.5) Layer lstm1;
        @VariationalLSTM(units = 200, input = 0.25, output = 0.4) @WeightDrop(0.5) Layer lstm2;
        @Softmax(classes = ClassifierConfig.CLASSES, over = Over.LAST_STEP) Layer label;
    }

    /** MEDIUM: embedding 650, 2 × 650 units. */
    @Model(name = "MediumLm")
    abstract static class Medium {
        @Embedding(vocabulary = 10_000, size = 650) @EmbeddingDropout(0.1) Layer embedding;
        @VariationalLSTM(units = 650, input = 0.4) @WeightDrop(0.5) Layer lstm1;
        @VariationalLSTM(units = 650, input = 0.25, output = 0.4) @WeightDrop(0.5) Layer lstm2;
        @Softmax(classes = 10_000) Layer decoder;
    }

    /** SMALL's GRU twin: the same embedding, units and dropout, two GRU layers. */
    @Model(name = "SmallGruLm")
    abstract static class SmallGru {
        @Embedding(vocabulary = 10_000, size = 200) @EmbeddingDropout(0.1) Layer embedding;
        @VariationalGRU(units = 200, input = 0.4) @WeightDrop(0.5) Layer gru1;
        @VariationalGRU(units = 200, input = 0.25, output = 0.4) @WeightDrop(0.5) Layer gru2;
        @Softmax(classes = 10_000) Layer decoder;
    }

    /** MEDIUM's GRU twin: the same embedding, units and dropout, two GRU layers. */
    @Model(name = "MediumGruLm")
    abstract static class MediumGru {
        @Embedding(vocabulary = 10_000, size = 650) @EmbeddingDropout(0.1) Layer embedding;
        @VariationalGRU(units = 650, input = 0.4) @WeightDrop(0.5) Layer gru1;
        @VariationalGRU(units = 650, input = 0.25, output = 0.4) @WeightDrop(0.5) Layer gru2;
        @Softmax(classes = 10_000) Layer decoder;
    }
}
