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
import dev.vdrop.dsl.VariationalLSTM;
import dev.vdrop.dsl.WeightDrop;

/**
 * Small models, one per dropout scheme and head, compiled through the processor exactly as a
 * user's code is. Sizes are small and mutually distinct (vocabulary 11, embedding 5, units 4, 6
 * and 3) so that a mixed-up dimension in generated code cannot go unnoticed.
 */
final class Models {
    private Models() {}

    @Model
    abstract static class Plain {
        @Embedding(vocabulary = 11, size = 5) Layer embedding;
        @VariationalLSTM(units = 4) Layer lstm;
        @Softmax(classes = 11) Layer decoder;
    }

    @Model
    abstract static class Tied {
        @Embedding(vocabulary = 11, size = 5) Layer embedding;
        @VariationalLSTM(units = 4, input = 0.3, recurrent = 0.3, output = 0.3) Layer lstm;
        @Softmax(classes = 11) Layer decoder;
    }

    @Model
    abstract static class Untied {
        @Embedding(vocabulary = 11, size = 5) Layer embedding;
        @VariationalLSTM(units = 4, input = 0.3, recurrent = 0.3, output = 0.3, masks = Masks.UNTIED) Layer lstm;
        @Softmax(classes = 11) Layer decoder;
    }

    @Model
    abstract static class PerStep {
        @Embedding(vocabulary = 11, size = 5) Layer embedding;
        @VariationalLSTM(units = 4, input = 0.3, output = 0.3, masks = Masks.PER_STEP) Layer lstm1;
        @VariationalLSTM(units = 6, input = 0.3, output = 0.3, masks = Masks.PER_STEP) Layer lstm2;
        @Softmax(classes = 11) Layer decoder;
    }

    @Model
    abstract static class WeightDropped {
        @Embedding(vocabulary = 11, size = 5) Layer embedding;
        @VariationalLSTM(units = 4, input = 0.2) @WeightDrop(0.4) Layer lstm;
        @Softmax(classes = 11) Layer decoder;
    }

    @Model
    abstract static class EmbeddingPerSequence {
        @Embedding(vocabulary = 11, size = 5) @EmbeddingDropout(0.4) Layer embedding;
        @VariationalLSTM(units = 4) Layer lstm;
        @Softmax(classes = 11) Layer decoder;
    }

    @Model
    abstract static class EmbeddingPerBatch {
        @Embedding(vocabulary = 11, size = 5) @EmbeddingDropout(value = 0.4, scope = Scope.BATCH) Layer embedding;
        @VariationalLSTM(units = 4) Layer lstm;
        @Softmax(classes = 11) Layer decoder;
    }

    @Model
    abstract static class OutputOnly {
        @Embedding(vocabulary = 11, size = 5) Layer embedding;
        @VariationalLSTM(units = 4, output = 0.4) Layer lstm;
        @Softmax(classes = 11) Layer decoder;
    }

    @Model
    abstract static class TiedDecoder {
        @Embedding(vocabulary = 11, size = 5) @EmbeddingDropout(0.2) Layer embedding;
        @VariationalLSTM(units = 6, input = 0.2, recurrent = 0.2) Layer lstm1;
        @VariationalLSTM(units = 5, input = 0.2, recurrent = 0.2, output = 0.2) Layer lstm2;
        @Softmax(classes = 11, tiedToEmbedding = true) Layer decoder;
    }

    /** {@link TiedDecoder} with its vocabulary, and so its classes, from the data. */
    @Model
    abstract static class DataTiedDecoder {
        @Embedding(size = 5) @EmbeddingDropout(0.2) Layer embedding;
        @VariationalLSTM(units = 6, input = 0.2, recurrent = 0.2) Layer lstm1;
        @VariationalLSTM(units = 5, input = 0.2, recurrent = 0.2, output = 0.2) Layer lstm2;
        @Softmax(tiedToEmbedding = true) Layer decoder;
    }

    @Model
    abstract static class TwoLayers {
        @Embedding(vocabulary = 11, size = 5) Layer embedding;
        @VariationalLSTM(units = 4, input = 0.3, recurrent = 0.2) Layer lstm1;
        @VariationalLSTM(units = 6, input = 0.3, recurrent = 0.2, output = 0.3) Layer lstm2;
        @Softmax(classes = 11) Layer decoder;
    }

    @Model
    abstract static class ThreeLayers {
        @Embedding(vocabulary = 11, size = 5) @EmbeddingDropout(0.2) Layer embedding;
        @VariationalLSTM(units = 4, input = 0.3, recurrent = 0.2, masks = Masks.UNTIED) @WeightDrop(0.3) Layer lstm1;
        @VariationalLSTM(units = 6, input = 0.3, recurrent = 0.2) Layer lstm2;
        @VariationalLSTM(units = 3, input = 0.3, output = 0.3) @WeightDrop(0.3) Layer lstm3;
        @Softmax(classes = 11) Layer decoder;
    }

    /** The AWD-LSTM recipe: weight drop and locked dropout, nothing on h, embedding dropout per batch. */
    @Model
    abstract static class Awd {
        @Embedding(vocabulary = 11, size = 5) @EmbeddingDropout(value = 0.1, scope = Scope.BATCH) Layer embedding;
        @VariationalLSTM(units = 4, input = 0.4) @WeightDrop(0.5) Layer lstm1;
        @VariationalLSTM(units = 6, input = 0.25, output = 0.4) @WeightDrop(0.5) Layer lstm2;
        @Softmax(classes = 11) Layer decoder;
    }

    @Model
    abstract static class Classifier {
        @Embedding(vocabulary = 11, size = 5) Layer embedding;
        @VariationalLSTM(units = 4, input = 0.3, recurrent = 0.3, output = 0.3) Layer lstm;
        @Softmax(classes = 3, over = Over.LAST_STEP) Layer label;
    }

    @Model
    abstract static class Forecaster {
        @Input(features = 3) Layer day;
        @VariationalLSTM(units = 4, input = 0.2, recurrent = 0.2, output = 0.2) Layer lstm;
        @Regression(outputs = 2) Layer next;
    }

    /** {@link Forecaster} with its features and outputs from the data. */
    @Model
    abstract static class DataForecaster {
        @Input Layer day;
        @VariationalLSTM(units = 4, input = 0.2, recurrent = 0.2, output = 0.2) Layer lstm;
        @Regression Layer next;
    }

    @Model
    abstract static class SequenceRegression {
        @Input(features = 3) Layer day;
        @VariationalLSTM(units = 4, input = 0.2, recurrent = 0.2, masks = Masks.UNTIED) Layer lstm1;
        @VariationalLSTM(units = 6, output = 0.2) @WeightDrop(0.3) Layer lstm2;
        @Regression(outputs = 2, over = Over.EVERY_STEP) Layer value;
    }
}
