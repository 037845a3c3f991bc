package dev.vdrop.checks;

import dev.vdrop.dsl.Embedding;
import dev.vdrop.dsl.Layer;
import dev.vdrop.dsl.Model;
import dev.vdrop.dsl.Over;
import dev.vdrop.dsl.Softmax;
import dev.vdrop.dsl.VariationalGRU;
import dev.vdrop.dsl.VariationalLSTM;

/**
 * Models the model-file checks need beyond {@link Models}: a tagger, a softmax at every step with
 * its own classes; and two twins that differ only in the cell of their layer rnn1, for
 * {@link ModelFileCellsTest}.
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
