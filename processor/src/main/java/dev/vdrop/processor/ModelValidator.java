package dev.vdrop.processor;

import dev.vdrop.dsl.Masks;
import dev.vdrop.dsl.Scope;
import dev.vdrop.processor.Decl.EmbeddingDecl;
import dev.vdrop.processor.Decl.EmbeddingDropoutDecl;
import dev.vdrop.processor.Decl.InputDecl;
import dev.vdrop.processor.Decl.RecurrentDecl;
import dev.vdrop.processor.Decl.RegressionDecl;
import dev.vdrop.processor.Decl.SoftmaxDecl;
import dev.vdrop.processor.Decl.WeightDropDecl;
import dev.vdrop.processor.NetworkSpec.FeatureInput;
import dev.vdrop.processor.NetworkSpec.InputSpec;
import dev.vdrop.processor.NetworkSpec.LayerSpec;
import dev.vdrop.processor.NetworkSpec.OutputSpec;
import dev.vdrop.processor.NetworkSpec.RegressionOutput;
import dev.vdrop.processor.NetworkSpec.SoftmaxOutput;
import dev.vdrop.processor.NetworkSpec.TokenInput;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import javax.lang.model.SourceVersion;

/**
 * Checks a {@link ModelDecl} against every rule of the DSL and returns all problems at once:
 * the class, each annotation value, each field, then the stack as a whole — and, from the pass
 * over the stack, the {@link NetworkSpec} of a declaration without errors. Pure: no javac.
 */
final class ModelValidator {
    /** Probabilities at or above this draw a warning: fewer than one unit in ten survives. */
    static final double HIGH_PROBABILITY = 0.9;

    private final ModelDecl model;
    private final List<Problem> problems = new ArrayList<>();

    private ModelValidator(ModelDecl model) {
        this.model = model;
    }

    /** Checks every rule; the spec comes with the problems when none of them is an error. */
    static Validation validate(ModelDecl model) {
        ModelValidator validator = new ModelValidator(model);
        if (!model.shape().isClass()) {
            // An interface or enum is no model at all: its fields and its missing layers would
            // only repeat that in other words (an empty interface drew four errors).
            validator.error(Site.ofModel(), Message.MODEL_NOT_A_CLASS, model.displayName(), "not a class",
                    model.simpleName());
            return new Validation(validator.problems, Optional.empty());
        }
        validator.checkClass();
        model.fields().forEach(validator::checkField);
        Optional<NetworkSpec> spec = validator.checkStack();
        boolean clean = validator.problems.stream().noneMatch(Problem::isError);
        return new Validation(validator.problems, clean ? spec : Optional.empty());
    }

    private void checkClass() {
        ModelDecl.Shape shape = model.shape();
        String name = model.displayName();
        if (shape.isFinal()) {
            error(Site.ofModel(), Message.MODEL_FINAL, name);
        }
        if (shape.isPrivate()) {
            error(Site.ofModel(), Message.MODEL_PRIVATE, name);
        }
        if (shape.isInner()) {
            error(Site.ofModel(), Message.MODEL_INNER, name);
        }
        if (!shape.isAbstract() && !shape.isFinal()) {
            warning(Site.ofModel(), Message.MODEL_NOT_ABSTRACT, name, model.networkName());
        }
        if (!SourceVersion.isName(model.networkName()) || model.networkName().contains(".")) {
            error(Site.ofModelAttribute("name"), Message.MODEL_BAD_NAME,
                    model.networkName(), name, model.simpleName());
        }
    }

    private void checkField(FieldDecl field) {
        List<Decl> layers = field.layerDecls();
        for (int i = 1; i < layers.size(); i++) {
            Decl first = layers.get(0);
            Decl second = layers.get(i);
            Site site = Site.of(field.name(), second.kind());
            if (first instanceof RecurrentDecl a && second instanceof RecurrentDecl b) {
                // both cells: say so, since "a field is one layer" does not tell which to keep
                error(site, Message.TWO_CELLS, field.name(), a.kind().display(), b.kind().display(),
                        b.kind().display());
            } else {
                error(site, Message.TWO_LAYER_ANNOTATIONS, field.name(), first.kind().display(),
                        second.kind().display());
            }
        }
        if (!field.layerTyped() && !field.decls().isEmpty()) {
            error(Site.of(field.name(), field.decls().get(0).kind()),
                    Message.LAYER_FIELD_NOT_LAYER_TYPE, field.name(), field.typeName(), field.name());
        }
        if (field.decls().isEmpty() && field.layerTyped()) {
            error(Site.ofField(field.name()), Message.LAYER_FIELD_WITHOUT_ANNOTATION, field.name());
        }
        for (Decl decl : field.decls()) {
            checkValues(field, decl);
        }
        checkModifiers(field);
    }

