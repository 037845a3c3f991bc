package dev.vdrop.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Rules 1, 2 and 4 and the warnings: the values of the annotations. Probabilities in [0, 1),
 * positive sizes, no recurrent dropout with per-step masks, and warnings for values that work
 * but are probably not meant. Each rule on a recurrent layer is checked on an LSTM and on a GRU
 * ({@link #GRU_LM}, {@link #GRU_FORECAST}), and its message names the annotation that is there.
 *
 * <p>Through javac: one small source per case, asserting the number of errors, the message (rule,
 * value found, fix) and the line the diagnostic points at.
 */
class ValueRulesTest extends CompilingTest {

    // ---------------------------------------------------------------------------------------
    // Rule 1: a dropout probability must be in [0, 1).

    static Stream<Arguments> probabilityOutOfRange() {
        // annotation, attribute, field, the line of the template that sets it, the template's class
        List<String[]> sites = List.of(
                new String[] {"@EmbeddingDropout", "value", "embedding", "value = 0.1", "Lm"},
                new String[] {"@WeightDrop", "value", "lstm", "value = 0.5", "Lm"},
                new String[] {"@VariationalLSTM", "input", "lstm", "input = 0.25", "Lm"},
                new String[] {"@VariationalLSTM", "recurrent", "lstm", "recurrent = 0", "Lm"},
                new String[] {"@VariationalLSTM", "output", "lstm", "output = 0.25", "Lm"},
                new String[] {"@WeightDrop", "value", "gru", "value = 0.5", "GruLm"},
                new String[] {"@VariationalGRU", "input", "gru", "input = 0.25", "GruLm"},
                new String[] {"@VariationalGRU", "recurrent", "gru", "recurrent = 0", "GruLm"},
                new String[] {"@VariationalGRU", "output", "gru", "output = 0.25", "GruLm"});
        // as written in source, as printed in the message
        List<String[]> values = List.of(
                new String[] {"1.0", "1.0"},
                new String[] {"-0.1", "-0.1"},
                new String[] {"1.5", "1.5"},
                new String[] {"Double.NaN", "NaN"},
                new String[] {"0.0 / 0.0", "NaN"});
        return sites.stream().flatMap(site -> values.stream()
                .map(value -> Arguments.of(site[0], site[1], site[2], site[3], value[0], value[1], site[4])));
    }

    @ParameterizedTest(name = "{0}({1} = {4}) in {6}")
    @MethodSource
    void probabilityOutOfRange(String annotation, String attribute, String field, String validLine, String written,
            String shown, String model) {
        String badLine = attribute + " = " + written;
        JavaFileObject source = source("test." + model, replaceLine(template(model), validLine, badLine));

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

    @ParameterizedTest
    @ValueSource(strings = {"Lm", "GruLm"})
    void probabilityZeroIsAllowed(String model) {
        JavaFileObject source = source("test." + model, replaceLine(template(model), "input = 0.25", "input = 0.0"));

        Compilation compilation = compile(source);

        assertThat(compilation).succeededWithoutWarnings();
    }

    @Test
    void gruWithWeightDropAndNoRecurrentDropoutIsValid() {
        // GRU_LM has @WeightDrop(0.5) beside recurrent = 0: no error, no warning
        JavaFileObject source = source("test.GruLm", GRU_LM);

        Compilation compilation = compile(source);

        assertThat(compilation).succeededWithoutWarnings();
        assertGenerated(compilation, "test.GruLmNetwork");
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
                new String[] {"GruLm", "@VariationalGRU", "units", "gru", "units = 20", "hidden units"},
                new String[] {"GruForecast", "@VariationalGRU", "units", "gru", "units = 16", "hidden units"},
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
        JavaFileObject source = source("test." + model, replaceLine(template(model), validLine, badLine));

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

    @ParameterizedTest(name = "@{0}(recurrent = {2})")
    @CsvSource({"VariationalLSTM, lstm, 0.2", "VariationalLSTM, lstm, 0.95", "VariationalGRU, gru, 0.2",
        "VariationalGRU, gru, 0.95"})
    void perStepMasksWithRecurrentDropout(String annotation, String field, String recurrent) {
        JavaFileObject source = source("test.Lm", """
                @Model
                abstract class Lm {
                    @Embedding(vocabulary = 100, size = 20)
                    Layer embedding;

                    @%s(
                            units = 20,
                            input = 0.5,
                            recurrent = %s,
                            output = 0.5,
                            masks = Masks.PER_STEP)
                    Layer %s;

                    @Softmax(classes = 100)
                    Layer decoder;
                }
                """.formatted(annotation, recurrent, field));

        Compilation compilation = compile(source);

        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation)
                .hadErrorContaining("@" + annotation + "(masks = PER_STEP, recurrent = " + recurrent + ") on '"
                        + field + "': per-step (Zaremba) dropout never drops the recurrent state h; set"
                        + " recurrent = 0, or use masks = TIED for variational dropout on h")
                .inFile(source)
                .onLineContaining("recurrent = " + recurrent);
        assertNothingGenerated(compilation);
    }

    // ---------------------------------------------------------------------------------------
    // Warnings: valid, but probably not meant.

    static Stream<Arguments> highProbability() {
        // annotation, attribute, field, the line of the template that sets it, the template's class
        return Stream.of(
                Arguments.of("@EmbeddingDropout", "value", "embedding", "value = 0.1", "Lm"),
                Arguments.of("@WeightDrop", "value", "lstm", "value = 0.5", "Lm"),
                Arguments.of("@VariationalLSTM", "input", "lstm", "input = 0.25", "Lm"),
                Arguments.of("@VariationalLSTM", "output", "lstm", "output = 0.25", "Lm"),
                Arguments.of("@WeightDrop", "value", "gru", "value = 0.5", "GruLm"),
                Arguments.of("@VariationalGRU", "input", "gru", "input = 0.25", "GruLm"),
                Arguments.of("@VariationalGRU", "output", "gru", "output = 0.25", "GruLm"));
    }

    @ParameterizedTest(name = "{0}({1} = 0.9) in {4}")
    @MethodSource
    void highProbability(String annotation, String attribute, String field, String validLine, String model) {
        String highLine = attribute + " = 0.9";
        JavaFileObject source = source("test." + model, replaceLine(template(model), validLine, highLine));

        Compilation compilation = compile(source);

        assertThat(compilation).succeeded();
        assertThat(compilation).hadWarningCount(1);
        assertThat(compilation)
                .hadWarningContaining(annotation + "(" + attribute + " = 0.9) on '" + field + "': a dropout"
                        + " probability of 0.9 keeps fewer than one unit in ten, which makes training slow and"
                        + " noisy; values between 0.1 and 0.5 are usual")
                .inFile(source)
                .onLineContaining(highLine);
        assertGenerated(compilation, "test." + model + "Network");
    }

    @ParameterizedTest
    @CsvSource({"Forecast, VariationalLSTM, lstm", "GruForecast, VariationalGRU, gru"})
    void highRecurrentProbability(String model, String annotation, String field) {
        // Without @WeightDrop, so that recurrent dropout draws no second warning.
        JavaFileObject source = source("test." + model,
                replaceLine(template(model), "recurrent = 0.2", "recurrent = 0.99"));

        Compilation compilation = compile(source);

        assertThat(compilation).succeeded();
        assertThat(compilation).hadWarningCount(1);
        assertThat(compilation)
                .hadWarningContaining("@" + annotation + "(recurrent = 0.99) on '" + field + "': a dropout"
                        + " probability of 0.99 keeps fewer than one unit in ten")
                .inFile(source)
                .onLineContaining("recurrent = 0.99");
    }

    @Test
    void probabilityJustBelowTheWarningDrawsNone() {
        JavaFileObject source = source("test.Lm", lm("output = 0.25", "output = 0.89"));

        Compilation compilation = compile(source);

        assertThat(compilation).succeededWithoutWarnings();
    }

    @ParameterizedTest
    @CsvSource({"VariationalLSTM, lstm", "VariationalGRU, gru"})
    void weightDropWithRecurrentDropout(String annotation, String field) {
        JavaFileObject source = source("test.Lm", """
                @Model
                abstract class Lm {
                    @Embedding(vocabulary = 100, size = 20)
                    Layer embedding;

                    @WeightDrop(0.5)
                    @%s(units = 20, recurrent = 0.2)
                    Layer %s;

                    @Softmax(classes = 100)
                    Layer decoder;
                }
                """.formatted(annotation, field));

        Compilation compilation = compile(source);

        assertThat(compilation).succeeded();
        assertThat(compilation).hadWarningCount(1);
        assertThat(compilation)
                .hadWarningContaining("'" + field + "' has @WeightDrop(0.5) and @" + annotation + "(recurrent = 0.2):"
                        + " U is then regularised twice, by DropConnect on its weights and by dropout on h;"
                        + " AWD-LSTM uses recurrent = 0 with weight drop")
                .inFile(source)
                .onLineContaining("@WeightDrop(0.5)");
        assertGenerated(compilation, "test.LmNetwork");
    }
}
