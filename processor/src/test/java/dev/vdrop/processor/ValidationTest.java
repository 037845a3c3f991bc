package dev.vdrop.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.Completion;
import javax.annotation.processing.Filer;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Compile-time validation of {@code @Model} classes, through javac: one small source per mistake,
 * each asserting the exact number of errors, the message (rule, value found, fix) and the line the
 * diagnostic points at. Every offending value sits on a line of its own, so the line proves that
 * the processor underlines the annotation value and not just the class.
 */
class ValidationTest {

    /**
     * A valid token language model with every value on a line of its own. The parameterised
     * tests change exactly one of those lines (see {@link #lm(String, String)}).
     */
    private static final String LM = """
            @Model
            abstract class Lm {
                @Embedding(
                        vocabulary = 100,
                        size = 20)
                @EmbeddingDropout(
                        value = 0.1)
                Layer embedding;

                @WeightDrop(
                        value = 0.5)
                @VariationalLSTM(
                        units = 20,
                        input = 0.25,
                        recurrent = 0,
                        output = 0.25)
                Layer lstm;

                @Softmax(
                        classes = 100)
                Layer decoder;
            }
            """;

    /** A valid real-valued model (@Input → LSTM → @Regression), one value per line. */
    private static final String FORECAST = """
            @Model
            abstract class Forecast {
                @Input(
                        features = 3)
                Layer readings;

                @VariationalLSTM(
                        units = 16,
                        input = 0.2,
                        recurrent = 0.2,
                        output = 0.2)
                Layer lstm;

                @Regression(
                        outputs = 1)
                Layer forecast;
            }
            """;

    // ---------------------------------------------------------------------------------------
    // Rule 1: a dropout probability must be in [0, 1).

    static Stream<Arguments> probabilityOutOfRange() {
        // annotation, attribute, field, the line of LM that sets it
        List<String[]> sites = List.of(
                new String[] {"@EmbeddingDropout", "value", "embedding", "value = 0.1"},
                new String[] {"@WeightDrop", "value", "lstm", "value = 0.5"},
                new String[] {"@VariationalLSTM", "input", "lstm", "input = 0.25"},
                new String[] {"@VariationalLSTM", "recurrent", "lstm", "recurrent = 0"},
                new String[] {"@VariationalLSTM", "output", "lstm", "output = 0.25"});
        // as written in source, as printed in the message
        List<String[]> values = List.of(
                new String[] {"1.0", "1.0"},
                new String[] {"-0.1", "-0.1"},
                new String[] {"1.5", "1.5"},
                new String[] {"Double.NaN", "NaN"},
                new String[] {"0.0 / 0.0", "NaN"});
        return sites.stream().flatMap(site -> values.stream()
                .map(value -> Arguments.of(site[0], site[1], site[2], site[3], value[0], value[1])));
    }

