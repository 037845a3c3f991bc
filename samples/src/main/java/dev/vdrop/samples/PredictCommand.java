package dev.vdrop.samples;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vdrop.runtime.ModelSizes;
import dev.vdrop.runtime.Network;
import dev.vdrop.runtime.NetworkConfig;
import dev.vdrop.runtime.eval.McPredictor;
import dev.vdrop.runtime.io.NonFiniteAsNull;
import dev.vdrop.runtime.mc.ClassPrediction;
import dev.vdrop.runtime.model.ModelFile;
import dev.vdrop.runtime.model.ModelFileException;
import dev.vdrop.runtime.model.ModelInput;
import dev.vdrop.runtime.model.Tokenization;
import dev.vdrop.runtime.text.NotUtf8Exception;
import dev.vdrop.runtime.text.Tokenizer;
import dev.vdrop.runtime.text.Utf8;
import dev.vdrop.runtime.text.Vocabulary;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vdrop predict}: loads a model file written by {@code vdrop classify} or {@code vdrop lm
 * --save} and prints one JSON line per text (each {@code --text}, or else each non-blank line of
 * standard input), predicted with K MC-dropout passes.
 *
 * <p>A classifier's line: {@code text}, {@code label} (the predicted one), {@code p_predicted},
 * {@code probabilities} (label → probability), {@code entropy} and {@code mutual_information} in
 * nats. A language model's: {@code text} and the five most likely next words ({@code next}: word and
 * probability), the entropy and the mutual information of the next word's distribution. Text is
 * split as the model file says; tokens outside its vocabulary read as {@code <unk>}. Text i's
 * masks are keyed by i under {@code --seed}, so the same call prints the same lines.
 */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Predict with a model file from classify or lm --save: one JSON line per --text (or per line of standard input).",
                "A classifier: the class probabilities, the predicted label, entropy and mutual information.",
                "A language model: the five most likely next words with their probabilities, entropy and mutual information."})
final class PredictCommand implements Callable<Integer> {
    private static final int TOP_WORDS = 5;
    /** One JSON object per line: no indentation, unlike {@link Json}'s reports; a non-number as {@code null}. */
    private static final ObjectMapper LINES = NonFiniteAsNull.mapper();

    /**
     * The generated classes this command can rebuild, by name, each from the file's sizes: the
     * classifier and every scheme's language model, each with LSTM or GRU layers (the file names its
     * network's class, so the cell comes with it).
     */
    private static final Map<String, Function<ModelSizes, Network<int[][], ?>>> MODELS = models();

