package dev.vdrop.processor;

import dev.vdrop.dsl.Embedding;
import dev.vdrop.dsl.EmbeddingDropout;
import dev.vdrop.dsl.Input;
import dev.vdrop.dsl.Model;
import dev.vdrop.dsl.Regression;
import dev.vdrop.dsl.Softmax;
import dev.vdrop.dsl.VariationalGRU;
import dev.vdrop.dsl.VariationalLSTM;
import dev.vdrop.dsl.WeightDrop;
import java.lang.annotation.Annotation;

/** The vdrop annotations, and the role each plays in a model. */
enum Kind {
    MODEL(Model.class, Role.MODEL),
    EMBEDDING(Embedding.class, Role.INPUT),
    INPUT(Input.class, Role.INPUT),
    VARIATIONAL_LSTM(VariationalLSTM.class, Role.RECURRENT),
    VARIATIONAL_GRU(VariationalGRU.class, Role.RECURRENT),
    SOFTMAX(Softmax.class, Role.OUTPUT),
    REGRESSION(Regression.class, Role.OUTPUT),
    EMBEDDING_DROPOUT(EmbeddingDropout.class, Role.MODIFIER),
    WEIGHT_DROP(WeightDrop.class, Role.MODIFIER);

    enum Role { MODEL, INPUT, RECURRENT, OUTPUT, MODIFIER }

    private final Class<? extends Annotation> type;
    private final Role role;

    Kind(Class<? extends Annotation> type, Role role) {
        this.type = type;
        this.role = role;
    }

    String qualifiedName() {
        return type.getCanonicalName();
    }

    /** As a user writes it: {@code @VariationalLSTM}. */
    String display() {
        return "@" + type.getSimpleName();
    }

    Role role() {
        return role;
    }

    /** True for the annotations that make a field a layer (not the dropout modifiers). */
    boolean isLayer() {
        return role == Role.INPUT || role == Role.RECURRENT || role == Role.OUTPUT;
    }

    /** True for every annotation that belongs on a field. */
    boolean isFieldAnnotation() {
        return role != Role.MODEL;
    }

    static Kind ofQualifiedName(String name) {
        for (Kind kind : values()) {
            if (kind.qualifiedName().equals(name)) {
                return kind;
            }
        }
        return null;
    }
}
