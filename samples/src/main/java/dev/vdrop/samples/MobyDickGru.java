package dev.vdrop.samples;

import dev.vdrop.dsl.Embedding;
import dev.vdrop.dsl.EmbeddingDropout;
import dev.vdrop.dsl.Layer;
import dev.vdrop.dsl.Model;
import dev.vdrop.dsl.Softmax;
import dev.vdrop.dsl.VariationalGRU;

/**
 * {@link MobyDickLm}'s GRU twin ({@code --cell gru}): the same embedding, dropout and decoder, with
 * two GRU layers of 200 units in place of the LSTM layers. {@code MobyDickGruNetwork.builder()} asks
 * for the corpus's vocabulary and classes.
 */
@Model
abstract class MobyDickGru {
    /** Word vectors; a whole word type is dropped with probability 0.2 per sequence. */
    @Embedding(size = 200)
    @EmbeddingDropout(0.2)
    Layer embedding;

    /** Dropout 0.5 on the input and 0.2 on h, one mask per sequence shared by the three gates. */
    @VariationalGRU(units = 200, input = 0.5, recurrent = 0.2)
    Layer gru1;

    /** Dropout 0.5 between the layers, 0.2 on h and 0.5 before the decoder. */
    @VariationalGRU(units = 200, input = 0.5, recurrent = 0.2, output = 0.5)
    Layer gru2;

    /** Next-word distribution at every step. */
    @Softmax
    Layer decoder;
}
