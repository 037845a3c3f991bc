package dev.vdrop.processor;

import dev.vdrop.dsl.Masks;
import dev.vdrop.dsl.Over;
import dev.vdrop.dsl.Scope;
import java.util.List;
import java.util.stream.Stream;

/**
 * A valid model, resolved: the input, the recurrent stack (LSTM and GRU layers) with each layer's input width, and the
 * output head. Only {@link ModelValidator} builds one, from a declaration without errors.
 */
record NetworkSpec(
        String packageName,
        String modelName,
        String networkName,
        InputSpec input,
        List<LayerSpec> recurrent,
        OutputSpec output) {

    NetworkSpec {
        recurrent = List.copyOf(recurrent);
    }

    sealed interface InputSpec {
        String field();

        /** Width of x_t, the first recurrent layer's input. */
        Dim width();

        /** V or F: the input's size that may come from the data. */
        Dim size();
    }

    /** Tokens through an embedding E (size × vocabulary), with optional embedding dropout. */
    record TokenInput(String field, Dim vocabulary, int embeddingSize, double dropout, Scope scope) implements InputSpec {
        @Override
        public Dim width() {
            return Dim.of(embeddingSize);
        }

        @Override
        public Dim size() {
            return vocabulary;
        }
    }

    /** A real vector of {@code features} values per step. */
    record FeatureInput(String field, Dim features) implements InputSpec {
        @Override
        public Dim width() {
            return features;
        }

        @Override
        public Dim size() {
            return features;
        }
    }

    /**
     * One recurrent layer: its cell, index from 0, input width I, units H and its dropout.
     *
     * @param weightDrop DropConnect probability on U, 0 when the layer has no {@code @WeightDrop}
     */
    record LayerSpec(
            Cell cell,
            String field,
            int index,
            Dim inputSize,
            int units,
            double input,
            double recurrent,
            double output,
            Masks masks,
            double weightDrop) {}

    sealed interface OutputSpec {
        String field();

        Over over();

        /** C or the outputs: the output's size that may come from the data. */
        Dim size();
    }

    /** A tied decoder's classes are the vocabulary, the same {@link Dim}. */
    record SoftmaxOutput(String field, Dim classes, Over over, boolean tiedToEmbedding) implements OutputSpec {
        @Override
        public Dim size() {
            return classes;
        }
    }

    record RegressionOutput(String field, Dim outputs, Over over) implements OutputSpec {
        @Override
        public Dim size() {
            return outputs;
        }
    }

    /**
     * The sizes the network is given when it is built, in the order its builder documents them:
     * the input's, then the output's (unless it is the input's, as a tied decoder's classes are).
     */
    List<DataSize> dataSizes() {
        return Stream.of(input.size(), output.size())
                .filter(d -> !d.declared()).map(Dim::fromData).distinct().toList();
    }

    LayerSpec lastRecurrent() {
        return recurrent.get(recurrent.size() - 1);
    }
}
