package dev.vdrop.checks;

import dev.vdrop.dsl.Embedding;
import dev.vdrop.dsl.EmbeddingDropout;
import dev.vdrop.dsl.Input;
import dev.vdrop.dsl.Layer;
import dev.vdrop.dsl.Masks;
import dev.vdrop.dsl.Model;
import dev.vdrop.dsl.Over;
import dev.vdrop.dsl.Regression;
import dev.vdrop.dsl.Scope;
import dev.vdrop.dsl.Softmax;
import dev.vdrop.dsl.VariationalGRU;
import dev.vdrop.dsl.VariationalLSTM;
import dev.vdrop.dsl.WeightDrop;

/**
 * GRU models, one per dropout scheme and head, and stacks that mix GRU and LSTM layers: the GRU's
 * twins of {@link Models}, with the same small distinct sizes (vocabulary 11, embedding 5, units
 * 4, 6 and 3). Each generated branch of the GRU's code is reached by at least one of them: tied,
 * untied (gate by gate products) and per-step masks, weight drop through the step products and
 * through U' kept whole (untied recurrent masks), every head.
 */
final class GruModels {
    private GruModels() {}

    @Model
    abstract static class GruPlain {
        @Embedding(vocabulary = 11, size = 5) Layer embedding;
        @VariationalGRU(units = 4) Layer gru;
        @Softmax(classes = 11) Layer decoder;
    }

    @Model
    abstract static class GruTied {
        @Embedding(vocabulary = 11, size = 5) Layer embedding;
        @VariationalGRU(units = 4, input = 0.3, recurrent = 0.3, output = 0.3) Layer gru;
        @Softmax(classes = 11) Layer decoder;
    }

    @Model
    abstract static class GruUntied {
        @Embedding(vocabulary = 11, size = 5) Layer embedding;
        @VariationalGRU(units = 4, input = 0.3, recurrent = 0.3, output = 0.3, masks = Masks.UNTIED) Layer gru;
        @Softmax(classes = 11) Layer decoder;
    }

    @Model
    abstract static class GruPerStep {
        @Embedding(vocabulary = 11, size = 5) Layer embedding;
        @VariationalGRU(units = 4, input = 0.3, output = 0.3, masks = Masks.PER_STEP) Layer gru1;
        @VariationalGRU(units = 6, input = 0.3, output = 0.3, masks = Masks.PER_STEP) Layer gru2;
        @Softmax(classes = 11) Layer decoder;
    }

    @Model
    abstract static class GruWeightDropped {
        @Embedding(vocabulary = 11, size = 5) Layer embedding;
        @VariationalGRU(units = 4, input = 0.2) @WeightDrop(0.4) Layer gru;
        @Softmax(classes = 11) Layer decoder;
    }

    /** Weight drop with untied recurrent masks: U' kept whole, products gate by gate. */
    @Model
    abstract static class GruUntiedWeightDropped {
        @Embedding(vocabulary = 11, size = 5) @EmbeddingDropout(0.2) Layer embedding;
        @VariationalGRU(units = 4, input = 0.3, recurrent = 0.2, output = 0.2, masks = Masks.UNTIED) @WeightDrop(0.3)
        Layer gru;
        @Softmax(classes = 11) Layer decoder;
    }

    /** The AWD recipe on GRUs: weight drop and locked dropout, nothing on h, embedding dropout per batch. */
    @Model
    abstract static class GruAwd {
        @Embedding(vocabulary = 11, size = 5) @EmbeddingDropout(value = 0.1, scope = Scope.BATCH) Layer embedding;
        @VariationalGRU(units = 4, input = 0.4) @WeightDrop(0.5) Layer gru1;
        @VariationalGRU(units = 6, input = 0.25, output = 0.4) @WeightDrop(0.5) Layer gru2;
        @Softmax(classes = 11) Layer decoder;
    }

    /** LSTM and GRU layers in one stack, a decoder tied to the embedding. */
    @Model
    abstract static class MixedStack {
        @Embedding(vocabulary = 11, size = 5) @EmbeddingDropout(0.2) Layer embedding;
        @VariationalLSTM(units = 4, input = 0.3, recurrent = 0.2) Layer lstm1;
        @VariationalGRU(units = 6, input = 0.3, recurrent = 0.2, masks = Masks.UNTIED) @WeightDrop(0.3) Layer gru2;
        @VariationalLSTM(units = 3, input = 0.3, recurrent = 0.2, masks = Masks.UNTIED) Layer lstm3;
        @VariationalGRU(units = 5, input = 0.3, recurrent = 0.2, output = 0.2) Layer gru4;
        @Softmax(classes = 11, tiedToEmbedding = true) Layer decoder;
    }

    @Model
    abstract static class GruClassifier {
        @Embedding(vocabulary = 11, size = 5) Layer embedding;
        @VariationalGRU(units = 4, input = 0.3, recurrent = 0.3, output = 0.3) Layer gru;
        @Softmax(classes = 3, over = Over.LAST_STEP) Layer label;
    }

    @Model
    abstract static class GruForecaster {
        @Input(features = 3) Layer day;
        @VariationalGRU(units = 4, input = 0.2, recurrent = 0.2, output = 0.2) Layer gru;
        @Regression(outputs = 2) Layer next;
    }

    @Model
    abstract static class GruSequenceRegression {
        @Input(features = 3) Layer day;
        @VariationalGRU(units = 4, input = 0.2, recurrent = 0.2, masks = Masks.UNTIED) Layer gru1;
        @VariationalGRU(units = 6, output = 0.2) @WeightDrop(0.3) Layer gru2;
        @Regression(outputs = 2, over = Over.EVERY_STEP) Layer value;
    }
}
