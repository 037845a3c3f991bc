package dev.vdrop.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import dev.vdrop.processor.Problem.Severity;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link ModelValidator} on hand-built declarations, without javac: every rule, its boundaries,
 * and the site each problem points at (field, annotation, attribute), which the processor turns
 * into the annotation value javac underlines.
 */
class ModelValidatorTest {

    // ---------------------------------------------------------------------------------------
    // Valid models.

    @Test
    void tokenModelIsValid() {
        assertEquals(List.of(), problems(model(
                layer("embedding", embedding(10_000, 200), new EmbeddingDropoutDecl(0.2, Scope.SEQUENCE)),
                layer("lstm1", new LstmDecl(200, 0.5, 0.2, 0.5, Masks.TIED)),
                layer("lstm2", new LstmDecl(200, 0.5, 0.2, 0.5, Masks.TIED)),
                layer("decoder", softmax(10_000)))));
    }

    @Test
    void featureModelIsValid() {
        assertEquals(List.of(), problems(model(
                layer("readings", new InputDecl(3)),
                layer("lstm", lstm(16)),
                layer("forecast", new RegressionDecl(1, Over.LAST_STEP)))));
    }

    @Test
    void tiedWeightDroppedModelIsValid() {
        assertEquals(List.of(), problems(model(
                layer("embedding", embedding(100, 20), new EmbeddingDropoutDecl(0.1, Scope.BATCH)),
                layer("lstm1", new WeightDropDecl(0.5), new LstmDecl(64, 0.3, 0, 0.3, Masks.TIED)),
                layer("lstm2", new WeightDropDecl(0.5), new LstmDecl(20, 0.3, 0, 0.4, Masks.UNTIED)),
                layer("decoder", new SoftmaxDecl(100, Over.EVERY_STEP, true)))));
    }