    private void checkValues(FieldDecl field, Decl decl) {
        String name = field.name();
        if (decl instanceof EmbeddingDecl e) {
            dataSize(name, decl, DataSize.VOCABULARY, e.vocabulary());
            positive(name, decl, "size", e.size(), "weights in each embedding vector");
        } else if (decl instanceof InputDecl in) {
            dataSize(name, decl, DataSize.FEATURES, in.features());
        } else if (decl instanceof RecurrentDecl l) {
            positive(name, decl, "units", l.units(), "hidden units");
            probability(name, decl, "input", l.input());
            probability(name, decl, "recurrent", l.recurrent());
            probability(name, decl, "output", l.output());
            if (l.masks() == Masks.PER_STEP && l.recurrent() > 0) {
                error(Site.of(name, decl.kind(), "recurrent"), Message.PER_STEP_WITH_RECURRENT,
                        decl.kind().display(), l.recurrent(), name);
            }
        } else if (decl instanceof SoftmaxDecl s) {
            dataSize(name, decl, DataSize.CLASSES, s.classes());
        } else if (decl instanceof RegressionDecl r) {
            dataSize(name, decl, DataSize.OUTPUTS, r.outputs());
        } else if (decl instanceof EmbeddingDropoutDecl d) {
            probability(name, decl, "value", d.value());
        } else if (decl instanceof WeightDropDecl w) {
            probability(name, decl, "value", w.value());
        }
    }

    private void checkModifiers(FieldDecl field) {
        String layer = field.layer()
                .map(d -> "'" + field.name() + "' is " + d.kind().display())
                .orElse("'" + field.name() + "' is not a layer");
        Optional<WeightDropDecl> weightDrop = field.find(WeightDropDecl.class);
        Optional<RecurrentDecl> recurrent = field.find(RecurrentDecl.class);
        if (weightDrop.isPresent()) {
            if (recurrent.isEmpty()) {
                error(Site.of(field.name(), Kind.WEIGHT_DROP), Message.WEIGHT_DROP_NOT_ON_RECURRENT,
                        field.name(), layer);
            } else if (weightDrop.get().value() > 0 && recurrent.get().recurrent() > 0) {
                warning(Site.of(field.name(), Kind.WEIGHT_DROP), Message.WEIGHT_DROP_WITH_RECURRENT_DROPOUT,
                        field.name(), weightDrop.get().value(), recurrent.get().kind().display(),
                        recurrent.get().recurrent());
            }
        }
        if (field.find(EmbeddingDropoutDecl.class).isPresent() && field.find(EmbeddingDecl.class).isEmpty()) {
            error(Site.of(field.name(), Kind.EMBEDDING_DROPOUT), Message.EMBEDDING_DROPOUT_NOT_ON_EMBEDDING,
                    field.name(), layer);
        }
    }

