package dev.vdrop.processor;

import static dev.vdrop.processor.TestDecls.assertOnly;
import static dev.vdrop.processor.TestDecls.embedding;
import static dev.vdrop.processor.TestDecls.gru;
import static dev.vdrop.processor.TestDecls.layer;
import static dev.vdrop.processor.TestDecls.lm;
import static dev.vdrop.processor.TestDecls.lstm;
import static dev.vdrop.processor.TestDecls.model;
import static dev.vdrop.processor.TestDecls.problems;
import static dev.vdrop.processor.TestDecls.sites;
import static dev.vdrop.processor.TestDecls.softmax;
import static dev.vdrop.processor.TestDecls.tied;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdrop.dsl.Masks;
import dev.vdrop.dsl.Over;
import dev.vdrop.dsl.Scope;
import dev.vdrop.processor.Decl.EmbeddingDropoutDecl;
import dev.vdrop.processor.Decl.InputDecl;
import dev.vdrop.processor.Decl.RecurrentDecl;
import dev.vdrop.processor.Decl.RegressionDecl;
import dev.vdrop.processor.Decl.SoftmaxDecl;
import dev.vdrop.processor.Decl.WeightDropDecl;
import dev.vdrop.processor.Problem.Severity;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link ModelValidator} on hand-built declarations, without javac: valid models, the rules on
 * annotation values (probabilities, sizes, per-step masks), every problem at once, and the spec that
 * only a declaration without errors resolves to. Each problem's site (field, annotation,
 * attribute) is checked too: the processor turns it into the annotation value javac underlines.
 */
class ModelValidatorTest {
    // ---------------------------------------------------------------------------------------
    // Valid models.

    @Test
    void tokenModelIsValid() {
        assertEquals(List.of(), problems(model(
                layer("embedding", embedding(10_000, 200), new EmbeddingDropoutDecl(0.2, Scope.SEQUENCE)),
                layer("lstm1", new RecurrentDecl(Cell.LSTM, 200, 0.5, 0.2, 0.5, Masks.TIED)),
                layer("lstm2", new RecurrentDecl(Cell.LSTM, 200, 0.5, 0.2, 0.5, Masks.TIED)),
                layer("decoder", softmax(10_000)))));
    }

    @Test
    void featureModelIsValid() {
        assertEquals(List.of(), problems(model(
                layer("readings", new InputDecl(OptionalInt.of(3))),
                layer("lstm", lstm(16)),
                layer("forecast", new RegressionDecl(OptionalInt.of(1), Over.LAST_STEP)))));
    }

    @Test
    void tiedWeightDroppedModelIsValid() {
        assertEquals(List.of(), problems(model(
                layer("embedding", embedding(100, 20), new EmbeddingDropoutDecl(0.1, Scope.BATCH)),
                layer("lstm1", new WeightDropDecl(0.5), new RecurrentDecl(Cell.LSTM, 64, 0.3, 0, 0.3, Masks.TIED)),
                layer("lstm2", new WeightDropDecl(0.5), new RecurrentDecl(Cell.LSTM, 20, 0.3, 0, 0.4, Masks.UNTIED)),
                layer("decoder", new SoftmaxDecl(OptionalInt.of(100), Over.EVERY_STEP, true)))));
    }

    @Test
    void gruModelsAreValid() {
        assertEquals(List.of(), problems(model(
                layer("embedding", embedding(10_000, 200), new EmbeddingDropoutDecl(0.2, Scope.SEQUENCE)),
                layer("gru1", new RecurrentDecl(Cell.GRU, 200, 0.5, 0.2, 0.5, Masks.TIED)),
                layer("gru2", new RecurrentDecl(Cell.GRU, 200, 0.5, 0.2, 0.5, Masks.UNTIED)),
                layer("decoder", softmax(10_000)))));
        assertEquals(List.of(), problems(model(
                layer("readings", new InputDecl(OptionalInt.of(3))),
                layer("gru", gru(16)),
                layer("forecast", new RegressionDecl(OptionalInt.of(1), Over.LAST_STEP)))));
        assertEquals(List.of(), problems(model(
                layer("embedding", embedding(100, 20)),
                layer("gru", new WeightDropDecl(0.5), new RecurrentDecl(Cell.GRU, 20, 0.3, 0, 0.3, Masks.TIED)),
                layer("decoder", new SoftmaxDecl(OptionalInt.of(100), Over.EVERY_STEP, true)))));
        assertEquals(List.of(), problems(model(
                layer("embedding", embedding(100, 20)),
                layer("gru", new RecurrentDecl(Cell.GRU, 20, 0.5, 0, 0.5, Masks.PER_STEP)),
                layer("decoder", softmax(100)))));
    }

