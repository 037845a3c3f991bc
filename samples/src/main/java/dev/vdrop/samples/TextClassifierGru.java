package dev.vdrop.samples;

import dev.vdrop.dsl.Embedding;
import dev.vdrop.dsl.Layer;
import dev.vdrop.dsl.Model;
import dev.vdrop.dsl.Over;
import dev.vdrop.dsl.Softmax;
import dev.vdrop.dsl.VariationalGRU;

/**
 * {@link TextClassifier}'s GRU twin ({@code classify --cell gru}): the same embedding, dropout and
 * softmax at each sequence's last step, with one GRU of 64 units in place of the LSTM.
 * {@code TextClassifierGruNetwork.builder()} asks for the vocabulary and the classes.
 */
@Model
abstract class TextClassifierGru {
    /** Token vectors; the vocabulary is the training texts' characters or words. */
    @Embedding(size = 32)
    Layer embedding;

    /** Dropout 0.25 on the input, on h (one mask per sequence) and before the softmax. */
    @VariationalGRU(units = 64, input = 0.25, recurrent = 0.25, output = 0.25)
    Layer gru;

    /** One distribution over the labels per text, read at its last token. */
    @Softmax(over = Over.LAST_STEP)
    Layer label;
}
