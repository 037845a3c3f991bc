package dev.vdrop.processor;

import static com.google.testing.compile.Compiler.javac;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.annotation.processing.Processor;
import javax.tools.JavaFileObject;

/**
 * What the tests that run vdrop through javac share: two valid models with every value on a line of
 * its own (a test changes exactly one of those lines, so the line a diagnostic points at proves that
 * the processor underlines the annotation value and not just the class), a compile that records
 * what vdrop wrote even when the compile failed, and assertions about it.
 */
abstract class CompilingTest {

    /**
     * A valid token language model with every value on a line of its own. The parameterised
     * tests change exactly one of those lines (see {@link #lm(String, String)}).
     */
    static final String LM = """
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
    static final String FORECAST = """
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

    /**
     * {@link #LM} with a GRU where the LSTM is: class {@code GruLm}, field {@code gru}, the same
     * values on the same lines, so that a rule is checked on both cells by changing the same line.
     */
    static final String GRU_LM = LM.replace("abstract class Lm", "abstract class GruLm")
            .replace("@VariationalLSTM(", "@VariationalGRU(").replace("Layer lstm;", "Layer gru;");

    /** {@link #FORECAST} with a GRU: class {@code GruForecast}, field {@code gru}. */
    static final String GRU_FORECAST = FORECAST.replace("abstract class Forecast", "abstract class GruForecast")
            .replace("@VariationalLSTM(", "@VariationalGRU(").replace("Layer lstm;", "Layer gru;");

    /** The template whose class is {@code model}: Lm, GruLm, Forecast or GruForecast. */
    static String template(String model) {
        return switch (model) {
            case "Lm" -> LM;
            case "GruLm" -> GRU_LM;
            case "Forecast" -> FORECAST;
            case "GruForecast" -> GRU_FORECAST;
            default -> throw new IllegalArgumentException("no template declares class " + model);
        };
    }

    /** The names of the source files vdrop asked the Filer for, whether the compile failed or not. */
    final List<String> written = new ArrayList<>();

    /** The originating elements (qualified names) vdrop gave the Filer, by source file name. */
    final Map<String, List<String>> origins = new LinkedHashMap<>();

    Compilation compile(JavaFileObject... sources) {
        return javac().withProcessors(recording(new VdropProcessor())).compile(sources);
    }

    /** {@code processor} with a Filer that records into {@link #written} and {@link #origins}. */
    Processor recording(Processor processor) {
        return new FilerRecorder(processor, written, origins);
    }

    /** A source in package {@code test} that imports the whole DSL. */
    static JavaFileObject source(String qualifiedName, String body) {
        String text = "package test;\n\nimport dev.vdrop.dsl.*;\n\n" + body;
        return JavaFileObjects.forSourceLines(qualifiedName, text.split("\n", -1));
    }

    /** {@link #LM} with one of its lines changed. */
    static String lm(String validLine, String replacement) {
        return replaceLine(LM, validLine, replacement);
    }

    /** Replaces the one occurrence of {@code validLine}; fails if it is not exactly one. */
    static String replaceLine(String template, String validLine, String replacement) {
        int at = template.indexOf(validLine);
        assertTrue(at >= 0 && template.indexOf(validLine, at + 1) < 0,
                () -> "the template must contain '" + validLine + "' exactly once");
        return template.substring(0, at) + replacement + template.substring(at + validLine.length());
    }

    void assertGenerated(Compilation compilation, String qualifiedName) {
        assertTrue(compilation.generatedSourceFile(qualifiedName).isPresent(),
                () -> "expected " + qualifiedName + " among " + generatedNames(compilation));
        assertEquals(List.of(qualifiedName), written);
    }

    /**
     * Nothing was written. Compile-testing hides generated files once a compile has failed, so
     * this asks the {@link FilerRecorder} instead.
     */
    void assertNothingGenerated(Compilation compilation) {
        assertEquals(List.of(), written, "a class in error must generate nothing");
    }

    /** No vdrop failure: the processor's own exceptions never reach the user as an error. */
    static void assertNoVdropFailure(Compilation compilation) {
        List<String> failures = compilation.errors().stream()
                .map(d -> d.getMessage(Locale.ROOT))
                .filter(m -> m.contains("vdrop failed") || m.contains("Exception"))
                .toList();
        assertEquals(List.of(), failures);
    }

    static List<String> generatedNames(Compilation compilation) {
        return compilation.generatedSourceFiles().stream().map(JavaFileObject::getName).toList();
    }
}