    @Test
    void perStepMasksWithoutRecurrentDropoutAreValid() {
        assertEquals(List.of(), problems(model(
                layer("embedding", embedding(100, 20)),
                layer("lstm", new LstmDecl(20, 0.5, 0, 0.5, Masks.PER_STEP)),
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
        OUTPUT("@VariationalLSTM", "output", "lstm", Kind.VARIATIONAL_LSTM);

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
                        layer("lstm", new LstmDecl(20, p, 0, 0, Masks.TIED)));
                case RECURRENT -> model(layer("embedding", embedding(100, 20)),
                        layer("lstm", new LstmDecl(20, 0, p, 0, Masks.TIED)));
                case OUTPUT -> model(layer("embedding", embedding(100, 20)),
                        layer("lstm", new LstmDecl(20, 0, 0, p, Masks.TIED)));
            };
        }

        private static ModelDecl model(FieldDecl input, FieldDecl lstm) {
            return ModelValidatorTest.model(input, lstm, layer("decoder", softmax(100)));
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
                case CLASSES -> lm(f -> f.name().equals("decoder") ? layer("decoder", softmax(n)) : f);
                case FEATURES -> ModelValidatorTest.model(layer("readings", new InputDecl(n)),
                        layer("lstm", lstm(16)), layer("forecast", new RegressionDecl(1, Over.LAST_STEP)));
                case OUTPUTS -> ModelValidatorTest.model(layer("readings", new InputDecl(3)),
                        layer("lstm", lstm(16)), layer("forecast", new RegressionDecl(n, Over.LAST_STEP)));
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
    // Rule 3: modifiers beside their layer.

    @Test
    void weightDropOnEmbedding() {
        ModelDecl model = lm(f -> f.name().equals("embedding")
                ? layer("embedding", embedding(100, 20), new WeightDropDecl(0.5)) : f);

        assertOnly(problems(model), Severity.ERROR, Site.of("embedding", Kind.WEIGHT_DROP),
                "@WeightDrop on 'embedding' needs a recurrent layer, but 'embedding' is @Embedding",
                "put @WeightDrop on a @VariationalLSTM field");
    }

    @Test
    void weightDropOnAFieldWithoutLayer() {
        ModelDecl model = model(layer("embedding", embedding(100, 20)), layer("lstm", lstm(20)),
                layer("stray", new WeightDropDecl(0.5)), layer("decoder", softmax(100)));

        assertOnly(problems(model), Severity.ERROR, Site.of("stray", Kind.WEIGHT_DROP),
                "@WeightDrop on 'stray' needs a recurrent layer, but 'stray' is not a layer",
                "put @WeightDrop on a @VariationalLSTM field");
    }

    @Test
    void embeddingDropoutOnLstm() {
        ModelDecl model = lm(f -> f.name().equals("lstm")
                ? layer("lstm", new EmbeddingDropoutDecl(0.1, Scope.SEQUENCE), lstm(20)) : f);

        assertOnly(problems(model), Severity.ERROR, Site.of("lstm", Kind.EMBEDDING_DROPOUT),
                "@EmbeddingDropout on 'lstm' needs an embedding, but 'lstm' is @VariationalLSTM",
                "put @EmbeddingDropout on the @Embedding field");
    }

    @Test
    void embeddingDropoutOnInput() {
        ModelDecl model = model(layer("readings", new InputDecl(3), new EmbeddingDropoutDecl(0.1, Scope.BATCH)),
                layer("lstm", lstm(16)), layer("forecast", new RegressionDecl(1, Over.LAST_STEP)));

        assertOnly(problems(model), Severity.ERROR, Site.of("readings", Kind.EMBEDDING_DROPOUT),
                "@EmbeddingDropout on 'readings' needs an embedding, but 'readings' is @Input");
    }

    @Test
    void misplacedModifierStillHasItsValueChecked() {
        ModelDecl model = lm(f -> f.name().equals("embedding")
                ? layer("embedding", embedding(100, 20), new WeightDropDecl(1.5)) : f);

        List<Problem> problems = problems(model);

        assertEquals(List.of(Site.of("embedding", Kind.WEIGHT_DROP, "value"), Site.of("embedding", Kind.WEIGHT_DROP)),
                sites(problems));
        assertTrue(problems.stream().allMatch(Problem::isError));
    }

    @Test
    void weightDropWithRecurrentDropoutWarns() {
        ModelDecl model = lm(f -> f.name().equals("lstm")
                ? layer("lstm", new WeightDropDecl(0.5), new LstmDecl(20, 0, 0.2, 0, Masks.TIED)) : f);

        assertOnly(problems(model), Severity.WARNING, Site.of("lstm", Kind.WEIGHT_DROP),
                "'lstm' has @WeightDrop(0.5) and @VariationalLSTM(recurrent = 0.2)",
                "AWD-LSTM uses recurrent = 0 with weight drop");
    }

    @Test
    void weightDropOfZeroWithRecurrentDropoutIsQuiet() {
        // @WeightDrop(0) drops nothing, so U is not regularised twice.
        ModelDecl model = lm(f -> f.name().equals("lstm")
                ? layer("lstm", new WeightDropDecl(0), new LstmDecl(20, 0, 0.2, 0, Masks.TIED)) : f);

        assertEquals(List.of(), problems(model));
    }

    // ---------------------------------------------------------------------------------------
    // Rule 4: per-step masks with recurrent dropout.

    @ParameterizedTest
    @ValueSource(doubles = {0.2, Double.MIN_VALUE, 0.5})
    void perStepMasksWithRecurrentDropout(double recurrent) {
        ModelDecl model = lm(f -> f.name().equals("lstm")
                ? layer("lstm", new LstmDecl(20, 0.5, recurrent, 0.5, Masks.PER_STEP)) : f);

        assertOnly(problems(model), Severity.ERROR, Site.of("lstm", Kind.VARIATIONAL_LSTM, "recurrent"),
                "@VariationalLSTM(masks = PER_STEP, recurrent = " + recurrent + ") on 'lstm'",
                "never drops the recurrent state h",
                "set recurrent = 0, or use masks = TIED");
    }

    @ParameterizedTest
    @ValueSource(strings = {"TIED", "UNTIED"})
    void otherMasksTakeRecurrentDropout(Masks masks) {
        ModelDecl model = lm(f -> f.name().equals("lstm")
                ? layer("lstm", new LstmDecl(20, 0.5, 0.2, 0.5, masks)) : f);

        assertEquals(List.of(), problems(model));
    }

    // ---------------------------------------------------------------------------------------
    // Rule 5: the stack.

    @Test
    void noInputLayer() {
        ModelDecl model = model(layer("lstm", lstm(20)), layer("decoder", softmax(100)));

        assertOnly(problems(model), Severity.ERROR, Site.ofModel(),
                "@Model Lm has no input layer", "declare its first field as @Embedding");
    }

    @Test
    void twoInputLayers() {
        ModelDecl model = model(layer("embedding", embedding(100, 20)), layer("features", new InputDecl(3)),
                layer("lstm", lstm(20)), layer("decoder", softmax(100)));

        assertOnly(problems(model), Severity.ERROR, Site.of("features", Kind.INPUT),
                "'features' is a second input layer (the first is 'embedding')", "so remove one of them");
    }

    @Test
    void threeInputLayersAreTwoErrors() {
        ModelDecl model = model(layer("embedding", embedding(100, 20)), layer("features", new InputDecl(3)),
                layer("more", new InputDecl(3)), layer("lstm", lstm(20)), layer("decoder", softmax(100)));

        List<Problem> problems = problems(model);

        assertEquals(List.of(Site.of("features", Kind.INPUT), Site.of("more", Kind.INPUT)), sites(problems));
    }

    @Test
    void inputLayerNotFirst() {
        ModelDecl model = model(layer("lstm", lstm(20)), layer("embedding", embedding(100, 20)),
                layer("decoder", softmax(100)));

        assertOnly(problems(model), Severity.ERROR, Site.of("embedding", Kind.EMBEDDING),
                "input layer 'embedding' must be the first layer, but 'lstm' is declared before it",
                "move 'embedding' above every other layer field");
    }

    @Test
    void noOutputLayer() {
        ModelDecl model = model(layer("embedding", embedding(100, 20)), layer("lstm", lstm(20)));

        assertOnly(problems(model), Severity.ERROR, Site.ofModel(),
                "@Model Lm has no output layer", "declare its last field as @Softmax(classes = ..)");
    }

    @Test
    void twoOutputLayers() {
        ModelDecl model = model(layer("embedding", embedding(100, 20)), layer("lstm", lstm(20)),
                layer("decoder", softmax(100)), layer("score", new RegressionDecl(1, Over.LAST_STEP)));

        assertOnly(problems(model), Severity.ERROR, Site.of("decoder", Kind.SOFTMAX),
                "'decoder' is a second output layer (the last is 'score')", "so remove one of them");
    }

    @Test
    void outputLayerNotLast() {
        ModelDecl model = model(layer("embedding", embedding(100, 20)), layer("decoder", softmax(100)),
                layer("lstm", lstm(20)));

        assertOnly(problems(model), Severity.ERROR, Site.of("decoder", Kind.SOFTMAX),
                "output layer 'decoder' must be the last layer, but 'lstm' is declared after it",
                "move 'decoder' below every other layer field");
    }

    @Test
    void noRecurrentLayer() {
        ModelDecl model = model(layer("embedding", embedding(100, 20)), layer("decoder", softmax(100)));

        assertOnly(problems(model), Severity.ERROR, Site.ofModel(),
                "@Model Lm has no recurrent layer", "add a @VariationalLSTM(units = ..) field");
    }

    @Test
    void emptyModelLacksEveryLayer() {
        List<Problem> problems = problems(model());

        assertEquals(List.of(Site.ofModel(), Site.ofModel(), Site.ofModel()), sites(problems));
        assertContains(problems.get(0), "has no input layer");
        assertContains(problems.get(1), "has no output layer");
        assertContains(problems.get(2), "has no recurrent layer");
    }

    // ---------------------------------------------------------------------------------------
    // Rule 6: the tied decoder.

    private static final Site TIED = Site.of("decoder", Kind.SOFTMAX, "tiedToEmbedding");

    @Test
    void tiedWithClassesNotVocabulary() {
        ModelDecl model = model(layer("embedding", embedding(100, 20)), layer("lstm", lstm(20)),
                layer("decoder", tied(50)));

        assertOnly(problems(model), Severity.ERROR, TIED,
                "classes (50) must equal the vocabulary of 'embedding' (100)",
                "set classes = 100 or tiedToEmbedding = false");
    }

    @Test
    void tiedWithLastUnitsNotEmbeddingSize() {
        // The first LSTM may have any width; only the last one feeds the decoder.
        ModelDecl model = model(layer("embedding", embedding(100, 20)), layer("lstm1", lstm(20)),
                layer("lstm2", lstm(30)), layer("decoder", tied(100)));

        assertOnly(problems(model), Severity.ERROR, TIED,
                "the last LSTM 'lstm2' must have as many units (30) as the embedding size of 'embedding' (20)",
                "set units = 20 on 'lstm2' or tiedToEmbedding = false");
    }

    @Test
    void tiedWithOnlyTheFirstLstmMatching() {
        ModelDecl model = model(layer("embedding", embedding(100, 20)), layer("lstm1", lstm(64)),
                layer("lstm2", lstm(20)), layer("decoder", tied(100)));

        assertEquals(List.of(), problems(model));
    }

    @Test
    void tiedWithNeitherShapeFitting() {
        ModelDecl model = model(layer("embedding", embedding(100, 20)), layer("lstm", lstm(30)),
                layer("decoder", tied(50)));

        List<Problem> problems = problems(model);

        assertEquals(List.of(TIED, TIED), sites(problems));
        assertContains(problems.get(0), "set classes = 100");
        assertContains(problems.get(1), "set units = 20 on 'lstm'");
    }

    @Test
    void tiedWithInputFeatures() {
        ModelDecl model = model(layer("features", new InputDecl(20)), layer("lstm", lstm(20)),
                layer("decoder", tied(20)));

        assertOnly(problems(model), Severity.ERROR, TIED,
                "reuses the embedding as the decoder, but the model's input is @Input 'features'",
                "set tiedToEmbedding = false or use an @Embedding input");
    }

    @Test
    void tiedWithoutAnyInput() {
        ModelDecl model = model(layer("lstm", lstm(20)), layer("decoder", tied(20)));

        List<Problem> problems = problems(model);

        assertEquals(List.of(Site.ofModel(), TIED), sites(problems));
        assertContains(problems.get(1), "but the model's input is missing");
    }

    @Test
    void tiedWithoutLstmOnlyComplainsOnce() {
        ModelDecl model = model(layer("embedding", embedding(100, 20)), layer("decoder", tied(100)));

        List<Problem> problems = problems(model);

        assertEquals(List.of(Site.ofModel()), sites(problems));
        assertContains(problems.get(0), "has no recurrent layer");
    }

    // ---------------------------------------------------------------------------------------
    // Rule 7: the class and its fields.

    @Test
    void modelOnSomethingElseThanAClass() {
        ModelDecl model = lm(new ModelDecl.Shape(false, true, false, false, false));

        assertOnly(problems(model), Severity.ERROR, Site.ofModel(),
                "@Model on Lm: a model is declared on an abstract class, but this is not a class",
                "declare 'abstract class Lm' instead");
    }

    @Test
    void emptyNonClassIsOneError() {
        ModelDecl model = new ModelDecl("test", "Lm", "Lm", "LmNetwork",
                new ModelDecl.Shape(false, true, false, false, false), List.of());

        assertOnly(problems(model), Severity.ERROR, Site.ofModel(),
                "@Model on Lm: a model is declared on an abstract class, but this is not a class");
    }

    @Test
    void nonClassWithBadFieldsIsOneError() {
        ModelDecl model = new ModelDecl("test", "Lm", "Lm", "not a name",
                new ModelDecl.Shape(false, false, true, false, false),
                List.of(layer("embedding", embedding(-1, 20)), layer("forgotten")));

        assertOnly(problems(model), Severity.ERROR, Site.ofModel(),
                "@Model on Lm: a model is declared on an abstract class, but this is not a class");
    }

    @Test
    void finalModel() {
        ModelDecl model = lm(new ModelDecl.Shape(true, false, true, false, false));

        assertOnly(problems(model), Severity.ERROR, Site.ofModel(),
                "@Model on Lm: a model class cannot be final", "remove 'final'");
    }

    @Test
    void privateModel() {
        ModelDecl model = lm(new ModelDecl.Shape(true, true, false, true, false));

        assertOnly(problems(model), Severity.ERROR, Site.ofModel(),
                "@Model on Lm: the generated network must see the model class, but it is private",
                "make it package-private or public");
    }

    @Test
    void innerModel() {
        ModelDecl model = lm(new ModelDecl.Shape(true, true, false, false, true));

        assertOnly(problems(model), Severity.ERROR, Site.ofModel(),
                "but this is an inner class", "add 'static' to its declaration");
    }

    @Test
    void privateInnerModelHasBothErrors() {
        ModelDecl model = lm(new ModelDecl.Shape(true, true, false, true, true));

        List<Problem> problems = problems(model);

        assertEquals(2, problems.size(), problems::toString);
        assertContains(problems.get(0), "but it is private");
        assertContains(problems.get(1), "but this is an inner class");
    }

    @Test
    void concreteModelWarns() {
        ModelDecl model = lm(new ModelDecl.Shape(true, false, false, false, false));

        assertOnly(problems(model), Severity.WARNING, Site.ofModel(),
                "@Model on Lm: a model class is only a declaration (you instantiate LmNetwork), but it is not"
                        + " abstract", "add 'abstract'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"not a name", "a.b.Net", "class", "1Net", "Net-1", ""})
    void badNetworkName(String name) {
        ModelDecl model = new ModelDecl("test", "Lm", "Lm", name, ModelDecl.Shape.plainAbstractClass(),
                lm().fields());

        assertOnly(problems(model), Severity.ERROR, Site.ofModelAttribute("name"),
                "@Model(name = \"" + name + "\") on Lm: the name of the generated class must be a Java identifier",
                "use a name such as \"LmNetwork\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Custom", "Lm2", "$Net", "Ünïcode"})
    void goodNetworkName(String name) {
        ModelDecl model = new ModelDecl("test", "Lm", "Lm", name, ModelDecl.Shape.plainAbstractClass(),
                lm().fields());

        assertEquals(List.of(), problems(model));
    }

    @Test
    void twoLayerAnnotationsOnOneField() {
        ModelDecl model = model(layer("embedding", embedding(100, 20), lstm(20)), layer("lstm", lstm(20)),
                layer("decoder", softmax(100)));

        assertOnly(problems(model), Severity.ERROR, Site.of("embedding", Kind.VARIATIONAL_LSTM),
                "'embedding' has two layer annotations, @Embedding and @VariationalLSTM",
                "declare the second on a field of its own");
    }

    @Test
    void layerFieldNotOfTypeLayer() {
        ModelDecl model = lm(f -> f.name().equals("lstm")
                ? new FieldDecl("lstm", "java.lang.Object", false, List.of(lstm(20))) : f);

        assertOnly(problems(model), Severity.ERROR, Site.of("lstm", Kind.VARIATIONAL_LSTM),
                "layer field 'lstm' has type java.lang.Object, but layer fields must have type dev.vdrop.dsl.Layer",
                "declare it as 'Layer lstm'");
    }

    @Test
    void layerFieldWithoutAnnotation() {
        ModelDecl model = model(layer("embedding", embedding(100, 20)), layer("lstm", lstm(20)),
                layer("forgotten"), layer("decoder", softmax(100)));

        assertOnly(problems(model), Severity.ERROR, Site.ofField("forgotten"),
                "field 'forgotten' has type Layer but no layer annotation",
                "annotate it with @Embedding, @Input, @VariationalLSTM, @Softmax or @Regression, or remove it");
    }

    // ---------------------------------------------------------------------------------------
    // All problems at once.

    @Test
    void everyProblemOfAModelAtOnce() {
        ModelDecl model = new ModelDecl("test", "Lm", "Lm", "not a name",
                new ModelDecl.Shape(true, true, false, false, true), List.of(
                        layer("embedding", embedding(100, -20), new EmbeddingDropoutDecl(1.5, Scope.SEQUENCE)),
                        layer("lstm", new LstmDecl(20, 0.95, 0.3, 0, Masks.PER_STEP)),
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
                layer("lstm1", new WeightDropDecl(0.5), new LstmDecl(64, 0.3, 0, 0.3, Masks.TIED)),
                layer("lstm2", new LstmDecl(20, 0.3, 0.2, 0.4, Masks.UNTIED)),
                layer("decoder", new SoftmaxDecl(100, Over.LAST_STEP, true))));

        assertEquals(List.of(), validation.problems());
        assertEquals(new NetworkSpec("test", "Lm", "LmNetwork",
                        new NetworkSpec.TokenInput("embedding", 100, 20, 0.1, Scope.BATCH),
                        List.of(new NetworkSpec.LstmSpec("lstm1", 0, 20, 64, 0.3, 0, 0.3, Masks.TIED, 0.5),
                                new NetworkSpec.LstmSpec("lstm2", 1, 64, 20, 0.3, 0.2, 0.4, Masks.UNTIED, 0)),
                        new NetworkSpec.SoftmaxOutput("decoder", 100, Over.LAST_STEP, true)),
                validation.spec().orElseThrow());
    }

    @Test
    void featureModelResolvesToItsSpec() {
        Validation validation = ModelValidator.validate(model(
                layer("readings", new InputDecl(3)),
                layer("lstm", lstm(16)),
                layer("forecast", new RegressionDecl(2, Over.EVERY_STEP))));

        assertEquals(new NetworkSpec("test", "Lm", "LmNetwork", new NetworkSpec.FeatureInput("readings", 3),
                        List.of(new NetworkSpec.LstmSpec("lstm", 0, 3, 16, 0, 0, 0, Masks.TIED, 0)),
                        new NetworkSpec.RegressionOutput("forecast", 2, Over.EVERY_STEP)),
                validation.spec().orElseThrow());
    }

    @Test
    void warningsKeepTheSpec() {
        Validation validation = ModelValidator.validate(lm(f -> f.name().equals("lstm")
                ? layer("lstm", new LstmDecl(20, 0.95, 0, 0, Masks.TIED)) : f));

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
                        layer("forgotten")));
    }

    @ParameterizedTest
    @MethodSource
    void modelsWithAnError(ModelDecl model) {
        Validation validation = ModelValidator.validate(model);

        assertTrue(validation.problems().stream().anyMatch(Problem::isError), validation::toString);
        assertTrue(validation.spec().isEmpty(), validation::toString);
    }

    // ---------------------------------------------------------------------------------------

    private static List<Problem> problems(ModelDecl model) {
        return ModelValidator.validate(model).problems();
    }

    /** A valid plain abstract model {@code test.Lm}: embedding, one LSTM, an untied softmax. */
    private static ModelDecl lm() {
        return model(layer("embedding", embedding(100, 20)), layer("lstm", lstm(20)), layer("decoder", softmax(100)));
    }

    private static ModelDecl lm(ModelDecl.Shape shape) {
        return new ModelDecl("test", "Lm", "Lm", "LmNetwork", shape, lm().fields());
    }

    /** {@link #lm()} with some of its fields replaced. */
    private static ModelDecl lm(Function<FieldDecl, FieldDecl> change) {
        return model(lm().fields().stream().map(change).toArray(FieldDecl[]::new));
    }

    private static ModelDecl model(FieldDecl... fields) {
        return new ModelDecl("test", "Lm", "Lm", "LmNetwork", ModelDecl.Shape.plainAbstractClass(), List.of(fields));
    }

    private static FieldDecl layer(String name, Decl... decls) {
        return new FieldDecl(name, "dev.vdrop.dsl.Layer", true, List.of(decls));
    }

    private static EmbeddingDecl embedding(int vocabulary, int size) {
        return new EmbeddingDecl(vocabulary, size);
    }

    private static LstmDecl lstm(int units) {
        return new LstmDecl(units, 0, 0, 0, Masks.TIED);
    }

    private static SoftmaxDecl softmax(int classes) {
        return new SoftmaxDecl(classes, Over.EVERY_STEP, false);
    }

    private static SoftmaxDecl tied(int classes) {
        return new SoftmaxDecl(classes, Over.EVERY_STEP, true);
    }

    private static List<Site> sites(List<Problem> problems) {
        List<Site> sites = new ArrayList<>();
        problems.forEach(p -> sites.add(p.site()));
        return sites;
    }

    /** Exactly one problem, of this severity, at this site, whose message has every fragment. */
    private static void assertOnly(List<Problem> problems, Severity severity, Site site, String... fragments) {
        assertEquals(1, problems.size(), () -> "expected one problem, got " + problems);
        Problem problem = problems.get(0);
        assertEquals(severity, problem.severity(), problem::message);
        assertEquals(site, problem.site(), problem::message);
        for (String fragment : fragments) {
            assertContains(problem, fragment);
        }
    }

    private static void assertContains(Problem problem, String fragment) {
        assertTrue(problem.message().contains(fragment),
                () -> "expected \"" + fragment + "\" in: " + problem.message());
    }
}
