package dev.vdrop.processor;

import dev.vdrop.dsl.Masks;
import dev.vdrop.dsl.Over;
import dev.vdrop.dsl.Scope;
import dev.vdrop.processor.Decl.EmbeddingDecl;
import dev.vdrop.processor.Decl.EmbeddingDropoutDecl;
import dev.vdrop.processor.Decl.InputDecl;
import dev.vdrop.processor.Decl.LstmDecl;
import dev.vdrop.processor.Decl.RegressionDecl;
import dev.vdrop.processor.Decl.SoftmaxDecl;
import dev.vdrop.processor.Decl.WeightDropDecl;
import java.util.ArrayList;
import java.util.List;

/**
 * A valid model, resolved: the input, the LSTM stack with each layer's input width, and the
 * output head. Only built from a declaration that {@link ModelValidator} passed.
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

    /** Resolves a declaration that validated without errors. */
    static NetworkSpec of(ModelDecl model) {
        List<FieldDecl> layers = model.fields().stream().filter(f -> f.layer().isPresent()).toList();
        FieldDecl first = layers.get(0);
        InputSpec input = first.find(EmbeddingDecl.class)
                .<InputSpec>map(e -> new TokenInput(first.name(), e.vocabulary(), e.size(),
                        first.find(EmbeddingDropoutDecl.class).map(EmbeddingDropoutDecl::value).orElse(0.0),
                        first.find(EmbeddingDropoutDecl.class).map(EmbeddingDropoutDecl::scope).orElse(Scope.SEQUENCE)))
                .orElseGet(() -> new FeatureInput(first.name(), first.find(InputDecl.class).orElseThrow().features()));

        List<LstmSpec> lstms = new ArrayList<>();
        int width = input.width();
        for (FieldDecl field : layers.subList(1, layers.size() - 1)) {
            LstmDecl l = field.find(LstmDecl.class).orElseThrow();
            double weightDrop = field.find(WeightDropDecl.class).map(WeightDropDecl::value).orElse(0.0);
            lstms.add(new LstmSpec(field.name(), lstms.size(), width, l.units(), l.input(), l.recurrent(),
                    l.output(), l.masks(), weightDrop));
            width = l.units();
        }

        FieldDecl last = layers.get(layers.size() - 1);
        OutputSpec output = last.find(SoftmaxDecl.class)
                .<OutputSpec>map(s -> new SoftmaxOutput(last.name(), s.classes(), s.over(), s.tiedToEmbedding()))
                .orElseGet(() -> {
                    RegressionDecl r = last.find(RegressionDecl.class).orElseThrow();
                    return new RegressionOutput(last.name(), r.outputs(), r.over());
                });
        return new NetworkSpec(model.packageName(), model.displayName(), model.networkName(), input, lstms, output);
    }

    LstmSpec lastLstm() {
        return lstms.get(lstms.size() - 1);
    }
}
