package dev.vdrop.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import java.io.IOException;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Sizes from the data: {@code vocabulary}, {@code classes}, {@code features} and {@code outputs}
 * left out of their annotation compile, and the generated network asks for each by name through
 * its builder; written, they must still be positive (an explicit 0 is an error on that value, which
 * names the way to take it from the data); a tied decoder takes the vocabulary as its classes.
 */
class DataSizeRulesTest extends CompilingTest {

    private static String generated(Compilation compilation, String name) throws IOException {
        return compilation.generatedSourceFile(name).orElseThrow().getCharContent(true).toString();
    }

    @ParameterizedTest(name = "{1} left out")
    @CsvSource({
            "Lm, vocabulary, 'vocabulary = 100,'",
            "Lm, classes, 'classes = 100)'",
            "Forecast, features, 'features = 3)'",
            "Forecast, outputs, 'outputs = 1)'"})
    void aSizeLeftOutIsAskedForByTheBuilder(String model, String size, String line) throws IOException {
        String template = model.equals("Lm") ? LM : FORECAST;
        // "classes = 100)" → ")": the annotation keeps its parenthesis
        JavaFileObject source = source("test." + model, replaceLine(template, line, line.endsWith(")") ? ")" : ""));

        Compilation compilation = compile(source);

        assertThat(compilation).succeededWithoutWarnings();
        String network = generated(compilation, "test." + model + "Network");
        assertTrue(network.contains("private final int " + size + ";"), network);
        assertTrue(network.contains("public Builder " + size + "(int " + size + ")"), network);
        assertTrue(network.contains("public static Builder builder()"), network);
        assertTrue(network.contains("private " + model + "Network(NetworkConfig config, int " + size + ")"), network);
        assertFalse(network.contains("public " + model + "Network("), "no public constructor: the sizes are asked by name");
    }

    @Test
    void aModelWithEverySizeWrittenHasNoBuilder() throws IOException {
        Compilation compilation = compile(source("test.Lm", LM));

        assertThat(compilation).succeededWithoutWarnings();
        String network = generated(compilation, "test.LmNetwork");
        assertFalse(network.contains("class Builder"), network);
        assertTrue(network.contains("public LmNetwork(NetworkConfig config)"), network);
        assertTrue(network.contains("public LmNetwork()"), network);
    }

    @Test
    void aTiedDecoderTakesTheVocabularyFromTheData() throws IOException {
        // units = size = 20, as a tied decoder needs
        String body = lm("vocabulary = 100,", "").replace("classes = 100)", "tiedToEmbedding = true)");
        Compilation compilation = compile(source("test.Lm", body));

        assertThat(compilation).succeededWithoutWarnings();
        String network = generated(compilation, "test.LmNetwork");
        assertTrue(network.contains("ModelSizes.Size.given(\"classes\", vocabulary)"), network);
        assertFalse(network.contains("int classes"), "a tied decoder asks for no classes of its own");
    }

    @Test
    void aTiedDecoderWithClassesWrittenAndTheVocabularyFromTheDataIsAnError() {
        String body = lm("vocabulary = 100,", "").replace("classes = 100)", "classes = 100, tiedToEmbedding = true)");
        JavaFileObject source = source("test.Lm", body);

        Compilation compilation = compile(source);

        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation)
                .hadErrorContaining("@Softmax(tiedToEmbedding = true, classes = 100) on 'decoder' reuses the embedding as"
                        + " the decoder, so its classes are the vocabulary of 'embedding', which comes from the data;"
                        + " leave classes out or write the vocabulary in @Embedding")
                .inFile(source)
                .onLineContaining("classes = 100, tiedToEmbedding = true");
        assertNothingGenerated(compilation);
    }

    @ParameterizedTest(name = "{1} = {3}")
    @CsvSource({
            "Lm, @Embedding, vocabulary, 0, 'vocabulary = 100'",
            "Lm, @Softmax, classes, -1, 'classes = 100'",
            "Forecast, @Input, features, 0, 'features = 3'",
            "Forecast, @Regression, outputs, -2, 'outputs = 1'"})
    void anExplicitSizeBelowOneNamesTheWayToTakeItFromTheData(String model, String annotation, String size, String value,
                                                               String line) {
        String badLine = size + " = " + value;
        JavaFileObject source = source("test." + model, replaceLine(model.equals("Lm") ? LM : FORECAST, line, badLine));

        Compilation compilation = compile(source);

        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation)
                .hadErrorContaining(annotation + "(" + badLine + ") on '")
                .inFile(source)
                .onLineContaining(badLine);
        assertThat(compilation).hadErrorContaining("must be positive, but it is " + value + "; set it to the number of ");
        assertThat(compilation).hadErrorContaining(", or leave " + size + " out to give it when the network is built"
                + " (its builder's ." + size + "(n))");
        assertNothingGenerated(compilation);
    }
}
