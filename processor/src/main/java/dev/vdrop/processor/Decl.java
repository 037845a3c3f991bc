package dev.vdrop.processor;

import dev.vdrop.dsl.Masks;
import dev.vdrop.dsl.Over;
import dev.vdrop.dsl.Scope;

/**
 * One vdrop annotation on a field, with the values the user wrote (defaults filled in), before
 * any check. Read once from javax.lang.model; validated by {@link ModelValidator}.
 */
sealed interface Decl {
    Kind kind();

    record EmbeddingDecl(int vocabulary, int size) implements Decl {
        @Override
        public Kind kind() {
            return Kind.EMBEDDING;
        }
    }

    record InputDecl(int features) implements Decl {
        @Override
        public Kind kind() {
            return Kind.INPUT;
        }
    }

    record LstmDecl(int units, double input, double recurrent, double output, Masks masks)
            implements Decl {
        @Override
        public Kind kind() {
            return Kind.VARIATIONAL_LSTM;
        }
    }

    record SoftmaxDecl(int classes, Over over, boolean tiedToEmbedding) implements Decl {
        @Override
        public Kind kind() {
            return Kind.SOFTMAX;
        }
    }

    record RegressionDecl(int outputs, Over over) implements Decl {
        @Override
        public Kind kind() {
            return Kind.REGRESSION;
        }
    }

    record EmbeddingDropoutDecl(double value, Scope scope) implements Decl {
        @Override
        public Kind kind() {
            return Kind.EMBEDDING_DROPOUT;
        }
    }

    record WeightDropDecl(double value) implements Decl {
        @Override
        public Kind kind() {
            return Kind.WEIGHT_DROP;
        }
    }
}