    @ParameterizedTest(name = "{0}({1} = {4})")
    @MethodSource
    void probabilityOutOfRange(
            String annotation, String attribute, String field, String validLine, String written, String shown) {
        String badLine = attribute + " = " + written;
        JavaFileObject source = source("test.Lm", lm(validLine, badLine));

        Compilation compilation = compile(source);

        assertThat(compilation).failed();
        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation)
                .hadErrorContaining(annotation + "(" + attribute + " = " + shown + ") on '" + field
                        + "': a dropout probability must be in [0, 1), but it is " + shown
                        + "; use a value such as 0.25")
                .inFile(source)
                .onLineContaining(badLine);
        assertNothingGenerated(compilation);
    }

    @Test
    void probabilityZeroIsAllowed() {
        JavaFileObject source = source("test.Lm", lm("input = 0.25", "input = 0.0"));

        Compilation compilation = compile(source);

        assertThat(compilation).succeededWithoutWarnings();
    }

    // ---------------------------------------------------------------------------------------
    // Rule 2: sizes must be positive.

    static Stream<Arguments> sizeNotPositive() {
        // model, annotation, attribute, field, the valid line, the fix named in the message
        List<String[]> sites = List.of(
                new String[] {"Lm", "@Embedding", "vocabulary", "embedding", "vocabulary = 100", "word types"},
                new String[] {"Lm", "@Embedding", "size", "embedding", "size = 20",
                        "weights in each embedding vector"},
                new String[] {"Lm", "@VariationalLSTM", "units", "lstm", "units = 20", "hidden units"},
                new String[] {"Lm", "@Softmax", "classes", "decoder", "classes = 100",
                        "classes (the vocabulary size for a language model)"},
                new String[] {"Forecast", "@Input", "features", "readings", "features = 3",
                        "values read at each step"},
                new String[] {"Forecast", "@Regression", "outputs", "forecast", "outputs = 1",
                        "real values predicted"});
        return sites.stream().flatMap(site -> Stream.of("0", "-1")
                .map(value -> Arguments.of(site[0], site[1], site[2], site[3], site[4], site[5], value)));
    }

    @ParameterizedTest(name = "{1}({2} = {6})")
    @MethodSource
    void sizeNotPositive(String model, String annotation, String attribute, String field, String validLine,
            String fix, String value) {
        String badLine = attribute + " = " + value;
        String template = model.equals("Lm") ? LM : FORECAST;
        JavaFileObject source = source("test." + model, replaceLine(template, validLine, badLine));

        Compilation compilation = compile(source);

        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation)
                .hadErrorContaining(annotation + "(" + attribute + " = " + value + ") on '" + field + "': "
                        + attribute + " must be positive, but it is " + value + "; set it to the number of " + fix)
                .inFile(source)
                .onLineContaining(badLine);
        assertNothingGenerated(compilation);
    }

    // ---------------------------------------------------------------------------------------
    // Rule 3: the dropout modifiers belong beside their layer.

    @Test
    void weightDropOnEmbedding() {
        JavaFileObject source = source("test.Lm", """
                @Model
                abstract class Lm {
                    @Embedding(vocabulary = 100, size = 20)
                    @WeightDrop(0.5)
                    Layer embedding;

                    @VariationalLSTM(units = 20)
                    Layer lstm;

                    @Softmax(classes = 100)
                    Layer decoder;
                }
                """);

        Compilation compilation = compile(source);

        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation)
                .hadErrorContaining("@WeightDrop on 'embedding' needs a recurrent layer, but 'embedding' is"
                        + " @Embedding; put @WeightDrop on a @VariationalLSTM field")
                .inFile(source)
                .onLineContaining("@WeightDrop(0.5)");
    }

    @Test
    void weightDropOnSoftmax() {
        JavaFileObject source = source("test.Lm", """
                @Model
                abstract class Lm {
                    @Embedding(vocabulary = 100, size = 20)
                    Layer embedding;

                    @VariationalLSTM(units = 20)
                    Layer lstm;

                    @WeightDrop(0.5)
                    @Softmax(classes = 100)
                    Layer decoder;
                }
                """);

        Compilation compilation = compile(source);

        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation)
                .hadErrorContaining("@WeightDrop on 'decoder' needs a recurrent layer, but 'decoder' is @Softmax;"
                        + " put @WeightDrop on a @VariationalLSTM field")
                .inFile(source)
                .onLineContaining("@WeightDrop(0.5)");
    }

    @Test
    void embeddingDropoutOnLstm() {
        JavaFileObject source = source("test.Lm", """
                @Model
                abstract class Lm {
                    @Embedding(vocabulary = 100, size = 20)
                    Layer embedding;

                    @EmbeddingDropout(0.1)
                    @VariationalLSTM(units = 20)
                    Layer lstm;

                    @Softmax(classes = 100)
                    Layer decoder;
                }
                """);

        Compilation compilation = compile(source);

        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation)
                .hadErrorContaining("@EmbeddingDropout on 'lstm' needs an embedding, but 'lstm' is"
                        + " @VariationalLSTM; put @EmbeddingDropout on the @Embedding field")
                .inFile(source)
                .onLineContaining("@EmbeddingDropout(0.1)");
    }

    @Test
    void embeddingDropoutOnInput() {
        JavaFileObject source = source("test.Forecast", """
                @Model
                abstract class Forecast {
                    @Input(features = 3)
                    @EmbeddingDropout(0.1)
                    Layer readings;

                    @VariationalLSTM(units = 16)
                    Layer lstm;

                    @Regression(outputs = 1)
                    Layer forecast;
                }
                """);

        Compilation compilation = compile(source);

        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation)
                .hadErrorContaining("@EmbeddingDropout on 'readings' needs an embedding, but 'readings' is @Input;"
                        + " put @EmbeddingDropout on the @Embedding field")
                .inFile(source)
                .onLineContaining("@EmbeddingDropout(0.1)");
    }

    // ---------------------------------------------------------------------------------------
    // Rule 4: per-step (Zaremba) masks never drop h.

    @ParameterizedTest
    @ValueSource(strings = {"0.2", "0.95"})
    void perStepMasksWithRecurrentDropout(String recurrent) {
        JavaFileObject source = source("test.Lm", """
                @Model
                abstract class Lm {
                    @Embedding(vocabulary = 100, size = 20)
                    Layer embedding;

                    @VariationalLSTM(
                            units = 20,
                            input = 0.5,
                            recurrent = %s,
                            output = 0.5,
                            masks = Masks.PER_STEP)
                    Layer lstm;

                    @Softmax(classes = 100)
                    Layer decoder;
                }
                """.formatted(recurrent));

        Compilation compilation = compile(source);

        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation)
                .hadErrorContaining("@VariationalLSTM(masks = PER_STEP, recurrent = " + recurrent + ") on 'lstm':"
                        + " per-step (Zaremba) dropout never drops the recurrent state h; set recurrent = 0,"
                        + " or use masks = TIED")
                .inFile(source)
                .onLineContaining("recurrent = " + recurrent);
    }

    // ---------------------------------------------------------------------------------------
    // Rule 5: one input first, one output last, at least one LSTM.

    @Test
    void noInputLayer() {
        JavaFileObject source = source("test.Lm", """
                @Model
                abstract class Lm {
                    @VariationalLSTM(units = 20)
                    Layer lstm;

                    @Softmax(classes = 100)
                    Layer decoder;
                }
                """);

        Compilation compilation = compile(source);

        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation)
                .hadErrorContaining("@Model Lm has no input layer; declare its first field as"
                        + " @Embedding(vocabulary = .., size = ..) for tokens or @Input(features = ..)")
                .inFile(source)
                .onLineContaining("@Model");
    }

    @Test
    void twoInputLayers() {
        JavaFileObject source = source("test.Lm", """
                @Model
                abstract class Lm {
                    @Embedding(vocabulary = 100, size = 20)
                    Layer embedding;

                    @Input(features = 3)
                    Layer features;

                    @VariationalLSTM(units = 20)
                    Layer lstm;

                    @Softmax(classes = 100)
                    Layer decoder;
                }
                """);

        Compilation compilation = compile(source);

        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation)
                .hadErrorContaining("'features' is a second input layer (the first is 'embedding'); a model has"
                        + " exactly one input layer, so remove one of them")
                .inFile(source)
                .onLineContaining("@Input(features = 3)");
    }

    @Test
    void inputLayerNotFirst() {
        JavaFileObject source = source("test.Lm", """
                @Model
                abstract class Lm {
                    @VariationalLSTM(units = 20)
                    Layer lstm;

                    @Embedding(vocabulary = 100, size = 20)
                    Layer embedding;

                    @Softmax(classes = 100)
                    Layer decoder;
                }
                """);

        Compilation compilation = compile(source);

        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation)
                .hadErrorContaining("input layer 'embedding' must be the first layer, but 'lstm' is declared before"
                        + " it; move 'embedding' above every other layer field")
                .inFile(source)
                .onLineContaining("@Embedding(vocabulary = 100, size = 20)");
    }

    @Test
    void noOutputLayer() {
        JavaFileObject source = source("test.Lm", """
                @Model
                abstract class Lm {
                    @Embedding(vocabulary = 100, size = 20)
                    Layer embedding;

                    @VariationalLSTM(units = 20)
                    Layer lstm;
                }
                """);

        Compilation compilation = compile(source);

        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation)
                .hadErrorContaining("@Model Lm has no output layer; declare its last field as"
                        + " @Softmax(classes = ..) for classes or tokens or @Regression(outputs = ..)")
                .inFile(source)
                .onLineContaining("@Model");
    }

    @Test
    void twoOutputLayers() {
        JavaFileObject source = source("test.Lm", """
                @Model
                abstract class Lm {
                    @Embedding(vocabulary = 100, size = 20)
                    Layer embedding;

                    @VariationalLSTM(units = 20)
                    Layer lstm;

                    @Softmax(classes = 100)
                    Layer decoder;

                    @Regression(outputs = 1)
                    Layer score;
                }
                """);

        Compilation compilation = compile(source);

        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation)
                .hadErrorContaining("'decoder' is a second output layer (the last is 'score'); a model has"
                        + " exactly one output layer, so remove one of them")
                .inFile(source)
                .onLineContaining("@Softmax(classes = 100)");
    }

    @Test
    void outputLayerNotLast() {
        JavaFileObject source = source("test.Lm", """
                @Model
                abstract class Lm {
                    @Embedding(vocabulary = 100, size = 20)
                    Layer embedding;

                    @Softmax(classes = 100)
                    Layer decoder;

                    @VariationalLSTM(units = 20)
                    Layer lstm;
                }
                """);

        Compilation compilation = compile(source);

        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation)
                .hadErrorContaining("output layer 'decoder' must be the last layer, but 'lstm' is declared after"
                        + " it; move 'decoder' below every other layer field")
                .inFile(source)
                .onLineContaining("@Softmax(classes = 100)");
    }

    @Test
    void noRecurrentLayer() {
        JavaFileObject source = source("test.Lm", """
                @Model
                abstract class Lm {
                    @Embedding(vocabulary = 100, size = 20)
                    Layer embedding;

                    @Softmax(classes = 100)
                    Layer decoder;
                }
                """);

        Compilation compilation = compile(source);

        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation)
                .hadErrorContaining("@Model Lm has no recurrent layer; add a @VariationalLSTM(units = ..) field"
                        + " between the input and the output layer")
                .inFile(source)
                .onLineContaining("@Model");
    }

    @Test
    void emptyModelLacksEveryLayer() {
        JavaFileObject source = source("test.Lm", """
                @Model
                abstract class Lm {
                }
                """);

        Compilation compilation = compile(source);

        assertThat(compilation).hadErrorCount(3);
        assertThat(compilation).hadErrorContaining("@Model Lm has no input layer")
                .inFile(source).onLineContaining("@Model");
        assertThat(compilation).hadErrorContaining("@Model Lm has no output layer")
                .inFile(source).onLineContaining("@Model");
        assertThat(compilation).hadErrorContaining("@Model Lm has no recurrent layer")
                .inFile(source).onLineContaining("@Model");
    }

    // ---------------------------------------------------------------------------------------
    // Rule 6: a tied decoder reuses the embedding, so the shapes must fit.

    @Test
    void tiedDecoderWithClassesNotVocabulary() {
        JavaFileObject source = source("test.Lm", """
                @Model
                abstract class Lm {
                    @Embedding(vocabulary = 100, size = 20)
                    Layer embedding;

                    @VariationalLSTM(units = 20)
                    Layer lstm;

                    @Softmax(
                            classes = 50,
                            tiedToEmbedding = true)
                    Layer decoder;
                }
                """);

        Compilation compilation = compile(source);

        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation)
                .hadErrorContaining("@Softmax(tiedToEmbedding = true) on 'decoder' reuses the embedding as the"
                        + " decoder, so classes (50) must equal the vocabulary of 'embedding' (100); set"
                        + " classes = 100 or tiedToEmbedding = false")
                .inFile(source)
                .onLineContaining("tiedToEmbedding = true");
    }

    @Test
    void tiedDecoderWithUnitsNotEmbeddingSize() {
        JavaFileObject source = source("test.Lm", """
                @Model
                abstract class Lm {
                    @Embedding(vocabulary = 100, size = 20)
                    Layer embedding;

                    @VariationalLSTM(units = 64)
                    Layer lstm1;

                    @VariationalLSTM(units = 30)
                    Layer lstm2;

                    @Softmax(
                            classes = 100,
                            tiedToEmbedding = true)
                    Layer decoder;
                }
                """);

        Compilation compilation = compile(source);

        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation)
                .hadErrorContaining("@Softmax(tiedToEmbedding = true) on 'decoder' reuses the embedding as the"
                        + " decoder, so the last LSTM 'lstm2' must have as many units (30) as the embedding size"
                        + " of 'embedding' (20); set units = 20 on 'lstm2' or tiedToEmbedding = false")
                .inFile(source)
                .onLineContaining("tiedToEmbedding = true");
    }

    @Test
    void tiedDecoderWithoutEmbedding() {
        JavaFileObject source = source("test.Tagger", """
                @Model
                abstract class Tagger {
                    @Input(features = 20)
                    Layer features;

                    @VariationalLSTM(units = 20)
                    Layer lstm;

                    @Softmax(
                            classes = 20,
                            tiedToEmbedding = true)
                    Layer tags;
                }
                """);

        Compilation compilation = compile(source);

        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation)
                .hadErrorContaining("@Softmax(tiedToEmbedding = true) on 'tags' reuses the embedding as the"
                        + " decoder, but the model's input is @Input 'features'; set tiedToEmbedding = false or"
                        + " use an @Embedding input")
                .inFile(source)
                .onLineContaining("tiedToEmbedding = true");
    }

    @Test
    void tiedDecoderWithNeitherShapeFitting() {
        JavaFileObject source = source("test.Lm", """
                @Model
                abstract class Lm {
                    @Embedding(vocabulary = 100, size = 20)
                    Layer embedding;

                    @VariationalLSTM(units = 30)
                    Layer lstm;

                    @Softmax(
                            classes = 50,
                            tiedToEmbedding = true)
                    Layer decoder;
                }
                """);

        Compilation compilation = compile(source);

        assertThat(compilation).hadErrorCount(2);
        assertThat(compilation).hadErrorContaining("set classes = 100 or tiedToEmbedding = false")
                .inFile(source).onLineContaining("tiedToEmbedding = true");
        assertThat(compilation).hadErrorContaining("set units = 20 on 'lstm' or tiedToEmbedding = false")
                .inFile(source).onLineContaining("tiedToEmbedding = true");
    }

    // ---------------------------------------------------------------------------------------
    // Rule 7: where the annotations are.

    @Test
    void finalModelClass() {
        JavaFileObject source = source("test.Lm", """
                @Model
                final class Lm {
                    @Embedding(vocabulary = 100, size = 20)
                    Layer embedding;

                    @VariationalLSTM(units = 20)
                    Layer lstm;

                    @Softmax(classes = 100)
                    Layer decoder;
                }
                """);

        Compilation compilation = compile(source);

        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation).hadWarningCount(0);
        assertThat(compilation)
                .hadErrorContaining("@Model on Lm: a model class cannot be final, but it is; remove 'final' and"
                        + " make it abstract")
                .inFile(source)
                .onLineContaining("@Model");
    }

    @Test
    void privateModelClass() {
        JavaFileObject source = source("test.Outer", """
                class Outer {
                    @Model
                    private abstract static class Lm {
                        @Embedding(vocabulary = 100, size = 20)
                        Layer embedding;

                        @VariationalLSTM(units = 20)
                        Layer lstm;

                        @Softmax(classes = 100)
                        Layer decoder;
                    }
                }
                """);

        Compilation compilation = compile(source);

        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation)
                .hadErrorContaining("@Model on Outer.Lm: the generated network must see the model class, but it is"
                        + " private; make it package-private or public")
                .inFile(source)
                .onLineContaining("@Model");
        assertNothingGenerated(compilation);
    }

    @Test
    void modelClassInsidePrivateClass() {
        JavaFileObject source = source("test.Outer", """
                class Outer {
                    private static class Hidden {
                        @Model
                        abstract static class Lm {
                            @Embedding(vocabulary = 100, size = 20)
                            Layer embedding;

                            @VariationalLSTM(units = 20)
                            Layer lstm;

                            @Softmax(classes = 100)
                            Layer decoder;
                        }
                    }
                }
                """);

        Compilation compilation = compile(source);

        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation)
                .hadErrorContaining("@Model on Outer.Hidden.Lm: the generated network must see the model class,"
                        + " but it is private")
                .inFile(source)
                .onLineContaining("@Model");
    }

    @Test
    void innerModelClass() {
        JavaFileObject source = source("test.Outer", """
                class Outer {
                    @Model
                    abstract class Lm {
                        @Embedding(vocabulary = 100, size = 20)
                        Layer embedding;

                        @VariationalLSTM(units = 20)
                        Layer lstm;

                        @Softmax(classes = 100)
                        Layer decoder;
                    }
                }
                """);

        Compilation compilation = compile(source);

        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation)
                .hadErrorContaining("@Model on Outer.Lm: a model class must be top level or a static nested class,"
                        + " but this is an inner class; add 'static' to its declaration")
                .inFile(source)
                .onLineContaining("@Model");
        assertNothingGenerated(compilation);
    }

    @Test
    void staticNestedModelClassIsFine() {
        JavaFileObject source = source("test.Outer", """
                class Outer {
                    @Model
                    abstract static class Lm {
                        @Embedding(vocabulary = 100, size = 20)
                        Layer embedding;

                        @VariationalLSTM(units = 20)
                        Layer lstm;

                        @Softmax(classes = 100)
                        Layer decoder;
                    }
                }
                """);

        Compilation compilation = compile(source);

        assertThat(compilation).succeededWithoutWarnings();
        assertGenerated(compilation, "test.LmNetwork");
    }

    @Test
    void modelOnInterface() {
        JavaFileObject source = source("test.Lm", """
                @Model
                interface Lm {
                    @Embedding(vocabulary = 100, size = 20)
                    Layer embedding = null;

                    @VariationalLSTM(units = 20)
                    Layer lstm = null;

                    @Softmax(classes = 100)
                    Layer decoder = null;
                }
                """);

        Compilation compilation = compile(source);

        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation)
                .hadErrorContaining("@Model on Lm: a model is declared on an abstract class, but this is not a"
                        + " class; declare 'abstract class Lm' instead")
                .inFile(source)
                .onLineContaining("@Model");
        assertNothingGenerated(compilation);
    }

    @ParameterizedTest
    @ValueSource(strings = {"interface Lm {}", "enum Lm {}", "enum Lm { A, B; Layer forgotten; }",
        "@interface Lm {}", "record Lm() {}"})
    void modelOnSomethingElseIsOneError(String declaration) {
        JavaFileObject source = source("test.Lm", "@Model\n" + declaration + "\n");

        Compilation compilation = compile(source);

        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation)
                .hadErrorContaining("@Model on Lm: a model is declared on an abstract class, but this is not a"
                        + " class; declare 'abstract class Lm' instead")
                .inFile(source)
                .onLineContaining("@Model");
        assertNothingGenerated(compilation);
    }

    @Test
    void modelWithBadName() {
        JavaFileObject source = source("test.Lm", """
                @Model(
                        name = "not a name")
                abstract class Lm {
                    @Embedding(vocabulary = 100, size = 20)
                    Layer embedding;

                    @VariationalLSTM(units = 20)
                    Layer lstm;

                    @Softmax(classes = 100)
                    Layer decoder;
                }
                """);

        Compilation compilation = compile(source);

        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation)
                .hadErrorContaining("@Model(name = \"not a name\") on Lm: the name of the generated class must be a"
                        + " Java identifier, but it is not; use a name such as \"LmNetwork\"")
                .inFile(source)
                .onLineContaining("name = \"not a name\"");
        assertNothingGenerated(compilation);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a.b.Net", "class", "1Net"})
    void modelWithOtherBadNames(String name) {
        JavaFileObject source = source("test.Lm", """
                @Model(
                        name = "%s")
                abstract class Lm {
                    @Embedding(vocabulary = 100, size = 20)
                    Layer embedding;

                    @VariationalLSTM(units = 20)
                    Layer lstm;

                    @Softmax(classes = 100)
                    Layer decoder;
                }
                """.formatted(name));

        Compilation compilation = compile(source);

        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation)
                .hadErrorContaining("@Model(name = \"" + name + "\") on Lm: the name of the generated class must be"
                        + " a Java identifier")
                .inFile(source)
                .onLineContaining("name = \"" + name + "\"");
    }

    @Test
    void modelNotAbstractIsOnlyAWarning() {
        JavaFileObject source = source("test.Lm", """
                @Model
                class Lm {
                    @Embedding(vocabulary = 100, size = 20)
                    Layer embedding;

                    @VariationalLSTM(units = 20)
                    Layer lstm;

                    @Softmax(classes = 100)
                    Layer decoder;
                }
                """);

        Compilation compilation = compile(source);

        assertThat(compilation).succeeded();
        assertThat(compilation).hadWarningCount(1);
        assertThat(compilation)
                .hadWarningContaining("@Model on Lm: a model class is only a declaration (you instantiate"
                        + " LmNetwork), but it is not abstract; add 'abstract'")
                .inFile(source)
                .onLineContaining("@Model");
        assertGenerated(compilation, "test.LmNetwork");
    }

    @Test
    void layerAnnotationOutsideModel() {
        JavaFileObject source = source("test.Plain", """
                class Plain {
                    @Embedding(vocabulary = 100, size = 20)
                    Layer embedding;
                }
                """);

        Compilation compilation = compile(source);

        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation)
                .hadErrorContaining("@Embedding on 'embedding' in Plain, which has no @Model: layers only exist"
                        + " inside a model; annotate Plain with @Model or remove @Embedding")
                .inFile(source)
                .onLineContaining("@Embedding(vocabulary = 100, size = 20)");
    }

    @Test
    void everyLayerAnnotationOutsideModelIsReported() {
        JavaFileObject source = source("test.Plain", """
                class Plain {
                    @VariationalLSTM(units = 20)
                    @WeightDrop(0.5)
                    Layer lstm;
                }
                """);

        Compilation compilation = compile(source);

        assertThat(compilation).hadErrorCount(2);
        assertThat(compilation)
                .hadErrorContaining("@VariationalLSTM on 'lstm' in Plain, which has no @Model")
                .inFile(source)
                .onLineContaining("@VariationalLSTM(units = 20)");
        assertThat(compilation)
                .hadErrorContaining("@WeightDrop on 'lstm' in Plain, which has no @Model")
                .inFile(source)
                .onLineContaining("@WeightDrop(0.5)");
    }

    @Test
    void twoLayerAnnotationsOnOneField() {
        JavaFileObject source = source("test.Lm", """
                @Model
                abstract class Lm {
                    @Embedding(vocabulary = 100, size = 20)
                    @VariationalLSTM(units = 20)
                    Layer embedding;

                    @VariationalLSTM(units = 20)
                    Layer lstm;

                    @Softmax(classes = 100)
                    Layer decoder;
                }
                """);

        Compilation compilation = compile(source);

        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation)
                .hadErrorContaining("'embedding' has two layer annotations, @Embedding and @VariationalLSTM; a field"
                        + " is one layer, so declare the second on a field of its own")
                .inFile(source)
                .onLine(8);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Object", "String", "int", "Layer[]"})
    void layerFieldNotOfTypeLayer(String type) {
        JavaFileObject source = source("test.Lm", """
                @Model
                abstract class Lm {
                    @Embedding(vocabulary = 100, size = 20)
                    Layer embedding;

                    @VariationalLSTM(units = 20)
                    %s lstm;

                    @Softmax(classes = 100)
                    Layer decoder;
                }
                """.formatted(type));

        Compilation compilation = compile(source);

        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation)
                .hadErrorContaining("layer field 'lstm' has type ")
                .inFile(source)
                .onLineContaining("@VariationalLSTM(units = 20)");
        assertThat(compilation)
                .hadErrorContaining(type + ", but layer fields must have type dev.vdrop.dsl.Layer; declare it as"
                        + " 'Layer lstm'");
    }

    @Test
    void layerFieldWithoutAnnotation() {
        JavaFileObject source = source("test.Lm", """
                @Model
                abstract class Lm {
                    @Embedding(vocabulary = 100, size = 20)
                    Layer embedding;

                    @VariationalLSTM(units = 20)
                    Layer lstm;

                    Layer forgotten;

                    @Softmax(classes = 100)
                    Layer decoder;
                }
                """);

        Compilation compilation = compile(source);

        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation)
                .hadErrorContaining("field 'forgotten' has type Layer but no layer annotation; annotate it with"
                        + " @Embedding, @Input, @VariationalLSTM, @Softmax or @Regression, or remove it")
                .inFile(source)
                .onLineContaining("Layer forgotten;");
    }

    @Test
    void otherFieldsAreIgnored() {
        JavaFileObject source = source("test.Lm", """
                @Model
                abstract class Lm {
                    static final int VOCABULARY = 100;
                    String description = "a small language model";

                    @Embedding(vocabulary = VOCABULARY, size = 20)
                    Layer embedding;

                    @VariationalLSTM(units = 20)
                    Layer lstm;

                    @Softmax(classes = VOCABULARY)
                    Layer decoder;
                }
                """);

        Compilation compilation = compile(source);

        assertThat(compilation).succeededWithoutWarnings();
        assertGenerated(compilation, "test.LmNetwork");
    }

    // ---------------------------------------------------------------------------------------
    // Warnings: valid, but probably not meant.

    static Stream<Arguments> highProbability() {
        // annotation, attribute, field, the line of LM that sets it
        return Stream.of(
                Arguments.of("@EmbeddingDropout", "value", "embedding", "value = 0.1"),
                Arguments.of("@WeightDrop", "value", "lstm", "value = 0.5"),
                Arguments.of("@VariationalLSTM", "input", "lstm", "input = 0.25"),
                Arguments.of("@VariationalLSTM", "output", "lstm", "output = 0.25"));
    }

    @ParameterizedTest(name = "{0}({1} = 0.9)")
    @MethodSource
    void highProbability(String annotation, String attribute, String field, String validLine) {
        String highLine = attribute + " = 0.9";
        JavaFileObject source = source("test.Lm", lm(validLine, highLine));

        Compilation compilation = compile(source);

        assertThat(compilation).succeeded();
        assertThat(compilation).hadWarningCount(1);
        assertThat(compilation)
                .hadWarningContaining(annotation + "(" + attribute + " = 0.9) on '" + field + "': a dropout"
                        + " probability of 0.9 keeps fewer than one unit in ten, which makes training slow and"
                        + " noisy; values between 0.1 and 0.5 are usual")
                .inFile(source)
                .onLineContaining(highLine);
        assertGenerated(compilation, "test.LmNetwork");
    }

    @Test
    void highRecurrentProbability() {
        // Without @WeightDrop, so that recurrent dropout draws no second warning.
        JavaFileObject source = source("test.Forecast", replaceLine(FORECAST, "recurrent = 0.2", "recurrent = 0.99"));

        Compilation compilation = compile(source);

        assertThat(compilation).succeeded();
        assertThat(compilation).hadWarningCount(1);
        assertThat(compilation)
                .hadWarningContaining("@VariationalLSTM(recurrent = 0.99) on 'lstm': a dropout probability of 0.99"
                        + " keeps fewer than one unit in ten")
                .inFile(source)
                .onLineContaining("recurrent = 0.99");
    }

    @Test
    void probabilityJustBelowTheWarningDrawsNone() {
        JavaFileObject source = source("test.Lm", lm("output = 0.25", "output = 0.89"));

        Compilation compilation = compile(source);

        assertThat(compilation).succeededWithoutWarnings();
    }

    @Test
    void weightDropWithRecurrentDropout() {
        JavaFileObject source = source("test.Lm", """
                @Model
                abstract class Lm {
                    @Embedding(vocabulary = 100, size = 20)
                    Layer embedding;

                    @WeightDrop(0.5)
                    @VariationalLSTM(units = 20, recurrent = 0.2)
                    Layer lstm;

                    @Softmax(classes = 100)
                    Layer decoder;
                }
                """);

        Compilation compilation = compile(source);

        assertThat(compilation).succeeded();
        assertThat(compilation).hadWarningCount(1);
        assertThat(compilation)
                .hadWarningContaining("'lstm' has @WeightDrop(0.5) and @VariationalLSTM(recurrent = 0.2): U is then"
                        + " regularised twice, by DropConnect on its weights and by dropout on h; AWD-LSTM uses"
                        + " recurrent = 0 with weight drop")
                .inFile(source)
                .onLineContaining("@WeightDrop(0.5)");
        assertGenerated(compilation, "test.LmNetwork");
    }

    // ---------------------------------------------------------------------------------------
    // Every error in one compile; nothing generated for a class in error; no exception to javac.

    @Test
    void everyErrorOfAClassInOneCompile() {
        JavaFileObject source = source("test.Lm", """
                @Model
                abstract class Lm {
                    @Embedding(
                            vocabulary = 100,
                            size = -20)
                    @EmbeddingDropout(
                            1.5)
                    Layer embedding;

                    @VariationalLSTM(
                            units = 20,
                            recurrent = 0.3,
                            masks = Masks.PER_STEP)
                    Layer lstm;

                    Layer forgotten;

                    @Softmax(
                            classes = 0)
                    Layer decoder;

                    @WeightDrop(0.5)
                    Layer stray;
                }
                """);

        Compilation compilation = compile(source);

        assertThat(compilation).hadErrorCount(6);
        assertThat(compilation).hadErrorContaining("@Embedding(size = -20) on 'embedding'")
                .inFile(source).onLineContaining("size = -20");
        assertThat(compilation).hadErrorContaining("@EmbeddingDropout(value = 1.5) on 'embedding'")
                .inFile(source).onLineContaining("1.5)");
        assertThat(compilation).hadErrorContaining("@VariationalLSTM(masks = PER_STEP, recurrent = 0.3) on 'lstm'")
                .inFile(source).onLineContaining("recurrent = 0.3");
        assertThat(compilation).hadErrorContaining("field 'forgotten' has type Layer but no layer annotation")
                .inFile(source).onLineContaining("Layer forgotten;");
        assertThat(compilation).hadErrorContaining("@Softmax(classes = 0) on 'decoder'")
                .inFile(source).onLineContaining("classes = 0");
        assertThat(compilation).hadErrorContaining("@WeightDrop on 'stray' needs a recurrent layer, but 'stray' is"
                        + " not a layer")
                .inFile(source).onLineContaining("@WeightDrop(0.5)");
        assertNothingGenerated(compilation);
    }

    @Test
    void onlyTheClassInErrorIsAbandoned() {
        JavaFileObject broken = source("test.Broken", replaceLine(LM.replace("class Lm", "class Broken"),
                "units = 20", "units = 0"));
        JavaFileObject fine = source("test.Lm", LM);

        Compilation compilation = compile(broken, fine);

        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation).hadErrorContaining("@VariationalLSTM(units = 0) on 'lstm'")
                .inFile(broken).onLineContaining("units = 0");
        assertEquals(List.of("test.LmNetwork"), written, "only the class without errors is generated");
    }

    static Stream<Arguments> javacErrorOnly() {
        // the line of LM, the line with javac's error, javac's message
        return Stream.of(
                Arguments.of("units = 20", "units = UNTIS", "cannot find symbol"),
                Arguments.of("vocabulary = 100", "vocabulary = Sizes.VOCABULARY", "cannot find symbol"),
                Arguments.of("output = 0.25)", "output = 0.25, masks = Masks.TIDE)", "cannot find symbol"),
                Arguments.of("classes = 100)", "classes = \"100\")", "incompatible types"),
                Arguments.of("recurrent = 0,", "recurrent = Masks.TIED,", "incompatible types"),
                Arguments.of("@Model", "@Model(name = NAME)", "cannot find symbol"));
    }

    /**
     * A value or annotation javac cannot resolve is javac's error alone: vdrop neither fails
     * ("vdrop failed"), nor adds errors about the stand-in it read, nor generates anything.
     */
    @ParameterizedTest(name = "{1}")
    @MethodSource
    void javacErrorOnly(String validLine, String badLine, String javacMessage) {
        JavaFileObject source = source("test.Lm", lm(validLine, badLine));

        Compilation compilation = compile(source);

        assertThat(compilation).failed();
        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation).hadErrorContaining(javacMessage)
                .inFile(source).onLineContaining(badLine);
        assertNoVdropFailure(compilation);
        assertNothingGenerated(compilation);
    }

    /**
     * javac drops an annotation whose type it cannot find, so vdrop sees 'decoder' as a Layer
     * field without annotation and says so, beside javac's own error; it neither fails nor writes.
     */
    @Test
    void misspeltLayerAnnotation() {
        JavaFileObject source = source("test.Lm", """
                @Model
                abstract class Lm {
                    @Embedding(vocabulary = 100, size = 20)
                    Layer embedding;

                    @VariationalLSTM(units = 20)
                    Layer lstm;

                    @Sofmax(classes = 100)
                    Layer decoder;
                }
                """);

        Compilation compilation = compile(source);

        assertThat(compilation).hadErrorCount(3);
        assertThat(compilation).hadErrorContaining("cannot find symbol")
                .inFile(source).onLineContaining("@Sofmax(classes = 100)");
        assertThat(compilation).hadErrorContaining("field 'decoder' has type Layer but no layer annotation")
                .inFile(source).onLineContaining("Layer decoder;");
        assertThat(compilation).hadErrorContaining("@Model Lm has no output layer")
                .inFile(source).onLineContaining("@Model");
        assertNoVdropFailure(compilation);
        assertNothingGenerated(compilation);
    }

    @Test
    void unresolvedVocabularyDrawsNoTiedDecoderError() {
        JavaFileObject source = source("test.Lm", """
                @Model
                abstract class Lm {
                    static final int VOCABULARY = 100;

                    @Embedding(
                            vocabulary = VOCABULRY,
                            size = 20)
                    Layer embedding;

                    @VariationalLSTM(units = 20)
                    Layer lstm;

                    @Softmax(classes = VOCABULARY, tiedToEmbedding = true)
                    Layer decoder;
                }
                """);

        Compilation compilation = compile(source);

        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation).hadErrorContaining("cannot find symbol")
                .inFile(source).onLineContaining("vocabulary = VOCABULRY");
        assertNothingGenerated(compilation);
    }

    @Test
    void layerFieldOfUnresolvedTypeIsJavacsError() {
        JavaFileObject source = source("test.Lm", """
                @Model
                abstract class Lm {
                    @Embedding(vocabulary = 100, size = 20)
                    Layer embedding;

                    @VariationalLSTM(units = 20)
                    Layr lstm;

                    @Softmax(classes = 100)
                    Layer decoder;
                }
                """);

        Compilation compilation = compile(source);

        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation).hadErrorContaining("cannot find symbol")
                .inFile(source).onLineContaining("Layr lstm;");
        assertNothingGenerated(compilation);
    }

    /** A model that uses a constant another processor generates is read once the constant exists. */
    @Test
    void modelWaitsForAGeneratedConstant() {
        JavaFileObject source = source("test.Lm", lm("units = 20", "units = Sizes.UNITS"));

        Compilation compilation = javac()
                .withProcessors(new FilerRecorder(new VdropProcessor(), written), new SizesGenerator(20))
                .compile(source);

        assertThat(compilation).succeededWithoutWarnings();
        assertGenerated(compilation, "test.LmNetwork");
    }

    /** ... and checked with its real value, not with the stand-in read while it was missing. */
    @Test
    void generatedConstantIsChecked() {
        JavaFileObject source = source("test.Lm", lm("units = 20", "units = Sizes.UNITS"));

        Compilation compilation = javac()
                .withProcessors(new FilerRecorder(new VdropProcessor(), written), new SizesGenerator(0))
                .compile(source);

        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation)
                .hadErrorContaining("@VariationalLSTM(units = 0) on 'lstm': units must be positive, but it is 0")
                .inFile(source)
                .onLineContaining("units = Sizes.UNITS");
        assertNothingGenerated(compilation);
    }

    /** Generates {@code test.Sizes} in the first round, as another project's processor might. */
    private static final class SizesGenerator extends AbstractProcessor {
        private final int units;
        private boolean done;

        SizesGenerator(int units) {
            this.units = units;
        }

        @Override
        public Set<String> getSupportedAnnotationTypes() {
            return Set.of("*");
        }

        @Override
        public SourceVersion getSupportedSourceVersion() {
            return SourceVersion.latestSupported();
        }

        @Override
        public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
            if (!done) {
                done = true;
                try (Writer writer = processingEnv.getFiler().createSourceFile("test.Sizes").openWriter()) {
                    writer.write("package test; final class Sizes { static final int UNITS = " + units + "; }");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return false;
        }
    }

    // ---------------------------------------------------------------------------------------
    // Valid models compile without a warning and generate their network.

    @Test
    void tokenModel() {
        JavaFileObject source = source("test.Lm", LM);

        Compilation compilation = compile(source);

        assertThat(compilation).succeededWithoutWarnings();
        assertGenerated(compilation, "test.LmNetwork");
    }

    @Test
    void inputRegressionModel() {
        JavaFileObject source = source("test.Forecast", FORECAST);

        Compilation compilation = compile(source);

        assertThat(compilation).succeededWithoutWarnings();
        assertGenerated(compilation, "test.ForecastNetwork");
    }

    @Test
    void tiedDecoderModel() {
        JavaFileObject source = source("test.Tied", """
                @Model
                abstract class Tied {
                    @Embedding(vocabulary = 100, size = 20)
                    @EmbeddingDropout(value = 0.1, scope = Scope.BATCH)
                    Layer embedding;

                    @VariationalLSTM(units = 64, input = 0.3, recurrent = 0.25, output = 0.3)
                    Layer lstm1;

                    @VariationalLSTM(units = 20, input = 0.3, recurrent = 0.25, output = 0.4)
                    Layer lstm2;

                    @Softmax(classes = 100, tiedToEmbedding = true)
                    Layer decoder;
                }
                """);

        Compilation compilation = compile(source);

        assertThat(compilation).succeededWithoutWarnings();
        assertGenerated(compilation, "test.TiedNetwork");
    }

    @Test
    void untiedMasksModel() {
        JavaFileObject source = source("test.Untied", """
                @Model
                abstract class Untied {
                    @Embedding(vocabulary = 100, size = 20)
                    Layer embedding;

                    @VariationalLSTM(units = 20, input = 0.5, recurrent = 0.2, output = 0.5, masks = Masks.UNTIED)
                    Layer lstm;

                    @Softmax(classes = 100, over = Over.EVERY_STEP)
                    Layer decoder;
                }
                """);

        Compilation compilation = compile(source);

        assertThat(compilation).succeededWithoutWarnings();
        assertGenerated(compilation, "test.UntiedNetwork");
    }

    @Test
    void perStepMasksModel() {
        JavaFileObject source = source("test.Zaremba", """
                @Model
                abstract class Zaremba {
                    @Embedding(vocabulary = 100, size = 20)
                    Layer embedding;

                    @VariationalLSTM(units = 20, input = 0.5, output = 0.5, masks = Masks.PER_STEP)
                    Layer lstm1;

                    @VariationalLSTM(units = 20, input = 0.5, recurrent = 0, output = 0.5, masks = Masks.PER_STEP)
                    Layer lstm2;

                    @Softmax(classes = 100)
                    Layer decoder;
                }
                """);

        Compilation compilation = compile(source);

        assertThat(compilation).succeededWithoutWarnings();
        assertGenerated(compilation, "test.ZarembaNetwork");
    }

    @Test
    void weightDroppedModel() {
        JavaFileObject source = source("test.Awd", """
                @Model
                abstract class Awd {
                    @Embedding(vocabulary = 100, size = 20)
                    @EmbeddingDropout(0.1)
                    Layer embedding;

                    @WeightDrop(0.5)
                    @VariationalLSTM(units = 20, input = 0.3, output = 0.4)
                    Layer lstm;

                    @Softmax(classes = 100, tiedToEmbedding = true)
                    Layer decoder;
                }
                """);

        Compilation compilation = compile(source);

        assertThat(compilation).succeededWithoutWarnings();
        assertGenerated(compilation, "test.AwdNetwork");
    }

    @Test
    void classifierOverTheLastStep() {
        JavaFileObject source = source("test.Sentiment", """
                @Model
                public abstract class Sentiment {
                    @Embedding(vocabulary = 100, size = 20)
                    Layer embedding;

                    @VariationalLSTM(units = 20)
                    Layer lstm;

                    @Softmax(classes = 2, over = Over.LAST_STEP)
                    Layer sentiment;
                }
                """);

        Compilation compilation = compile(source);

        assertThat(compilation).succeededWithoutWarnings();
        assertGenerated(compilation, "test.SentimentNetwork");
    }

    @Test
    void customNetworkName() {
        JavaFileObject source = source("test.Lm", """
                @Model(name = "Custom")
                abstract class Lm {
                    @Embedding(vocabulary = 100, size = 20)
                    Layer embedding;

                    @VariationalLSTM(units = 20)
                    Layer lstm;

                    @Softmax(classes = 100)
                    Layer decoder;
                }
                """);

        Compilation compilation = compile(source);

        assertThat(compilation).succeededWithoutWarnings();
        assertGenerated(compilation, "test.Custom");
        assertTrue(compilation.generatedSourceFile("test.LmNetwork").isEmpty(),
                () -> "generated " + generatedNames(compilation));
    }

    // ---------------------------------------------------------------------------------------

    /** The names of the source files vdrop asked the Filer for, whether the compile failed or not. */
    private final List<String> written = new ArrayList<>();

    private Compilation compile(JavaFileObject... sources) {
        return javac().withProcessors(new FilerRecorder(new VdropProcessor(), written)).compile(sources);
    }

    /** A source in package {@code test} that imports the whole DSL. */
    private static JavaFileObject source(String qualifiedName, String body) {
        String text = "package test;\n\nimport dev.vdrop.dsl.*;\n\n" + body;
        return JavaFileObjects.forSourceLines(qualifiedName, text.split("\n", -1));
    }

    /** {@link #LM} with one of its lines changed. */
    private static String lm(String validLine, String replacement) {
        return replaceLine(LM, validLine, replacement);
    }

    /** Replaces the one occurrence of {@code validLine}; fails if it is not exactly one. */
    private static String replaceLine(String template, String validLine, String replacement) {
        int at = template.indexOf(validLine);
        assertTrue(at >= 0 && template.indexOf(validLine, at + 1) < 0,
                () -> "the template must contain '" + validLine + "' exactly once");
        return template.substring(0, at) + replacement + template.substring(at + validLine.length());
    }

    private void assertGenerated(Compilation compilation, String qualifiedName) {
        assertTrue(compilation.generatedSourceFile(qualifiedName).isPresent(),
                () -> "expected " + qualifiedName + " among " + generatedNames(compilation));
        assertEquals(List.of(qualifiedName), written);
    }

    /**
     * Nothing was written. Compile-testing hides generated files once a compile has failed, so
     * this asks the {@link FilerRecorder} instead.
     */
    private void assertNothingGenerated(Compilation compilation) {
        assertEquals(List.of(), written, "a class in error must generate nothing");
    }

    /** No vdrop failure: the processor's own exceptions never reach the user as an error. */
    private static void assertNoVdropFailure(Compilation compilation) {
        List<String> failures = compilation.errors().stream()
                .map(d -> d.getMessage(Locale.ROOT))
                .filter(m -> m.contains("vdrop failed") || m.contains("Exception"))
                .toList();
        assertEquals(List.of(), failures);
    }

    private static List<String> generatedNames(Compilation compilation) {
        return compilation.generatedSourceFiles().stream().map(JavaFileObject::getName).toList();
    }

    /**
     * Runs a processor with a Filer that records the name of every source file it creates, so a
     * test can tell what was generated even when the compile failed.
     */
    private static final class FilerRecorder implements Processor {
        private final Processor delegate;
        private final List<String> created;

        FilerRecorder(Processor delegate, List<String> created) {
            this.delegate = delegate;
            this.created = created;
        }

        @Override
        public void init(ProcessingEnvironment env) {
            Filer filer = env.getFiler();
            Filer recording = proxy(Filer.class, (proxy, method, args) -> {
                if (method.getName().equals("createSourceFile")) {
                    created.add(args[0].toString());
                }
                return invoke(method, filer, args);
            });
            delegate.init(proxy(ProcessingEnvironment.class, (proxy, method, args) ->
                    method.getName().equals("getFiler") ? recording : invoke(method, env, args)));
        }

        @Override
        public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
            return delegate.process(annotations, round);
        }

        @Override
        public Set<String> getSupportedOptions() {
            return delegate.getSupportedOptions();
        }

        @Override
        public Set<String> getSupportedAnnotationTypes() {
            return delegate.getSupportedAnnotationTypes();
        }

        @Override
        public SourceVersion getSupportedSourceVersion() {
            return delegate.getSupportedSourceVersion();
        }

        @Override
        public Iterable<? extends Completion> getCompletions(
                Element element, AnnotationMirror annotation, ExecutableElement member, String userText) {
            return delegate.getCompletions(element, annotation, member, userText);
        }

        private static <T> T proxy(Class<T> type, InvocationHandler handler) {
            return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
        }

        private static Object invoke(Method method, Object target, Object[] args) throws Throwable {
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }
}
