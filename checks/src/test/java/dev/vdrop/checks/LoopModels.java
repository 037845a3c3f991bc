package dev.vdrop.checks;

import dev.vdrop.dsl.Embedding;
import dev.vdrop.dsl.Input;
import dev.vdrop.dsl.Layer;
import dev.vdrop.dsl.Model;
import dev.vdrop.dsl.Over;
import dev.vdrop.dsl.Softmax;
import dev.vdrop.dsl.VariationalGRU;
import dev.vdrop.dsl.VariationalLSTM;

/**
 * Models the one training loop's checks train: a classifier of tokens and of features, a tagger;
 * with LSTM and with GRU layers.
 */
final class LoopModels {
    private LoopModels() {}

    /** One of 3 classes per sequence of ids 0 … 8. */
    @Model
    abstract static class LoopWordClassifier {
        @Embedding(vocabulary = 9, size = 8) Layer embedding;
        @VariationalLSTM(units = 16, input = 0.1, recurrent = 0.1, output = 0.1) Layer lstm;
        @Softmax(classes = 3, over = Over.LAST_STEP) Layer label;
    }

    /** One of 2 classes per sequence of 2 features a step. */
    @Model
    abstract static class LoopFeatureClassifier {
        @Input(features = 2) Layer day;
        @VariationalLSTM(units = 8, input = 0.1, recurrent = 0.1, output = 0.1) Layer lstm;
        @Softmax(classes = 2, over = Over.LAST_STEP) Layer label;
    }

    /** One of 4 tags per step of a sequence of ids 0 … 7. */
    @Model
    abstract static class LoopTagger {
        @Embedding(vocabulary = 8, size = 8) Layer embedding;
        @VariationalLSTM(units = 16, input = 0.1, recurrent = 0.1, output = 0.1) Layer lstm;
        @Softmax(classes = 4, over = Over.EVERY_STEP) Layer tag;
    }

    /** {@link LoopWordClassifier} with a GRU. */
    @Model
    abstract static class LoopGruWordClassifier {
        @Embedding(vocabulary = 9, size = 8) Layer embedding;
        @VariationalGRU(units = 16, input = 0.1, recurrent = 0.1, output = 0.1) Layer gru;
        @Softmax(classes = 3, over = Over.LAST_STEP) Layer label;
    }

    /** {@link LoopTagger} with a GRU. */
    @Model
    abstract static class LoopGruTagger {
        @Embedding(vocabulary = 8, size = 8) Layer embedding;
        @VariationalGRU(units = 16, input = 0.1, recurrent = 0.1, output = 0.1) Layer gru;
        @Softmax(classes = 4, over = Over.EVERY_STEP) Layer tag;
    }
}