    @Test
    void mixedStacksAreValid() {
        // LSTM under GRU and GRU under LSTM, with weight drop on either cell and a tied decoder
        assertEquals(List.of(), problems(model(
                layer("embedding", embedding(100, 20)),
                layer("lstm", new WeightDropDecl(0.5), new RecurrentDecl(Cell.LSTM, 64, 0.3, 0, 0.3, Masks.TIED)),
                layer("gru", new RecurrentDecl(Cell.GRU, 32, 0.3, 0.2, 0.3, Masks.UNTIED)),
                layer("top", new RecurrentDecl(Cell.LSTM, 20, 0.3, 0.2, 0.3, Masks.TIED)),
                layer("decoder", tied(100)))));
        assertEquals(List.of(), problems(model(
                layer("embedding", embedding(100, 20)),
                layer("gru", new WeightDropDecl(0.5), gru(64)),
                layer("lstm", lstm(20)),
                layer("decoder", tied(100)))));
    }

    @Test
    void perStepMasksWithoutRecurrentDropoutAreValid() {
        assertEquals(List.of(), problems(model(
                layer("embedding", embedding(100, 20)),
                layer("lstm", new RecurrentDecl(Cell.LSTM, 20, 0.5, 0, 0.5, Masks.PER_STEP)),
                layer("decoder", softmax(100)))));
    }

    @Test
    void fieldsThatAreNoLayerAreIgnored() {
        // ElementReader only hands over fields with a vdrop annotation or type Layer, but a
        // model with nothing else must not trip over the order of its layers either.
        assertEquals(List.of(), problems(lm()));
    }

    // ---------------------------------------------------------------------------------------
    // Rule 1: probabilities in [0, 1).

    /** Where a probability can be set: a change to the valid {@link #lm()} and the site it is on. */
    enum ProbabilitySite {
        EMBEDDING_DROPOUT("@EmbeddingDropout", "value", "embedding", Kind.EMBEDDING_DROPOUT),
        WEIGHT_DROP("@WeightDrop", "value", "lstm", Kind.WEIGHT_DROP),
        INPUT("@VariationalLSTM", "input", "lstm", Kind.VARIATIONAL_LSTM),
        RECURRENT("@VariationalLSTM", "recurrent", "lstm", Kind.VARIATIONAL_LSTM),
        OUTPUT("@VariationalLSTM", "output", "lstm", Kind.VARIATIONAL_LSTM),
        GRU_WEIGHT_DROP("@WeightDrop", "value", "gru", Kind.WEIGHT_DROP),
        GRU_INPUT("@VariationalGRU", "input", "gru", Kind.VARIATIONAL_GRU),
        GRU_RECURRENT("@VariationalGRU", "recurrent", "gru", Kind.VARIATIONAL_GRU),
        GRU_OUTPUT("@VariationalGRU", "output", "gru", Kind.VARIATIONAL_GRU);

        final String annotation;
        final String attribute;
        final String field;
        final Kind kind;

        ProbabilitySite(String annotation, String attribute, String field, Kind kind) {
            this.annotation = annotation;
            this.attribute = attribute;
            this.field = field;
            this.kind = kind;
        }

        Site site() {
            return Site.of(field, kind, attribute);
        }

        /** The valid model with this probability set to p (no other dropout, so no other warning). */
        ModelDecl model(double p) {
            return switch (this) {
                case EMBEDDING_DROPOUT -> model(
                        layer("embedding", embedding(100, 20), new EmbeddingDropoutDecl(p, Scope.SEQUENCE)),
                        layer("lstm", lstm(20)));
                case WEIGHT_DROP -> model(layer("embedding", embedding(100, 20)),
                        layer("lstm", new WeightDropDecl(p), lstm(20)));
                case INPUT -> model(layer("embedding", embedding(100, 20)),
                        layer("lstm", new RecurrentDecl(Cell.LSTM, 20, p, 0, 0, Masks.TIED)));
                case RECURRENT -> model(layer("embedding", embedding(100, 20)),
                        layer("lstm", new RecurrentDecl(Cell.LSTM, 20, 0, p, 0, Masks.TIED)));
                case OUTPUT -> model(layer("embedding", embedding(100, 20)),
                        layer("lstm", new RecurrentDecl(Cell.LSTM, 20, 0, 0, p, Masks.TIED)));
                case GRU_WEIGHT_DROP -> model(layer("embedding", embedding(100, 20)),
                        layer("gru", new WeightDropDecl(p), gru(20)));
                case GRU_INPUT -> model(layer("embedding", embedding(100, 20)),
                        layer("gru", new RecurrentDecl(Cell.GRU, 20, p, 0, 0, Masks.TIED)));
                case GRU_RECURRENT -> model(layer("embedding", embedding(100, 20)),
                        layer("gru", new RecurrentDecl(Cell.GRU, 20, 0, p, 0, Masks.TIED)));
                case GRU_OUTPUT -> model(layer("embedding", embedding(100, 20)),
                        layer("gru", new RecurrentDecl(Cell.GRU, 20, 0, 0, p, Masks.TIED)));
            };
        }

