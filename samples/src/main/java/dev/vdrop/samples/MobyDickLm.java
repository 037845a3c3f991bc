package dev.vdrop.samples;

import dev.vdrop.dsl.Embedding;
import dev.vdrop.dsl.EmbeddingDropout;
import dev.vdrop.dsl.Layer;
import dev.vdrop.dsl.Model;
import dev.vdrop.dsl.Softmax;
import dev.vdrop.dsl.VariationalLSTM;

/**
 * The {@code moby-small} language model with variational dropout (Gal &amp; Ghahramani 2016):
 * embedding 200, two LSTM layers of 200 units with tied masks, a separate decoder over the
 * vocabulary. The vocabulary and the classes come from the corpus (the preset's 10,000 words on
 * the bundled Moby-Dick, fewer on a smaller text): {@code MobyDickLmNetwork.builder()} asks for
 * both.
 */
@Model
abstract class MobyDickLm {
    /** Word vectors; a whole word type is dropped with probability 0.2 per sequence. */
    @Embedding(size = 200)
    @EmbeddingDropout(0.2)
    Layer embedding;

    /**
     * Dropout 0.5 on the input and 0.2 on h, one mask per sequence shared by the four gates. No
     * output dropout here: the next layer's input dropout is the one between the layers.
     */
    @VariationalLSTM(units = 200, input = 0.5, recurrent = 0.2)
    Layer lstm1;

    /** Dropout 0.5 between the layers, 0.2 on h and 0.5 before the decoder. */
    @VariationalLSTM(units = 200, input = 0.5, recurrent = 0.2, output = 0.5)
    Layer lstm2;

    /** Next-word distribution at every step. */
    @Softmax
    Layer decoder;
}
