package dev.vdrop.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.TypeElement;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * How the processor deals with a compile as a whole: every error of a class at once, nothing
 * generated for a class in error and only for it, javac's own errors left to javac, and models
 * that wait for another processor's constants.
 *
 * <p>Through javac: one small source per case, asserting the number of errors, the message (rule,
 * value found, fix) and the line the diagnostic points at.
 */
class ProcessingTest extends CompilingTest {

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
                .withProcessors(recording(new VdropProcessor()), new SizesGenerator(20))
                .compile(source);

        assertThat(compilation).succeededWithoutWarnings();
        assertGenerated(compilation, "test.LmNetwork");
    }

    /** ... and checked with its real value, not with the stand-in read while it was missing. */
    @Test
    void generatedConstantIsChecked() {
        JavaFileObject source = source("test.Lm", lm("units = 20", "units = Sizes.UNITS"));

        Compilation compilation = javac()
                .withProcessors(recording(new VdropProcessor()), new SizesGenerator(0))
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
}