        private static ModelDecl model(FieldDecl input, FieldDecl recurrent) {
            return TestDecls.model(input, recurrent, layer("decoder", softmax(100)));
        }
    }

    static Stream<Arguments> probabilityOutOfRange() {
        double[] values = {1.0, -0.1, 1.5, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        return Arrays.stream(ProbabilitySite.values())
                .flatMap(site -> Arrays.stream(values).mapToObj(p -> Arguments.of(site, p)));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource
    void probabilityOutOfRange(ProbabilitySite at, double p) {
        List<Problem> problems = problems(at.model(p));

        assertOnly(problems, Severity.ERROR, at.site(),
                at.annotation + "(" + at.attribute + " = " + p + ") on '" + at.field + "'",
                "a dropout probability must be in [0, 1), but it is " + p,
                "use a value such as 0.25");
    }

    static Stream<Arguments> probabilityHigh() {
        double[] values = {0.9, 0.95, Math.nextDown(1.0)};
        return Arrays.stream(ProbabilitySite.values())
                .flatMap(site -> Arrays.stream(values).mapToObj(p -> Arguments.of(site, p)));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource
    void probabilityHigh(ProbabilitySite at, double p) {
        List<Problem> problems = problems(at.model(p));

        // Recurrent dropout beside weight drop adds its own warning; no site here has both.
        assertOnly(problems, Severity.WARNING, at.site(),
                at.annotation + "(" + at.attribute + " = " + p + ") on '" + at.field + "'",
                "a dropout probability of " + p + " keeps fewer than one unit in ten",
                "values between 0.1 and 0.5 are usual");
    }

    static Stream<Arguments> probabilityValid() {
        double[] values = {0.0, -0.0, 0.5, Math.nextDown(0.9)};
        return Arrays.stream(ProbabilitySite.values())
                .flatMap(site -> Arrays.stream(values).mapToObj(p -> Arguments.of(site, p)));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource
    void probabilityValid(ProbabilitySite at, double p) {
        assertEquals(List.of(), problems(at.model(p)));
    }

    // ---------------------------------------------------------------------------------------
    // Rule 2: sizes are positive.

    /** Where a size is set: the valid model with this size changed, and the site. */
    enum SizeSite {
        VOCABULARY("@Embedding", "vocabulary", "embedding", Kind.EMBEDDING, "word types"),
        SIZE("@Embedding", "size", "embedding", Kind.EMBEDDING, "weights in each embedding vector"),
        FEATURES("@Input", "features", "readings", Kind.INPUT, "values read at each step"),
        UNITS("@VariationalLSTM", "units", "lstm", Kind.VARIATIONAL_LSTM, "hidden units"),
        GRU_UNITS("@VariationalGRU", "units", "gru", Kind.VARIATIONAL_GRU, "hidden units"),
        CLASSES("@Softmax", "classes", "decoder", Kind.SOFTMAX, "classes (the vocabulary size for a language model)"),
        OUTPUTS("@Regression", "outputs", "forecast", Kind.REGRESSION, "real values predicted");

        final String annotation;
        final String attribute;
        final String field;
        final Kind kind;
        final String meaning;

        SizeSite(String annotation, String attribute, String field, Kind kind, String meaning) {
            this.annotation = annotation;
            this.attribute = attribute;
            this.field = field;
            this.kind = kind;
            this.meaning = meaning;
        }

        ModelDecl model(int n) {
            return switch (this) {
                case VOCABULARY -> lm(f -> f.name().equals("embedding") ? layer("embedding", embedding(n, 20)) : f);
                case SIZE -> lm(f -> f.name().equals("embedding") ? layer("embedding", embedding(100, n)) : f);
                case UNITS -> lm(f -> f.name().equals("lstm") ? layer("lstm", lstm(n)) : f);
                case GRU_UNITS -> TestDecls.model(layer("embedding", embedding(100, 20)), layer("gru", gru(n)),
                        layer("decoder", softmax(100)));
                case CLASSES -> lm(f -> f.name().equals("decoder") ? layer("decoder", softmax(n)) : f);
                case FEATURES -> TestDecls.model(layer("readings", new InputDecl(OptionalInt.of(n))),
                        layer("lstm", lstm(16)), layer("forecast", new RegressionDecl(OptionalInt.of(1), Over.LAST_STEP)));
                case OUTPUTS -> TestDecls.model(layer("readings", new InputDecl(OptionalInt.of(3))),
                        layer("lstm", lstm(16)), layer("forecast", new RegressionDecl(OptionalInt.of(n), Over.LAST_STEP)));
            };
        }
    }

    static Stream<Arguments> sizeNotPositive() {
        return Arrays.stream(SizeSite.values())
                .flatMap(site -> Stream.of(0, -1, Integer.MIN_VALUE).map(n -> Arguments.of(site, n)));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource
    void sizeNotPositive(SizeSite at, int n) {
        List<Problem> problems = problems(at.model(n));

        assertOnly(problems, Severity.ERROR, Site.of(at.field, at.kind, at.attribute),
                at.annotation + "(" + at.attribute + " = " + n + ") on '" + at.field + "'",
                at.attribute + " must be positive, but it is " + n,
                "set it to the number of " + at.meaning);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 1 << 20})
    void sizePositive(int n) {
        for (SizeSite at : SizeSite.values()) {
            assertEquals(List.of(), problems(at.model(n)), at.name());
        }
    }

    // ---------------------------------------------------------------------------------------
    // Rule 4: per-step masks with recurrent dropout.

    @ParameterizedTest
    @ValueSource(doubles = {0.2, Double.MIN_VALUE, 0.5})
    void perStepMasksWithRecurrentDropout(double recurrent) {
        ModelDecl model = lm(f -> f.name().equals("lstm")
                ? layer("lstm", new RecurrentDecl(Cell.LSTM, 20, 0.5, recurrent, 0.5, Masks.PER_STEP)) : f);

        assertOnly(problems(model), Severity.ERROR, Site.of("lstm", Kind.VARIATIONAL_LSTM, "recurrent"),
                "@VariationalLSTM(masks = PER_STEP, recurrent = " + recurrent + ") on 'lstm'",
                "never drops the recurrent state h",
                "set recurrent = 0, or use masks = TIED");
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.2, Double.MIN_VALUE, 0.5})
    void perStepGruMasksWithRecurrentDropout(double recurrent) {
        ModelDecl model = model(layer("embedding", embedding(100, 20)),
                layer("gru", new RecurrentDecl(Cell.GRU, 20, 0.5, recurrent, 0.5, Masks.PER_STEP)),
                layer("decoder", softmax(100)));

        assertOnly(problems(model), Severity.ERROR, Site.of("gru", Kind.VARIATIONAL_GRU, "recurrent"),
                "@VariationalGRU(masks = PER_STEP, recurrent = " + recurrent + ") on 'gru'",
                "never drops the recurrent state h",
                "set recurrent = 0, or use masks = TIED");
    }

    @ParameterizedTest
    @ValueSource(strings = {"TIED", "UNTIED"})
    void otherGruMasksTakeRecurrentDropout(Masks masks) {
        ModelDecl model = model(layer("embedding", embedding(100, 20)),
                layer("gru", new RecurrentDecl(Cell.GRU, 20, 0.5, 0.2, 0.5, masks)),
                layer("decoder", softmax(100)));

        assertEquals(List.of(), problems(model));
    }

    @ParameterizedTest
    @ValueSource(strings = {"TIED", "UNTIED"})
    void otherMasksTakeRecurrentDropout(Masks masks) {
        ModelDecl model = lm(f -> f.name().equals("lstm")
                ? layer("lstm", new RecurrentDecl(Cell.LSTM, 20, 0.5, 0.2, 0.5, masks)) : f);

        assertEquals(List.of(), problems(model));
    }

    // ---------------------------------------------------------------------------------------
    // All problems at once.

    @Test
    void everyProblemOfAModelAtOnce() {
        ModelDecl model = new ModelDecl("test", "Lm", "Lm", "not a name",
                new ModelDecl.Shape(true, true, false, false, true), List.of(
                        layer("embedding", embedding(100, -20), new EmbeddingDropoutDecl(1.5, Scope.SEQUENCE)),
                        layer("lstm", new RecurrentDecl(Cell.LSTM, 20, 0.95, 0.3, 0, Masks.PER_STEP)),
                        layer("forgotten"),
                        layer("decoder", softmax(0))));

        List<Problem> problems = problems(model);

        assertEquals(List.of(
                        Site.ofModel(),
                        Site.ofModelAttribute("name"),
                        Site.of("embedding", Kind.EMBEDDING, "size"),
                        Site.of("embedding", Kind.EMBEDDING_DROPOUT, "value"),
                        Site.of("lstm", Kind.VARIATIONAL_LSTM, "input"),
                        Site.of("lstm", Kind.VARIATIONAL_LSTM, "recurrent"),
                        Site.ofField("forgotten"),
                        Site.of("decoder", Kind.SOFTMAX, "classes")),
                sites(problems));
        assertEquals(List.of(Severity.ERROR, Severity.ERROR, Severity.ERROR, Severity.ERROR, Severity.WARNING,
                        Severity.ERROR, Severity.ERROR, Severity.ERROR),
                problems.stream().map(Problem::severity).toList());
    }

    // ---------------------------------------------------------------------------------------
    // The spec comes from the same pass, and only without errors.

    @Test
    void validModelResolvesToItsSpec() {
        Validation validation = ModelValidator.validate(model(
                layer("embedding", embedding(100, 20), new EmbeddingDropoutDecl(0.1, Scope.BATCH)),
                layer("lstm1", new WeightDropDecl(0.5), new RecurrentDecl(Cell.LSTM, 64, 0.3, 0, 0.3, Masks.TIED)),
                layer("lstm2", new RecurrentDecl(Cell.LSTM, 20, 0.3, 0.2, 0.4, Masks.UNTIED)),
                layer("decoder", new SoftmaxDecl(OptionalInt.of(100), Over.LAST_STEP, true))));

        assertEquals(List.of(), validation.problems());
        assertEquals(new NetworkSpec("test", "Lm", "LmNetwork",
                        new NetworkSpec.TokenInput("embedding", Dim.of(100), 20, 0.1, Scope.BATCH),
                        List.of(new NetworkSpec.LayerSpec(Cell.LSTM, "lstm1", 0, Dim.of(20), 64, 0.3, 0, 0.3, Masks.TIED, 0.5),
                                new NetworkSpec.LayerSpec(Cell.LSTM, "lstm2", 1, Dim.of(64), 20, 0.3, 0.2, 0.4, Masks.UNTIED, 0)),
                        new NetworkSpec.SoftmaxOutput("decoder", Dim.of(100), Over.LAST_STEP, true)),
                validation.spec().orElseThrow());
    }

    @Test
    void mixedStackResolvesToItsSpec() {
        // each layer keeps its cell, in declaration order; each reads the width below it
        Validation validation = ModelValidator.validate(model(
                layer("embedding", embedding(100, 20)),
                layer("gru1", new WeightDropDecl(0.4), new RecurrentDecl(Cell.GRU, 64, 0.3, 0, 0.3, Masks.UNTIED)),
                layer("lstm", new RecurrentDecl(Cell.LSTM, 32, 0.3, 0.2, 0.4, Masks.TIED)),
                layer("gru2", new RecurrentDecl(Cell.GRU, 20, 0.1, 0, 0.2, Masks.PER_STEP)),
                layer("decoder", tied(100))));

        assertEquals(List.of(), validation.problems());
        assertEquals(List.of(
                        new NetworkSpec.LayerSpec(Cell.GRU, "gru1", 0, Dim.of(20), 64, 0.3, 0, 0.3, Masks.UNTIED, 0.4),
                        new NetworkSpec.LayerSpec(Cell.LSTM, "lstm", 1, Dim.of(64), 32, 0.3, 0.2, 0.4, Masks.TIED, 0),
                        new NetworkSpec.LayerSpec(Cell.GRU, "gru2", 2, Dim.of(32), 20, 0.1, 0, 0.2, Masks.PER_STEP, 0)),
                validation.spec().orElseThrow().recurrent());
    }

    @Test
    void featureModelResolvesToItsSpec() {
        Validation validation = ModelValidator.validate(model(
                layer("readings", new InputDecl(OptionalInt.of(3))),
                layer("lstm", lstm(16)),
                layer("forecast", new RegressionDecl(OptionalInt.of(2), Over.EVERY_STEP))));

        assertEquals(new NetworkSpec("test", "Lm", "LmNetwork", new NetworkSpec.FeatureInput("readings", Dim.of(3)),
                        List.of(new NetworkSpec.LayerSpec(Cell.LSTM, "lstm", 0, Dim.of(3), 16, 0, 0, 0, Masks.TIED, 0)),
                        new NetworkSpec.RegressionOutput("forecast", Dim.of(2), Over.EVERY_STEP)),
                validation.spec().orElseThrow());
    }

    @Test
    void sizesLeftOutResolveToSizesFromTheData() {
        Validation features = ModelValidator.validate(model(
                layer("readings", new InputDecl(OptionalInt.empty())),
                layer("lstm", lstm(16)),
                layer("forecast", new RegressionDecl(OptionalInt.empty(), Over.LAST_STEP))));
        Validation tied = ModelValidator.validate(model(
                layer("embedding", new Decl.EmbeddingDecl(OptionalInt.empty(), 16)),
                layer("lstm", lstm(16)),
                layer("decoder", new SoftmaxDecl(OptionalInt.empty(), Over.EVERY_STEP, true))));

        assertEquals(List.of(), features.problems());
        assertEquals(new NetworkSpec("test", "Lm", "LmNetwork",
                        new NetworkSpec.FeatureInput("readings", Dim.of(DataSize.FEATURES)),
                        List.of(new NetworkSpec.LayerSpec(Cell.LSTM, "lstm", 0, Dim.of(DataSize.FEATURES), 16, 0, 0, 0, Masks.TIED, 0)),
                        new NetworkSpec.RegressionOutput("forecast", Dim.of(DataSize.OUTPUTS), Over.LAST_STEP)),
                features.spec().orElseThrow());
        assertEquals(List.of(DataSize.FEATURES, DataSize.OUTPUTS), features.spec().orElseThrow().dataSizes());
        // a tied decoder's classes are the vocabulary: one size to give
        assertEquals(List.of(), tied.problems());
        assertEquals(Dim.of(DataSize.VOCABULARY), ((NetworkSpec.SoftmaxOutput) tied.spec().orElseThrow().output()).classes());
        assertEquals(List.of(DataSize.VOCABULARY), tied.spec().orElseThrow().dataSizes());
    }

    @Test
    void warningsKeepTheSpec() {
        Validation validation = ModelValidator.validate(lm(f -> f.name().equals("lstm")
                ? layer("lstm", new RecurrentDecl(Cell.LSTM, 20, 0.95, 0, 0, Masks.TIED)) : f));

        assertEquals(List.of(Severity.WARNING), validation.problems().stream().map(Problem::severity).toList());
        assertTrue(validation.spec().isPresent());
    }

    static Stream<ModelDecl> modelsWithAnError() {
        return Stream.of(
                lm(new ModelDecl.Shape(true, true, true, false, false)),
                lm(f -> f.name().equals("lstm") ? layer("lstm", lstm(-1)) : f),
                model(layer("lstm", lstm(20)), layer("embedding", embedding(100, 20)), layer("decoder", softmax(100))),
                model(layer("embedding", embedding(100, 20)), layer("decoder", softmax(100))),
                model(layer("embedding", embedding(100, 20)), layer("lstm", lstm(20)), layer("decoder", tied(99))),
                model(layer("embedding", embedding(100, 20)), layer("lstm", lstm(20)), layer("decoder", softmax(100)),
                        layer("forgotten")),
                model(layer("embedding", embedding(100, 20)), layer("gru", gru(0)), layer("decoder", softmax(100))),
                model(layer("gru", gru(20)), layer("embedding", embedding(100, 20)), layer("decoder", softmax(100))),
                model(layer("embedding", embedding(100, 20)), layer("gru", gru(30)), layer("decoder", tied(100))),
                model(layer("embedding", embedding(100, 20)), layer("gru", lstm(20), gru(20)),
                        layer("decoder", softmax(100))));
    }

    @ParameterizedTest
    @MethodSource
    void modelsWithAnError(ModelDecl model) {
        Validation validation = ModelValidator.validate(model);

        assertTrue(validation.problems().stream().anyMatch(Problem::isError), validation::toString);
        assertTrue(validation.spec().isEmpty(), validation::toString);
    }
}
