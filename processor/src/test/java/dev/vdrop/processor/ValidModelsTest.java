package dev.vdrop.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * Valid models of every kind, through javac: each compiles without a warning and generates exactly
 * its network.
 */
class ValidModelsTest extends CompilingTest {

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
}
