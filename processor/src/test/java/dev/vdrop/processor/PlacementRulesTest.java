package dev.vdrop.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Rule 7: where the annotations are. {@code @Model} on an abstract, non-private, top-level or
 * static nested class with a valid network name; layer annotations only inside a model, one
 * per field, on fields of type {@code Layer}.
 *
 * <p>Through javac: one small source per case, asserting the number of errors, the message (rule,
 * value found, fix) and the line the diagnostic points at.
 */
class PlacementRulesTest extends CompilingTest {

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

    @Test
    void gruOutsideModel() {
        JavaFileObject source = source("test.Plain", """
                class Plain {
                    @WeightDrop(0.5)
                    @VariationalGRU(units = 20)
                    Layer gru;
                }
                """);

        Compilation compilation = compile(source);

        assertThat(compilation).hadErrorCount(2);
        assertThat(compilation)
                .hadErrorContaining("@VariationalGRU on 'gru' in Plain, which has no @Model: layers only exist inside"
                        + " a model; annotate Plain with @Model or remove @VariationalGRU")
                .inFile(source)
                .onLineContaining("@VariationalGRU(units = 20)");
        assertThat(compilation)
                .hadErrorContaining("@WeightDrop on 'gru' in Plain, which has no @Model")
                .inFile(source)
                .onLineContaining("@WeightDrop(0.5)");
    }

    @Test
    void lstmAndGruOnOneField() {
        JavaFileObject source = source("test.Lm", """
                @Model
                abstract class Lm {
                    @Embedding(vocabulary = 100, size = 20)
                    Layer embedding;

                    @VariationalLSTM(units = 20)
                    @VariationalGRU(units = 20)
                    Layer rnn;

                    @Softmax(classes = 100)
                    Layer decoder;
                }
                """);

        Compilation compilation = compile(source);

        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation)
                .hadErrorContaining("'rnn' has two recurrent layer annotations, @VariationalLSTM and @VariationalGRU;"
                        + " a recurrent layer has one cell, so keep the one you mean, or move @VariationalGRU to a"
                        + " field of its own below this one to stack the two")
                .inFile(source)
                .onLineContaining("@VariationalGRU(units = 20)");
        assertNothingGenerated(compilation);
    }

    @Test
    void gruAndLstmOnOneField() {
        // the second in source order is pointed at, whichever cell it is; weight drop between them is fine
        JavaFileObject source = source("test.Lm", """
                @Model
                abstract class Lm {
                    @Embedding(vocabulary = 100, size = 20)
                    Layer embedding;

                    @VariationalGRU(units = 20)
                    @WeightDrop(0.5)
                    @VariationalLSTM(units = 20)
                    Layer rnn;

                    @Softmax(classes = 100)
                    Layer decoder;
                }
                """);

        Compilation compilation = compile(source);

        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation)
                .hadErrorContaining("'rnn' has two recurrent layer annotations, @VariationalGRU and @VariationalLSTM;"
                        + " a recurrent layer has one cell, so keep the one you mean, or move @VariationalLSTM to"
                        + " a field of its own below this one to stack the two")
                .inFile(source)
                .onLineContaining("@VariationalLSTM(units = 20)");
    }

    @Test
    void embeddingAndGruOnOneField() {
        JavaFileObject source = source("test.Lm", """
                @Model
                abstract class Lm {
                    @Embedding(vocabulary = 100, size = 20)
                    @VariationalGRU(units = 20)
                    Layer embedding;

                    @VariationalGRU(units = 32)
                    Layer gru;

                    @Softmax(classes = 100)
                    Layer decoder;
                }
                """);

        Compilation compilation = compile(source);

        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation)
                .hadErrorContaining("'embedding' has two layer annotations, @Embedding and @VariationalGRU; a field"
                        + " is one layer, so declare the second on a field of its own")
                .inFile(source)
                .onLineContaining("@VariationalGRU(units = 20)");
    }

    @ParameterizedTest
    @CsvSource({"Object, java.lang.Object", "int, int"})
    void gruFieldNotOfTypeLayer(String type, String shown) {
        JavaFileObject source = source("test.Lm", """
                @Model
                abstract class Lm {
                    @Embedding(vocabulary = 100, size = 20)
                    Layer embedding;

                    @VariationalGRU(units = 20)
                    %s gru;

                    @Softmax(classes = 100)
                    Layer decoder;
                }
                """.formatted(type));

        Compilation compilation = compile(source);

        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation)
                .hadErrorContaining("layer field 'gru' has type " + shown + ", but layer fields must have type"
                        + " dev.vdrop.dsl.Layer; declare it as 'Layer gru'")
                .inFile(source)
                .onLineContaining("@VariationalGRU(units = 20)");
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
                        + " @Embedding, @Input, @VariationalLSTM, @VariationalGRU, @Softmax or @Regression, or"
                        + " remove it")
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
}
