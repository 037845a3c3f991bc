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
 * 10,000-word vocabulary. The processor generates {@code MobyDickLmNetwork} from it.
 */
@Model
abstract class MobyDickLm {
    /** Word vectors; a whole word type is dropped with probability 0.2 per sequence. */
    @Embedding(vocabulary = 10_000, size = 200)
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
    @Softmax(classes = 10_000)
    Layer decoder;
}