    /**
     * Rule 5 and 6: one input first, one output last, at least one recurrent layer (LSTM or GRU,
     * mixed as the user likes), a tied decoder that fits. The spec of the stack these rules
     * describe, when it keeps them: the input, the recurrent layers in order with the width each
     * reads, the output.
     */
    private Optional<NetworkSpec> checkStack() {
        List<FieldDecl> layers = model.fields().stream().filter(f -> f.layer().isPresent()).toList();
        List<FieldDecl> inputs = withRole(layers, Kind.Role.INPUT);
        List<FieldDecl> outputs = withRole(layers, Kind.Role.OUTPUT);
        List<FieldDecl> recurrent = withRole(layers, Kind.Role.RECURRENT);

        if (inputs.isEmpty()) {
            error(Site.ofModel(), Message.NO_INPUT_LAYER, model.displayName());
        } else {
            FieldDecl first = inputs.get(0);
            for (FieldDecl extra : inputs.subList(1, inputs.size())) {
                error(layerSite(extra), Message.SECOND_INPUT_LAYER, extra.name(), first.name());
            }
            if (layers.get(0) != first) {
                error(layerSite(first), Message.INPUT_NOT_FIRST, first.name(), layers.get(0).name(), first.name());
            }
        }
        if (outputs.isEmpty()) {
            error(Site.ofModel(), Message.NO_OUTPUT_LAYER, model.displayName());
        } else {
            FieldDecl last = outputs.get(outputs.size() - 1);
            for (FieldDecl extra : outputs.subList(0, outputs.size() - 1)) {
                error(layerSite(extra), Message.SECOND_OUTPUT_LAYER, extra.name(), last.name());
            }
            FieldDecl after = layers.get(layers.size() - 1);
            if (after != last) {
                error(layerSite(last), Message.OUTPUT_NOT_LAST, last.name(), after.name(), last.name());
            }
        }
        if (recurrent.isEmpty()) {
            error(Site.ofModel(), Message.NO_RECURRENT_LAYER, model.displayName());
        }
        checkTiedDecoder(inputs, outputs, recurrent);
        boolean ordered = inputs.size() == 1 && layers.get(0) == inputs.get(0)
                && outputs.size() == 1 && layers.get(layers.size() - 1) == outputs.get(0)
                && !recurrent.isEmpty();
        return ordered ? Optional.of(spec(inputs.get(0), recurrent, outputs.get(0))) : Optional.empty();
    }

    /** The spec of a stack in the order of rule 5: the input, every recurrent layer, the output. */
    private NetworkSpec spec(FieldDecl inputField, List<FieldDecl> recurrent, FieldDecl outputField) {
        Decl inputLayer = inputField.layer().orElseThrow();
        Optional<EmbeddingDropoutDecl> dropout = inputField.find(EmbeddingDropoutDecl.class);
        InputSpec input = inputLayer instanceof EmbeddingDecl e
                ? new TokenInput(inputField.name(), dim(e.vocabulary(), DataSize.VOCABULARY), e.size(),
                        dropout.map(EmbeddingDropoutDecl::value).orElse(0.0),
                        dropout.map(EmbeddingDropoutDecl::scope).orElse(Scope.SEQUENCE))
                : new FeatureInput(inputField.name(), dim(((InputDecl) inputLayer).features(), DataSize.FEATURES));
        List<LayerSpec> layers = new ArrayList<>();
        Dim width = input.width();
        for (FieldDecl field : recurrent) {
            RecurrentDecl l = (RecurrentDecl) field.layer().orElseThrow();
            double weightDrop = field.find(WeightDropDecl.class).map(WeightDropDecl::value).orElse(0.0);
            layers.add(new LayerSpec(l.cell(), field.name(), layers.size(), width, l.units(), l.input(), l.recurrent(),
                    l.output(), l.masks(), weightDrop));
            width = Dim.of(l.units());
        }
        // a tied decoder's classes are the vocabulary (checked equal when both are written)
        OutputSpec output = outputField.layer().orElseThrow() instanceof SoftmaxDecl s
                ? new SoftmaxOutput(outputField.name(), s.tiedToEmbedding() ? input.size() : dim(s.classes(), DataSize.CLASSES),
                        s.over(), s.tiedToEmbedding())
                : regression(outputField);
        return new NetworkSpec(model.packageName(), model.displayName(), model.networkName(), input, layers, output);
    }

