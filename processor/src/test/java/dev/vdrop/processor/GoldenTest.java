package dev.vdrop.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import javax.tools.JavaFileObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden generated sources (as in Dagger's goldens/): what the processor writes for six
 * representative models (two with sizes from the data, one with GRU and LSTM layers), compared as Java syntax trees with the files in
 * {@code src/test/resources/goldens}. After an intended change to the generated code, regenerate
 * them with {@code mvn test -pl processor -Dtest=GoldenTest -Dvdrop.goldens.update=true} and
 * review the diff like any other change.
 */
class GoldenTest {
    private static final Path GOLDENS = Path.of("src/test/resources/goldens");

    static Stream<Arguments> models() {
        return Stream.of(
                Arguments.of("golden.TiedLmNetwork", "golden.TiedLm", """
                        package golden;

                        import dev.vdrop.dsl.*;

                        @Model
                        abstract class TiedLm {
                            @Embedding(vocabulary = 100, size = 16) @EmbeddingDropout(0.1) Layer embedding;
                            @VariationalLSTM(units = 16, input = 0.4, recurrent = 0.2, output = 0.4) Layer lstm;
                            @Softmax(classes = 100, tiedToEmbedding = true) Layer decoder;
                        }
                        """),
                Arguments.of("golden.AwdLmNetwork", "golden.AwdLm", """
                        package golden;

                        import dev.vdrop.dsl.*;

                        @Model
                        abstract class AwdLm {
                            @Embedding(vocabulary = 100, size = 8)
                            @EmbeddingDropout(value = 0.1, scope = Scope.BATCH)
                            Layer embedding;
                            @VariationalLSTM(units = 12, input = 0.4, recurrent = 0.25, masks = Masks.UNTIED) Layer lstm1;
                            @VariationalLSTM(units = 8, input = 0.25, output = 0.4) @WeightDrop(0.5) Layer lstm2;
                            @Softmax(classes = 100) Layer decoder;
                        }
                        """),
                Arguments.of("golden.GruLmNetwork", "golden.GruLm", """
                        package golden;

                        import dev.vdrop.dsl.*;

                        @Model
                        abstract class GruLm {
                            @Embedding(vocabulary = 100, size = 8) Layer embedding;
                            @VariationalGRU(units = 12, input = 0.4, recurrent = 0.25, masks = Masks.UNTIED) Layer gru1;
                            @VariationalLSTM(units = 10, input = 0.25, recurrent = 0.2) Layer lstm2;
                            @VariationalGRU(units = 8, input = 0.25, output = 0.4) @WeightDrop(0.5) Layer gru3;
                            @Softmax(classes = 100) Layer decoder;
                        }
                        """),
                Arguments.of("golden.ForecasterNetwork", "golden.Forecaster", """
                        package golden;

                        import dev.vdrop.dsl.*;

                        @Model
                        abstract class Forecaster {
                            @Input(features = 3) Layer day;
                            @VariationalLSTM(units = 8, input = 0.1, output = 0.1, masks = Masks.PER_STEP) Layer lstm;
                            @Regression(outputs = 1) Layer next;
                        }
                        """),
                // sizes from the data: the vocabulary (and so the tied decoder's classes) at build time
                Arguments.of("golden.DataLmNetwork", "golden.DataLm", """
                        package golden;

                        import dev.vdrop.dsl.*;

                        @Model
                        abstract class DataLm {
                            @Embedding(size = 16) @EmbeddingDropout(0.1) Layer embedding;
                            @VariationalLSTM(units = 16, input = 0.4, recurrent = 0.2, output = 0.4) Layer lstm;
                            @Softmax(tiedToEmbedding = true) Layer decoder;
                        }
                        """),
                // both sizes of a feature model from the data
                Arguments.of("golden.DataForecasterNetwork", "golden.DataForecaster", """
                        package golden;

                        import dev.vdrop.dsl.*;

                        @Model
                        abstract class DataForecaster {
                            @Input Layer day;
                            @VariationalLSTM(units = 8, input = 0.1, output = 0.1) Layer lstm;
                            @Regression Layer next;
                        }
                        """));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void generatedSourceMatchesTheGolden(String generated, String model, String source) throws IOException {
        JavaFileObject input = JavaFileObjects.forSourceString(model, source);
        Compilation compilation = Compiler.javac().withProcessors(new VdropProcessor()).compile(input);
        assertThat(compilation).succeededWithoutWarnings();
        Path golden = GOLDENS.resolve(generated.substring(generated.lastIndexOf('.') + 1) + ".java");
        JavaFileObject actual = compilation.generatedSourceFile(generated).orElseThrow();
        if (Boolean.getBoolean("vdrop.goldens.update")) {
            Files.createDirectories(GOLDENS);
            Files.writeString(golden, actual.getCharContent(true), StandardCharsets.UTF_8);
        }
        assertTrue(Files.exists(golden), "no golden " + golden + "; run with -Dvdrop.goldens.update=true to write it");
        assertThat(compilation).generatedSourceFile(generated)
                .hasSourceEquivalentTo(JavaFileObjects.forSourceString(generated, Files.readString(golden, StandardCharsets.UTF_8)));
    }
}
