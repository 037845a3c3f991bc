package dev.vdrop.samples;

import dev.vdrop.runtime.Network;
import dev.vdrop.runtime.NetworkConfig;
import dev.vdrop.runtime.Rng;
import dev.vdrop.runtime.Workspace;
import dev.vdrop.runtime.eval.McPredictor;
import dev.vdrop.runtime.io.DirectoryLock;
import dev.vdrop.runtime.mc.ClassPrediction;
import dev.vdrop.runtime.metrics.ClassificationSummary;
import dev.vdrop.runtime.model.ModelFile;
import dev.vdrop.runtime.model.ModelFileException;
import dev.vdrop.runtime.model.ModelInput;
import dev.vdrop.runtime.model.PredictionInfo;
import dev.vdrop.runtime.model.Tokenization;
import dev.vdrop.runtime.text.LabelledText;
import dev.vdrop.runtime.text.LabelledTextException;
import dev.vdrop.runtime.text.Vocabulary;
import dev.vdrop.runtime.train.SequenceConfig;
import dev.vdrop.runtime.train.SequenceResult;
import dev.vdrop.runtime.train.SequenceTrainer;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vdrop classify}: trains the MC-dropout text classifier ({@link TextClassifier}, or its GRU
 * twin {@link TextClassifierGru} with {@code --cell gru}) on a
 * labelled TSV file (or the bundled female and male first names, by their characters) and scores it
 * on a held-out test part.
 *
 * <p>The examples are shuffled with the seed and split 80/10/10 into training, validation and test;
 * the vocabulary (characters or words) comes from the training part, other tokens read as
 * {@code <unk>}. {@link SequenceTrainer} trains for {@code --epochs} epochs and puts back the
 * epoch with the lowest validation loss. The test part is predicted twice: with dropout off
 * ({@code accuracy}) and with K MC-dropout passes ({@code *_mc}, the uncertainty and the reliability
 * diagram).
 *
 * <p>Writes {@code classify.json}, {@code predictions.csv} (one row per test example),
 * {@code reliability.png}, {@code train.jsonl} (one line per epoch) and {@code model.vdrop} (the
 * model file {@code vdrop predict} reads) into {@code --out}. A mistake in the flags or the data
 * ends with one line on standard error that names the flag, or the file's line or column, and exit
 * code 2.
 *
 * <p>{@code vdrop-spark classify} is this command with the training on Spark: it extends it and
 * overrides {@link #train} and {@link #report}, and everything else (the flags, the data, the
 * split, the test, the files) is this class's.
 */
@Command(name = "classify", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train an MC-dropout LSTM (or GRU) text classifier and score it on a held-out 10%% of the examples.",
                "Without --data: the bundled female and male first names, by their characters.",
                "Writes classify.json, predictions.csv, reliability.png, train.jsonl and model.vdrop into --out.",
                "Keeps the epoch with the best validation loss."})
public class ClassifyCommand implements Callable<Integer> {
    /** The files written into {@code --out}. */
    public static final List<String> RESULTS = List.of("classify.json", "predictions.csv", "reliability.png", "train.jsonl",
            "model.vdrop");

    /** The fewest examples: 80/10/10 must leave at least one for validation and one for test. */
    static final int MIN_EXAMPLES = 10;
    /** The most words a word vocabulary keeps ({@code <unk>} included); characters are all kept. */
    static final int MAX_WORDS = 20_000;
    static final String NAMES = "names";

    // Chosen on the names' validation part, never the test part: batch 32 at learning rate 3e-3;
    // in a 40-epoch run the validation loss was lowest at epoch 23 and rose after, so 30 epochs
    // with the best kept (about 25 s of training on two shared cores).
    private static final int BATCH = 32;
    private static final double LEARNING_RATE = 3e-3;
    private static final double CLIP = 5;
    /** Dropout-off predictions go through the network this many texts at a time. */
    private static final int PREDICT_BATCH = 256;

    /** The command line, for its output stream. */
    @Spec
    protected CommandSpec spec;

    @Option(names = "--data", paramLabel = "FILE.tsv",
            description = "UTF-8 TSV with a header row and the columns label and text (default: the bundled names).")
    Path data;

    @Option(names = "--tokens", paramLabel = "chars|words", defaultValue = "chars",
            description = "Read texts by characters or by lower-cased words of letters and digits (default: ${DEFAULT-VALUE}).")
    String tokens;

