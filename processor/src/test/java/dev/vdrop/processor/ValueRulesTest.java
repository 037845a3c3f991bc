package dev.vdrop.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Rules 1, 2 and 4 and the warnings: the values of the annotations. Probabilities in [0, 1),
 * positive sizes, no recurrent dropout with per-step masks, and warnings for values that work
 * but are probably not meant.
 *
 * <p>Through javac: one small source per case, asserting the number of errors, the message (rule,
 * value found, fix) and the line the diagnostic points at.
 */
class ValueRulesTest extends CompilingTest {

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
}