    private void checkTiedDecoder(List<FieldDecl> inputs, List<FieldDecl> outputs, List<FieldDecl> recurrent) {
        for (FieldDecl output : outputs) {
            Optional<SoftmaxDecl> softmax = output.find(SoftmaxDecl.class);
            if (softmax.isEmpty() || !softmax.get().tiedToEmbedding()) {
                continue;
            }
            Site site = Site.of(output.name(), Kind.SOFTMAX, "tiedToEmbedding");
            Optional<FieldDecl> embeddingField = inputs.stream()
                    .filter(f -> f.find(EmbeddingDecl.class).isPresent()).findFirst();
            if (embeddingField.isEmpty()) {
                String input = inputs.isEmpty() ? "missing" : inputs.get(0).layer().orElseThrow().kind().display()
                        + " '" + inputs.get(0).name() + "'";
                error(site, Message.TIED_WITHOUT_EMBEDDING, output.name(), input);
                continue;
            }
            EmbeddingDecl embedding = embeddingField.get().find(EmbeddingDecl.class).orElseThrow();
            String embeddingName = embeddingField.get().name();
            OptionalInt classes = softmax.get().classes();
            OptionalInt vocabulary = embedding.vocabulary();
            if (classes.isPresent() && vocabulary.isEmpty()) {
                error(Site.of(output.name(), Kind.SOFTMAX, "classes"), Message.TIED_CLASSES_WITH_DATA_VOCABULARY,
                        classes.getAsInt(), output.name(), embeddingName);
            } else if (classes.isPresent() && classes.getAsInt() != vocabulary.getAsInt()) {
                error(site, Message.TIED_CLASSES_NOT_VOCABULARY, output.name(), classes.getAsInt(), embeddingName,
                        vocabulary.getAsInt(), vocabulary.getAsInt());
            }
            if (!recurrent.isEmpty()) {
                // the last recurrent layer feeds the decoder, whatever its cell
                FieldDecl last = recurrent.get(recurrent.size() - 1);
                RecurrentDecl lastLayer = (RecurrentDecl) last.layer().orElseThrow();
                if (lastLayer.units() != embedding.size()) {
                    error(site, Message.TIED_UNITS_NOT_EMBEDDING_SIZE, output.name(), lastLayer.cell().display(),
                            last.name(), lastLayer.units(), embeddingName, embedding.size(), embedding.size(),
                            last.name());
                }
            }
        }
    }

    private static RegressionOutput regression(FieldDecl field) {
        RegressionDecl r = (RegressionDecl) field.layer().orElseThrow();
        return new RegressionOutput(field.name(), dim(r.outputs(), DataSize.OUTPUTS), r.over());
    }

    private static List<FieldDecl> withRole(List<FieldDecl> layers, Kind.Role role) {
        return layers.stream().filter(f -> f.layer().orElseThrow().kind().role() == role).toList();
    }

    private static Site layerSite(FieldDecl field) {
        return Site.of(field.name(), field.layer().orElseThrow().kind());
    }

    /** A size written in the annotation, or the size from the data when it is left out. */
    private static Dim dim(OptionalInt written, DataSize size) {
        return written.isPresent() ? Dim.of(written.getAsInt()) : Dim.of(size);
    }

    /** A size that may come from the data: left out it does; written, it must be positive. */
    private void dataSize(String field, Decl decl, DataSize size, OptionalInt written) {
        if (written.isPresent() && written.getAsInt() <= 0) {
            int value = written.getAsInt();
            error(Site.of(field, decl.kind(), size.field()), Message.DATA_SIZE_NOT_POSITIVE,
                    decl.kind().display(), size.field(), value, field, size.field(), value, size.meaning(),
                    size.field(), size.field());
        }
    }

    private void positive(String field, Decl decl, String attribute, int value, String meaning) {
        if (value <= 0) {
            error(Site.of(field, decl.kind(), attribute), Message.SIZE_NOT_POSITIVE,
                    decl.kind().display(), attribute, value, field, attribute, value, meaning);
        }
    }

    private void probability(String field, Decl decl, String attribute, double p) {
        Site site = Site.of(field, decl.kind(), attribute);
        if (!(p >= 0 && p < 1)) {
            error(site, Message.PROBABILITY_OUT_OF_RANGE, decl.kind().display(), attribute, p, field, p);
        } else if (p >= HIGH_PROBABILITY) {
            warning(site, Message.PROBABILITY_HIGH, decl.kind().display(), attribute, p, field, p);
        }
    }

    private void error(Site site, Message message, Object... args) {
        problems.add(Problem.error(site, message, args));
    }

    private void warning(Site site, Message message, Object... args) {
        problems.add(Problem.warning(site, message, args));
    }
}
