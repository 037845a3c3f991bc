package dev.vdrop.checks;

import dev.vdrop.dsl.Embedding;
import dev.vdrop.dsl.Input;
import dev.vdrop.dsl.Layer;
import dev.vdrop.dsl.Masks;
import dev.vdrop.dsl.Model;
import dev.vdrop.dsl.Over;
import dev.vdrop.dsl.Regression;
import dev.vdrop.dsl.Softmax;
import dev.vdrop.dsl.VariationalGRU;
import dev.vdrop.dsl.VariationalLSTM;
import dev.vdrop.dsl.WeightDrop;

/**
 * Weight drop with the schemes and heads {@link Models} has it without: per-step (Zaremba) masks,
 * untied masks before a head at the last step, feature input before a regression at the last step;
 * and their GRU twins.
 */
final class WeightDropModels {
    private WeightDropModels() {}

    @Model
    abstract static class PerStepWeightDrop {
        @Embedding(vocabulary = 11, size = 5) Layer embedding;
        @VariationalLSTM(units = 4, input = 0.3, output = 0.3, masks = Masks.PER_STEP) @WeightDrop(0.4) Layer lstm;
        @Softmax(classes = 11) Layer decoder;
    }

    @Model
    abstract static class UntiedLastStepWeightDrop {
        @Embedding(vocabulary = 11, size = 5) Layer embedding;
        @VariationalLSTM(units = 6, input = 0.2, recurrent = 0.3, masks = Masks.UNTIED) @WeightDrop(0.3) Layer lstm;
        @Softmax(classes = 3, over = Over.LAST_STEP) Layer label;
    }

    @Model
    abstract static class ForecastWeightDrop {
        @Input(features = 3) Layer day;
        @VariationalLSTM(units = 5, input = 0.2, recurrent = 0.2) @WeightDrop(0.4) Layer lstm;
        @Regression(outputs = 2) Layer next;
    }

    @Model
    abstract static class GruPerStepWeightDrop {
        @Embedding(vocabulary = 11, size = 5) Layer embedding;
        @VariationalGRU(units = 4, input = 0.3, output = 0.3, masks = Masks.PER_STEP) @WeightDrop(0.4) Layer gru;
        @Softmax(classes = 11) Layer decoder;
    }

    @Model
    abstract static class GruUntiedLastStepWeightDrop {
        @Embedding(vocabulary = 11, size = 5) Layer embedding;
        @VariationalGRU(units = 6, input = 0.2, recurrent = 0.3, masks = Masks.UNTIED) @WeightDrop(0.3) Layer gru;
        @Softmax(classes = 3, over = Over.LAST_STEP) Layer label;
    }

    @Model
    abstract static class GruForecastWeightDrop {
        @Input(features = 3) Layer day;
        @VariationalGRU(units = 5, input = 0.2, recurrent = 0.2) @WeightDrop(0.4) Layer gru;
        @Regression(outputs = 2) Layer next;
    }
}
