package dev.vdrop.processor;

import dev.vdrop.dsl.Masks;
import dev.vdrop.dsl.Over;
import dev.vdrop.dsl.Scope;
import java.util.OptionalInt;

/**
 * One vdrop annotation on a field, with the values the user wrote (defaults filled in), before
 * any check. Read once from javax.lang.model; validated by {@link ModelValidator}. A size that may
 * come from the data (vocabulary, classes, features, outputs) is empty when the annotation leaves
 * it out, and holds the value written otherwise — an explicit 0 too, which the validator refuses.
 */
sealed interface Decl {
    Kind kind();

    record EmbeddingDecl(OptionalInt vocabulary, int size) implements Decl {
        @Override
        public Kind kind() {
            return Kind.EMBEDDING;
        }
    }

    record InputDecl(OptionalInt features) implements Decl {
        @Override
        public Kind kind() {
            return Kind.INPUT;
        }
    }

    /** {@code @VariationalLSTM} or {@code @VariationalGRU}: the same elements, another cell. */
    record RecurrentDecl(Cell cell, int units, double input, double recurrent, double output, Masks masks)
            implements Decl {
        @Override
        public Kind kind() {
            return cell.kind();
        }
    }

    record SoftmaxDecl(OptionalInt classes, Over over, boolean tiedToEmbedding) implements Decl {
        @Override
        public Kind kind() {
            return Kind.SOFTMAX;
        }
    }

    record RegressionDecl(OptionalInt outputs, Over over) implements Decl {
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
