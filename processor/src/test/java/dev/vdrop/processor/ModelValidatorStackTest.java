package dev.vdrop.processor;

import static dev.vdrop.processor.TestDecls.assertContains;
import static dev.vdrop.processor.TestDecls.assertOnly;
import static dev.vdrop.processor.TestDecls.embedding;
import static dev.vdrop.processor.TestDecls.gru;
import static dev.vdrop.processor.TestDecls.gruLm;
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
import dev.vdrop.processor.Decl.WeightDropDecl;
import dev.vdrop.processor.Problem.Severity;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link ModelValidator} on hand-built declarations, without javac: the rules on how fields and
 * layers fit together — the dropout modifiers beside their layer, one input first, one output last,
 * at least one recurrent layer, a tied decoder whose shapes fit, and what the class and its fields
 * must be — with the site each problem points at. Each rule about a recurrent layer is checked on
 * an LSTM and on a GRU, and its message names the cell that is there.
 */
class ModelValidatorStackTest {

    // ---------------------------------------------------------------------------------------
    // Rule 3: modifiers beside their layer.

    @Test
    void weightDropOnEmbedding() {
        ModelDecl model = lm(f -> f.name().equals("embedding")
                ? layer("embedding", embedding(100, 20), new WeightDropDecl(0.5)) : f);

        assertOnly(problems(model), Severity.ERROR, Site.of("embedding", Kind.WEIGHT_DROP),
                "@WeightDrop on 'embedding' needs a recurrent layer, but 'embedding' is @Embedding",
                "put @WeightDrop on a @VariationalLSTM or @VariationalGRU field");
    }

    @Test
    void weightDropOnAFieldWithoutLayer() {
        ModelDecl model = model(layer("embedding", embedding(100, 20)), layer("lstm", lstm(20)),
                layer("stray", new WeightDropDecl(0.5)), layer("decoder", softmax(100)));

        assertOnly(problems(model), Severity.ERROR, Site.of("stray", Kind.WEIGHT_DROP),
                "@WeightDrop on 'stray' needs a recurrent layer, but 'stray' is not a layer",
                "put @WeightDrop on a @VariationalLSTM or @VariationalGRU field");
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
    void weightDropOnSoftmaxOfAGruModel() {
        ModelDecl model = model(layer("embedding", embedding(100, 20)), layer("gru", gru(20)),
                layer("decoder", softmax(100), new WeightDropDecl(0.5)));

        assertOnly(problems(model), Severity.ERROR, Site.of("decoder", Kind.WEIGHT_DROP),
                "@WeightDrop on 'decoder' needs a recurrent layer, but 'decoder' is @Softmax",
                "put @WeightDrop on a @VariationalLSTM or @VariationalGRU field");
    }

    @Test
    void embeddingDropoutOnGru() {
        ModelDecl model = model(layer("embedding", embedding(100, 20)),
                layer("gru", new EmbeddingDropoutDecl(0.1, Scope.SEQUENCE), gru(20)), layer("decoder", softmax(100)));

        assertOnly(problems(model), Severity.ERROR, Site.of("gru", Kind.EMBEDDING_DROPOUT),
                "@EmbeddingDropout on 'gru' needs an embedding, but 'gru' is @VariationalGRU",
                "put @EmbeddingDropout on the @Embedding field");
    }

    @Test
    void embeddingDropoutOnInput() {
        ModelDecl model = model(layer("readings", new InputDecl(OptionalInt.of(3)), new EmbeddingDropoutDecl(0.1, Scope.BATCH)),
                layer("lstm", lstm(16)), layer("forecast", new RegressionDecl(OptionalInt.of(1), Over.LAST_STEP)));

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
                ? layer("lstm", new WeightDropDecl(0.5), new RecurrentDecl(Cell.LSTM, 20, 0, 0.2, 0, Masks.TIED)) : f);

        assertOnly(problems(model), Severity.WARNING, Site.of("lstm", Kind.WEIGHT_DROP),
                "'lstm' has @WeightDrop(0.5) and @VariationalLSTM(recurrent = 0.2)",
                "AWD-LSTM uses recurrent = 0 with weight drop");
    }

