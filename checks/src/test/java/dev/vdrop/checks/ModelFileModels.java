package dev.vdrop.checks;

import dev.vdrop.dsl.Embedding;
import dev.vdrop.dsl.EmbeddingDropout;
import dev.vdrop.dsl.Layer;
import dev.vdrop.dsl.Masks;
import dev.vdrop.dsl.Model;
import dev.vdrop.dsl.Over;
import dev.vdrop.dsl.Softmax;
import dev.vdrop.dsl.VariationalGRU;
import dev.vdrop.dsl.VariationalLSTM;
import dev.vdrop.dsl.WeightDrop;

/**
 * Models the model-file checks need beyond {@link Models}: a tagger, a softmax at every step with
 * its own classes; GRU models of the data's sizes; and two twins that differ only in the cell of
 * their layer rnn1, for {@link ModelFileCellsTest}.
 */
final class ModelFileModels {
    private ModelFileModels() {}

    /** Tags each of its words with one of 4 labels; vocabulary from the data. */
    @Model
    abstract static class Tagger {
        @Embedding(size = 5) Layer embedding;
        @VariationalLSTM(units = 4, input = 0.3, recurrent = 0.3, output = 0.3) Layer lstm;
        @Softmax(classes = 4, over = Over.EVERY_STEP) Layer tag;
    }

    /** {@link Tagger} with a GRU. */
    @Model
    abstract static class GruTagger {
        @Embedding(size = 5) Layer embedding;
        @VariationalGRU(units = 4, input = 0.3, recurrent = 0.3, output = 0.3) Layer gru;
        @Softmax(classes = 4, over = Over.EVERY_STEP) Layer tag;
    }

    /** A GRU language model of the data's vocabulary: untied masks and weight drop below, tied above, tied decoder. */
    @Model
    abstract static class GruDataLm {
        @Embedding(size = 5) @EmbeddingDropout(0.2) Layer embedding;
        @VariationalGRU(units = 6, input = 0.2, recurrent = 0.2, masks = Masks.UNTIED) @WeightDrop(0.3) Layer gru1;
        @VariationalGRU(units = 5, input = 0.2, recurrent = 0.2, output = 0.2) Layer gru2;
        @Softmax(tiedToEmbedding = true) Layer decoder;
    }

    /** A small language model whose layer rnn1 is an LSTM. */
    @Model
    abstract static class CellFileLstm {
        @Embedding(vocabulary = 6, size = 3) Layer embedding;
        @VariationalLSTM(units = 4, input = 0.2) Layer rnn1;
        @Softmax(classes = 6) Layer decoder;
    }

    /** {@link CellFileLstm} with a GRU as its layer rnn1. */
    @Model
    abstract static class CellFileGru {
        @Embedding(vocabulary = 6, size = 3) Layer embedding;
        @VariationalGRU(units = 4, input = 0.2) Layer rnn1;
        @Softmax(classes = 6) Layer decoder;
    }
}