    private static Map<String, Function<ModelSizes, Network<int[][], ?>>> models() {
        Map<String, Function<ModelSizes, Network<int[][], ?>>> models = new HashMap<>();
        for (Cell cell : Cell.values()) {
            models.put(ClassifyCommand.classifierClass(cell).getName(), sizes -> ClassifyCommand.classifier(cell,
                    sizes.vocabulary().getAsInt(), sizes.classes().getAsInt(), NetworkConfig.builder().build()));
            for (Scheme scheme : Scheme.values()) {
                models.put(scheme.networkClass(cell).getName(),
                        sizes -> scheme.create(cell, 1, sizes.vocabulary().getAsInt()));
            }
        }
        return Map.copyOf(models);
    }

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "A model file (classify's model.vdrop, or lm --save).")
    Path model;

    @Option(names = "--text", paramLabel = "STRING", description = "A text to predict; repeat for more (default: every line of standard input).")
    List<String> texts;

    @Option(names = "--mc-samples", paramLabel = "K", defaultValue = "50", description = "MC-dropout passes per text (default: ${DEFAULT-VALUE}).")
    int mcSamples;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Seed of the dropout masks (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() {
        if (mcSamples < 1) {
            throw new UserError("--mc-samples must be at least 1, got " + mcSamples);
        }
        if (mcSamples > LmExperiment.MAX_MC_SAMPLES) {
            throw new UserError("--mc-samples must be at most " + LmExperiment.MAX_MC_SAMPLES + ", got " + mcSamples);
        }
        ModelFile file;
        Network<int[][], ?> network;
        try {
            file = ModelFile.load(model);
            var factory = MODELS.get(file.modelClass());
            if (factory == null || !(file.info().input() instanceof ModelInput.Tokens)) {
                throw new UserError(model + " holds a " + file.modelClass() + ", which vdrop predict cannot rebuild; it reads "
                        + "the model files of vdrop classify and vdrop lm --save");
            }
            network = file.newNetwork(factory);
        } catch (ModelFileException e) {
            throw new UserError(e.getMessage());
        }
        ModelInput.Tokens input = (ModelInput.Tokens) file.info().input();
        List<String> lines = texts != null ? texts : standardInput();
        Vocabulary vocabulary = Vocabulary.of(input.symbols());
        List<int[]> ids = new ArrayList<>();
        for (String text : lines) {
            List<String> tokens = new ArrayList<>(input.tokenization().split(text));
            if (input.tokenization() == Tokenization.ASCII_WORDS && !tokens.isEmpty()
                    && Tokenizer.EOS.equals(tokens.get(tokens.size() - 1))) {
                tokens.remove(tokens.size() - 1); // the next word, not the next paragraph's first
            }
            if (tokens.isEmpty()) {
                throw new UserError("the text \"" + text + "\" gives no tokens; a word needs a letter or digit");
            }
            ids.add(vocabulary.encode(tokens));
        }
        PrintWriter out = spec.commandLine().getOut();
        if (file.info().labels().isEmpty()) {
            @SuppressWarnings("unchecked")
            Network<int[][], int[][]> languageModel = (Network<int[][], int[][]>) network;
            for (int i = 0; i < ids.size(); i++) {
                ClassPrediction next = McPredictor.next(languageModel, ids.get(i), mcSamples, seed, i);
                out.println(json(languageModelLine(lines.get(i), next, vocabulary)));
            }
        } else {
            @SuppressWarnings("unchecked")
            Network<int[][], int[]> classifier = (Network<int[][], int[]>) network;
            List<ClassPrediction> predictions = ids.isEmpty() ? List.of()
                    : McPredictor.classify(classifier, ids.toArray(int[][]::new), mcSamples, seed);
            for (int i = 0; i < predictions.size(); i++) {
                out.println(json(classifierLine(lines.get(i), predictions.get(i), file.info().labels())));
            }
        }
        out.flush();
        return 0;
    }

    static Map<String, Object> classifierLine(String text, ClassPrediction p, List<String> labels) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("text", text);
        line.put("label", labels.get(p.argmax()));
        line.put("p_predicted", p.predictedProbability());
        Map<String, Double> probabilities = new LinkedHashMap<>();
        for (int c = 0; c < labels.size(); c++) {
            probabilities.put(labels.get(c), p.probability(c));
        }
        line.put("probabilities", probabilities);
        line.put("entropy", p.predictiveEntropy());
        line.put("mutual_information", p.mutualInformation());
        return line;
    }

    static Map<String, Object> languageModelLine(String text, ClassPrediction p, Vocabulary vocabulary) {
        double[] mean = p.mean();
        Integer[] order = new Integer[mean.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -mean[i]).thenComparingInt(i -> i));
        List<Map<String, Object>> next = new ArrayList<>();
        for (int k = 0; k < Math.min(TOP_WORDS, order.length); k++) {
            Map<String, Object> word = new LinkedHashMap<>();
            word.put("word", vocabulary.word(order[k]));
            word.put("probability", mean[order[k]]);
            next.add(word);
        }
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("text", text);
        line.put("next", next);
        line.put("entropy", p.predictiveEntropy());
        line.put("mutual_information", p.mutualInformation());
        return line;
    }

    private static String json(Map<String, Object> line) {
        try {
            return LINES.writeValueAsString(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The non-blank lines of standard input, read as strict UTF-8 (a bad byte is named by its offset). */
    private static List<String> standardInput() {
        try {
            return Utf8.decode(System.in.readAllBytes(), "standard input").lines().filter(line -> !line.isBlank()).toList();
        } catch (NotUtf8Exception e) {
            throw new UserError(e.getMessage());
        } catch (IOException e) {
            throw new UserError("cannot read standard input: " + e.getMessage());
        }
    }
}