    @Test
    void weightDropOnGruWithRecurrentDropoutWarns() {
        ModelDecl model = model(layer("embedding", embedding(100, 20)),
                layer("gru", new WeightDropDecl(0.5), new RecurrentDecl(Cell.GRU, 20, 0, 0.2, 0, Masks.TIED)),
                layer("decoder", softmax(100)));

        assertOnly(problems(model), Severity.WARNING, Site.of("gru", Kind.WEIGHT_DROP),
                "'gru' has @WeightDrop(0.5) and @VariationalGRU(recurrent = 0.2): U is then regularised twice,"
                        + " by DropConnect on its weights and by dropout on h",
                "AWD-LSTM uses recurrent = 0 with weight drop");
    }

    @Test
    void weightDropOnGruWithoutRecurrentDropoutIsQuiet() {
        ModelDecl model = model(layer("embedding", embedding(100, 20)),
                layer("gru", new RecurrentDecl(Cell.GRU, 20, 0.3, 0, 0.3, Masks.UNTIED), new WeightDropDecl(0.5)),
                layer("decoder", softmax(100)));

        assertEquals(List.of(), problems(model));
    }

    @Test
    void weightDropOfZeroOnGruWithRecurrentDropoutIsQuiet() {
        ModelDecl model = model(layer("embedding", embedding(100, 20)),
                layer("gru", new WeightDropDecl(0), new RecurrentDecl(Cell.GRU, 20, 0, 0.2, 0, Masks.TIED)),
                layer("decoder", softmax(100)));

        assertEquals(List.of(), problems(model));
    }

    @Test
    void weightDropOfZeroWithRecurrentDropoutIsQuiet() {
        // @WeightDrop(0) drops nothing, so U is not regularised twice.
        ModelDecl model = lm(f -> f.name().equals("lstm")
                ? layer("lstm", new WeightDropDecl(0), new RecurrentDecl(Cell.LSTM, 20, 0, 0.2, 0, Masks.TIED)) : f);

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
        ModelDecl model = model(layer("embedding", embedding(100, 20)), layer("features", new InputDecl(OptionalInt.of(3))),
                layer("lstm", lstm(20)), layer("decoder", softmax(100)));

        assertOnly(problems(model), Severity.ERROR, Site.of("features", Kind.INPUT),
                "'features' is a second input layer (the first is 'embedding')", "so remove one of them");
    }

    @Test
    void threeInputLayersAreTwoErrors() {
        ModelDecl model = model(layer("embedding", embedding(100, 20)), layer("features", new InputDecl(OptionalInt.of(3))),
                layer("more", new InputDecl(OptionalInt.of(3))), layer("lstm", lstm(20)), layer("decoder", softmax(100)));

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
    void inputLayerAfterAGru() {
        ModelDecl model = model(layer("gru", gru(20)), layer("embedding", embedding(100, 20)),
                layer("decoder", softmax(100)));

        assertOnly(problems(model), Severity.ERROR, Site.of("embedding", Kind.EMBEDDING),
                "input layer 'embedding' must be the first layer, but 'gru' is declared before it",
                "move 'embedding' above every other layer field");
    }

    @Test
    void noInputLayerBeforeAGru() {
        ModelDecl model = model(layer("gru", gru(20)), layer("decoder", softmax(100)));

        assertOnly(problems(model), Severity.ERROR, Site.ofModel(),
                "@Model Lm has no input layer", "declare its first field as @Embedding");
    }

    @Test
    void outputLayerBeforeAGru() {
        ModelDecl model = model(layer("embedding", embedding(100, 20)), layer("lstm", lstm(20)),
                layer("decoder", softmax(100)), layer("gru", gru(20)));

        assertOnly(problems(model), Severity.ERROR, Site.of("decoder", Kind.SOFTMAX),
                "output layer 'decoder' must be the last layer, but 'gru' is declared after it",
                "move 'decoder' below every other layer field");
    }

    @Test
    void noOutputLayerAfterAGru() {
        ModelDecl model = model(layer("embedding", embedding(100, 20)), layer("gru", gru(20)));

        assertOnly(problems(model), Severity.ERROR, Site.ofModel(),
                "@Model Lm has no output layer", "declare its last field as @Softmax(classes = ..)");
    }

    @Test
    void aGruIsARecurrentLayer() {
        // the rule "at least one recurrent layer" is kept by a GRU alone (gruLm has no LSTM)
        assertEquals(List.of(), problems(gruLm()));
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
                layer("decoder", softmax(100)), layer("score", new RegressionDecl(OptionalInt.of(1), Over.LAST_STEP)));

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
                "@Model Lm has no recurrent layer",
                "add a @VariationalLSTM(units = ..) or @VariationalGRU(units = ..) field between the input and the"
                        + " output layer");
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
    void tiedWithLastGruUnitsNotEmbeddingSize() {
        ModelDecl model = model(layer("embedding", embedding(100, 20)), layer("gru1", gru(20)),
                layer("gru2", gru(30)), layer("decoder", tied(100)));

        assertOnly(problems(model), Severity.ERROR, TIED,
                "the last GRU 'gru2' must have as many units (30) as the embedding size of 'embedding' (20)",
                "set units = 20 on 'gru2' or tiedToEmbedding = false");
    }

