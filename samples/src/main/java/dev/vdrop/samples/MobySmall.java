package dev.vdrop.samples;

import dev.vdrop.dsl.Embedding;
import dev.vdrop.dsl.EmbeddingDropout;
import dev.vdrop.dsl.Layer;
import dev.vdrop.dsl.Masks;
import dev.vdrop.dsl.Model;
import dev.vdrop.dsl.Scope;
import dev.vdrop.dsl.Softmax;
import dev.vdrop.dsl.VariationalLSTM;
import dev.vdrop.dsl.WeightDrop;

/**
 * The {@code moby-small} preset of the comparison protocol (docs/protocol.md), once per dropout scheme:
 * embedding 200, two LSTM layers of 200 units, a separate decoder over the corpus's vocabulary
 * (10,000 words on the bundled Moby-Dick), which each network's builder asks for. The tied
 * variational scheme is {@link MobyDickLm}.
 */
final class MobySmall {
    private MobySmall() {}

    /** No dropout at all: the baseline that overfits. */
    @Model(name = "MobySmallNone")
    abstract static class None {
        @Embedding(size = 200) Layer embedding;
        @VariationalLSTM(units = 200) Layer lstm1;
        @VariationalLSTM(units = 200) Layer lstm2;
        @Softmax Layer decoder;
    }

    /** Zaremba et al. 2014: a fresh mask every step, p = 0.5, on the non-recurrent connections only. */
    @Model(name = "MobySmallZaremba")
    abstract static class Zaremba {
        @Embedding(size = 200) Layer embedding;
        @VariationalLSTM(units = 200, input = 0.5, masks = Masks.PER_STEP) Layer lstm1;
        @VariationalLSTM(units = 200, input = 0.5, output = 0.5, masks = Masks.PER_STEP) Layer lstm2;
        @Softmax Layer decoder;
    }

    /** Gal &amp; Ghahramani 2016, untied: as {@link MobyDickLm} with one mask per gate. */
    @Model(name = "MobySmallUntied")
    abstract static class Untied {
        @Embedding(size = 200) @EmbeddingDropout(0.2) Layer embedding;
        @VariationalLSTM(units = 200, input = 0.5, recurrent = 0.2, masks = Masks.UNTIED) Layer lstm1;
        @VariationalLSTM(units = 200, input = 0.5, recurrent = 0.2, output = 0.5, masks = Masks.UNTIED) Layer lstm2;
        @Softmax Layer decoder;
    }

    /**
     * AWD-LSTM (Merity et al. 2017): weight drop 0.5 on every U, embedding dropout 0.1 per
     * mini-batch, locked dropout 0.4 on the embedding output, 0.25 between the layers and 0.4 before
     * the decoder; nothing on h.
     */
    @Model(name = "MobySmallAwd")
    abstract static class Awd {
        @Embedding(size = 200) @EmbeddingDropout(value = 0.1, scope = Scope.BATCH) Layer embedding;
        @VariationalLSTM(units = 200, input = 0.4) @WeightDrop(0.5) Layer lstm1;
        @VariationalLSTM(units = 200, input = 0.25, output = 0.4) @WeightDrop(0.5) Layer lstm2;
        @Softmax Layer decoder;
    }
}