    @Option(names = "--cell", paramLabel = "lstm|gru", defaultValue = "lstm",
            description = "The recurrent layer's cell: lstm or gru, with the same dropout (default: ${DEFAULT-VALUE}).")
    String cell;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "30",
            description = "Training epochs; the one with the best validation loss is kept (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--mc-samples", paramLabel = "K", defaultValue = "50",
            description = "MC-dropout passes per test example (default: ${DEFAULT-VALUE}).")
    int mcSamples;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1",
            description = "Seed of the split, the initial weights, the example order and the masks (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory for the outputs (created if missing).")
    Path out;

    @Option(names = "--overwrite", description = "Replace the results of an earlier run in --out (otherwise refused).")
    boolean overwrite;

    /** The directory's lock while the command runs. */
    private DirectoryLock lock;

    @Option(names = "--no-progress", description = "No progress bar.")
    boolean noProgress;

    /** The examples' indices split three ways: training, validation, test. */
    record Split(List<Integer> train, List<Integer> valid, List<Integer> test) {}

    @Override
    public Integer call() {
        try {
            return run();
        } finally {
            if (lock != null) {
                Outputs.release(List.of(lock));
                lock = null;
            }
        }
    }

    private Integer run() {
        Tokenization tokenization = tokenization(tokens);
        Cell layer = Cell.parse(cell);
        if (epochs < 1) {
            throw new UserError("--epochs must be at least 1, got " + epochs);
        }
        if (mcSamples < 1) {
            throw new UserError("--mc-samples must be at least 1, got " + mcSamples);
        }
        if (mcSamples > LmExperiment.MAX_MC_SAMPLES) {
            throw new UserError("--mc-samples must be at most " + LmExperiment.MAX_MC_SAMPLES + ", got " + mcSamples
                    + "; a few hundred already pin the probabilities down");
        }
        PrintWriter log = spec.commandLine().getOut();
        LabelledText examples = data == null ? bundledNames() : read(data);
        String source = data == null ? "the bundled names" : data.toString();
        if (examples.labelNames().size() < 2) {
            throw new UserError(source + " has " + examples.labelNames().size() + " label (" + examples.labelNames().get(0)
                    + ") in its label column; a classifier needs at least 2");
        }
        if (examples.size() < MIN_EXAMPLES) {
            throw new UserError(source + " has " + examples.size() + " examples; the 80/10/10 split needs at least "
                    + MIN_EXAMPLES);
        }
        List<List<String>> tokenLists;
        try {
            tokenLists = examples.tokens(tokenization::split);
        } catch (LabelledTextException e) {
            throw new UserError(e.getMessage());
        }
        Path outDir = outputDirectory(out);

        Rng seeds = new Rng(seed);
        Split split = split(examples.size(), seeds.nextLong());
        long initSeed = seeds.nextLong();
        long trainSeed = seeds.nextLong();
        long mcSeed = seeds.nextLong();
        List<String> trainTokens = new ArrayList<>();
        for (int i : split.train()) {
            trainTokens.addAll(tokenLists.get(i));
        }
        Vocabulary vocabulary = Vocabulary.build(trainTokens,
                tokenization == Tokenization.CHARS ? Integer.MAX_VALUE : MAX_WORDS);
        int[][] ids = new int[examples.size()][];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = vocabulary.encode(tokenLists.get(i));
        }
        int[] labels = examples.labels();
        List<String> classes = examples.labelNames();

        Network<int[][], int[]> network = classifier(layer, vocabulary.size(), classes.size(),
                NetworkConfig.builder().seed(initSeed).build());
        int trainEpochs = epochs;
        SerializableSettings settings = runSeed -> SequenceConfig.builder().epochs(trainEpochs).batch(BATCH)
                .learningRate(LEARNING_RATE).clip(CLIP).seed(runSeed);
        log.printf(Locale.ROOT, "classify: %s, %,d examples, %d classes (%s); %s, vocabulary %,d; %,d / %,d / %,d "
                        + "train / valid / test; %s, %,d parameters%n",
                source, examples.size(), classes.size(), String.join(", ", classes), tokenization == Tokenization.CHARS
                        ? "characters" : "words", vocabulary.size(), split.train().size(), split.valid().size(),
                split.test().size(), layer.display(), network.parameterCount());
        log.flush();

        long start = System.nanoTime();
        // A diverging run throws TrainingException, which Main prints as one line with exit code 1.
        SequenceResult result = train(network, settings, trainSeed, outDir.resolve("train.jsonl"),
                pick(ids, split.train()), pick(labels, split.train()), pick(ids, split.valid()), pick(labels, split.valid()));
        double trainSeconds = (System.nanoTime() - start) / 1e9;
        for (SequenceResult.Epoch e : result.epochs()) {
            log.printf(Locale.ROOT, "  epoch %2d  train loss %.4f  valid loss %.4f  valid accuracy %.4f%n", e.epoch(),
                    e.trainLoss(), e.validLoss(), e.validAccuracy());
        }
        log.printf(Locale.ROOT, "trained %d epochs in %.1f s; kept epoch %d%n", result.epochs().size(), trainSeconds,
                result.bestEpoch());
        log.flush();

        int[][] testIds = pick(ids, split.test());
        int[] testLabels = pick(labels, split.test());
        int[] plain = predictDropoutOff(network, testIds);
        int right = 0;
        for (int i = 0; i < plain.length; i++) {
            right += plain[i] == testLabels[i] ? 1 : 0;
        }
        double accuracy = (double) right / plain.length;
        start = System.nanoTime();
        List<ClassPrediction> mc = McPredictor.classify(network, testIds, mcSamples, mcSeed);
        double predictSeconds = (System.nanoTime() - start) / 1e9;
        ClassificationSummary summary = ClassificationSummary.of(mc, testLabels);
        // the AUROCs are NaN by definition when every test prediction is right (or every one wrong)
        Map<String, Double> scores = new LinkedHashMap<>();
        scores.put("validation loss", result.best().validLoss());
        scores.put("test accuracy", accuracy);
        scores.put("test accuracy with MC dropout", summary.accuracy());
        scores.put("test negative log-likelihood", summary.negativeLogLikelihood());
        scores.put("test Brier score", summary.brierScore());
        scores.put("test expected calibration error", summary.expectedCalibrationError());
        FiniteScores.require("classify", scores);

        Map<String, Object> report = new LinkedHashMap<>();
        report.put("data", data == null ? NAMES : data.toString());
        report.put("tokens", tokenization == Tokenization.CHARS ? "chars" : "words");
        report.put("cell", layer.label());
        report.put("classes", classes);
        report.put("train_examples", split.train().size());
        report.put("valid_examples", split.valid().size());
        report.put("test_examples", split.test().size());
        report.put("vocabulary", vocabulary.size());
        report.put("accuracy", accuracy);
        report.put("accuracy_mc", summary.accuracy());
        report.put("nll_mc", summary.negativeLogLikelihood());
        report.put("brier_mc", summary.brierScore());
        report.put("ece_mc", summary.expectedCalibrationError());
        report.put("auroc_entropy", summary.aurocEntropy());
        report.put("auroc_mutual_information", summary.aurocMutualInformation());
        report.put("accuracy_mc_at_50", summary.accuracyAt50());
        report.put("accuracy_mc_at_80", summary.accuracyAt80());
        report.put("accuracy_mc_at_90", summary.accuracyAt90());
        report.put("epochs", epochs);
        report.put("epochs_trained", result.epochs().size());
        report.put("best_epoch", result.bestEpoch());
        report.put("valid_loss", result.best().validLoss());
        report.put("valid_accuracy", result.best().validAccuracy());
        report.put("mc_samples", mcSamples);
        report.put("seed", seed);
        report.put("model", network.getClass().getSimpleName());
        report.put("parameters", network.parameterCount());
        report.put("train_seconds", trainSeconds);
        report.put("predict_seconds", predictSeconds);
        report.put("config", result.settings());
        report(report);
        Json.write(outDir.resolve("classify.json"), report);
        writePredictions(outDir.resolve("predictions.csv"), examples, split.test(), classes, mc);
        try {
            Plots.reliability(outDir.resolve("reliability.png"), summary.calibration(),
                    String.format(Locale.ROOT, "%s: %s, MC dropout (K = %d), %,d test examples, ECE %.3f", source,
                            layer.display(), mcSamples,
                            mc.size(), summary.expectedCalibrationError()), 700, 600);
        } catch (IOException e) {
            throw new UserError(e.getMessage()); // names the file and why; the earlier file is kept
        }
        try {
            ModelFile.save(outDir.resolve("model.vdrop"), network,
                    PredictionInfo.classifier(new ModelInput.Tokens(tokenization, vocabulary.words()), classes));
        } catch (ModelFileException e) {
            throw new UserError(e.getMessage());
        }
        log.printf(Locale.ROOT, "test: accuracy %.4f (dropout off), %.4f (MC, K = %d); NLL %.4f, Brier %.4f, ECE %.4f; "
                        + "AUROC of entropy %.4f, of mutual information %.4f%n",
                accuracy, summary.accuracy(), mcSamples, summary.negativeLogLikelihood(), summary.brierScore(),
                summary.expectedCalibrationError(), summary.aurocEntropy(), summary.aurocMutualInformation());
        log.printf("wrote classify.json, predictions.csv, reliability.png, train.jsonl and model.vdrop in %s%n", outDir);
        log.flush();
        return 0;
    }

    /** The training settings from a seed, without files or a progress bar; serializable, for Spark's replicas. */
    @FunctionalInterface
    public interface SerializableSettings extends java.io.Serializable {
        /**
         * The settings of a run.
         *
         * @param seed the run's seed (example order and masks)
         * @return a builder with the epochs, batch, learning rate, clip and seed set
         */
        SequenceConfig.Builder create(long seed);
    }

    /**
     * Trains {@code network} on the training examples, keeping the epoch with the best validation
     * loss: here with {@link SequenceTrainer}, writing {@code metrics} (one line per epoch).
     *
     * @param network the classifier, with its initial weights
     * @param settings the settings from a seed
     * @param seed the run's seed
     * @param metrics where {@code train.jsonl} goes
     * @param train the training examples' token ids
     * @param trainLabels their classes
     * @param valid the validation examples' token ids
     * @param validLabels their classes
     * @return every epoch's metrics and the best epoch, whose parameters are then in {@code network}
     */
    protected SequenceResult train(Network<int[][], int[]> network, SerializableSettings settings, long seed, Path metrics,
                                   int[][] train, int[] trainLabels, int[][] valid, int[] validLabels) {
        SequenceConfig config = settings.create(seed).metrics(metrics)
                .progress(!noProgress && System.console() != null).build();
        return new SequenceTrainer(config).train(network, train, trainLabels, valid, validLabels);
    }

    /**
     * Adds to {@code classify.json}'s fields before it is written; nothing here.
     *
     * @param report the fields so far, in order
     */
    protected void report(Map<String, Object> report) {}

    /**
     * A new classifier with {@code cell} layers: {@link TextClassifier}'s network or its GRU twin's.
     *
     * @param vocabulary the number of token ids, {@code <unk>} included
     * @param classes the number of labels
     */
    static Network<int[][], int[]> classifier(Cell cell, int vocabulary, int classes, NetworkConfig config) {
        return switch (cell) {
            case LSTM -> TextClassifierNetwork.builder().vocabulary(vocabulary).classes(classes).config(config).build();
            case GRU -> TextClassifierGruNetwork.builder().vocabulary(vocabulary).classes(classes).config(config).build();
        };
    }

    /** {@return the generated class of {@link #classifier}'s network with {@code cell} layers} */
    static Class<?> classifierClass(Cell cell) {
        return switch (cell) {
            case LSTM -> TextClassifierNetwork.class;
            case GRU -> TextClassifierGruNetwork.class;
        };
    }

    static Tokenization tokenization(String name) {
        return switch (name) {
            case "chars" -> Tokenization.CHARS;
            case "words" -> Tokenization.WORDS;
            default -> throw new UserError("--tokens must be chars or words, got '" + name + "'");
        };
    }

    /** The bundled female and male first names, one example per name and list. */
    static LabelledText bundledNames() {
        Map<String, List<String>> lists = new HashMap<>();
        for (String label : List.of("female", "male")) {
            try (InputStream in = ClassifyCommand.class.getResourceAsStream("data/names/" + label + ".txt")) {
                if (in == null) {
                    throw new IllegalStateException("the bundled name list " + label + ".txt is missing from the samples jar");
                }
                lists.put(label, new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return LabelledText.fromLists(lists);
    }

    private static LabelledText read(Path file) {
        try {
            return LabelledText.read(file);
        } catch (NoSuchFileException e) {
            throw new UserError("no such file: " + file);
        } catch (IOException e) {
            throw new UserError("cannot read " + file + ": " + e.getMessage());
        } catch (LabelledTextException e) {
            throw new UserError(e.getMessage());
        }
    }

    /** Indices 0..n−1 shuffled (Fisher–Yates) from the seed, cut 80/10/10; validation and test get at least one. */
    static Split split(int n, long seed) {
        Rng rng = new Rng(seed);
        List<Integer> order = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            order.add(i);
        }
        for (int i = n - 1; i > 0; i--) {
            int j = (int) (rng.nextDouble() * (i + 1));
            Integer swap = order.get(i);
            order.set(i, order.get(j));
            order.set(j, swap);
        }
        int test = Math.max(1, n / 10);
        int valid = Math.max(1, n / 10);
        int train = n - valid - test;
        return new Split(List.copyOf(order.subList(0, train)), List.copyOf(order.subList(train, train + valid)),
                List.copyOf(order.subList(train + valid, n)));
    }

    private static int[][] pick(int[][] rows, List<Integer> which) {
        int[][] out = new int[which.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = rows[which.get(i)];
        }
        return out;
    }

    private static int[] pick(int[] values, List<Integer> which) {
        int[] out = new int[which.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values[which.get(i)];
        }
        return out;
    }

    /** The most probable class of every text with dropout off (the standard approximation). */
    static int[] predictDropoutOff(Network<int[][], int[]> network, int[][] texts) {
        int[] predicted = new int[texts.length];
        for (int from = 0; from < texts.length; from += PREDICT_BATCH) {
            int size = Math.min(PREDICT_BATCH, texts.length - from);
            int[][] batch = new int[size][];
            int longest = 1;
            for (int b = 0; b < size; b++) {
                batch[b] = texts[from + b];
                longest = Math.max(longest, batch[b].length);
            }
            try (Workspace<int[][], int[]> workspace = network.workspace(size, longest)) {
                workspace.resetState();
                workspace.dropoutOff();
                workspace.forward(batch);
                var output = workspace.output();
                for (int b = 0; b < size; b++) {
                    int best = 0;
                    for (int c = 1; c < output.rows(); c++) {
                        if (output.get(c, b) > output.get(best, b)) {
                            best = c;
                        }
                    }
                    predicted[from + b] = best;
                }
            }
        }
        return predicted;
    }

    private static void writePredictions(Path file, LabelledText examples, List<Integer> test, List<String> classes,
                                         List<ClassPrediction> mc) {
        StringBuilder csv = new StringBuilder("text,label,predicted,p_predicted,entropy,mutual_information\n");
        int[] labels = examples.labels();
        for (int i = 0; i < test.size(); i++) {
            int example = test.get(i);
            ClassPrediction p = mc.get(i);
            csv.append(csvField(examples.texts().get(example))).append(',')
                    .append(csvField(classes.get(labels[example]))).append(',')
                    .append(csvField(classes.get(p.argmax()))).append(',')
                    .append(String.format(Locale.ROOT, "%.6f,%.6f,%.6f%n", p.predictedProbability(), p.predictiveEntropy(),
                            p.mutualInformation()).replace(System.lineSeparator(), "\n"));
        }
        Outputs.writeString(file, csv);
    }

    /** A CSV field as RFC 4180 writes it: quoted (inner quotes doubled) when it holds a comma, a quote or a line break. */
    static String csvField(String text) {
        if (text.indexOf(',') < 0 && text.indexOf('"') < 0 && text.indexOf('\n') < 0 && text.indexOf('\r') < 0) {
            return text;
        }
        return '"' + text.replace("\"", "\"\"") + '"';
    }

    /**
     * Checks {@code --out} before any work (refusing the results of an earlier run unless
     * {@code --overwrite}), locks it for this run, and starts a new {@code train.jsonl}.
     */
    private Path outputDirectory(Path dir) {
        lock = Outputs.claim("--out", dir, overwrite, RESULTS);
        try {
            Files.deleteIfExists(dir.resolve("train.jsonl")); // only with --overwrite: the check refused it otherwise
        } catch (IOException e) {
            throw new UserError("cannot replace " + dir.resolve("train.jsonl") + " (" + e.getMessage() + ")");
        }
        return dir;
    }
}
