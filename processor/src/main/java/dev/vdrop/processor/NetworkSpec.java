package dev.vdrop.processor;

import dev.vdrop.dsl.Masks;
import dev.vdrop.dsl.Over;
import dev.vdrop.dsl.Scope;
import java.util.List;

/**
 * A valid model, resolved: the input, the LSTM stack with each layer's input width, and the
 * output head. Only {@link ModelValidator} builds one, from a declaration without errors.
 */
record NetworkSpec(
        String packageName,
        String modelName,
        String networkName,
        InputSpec input,
        List<LstmSpec> lstms,
        OutputSpec output) {

    NetworkSpec {
        lstms = List.copyOf(lstms);
    }

    sealed interface InputSpec {
        String field();

        /** Width of x_t, the first LSTM's input. */
        int width();
    }

    /** Tokens through an embedding E (size × vocabulary), with optional embedding dropout. */
    record TokenInput(String field, int vocabulary, int size, double dropout, Scope scope) implements InputSpec {
        @Override
        public int width() {
            return size;
        }
    }

    /** A real vector of {@code features} values per step. */
    record FeatureInput(String field, int features) implements InputSpec {
        @Override
        public int width() {
            return features;
        }
    }

    /**
     * One LSTM layer: index from 0, input width I, units H and its dropout.
     *
     * @param weightDrop DropConnect probability on U, 0 when the layer has no {@code @WeightDrop}
     */
    record LstmSpec(
            String field,
            int index,
            int inputSize,
            int units,
            double input,
            double recurrent,
            double output,
            Masks masks,
            double weightDrop) {}

    sealed interface OutputSpec {
        String field();

        Over over();
    }

    record SoftmaxOutput(String field, int classes, Over over, boolean tiedToEmbedding) implements OutputSpec {}

    record RegressionOutput(String field, int outputs, Over over) implements OutputSpec {}

    LstmSpec lastLstm() {
        return lstms.get(lstms.size() - 1);
    }
}
