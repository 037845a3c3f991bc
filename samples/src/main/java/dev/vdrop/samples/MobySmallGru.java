package dev.vdrop.samples;

import dev.vdrop.dsl.Embedding;
import dev.vdrop.dsl.EmbeddingDropout;
import dev.vdrop.dsl.Layer;
import dev.vdrop.dsl.Masks;
import dev.vdrop.dsl.Model;
import dev.vdrop.dsl.Scope;
import dev.vdrop.dsl.Softmax;
import dev.vdrop.dsl.VariationalGRU;
import dev.vdrop.dsl.WeightDrop;

/**
 * {@link MobySmall}'s GRU twins ({@code --cell gru}), once per dropout scheme: each as its LSTM
 * twin — the same embedding, the same probabilities on the same connections, the same masks (tied,
 * untied, per step) and weight drop — with two GRU layers of 200 units. The tied variational scheme
 * is {@link MobyDickGru}.
 */
final class MobySmallGru {
    private MobySmallGru() {}

    /** No dropout at all: the baseline that overfits. */
    @Model(name = "MobySmallGruNone")
    abstract static class None {
        @Embedding(size = 200) Layer embedding;
        @VariationalGRU(units = 200) Layer gru1;
        @VariationalGRU(units = 200) Layer gru2;
        @Softmax Layer decoder;
    }

    /** Zaremba et al. 2014: a fresh mask every step, p = 0.5, on the non-recurrent connections only. */
    @Model(name = "MobySmallGruZaremba")
    abstract static class Zaremba {
        @Embedding(size = 200) Layer embedding;
        @VariationalGRU(units = 200, input = 0.5, masks = Masks.PER_STEP) Layer gru1;
        @VariationalGRU(units = 200, input = 0.5, output = 0.5, masks = Masks.PER_STEP) Layer gru2;
        @Softmax Layer decoder;
    }

    /** Gal &amp; Ghahramani 2016, untied: as {@link MobyDickGru} with one mask per gate. */
    @Model(name = "MobySmallGruUntied")
    abstract static class Untied {
        @Embedding(size = 200) @EmbeddingDropout(0.2) Layer embedding;
        @VariationalGRU(units = 200, input = 0.5, recurrent = 0.2, masks = Masks.UNTIED) Layer gru1;
        @VariationalGRU(units = 200, input = 0.5, recurrent = 0.2, output = 0.5, masks = Masks.UNTIED) Layer gru2;
        @Softmax Layer decoder;
    }

    /**
     * AWD-LSTM's dropout (Merity et al. 2017) on GRU layers: weight drop 0.5 on every U, embedding
     * dropout 0.1 per mini-batch, locked dropout 0.4 on the embedding output, 0.25 between the layers
     * and 0.4 before the decoder; nothing on h.
     */
    @Model(name = "MobySmallGruAwd")
    abstract static class Awd {
        @Embedding(size = 200) @EmbeddingDropout(value = 0.1, scope = Scope.BATCH) Layer embedding;
        @VariationalGRU(units = 200, input = 0.4) @WeightDrop(0.5) Layer gru1;
        @VariationalGRU(units = 200, input = 0.25, output = 0.4) @WeightDrop(0.5) Layer gru2;
        @Softmax Layer decoder;
    }
}
