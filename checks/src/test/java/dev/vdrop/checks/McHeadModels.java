package dev.vdrop.checks;

import dev.vdrop.dsl.Embedding;
import dev.vdrop.dsl.Input;
import dev.vdrop.dsl.Layer;
import dev.vdrop.dsl.Masks;
import dev.vdrop.dsl.Model;
import dev.vdrop.dsl.Over;
import dev.vdrop.dsl.Softmax;
import dev.vdrop.dsl.VariationalGRU;
import dev.vdrop.dsl.VariationalLSTM;
import dev.vdrop.dsl.WeightDrop;

/**
 * Heads MC prediction serves beyond those of {@link Models}, {@link ModelFileModels} and
 * {@link WeightDropModels}: classifiers and taggers over features, with weight drop, with per-step
 * masks; and GRU twins of them.
 */
final class McHeadModels {
    private McHeadModels() {}

    /** A last-step classifier over 3 features per step. */
    @Model
    abstract static class FeatureClassifier {
        @Input(features = 3) Layer reading;
        @VariationalLSTM(units = 4, input = 0.3, recurrent = 0.3, output = 0.3) Layer lstm;
        @Softmax(classes = 3, over = Over.LAST_STEP) Layer label;
    }

    /** A last-step classifier over tokens with tied masks and weight drop (AWD-style). */
    @Model
    abstract static class WeightDropClassifier {
        @Embedding(vocabulary = 11, size = 5) Layer embedding;
        @VariationalLSTM(units = 5, input = 0.3, output = 0.3) @WeightDrop(0.4) Layer lstm;
        @Softmax(classes = 3, over = Over.LAST_STEP) Layer label;
    }

    /** A tagger over 3 features per step with per-step (Zaremba) masks. */
    @Model
    abstract static class FeatureTagger {
        @Input(features = 3) Layer reading;
        @VariationalLSTM(units = 4, input = 0.3, output = 0.3, masks = Masks.PER_STEP) Layer lstm;
        @Softmax(classes = 4, over = Over.EVERY_STEP) Layer tag;
    }

    /** A tagger over tokens with weight drop. */
    @Model
    abstract static class WeightDropTagger {
        @Embedding(vocabulary = 11, size = 5) Layer embedding;
        @VariationalLSTM(units = 5, input = 0.3, output = 0.3) @WeightDrop(0.4) Layer lstm;
        @Softmax(classes = 4, over = Over.EVERY_STEP) Layer tag;
    }

    /** {@link WeightDropClassifier} with a GRU. */
    @Model
    abstract static class GruWeightDropClassifier {
        @Embedding(vocabulary = 11, size = 5) Layer embedding;
        @VariationalGRU(units = 5, input = 0.3, output = 0.3) @WeightDrop(0.4) Layer gru;
        @Softmax(classes = 3, over = Over.LAST_STEP) Layer label;
    }

    /** {@link FeatureTagger} with a GRU. */
    @Model
    abstract static class GruFeatureTagger {
        @Input(features = 3) Layer reading;
        @VariationalGRU(units = 4, input = 0.3, output = 0.3, masks = Masks.PER_STEP) Layer gru;
        @Softmax(classes = 4, over = Over.EVERY_STEP) Layer tag;
    }

    /** {@link WeightDropTagger} with a GRU and untied masks. */
    @Model
    abstract static class GruWeightDropTagger {
        @Embedding(vocabulary = 11, size = 5) Layer embedding;
        @VariationalGRU(units = 5, input = 0.3, recurrent = 0.2, masks = Masks.UNTIED) @WeightDrop(0.4) Layer gru;
        @Softmax(classes = 4, over = Over.EVERY_STEP) Layer tag;
    }
}