    @Test
    void tiedLooksAtTheLastRecurrentLayerWhateverItsCell() {
        // a GRU of the right width under an LSTM that is too wide: the LSTM is at fault, and named so
        ModelDecl lstmOnTop = model(layer("embedding", embedding(100, 20)), layer("gru", gru(20)),
                layer("lstm", lstm(30)), layer("decoder", tied(100)));
        // and the other way round
        ModelDecl gruOnTop = model(layer("embedding", embedding(100, 20)), layer("lstm", lstm(20)),
                layer("gru", gru(30)), layer("decoder", tied(100)));

        assertOnly(problems(lstmOnTop), Severity.ERROR, TIED,
                "the last LSTM 'lstm' must have as many units (30) as the embedding size of 'embedding' (20)",
                "set units = 20 on 'lstm' or tiedToEmbedding = false");
        assertOnly(problems(gruOnTop), Severity.ERROR, TIED,
                "the last GRU 'gru' must have as many units (30) as the embedding size of 'embedding' (20)",
                "set units = 20 on 'gru' or tiedToEmbedding = false");
    }

    @Test
    void tiedWithALastGruMatching() {
        ModelDecl model = model(layer("embedding", embedding(100, 20)), layer("lstm", lstm(64)),
                layer("gru", gru(20)), layer("decoder", tied(100)));

        assertEquals(List.of(), problems(model));
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
        ModelDecl model = model(layer("features", new InputDecl(OptionalInt.of(20))), layer("lstm", lstm(20)),
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
    void lstmAndGruOnOneField() {
        ModelDecl model = model(layer("embedding", embedding(100, 20)), layer("rnn", lstm(20), gru(20)),
                layer("decoder", softmax(100)));

        assertOnly(problems(model), Severity.ERROR, Site.of("rnn", Kind.VARIATIONAL_GRU),
                "'rnn' has two recurrent layer annotations, @VariationalLSTM and @VariationalGRU",
                "a recurrent layer has one cell, so keep the one you mean, or move @VariationalGRU to a field of"
                        + " its own below this one to stack the two");
    }

    @Test
    void gruAndLstmOnOneField() {
        // the second in source order is the one pointed at, whichever cell it is
        ModelDecl model = model(layer("embedding", embedding(100, 20)), layer("rnn", gru(20), lstm(20)),
                layer("decoder", softmax(100)));

        assertOnly(problems(model), Severity.ERROR, Site.of("rnn", Kind.VARIATIONAL_LSTM),
                "'rnn' has two recurrent layer annotations, @VariationalGRU and @VariationalLSTM",
                "or move @VariationalLSTM to a field of its own below this one");
    }

    @Test
    void embeddingAndGruOnOneField() {
        ModelDecl model = model(layer("embedding", embedding(100, 20), gru(20)), layer("gru", gru(20)),
                layer("decoder", softmax(100)));

        assertOnly(problems(model), Severity.ERROR, Site.of("embedding", Kind.VARIATIONAL_GRU),
                "'embedding' has two layer annotations, @Embedding and @VariationalGRU",
                "declare the second on a field of its own");
    }

    @Test
    void gruFieldNotOfTypeLayer() {
        ModelDecl model = model(layer("embedding", embedding(100, 20)),
                new FieldDecl("gru", "java.lang.Object", false, List.of(gru(20))), layer("decoder", softmax(100)));

        assertOnly(problems(model), Severity.ERROR, Site.of("gru", Kind.VARIATIONAL_GRU),
                "layer field 'gru' has type java.lang.Object, but layer fields must have type dev.vdrop.dsl.Layer",
                "declare it as 'Layer gru'");
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
                "annotate it with @Embedding, @Input, @VariationalLSTM, @VariationalGRU, @Softmax or @Regression,"
                        + " or remove it");
    }
}
