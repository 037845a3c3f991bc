package dev.vdrop.checks;

import dev.vdrop.dsl.Embedding;
import dev.vdrop.dsl.EmbeddingDropout;
import dev.vdrop.dsl.Layer;
import dev.vdrop.dsl.Masks;
import dev.vdrop.dsl.Model;
import dev.vdrop.dsl.Scope;
import dev.vdrop.dsl.Softmax;
import dev.vdrop.dsl.VariationalLSTM;
import dev.vdrop.dsl.WeightDrop;

/** Wider models, for mask statistics: enough units that a mask's kept fraction can be measured. */
final class WideModels {
    private WideModels() {}

    @Model
    abstract static class WideTied {
        @Embedding(vocabulary = 50, size = 64) @EmbeddingDropout(0.2) Layer embedding;
        @VariationalLSTM(units = 48, input = 0.3, recurrent = 0.25, output = 0.4) @WeightDrop(0.5) Layer lstm;
        @Softmax(classes = 50) Layer decoder;
    }

    @Model
    abstract static class WideUntied {
        @Embedding(vocabulary = 50, size = 64) @EmbeddingDropout(value = 0.2, scope = Scope.BATCH) Layer embedding;
        @VariationalLSTM(units = 48, input = 0.3, recurrent = 0.25, masks = Masks.UNTIED) Layer lstm;
        @Softmax(classes = 50) Layer decoder;
    }

    @Model
    abstract static class WidePerStep {
        @Embedding(vocabulary = 50, size = 64) Layer embedding;
        @VariationalLSTM(units = 48, input = 0.5, output = 0.5, masks = Masks.PER_STEP) Layer lstm;
        @Softmax(classes = 50) Layer decoder;
    }

    /**
     * U' of 768 × 192: large enough that the vector kernels run its step products through
     * {@code RecurrentWeights}' panels rather than BLAS (tested in ForwardTest and GradientCheckTest).
     */
    @Model
    abstract static class WidePanels {
        @Embedding(vocabulary = 11, size = 5) @EmbeddingDropout(0.1) Layer embedding;
        @VariationalLSTM(units = 192, input = 0.2, recurrent = 0.2, output = 0.2) @WeightDrop(0.3) Layer lstm;
        @Softmax(classes = 11) Layer decoder;
    }

    /** A vocabulary much larger than a segment's words: its embedding gradient is written by columns. */
    @Model
    abstract static class ManyWords {
        @Embedding(vocabulary = 500, size = 8) @EmbeddingDropout(0.3) Layer embedding;
        @VariationalLSTM(units = 6, input = 0.3, output = 0.3) @WeightDrop(0.5) Layer lstm;
        @Softmax(classes = 500) Layer decoder;
    }
}
