package dev.vdrop.samples;

import dev.vdrop.runtime.DropoutMode;
import dev.vdrop.runtime.Mat;
import dev.vdrop.runtime.Network;
import dev.vdrop.runtime.NetworkConfig;
import dev.vdrop.runtime.Rng;
import dev.vdrop.runtime.Workspace;
import dev.vdrop.runtime.eval.McPredictor;
import dev.vdrop.runtime.io.DirectoryLock;
import dev.vdrop.runtime.mc.RegressionPrediction;
import dev.vdrop.runtime.series.Csv;
import dev.vdrop.runtime.series.Normalizer;
import dev.vdrop.runtime.series.Windows;
import dev.vdrop.runtime.train.RegressionConfig;
import dev.vdrop.runtime.train.RegressionResult;
import dev.vdrop.runtime.train.RegressionTrainer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.IntFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code vdrop forecast}: trains the MC-dropout LSTM forecaster ({@link SeriesForecaster}, or its GRU
 * twin {@link SeriesForecasterGru} with {@code --cell gru}) on one
 * numeric column of a CSV file and scores it on the last 20% of the rows, the test span.
 *
 * <p>The model reads a window of W steps — the standardised value and the phase of the season as
 * sine and cosine — and predicts the value H steps after the window's end (H = 1: the next day)
 * as a Gaussian. The standardisation is fitted on the training span (the first 80%) only; the last
 * 10% of the training windows are held out to choose the epoch whose parameters are kept. Every
 * test-span value is then predicted exactly once with K MC-dropout passes, and scored in the
 * series' units against the seasonal-naive forecast (the value one season earlier; for H longer
 * than a season, the same phase in the last season the window has seen).
 *
 * <p>Writes {@code forecast.json} (scores and settings), {@code forecast.csv} (every test-span
 * prediction), {@code forecast.png} (the test span with the 80% and 95% bands) and
 * {@code train.jsonl} (one line per epoch) into {@code --out}. Every mistake in the flags or the data
 * ends with one line on standard error and exit code 2.
 *
 * <p>The numeric flags are read as text and checked here, so that a bad value gets the same
 * one-line message as every other mistake rather than picocli's usage screen.
 */
@Command(name = "forecast", mixinStandardHelpOptions = true,
        description = {"Train an MC-dropout LSTM (or GRU) forecaster on one CSV column and score it on the last 20%% of the rows.",
                "Writes forecast.json, forecast.csv, forecast.png and train.jsonl into --out.",
                "Without --csv: the bundled daily US births 1969-1988, column births.",
                "Keeps the best epoch by validation loss (--no-restore-best keeps the last)."},
        sortOptions = false)
final class ForecastCommand implements Callable<Integer> {
    /** The files written into {@code --out}. */
    static final List<String> RESULTS = List.of("forecast.json", "forecast.csv", "forecast.png", "train.jsonl");

    /** The fewest training windows: enough for a validation window and a few mini-batches. */
    static final int MIN_TRAIN_WINDOWS = 20;

    // Chosen on the validation part (the last 10% of the windows) of the bundled births' training
    // span, never on the test span: window 14 (28 scored the same at twice the time), 50 epochs at a
    // constant rate 3e-3 with the best epoch kept (1e-3, or a decay by 1.1 per epoch from epoch 10,
    // ended worse), mini-batches of 32, 100 MC samples. About 40 s on two cores.
    private static final int BATCH = 32;
    private static final double LEARNING_RATE = 3e-3;
    private static final double CLIP = 5;
    private static final double INIT_SCALE = 0.1;
    /** The most MC samples: every window keeps its K sampled means until they are summarised. */
    static final int MAX_MC_SAMPLES = 10_000;

    @Spec
    CommandSpec spec;

    @Option(names = "--csv", paramLabel = "PATH", description = "CSV file with a header row (default: the bundled US births).")
    Path csv;

    @Option(names = "--column", paramLabel = "NAME",
            description = "Numeric column to forecast (default: births; required with --csv unless it has a births column).")
    String column;

    @Option(names = "--window", paramLabel = "W", description = "Input steps per window (default: ${DEFAULT-VALUE}).")
    String window = "14";

    @Option(names = "--horizon", paramLabel = "H",
            description = "Lead time: predict the value H steps after the window's end; 1 is the next step (default: ${DEFAULT-VALUE}).")
    String horizon = "1";

    @Option(names = "--cell", paramLabel = "lstm|gru",
            description = "The recurrent layer's cell: lstm or gru, with the same dropout (default: ${DEFAULT-VALUE}).")
    String cell = "lstm";

    @Option(names = "--epochs", paramLabel = "N",
            description = "Most training epochs; the epoch with the best validation loss is kept (default: ${DEFAULT-VALUE}).")
    String epochs = "50";

    @Option(names = "--mc-samples", paramLabel = "K", description = "MC-dropout passes per prediction (default: ${DEFAULT-VALUE}).")
    String mcSamples = "100";

    @Option(names = "--season", paramLabel = "S",
            description = "Season length in steps, for the phase features and the seasonal-naive baseline (default: ${DEFAULT-VALUE}, a week of days).")
    String season = "7";

    @Option(names = "--seed", paramLabel = "SEED",
            description = "Seed of the initial weights, the example order and the dropout masks (default: ${DEFAULT-VALUE}).")
    String seed = "1";

    @Option(names = "--out", paramLabel = "DIR", description = "Directory for the outputs (created if missing).")
    Path out;

    @Option(names = "--overwrite", description = "Replace the results of an earlier run in --out (otherwise refused).")
    boolean overwrite;

    /** The directory's lock while the command runs. */
    private DirectoryLock lock;

    @Option(names = "--restore-best", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Forecast with the best epoch by validation loss; --no-restore-best keeps the last "
                    + "(default: on).")
    boolean restoreBest = true;

    @Unmatched
    List<String> unmatched;

    /** The checked flags. */
    record Settings(Cell cell, int window, int horizon, int epochs, int mcSamples, int season, long seed, Path out) {}

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
        Settings s = settings();
        PrintWriter log = spec.commandLine().getOut();
        Series series = series();
        double[] values = series.values();
        int rows = values.length;
        int testStart = Windows.testStart(rows);
        LeadTimeWindows windows = new LeadTimeWindows(s.window(), s.horizon(), s.season());
        // in long: a window and a horizon near Integer.MAX_VALUE must not wrap around
        long trainWindows = testStart - windows.firstTarget();
        if (trainWindows < MIN_TRAIN_WINDOWS) {
            throw new UserError(String.format(Locale.ROOT, "%s has %d values in column %s: its training span (the first 80%%, "
                            + "%d values) is too short for --window %d and --horizon %d, which need at least %d values "
                            + "(%d training windows); use a smaller --window or a longer series",
                    series.source(), rows, series.column(), testStart, s.window(), s.horizon(),
                    windows.firstTarget() + MIN_TRAIN_WINDOWS, MIN_TRAIN_WINDOWS));
        }
        long lag = naiveLag(s.season(), s.horizon());
        if (testStart < lag) {
            throw new UserError(String.format(Locale.ROOT, "%s has %d values: the seasonal-naive baseline needs a training span "
                    + "of at least %d values for --season %d and --horizon %d, but it has %d; use a smaller --season",
                    series.source(), rows, lag, s.season(), s.horizon(), testStart));
        }
        checkMemory(series.source(), s.window(), trainWindows, rows - testStart, s.mcSamples(),
                Runtime.getRuntime().maxMemory());
        Normalizer normalizer;
        double[] z;
        try {
            // values beyond what the model's arithmetic holds are named by their line
            normalizer = Normalizer.fit(values, 0, testStart, series.where());
            z = normalizer.normalize(values, series.where());
        } catch (IllegalArgumentException e) {
            // a value's message starts with its file and line; a span's (a constant one) says which column
            String where = series.source() + " line ";
            throw new UserError(e.getMessage().startsWith(where) ? e.getMessage()
                    : "column " + series.column() + " of " + series.source() + ": " + e.getMessage());
        }
        LeadTimeWindows.Part train = windows.train(z, testStart);
        LeadTimeWindows.Part test = windows.test(z, testStart);
        Path outDir = outputDirectory(s.out());

        Rng seeds = new Rng(s.seed());
        long initSeed = seeds.nextLong();
        long trainSeed = seeds.nextLong();
        long mcSeed = seeds.nextLong();
        Network<double[][][], double[][]> network = forecaster(s.cell(),
                NetworkConfig.builder().seed(initSeed).initScale(INIT_SCALE).build());
        RegressionConfig config = RegressionConfig.builder().epochs(s.epochs()).batch(BATCH).learningRate(LEARNING_RATE)
                .clip(CLIP).seed(trainSeed).metrics(outDir.resolve("train.jsonl")).progress(System.console() != null)
                .restoreBest(restoreBest)
                .build();
        log.printf(Locale.ROOT, "forecast: column %s of %s, %,d values; test span %,d..%,d (%,d values); window %d, horizon %d; "
                        + "%s%n", series.column(), series.source(), rows, testStart, rows - 1, rows - testStart, s.window(),
                s.horizon(), s.cell().display());
        log.flush();

        long start = System.nanoTime();
        // A diverging run throws TrainingException, which Main prints as one line with exit code 1.
        RegressionResult result = new RegressionTrainer(config).train(network, train.inputs(), train.targets());
        double trainSeconds = (System.nanoTime() - start) / 1e9;
        RegressionResult.Epoch kept = restoreBest ? result.best() : result.last();
        log.printf(Locale.ROOT, "trained %d epochs on %,d windows in %.1f s; kept epoch %d (validation RMSE %.4g on the last %,d)%n",
                result.epochs().size(), result.trainExamples(), trainSeconds, kept.epoch(),
                kept.validRmse() * normalizer.std(), result.validExamples());
        log.flush();

        start = System.nanoTime();
        RegressionPrediction[] predictions = mcForecast(network, test.inputs(), s.mcSamples(), new Rng(mcSeed));
        double predictSeconds = (System.nanoTime() - start) / 1e9;
        int[] index = test.targetIndex();
        double[] truth = new double[index.length];
        double[] naive = new double[index.length];
        for (int i = 0; i < index.length; i++) {
            truth[i] = values[index[i]];
            naive[i] = values[(int) (index[i] - lag)];
        }
        ForecastReport report = ForecastReport.of(index, truth, predictions, normalizer, naive);
        Map<String, Double> scores = new LinkedHashMap<>();
        scores.put("validation RMSE", kept.validRmse() * normalizer.std());
        scores.put("test RMSE", report.rmse());
        scores.put("test MAE", report.mae());
        scores.put("test sMAPE", report.smape());
        scores.put("seasonal-naive RMSE", report.naiveRmse());
        scores.put("80% interval coverage", report.coverage(0.8).fraction());
        scores.put("95% interval coverage", report.coverage(0.95).fraction());
        FiniteScores.require("forecast", scores);

        Map<String, Object> run = new LinkedHashMap<>();
        run.put("source", series.source());
        run.put("column", series.column());
        run.put("rows", rows);
        run.put("test_start", testStart);
        run.put("train_windows", result.trainExamples());
        run.put("valid_windows", result.validExamples());
        run.put("window", s.window());
        run.put("horizon", s.horizon());
        run.put("season", s.season());
        run.put("seasonal_naive_lag", lag);
        run.put("epochs", s.epochs());
        run.put("epochs_trained", result.epochs().size());
        run.put("best_epoch", result.bestEpoch());
        run.put("valid_rmse", kept.validRmse() * normalizer.std());
        run.put("mc_samples", s.mcSamples());
        run.put("seed", s.seed());
        run.put("batch", BATCH);
        run.put("learning_rate", LEARNING_RATE);
        run.put("optimizer", "adam");
        run.put("clip", CLIP);
        run.put("init_scale", INIT_SCALE);
        run.put("cell", s.cell().label());
        run.put("model", network.getClass().getSimpleName());
        run.put("parameters", network.parameterCount());
        run.put("train_seconds", trainSeconds);
        run.put("predict_seconds", predictSeconds);
        try {
            report.writeJson(outDir.resolve("forecast.json"), run);
            report.writeCsv(outDir.resolve("forecast.csv"));
            Plots.forecast(outDir.resolve("forecast.png"), report,
                    String.format(Locale.ROOT, "%s: MC-dropout %s forecast, %d step%s ahead, test span", series.column(),
                            s.cell().display(), s.horizon(), s.horizon() == 1 ? "" : "s"),
                    String.format(Locale.ROOT, "RMSE %.4g (seasonal naive %.4g); 80%% interval covers %.1f%%, 95%% covers %.1f%% "
                                    + "of %,d values; window %d, K = %d",
                            report.rmse(), report.naiveRmse(), 100 * report.coverage(0.8).fraction(),
                            100 * report.coverage(0.95).fraction(), report.size(), s.window(), s.mcSamples()),
                    "row of " + series.source() + " (from 0)", series.column(), 8 * s.season(), 1200, 500);
        } catch (IOException e) {
            throw new UserError(e.getMessage()); // names the file and why; the earlier file is kept
        }
        log.printf(Locale.ROOT, "test: RMSE %.4g (seasonal naive %.4g), MAE %.4g, sMAPE %.2f%%; 80%% interval covers %.1f%%, "
                        + "95%% covers %.1f%% (K = %d, %.1f s)%n",
                report.rmse(), report.naiveRmse(), report.mae(), report.smape(), 100 * report.coverage(0.8).fraction(),
                100 * report.coverage(0.95).fraction(), s.mcSamples(), predictSeconds);
        log.printf("wrote forecast.json, forecast.csv, forecast.png and train.jsonl in %s%n", outDir);
        log.flush();
        return 0;
    }

    /** {@return a new forecaster with {@code cell} layers: {@link SeriesForecaster}'s network or its GRU twin's} */
    static Network<double[][][], double[][]> forecaster(Cell cell, NetworkConfig config) {
        return switch (cell) {
            case LSTM -> new SeriesForecasterNetwork(config);
            case GRU -> new SeriesForecasterGruNetwork(config);
        };
    }

    /**
     * The seasonal-naive lag for lead time H: the last value of the same phase that the window's end
     * has seen, {@code season · ⌈H / season⌉} (one season for H ≤ season), in long: both flags may
     * be near {@link Integer#MAX_VALUE}.
     */
    static long naiveLag(int season, int horizon) {
        return season * (((long) horizon + season - 1) / season);
    }

    /**
     * The windows' features must fit in the heap: every training and test example holds
     * {@code window × 3} doubles (16 bytes of array header per step), and the MC forecast keeps K
     * sampled means per test value. Checked in long arithmetic before any of it is allocated.
     *
     * @param max the heap's limit in bytes, {@link Runtime#maxMemory()}
     * @throws UserError when that needs more than half the heap
     */
    static void checkMemory(String source, int window, long trainWindows, long testValues, int mcSamples, long max) {
        long examples = trainWindows + testValues;
        long bytes = examples * window * (3L * Double.BYTES + 16) + testValues * mcSamples * 2L * Double.BYTES;
        if (bytes > max / 2) {
            throw new UserError(String.format(Locale.ROOT, "%s: %,d windows of %d steps, and %,d MC samples of each of "
                            + "%,d test values, need about %,.0f MB, more than half of the Java heap's %,.0f MB; use a smaller --window "
                            + "or --mc-samples, or give the JVM more with VDROP_JAVA_OPTS, e.g. VDROP_JAVA_OPTS=-Xmx%dg",
                    source, examples, window, mcSamples, testValues, bytes / 1048576.0, max / 1048576.0,
                    Math.max(1, (3 * bytes + (1L << 30) - 1) >> 30)));
        }
    }

    /** MC-dropout forecasts of every window (the model's single output). */
    static RegressionPrediction[] mcForecast(Network<double[][][], double[][]> network, double[][][] inputs, int samples,
                                             Rng rng) {
        RegressionPrediction[][] all = McPredictor.forecast(network, inputs, samples, rng);
        RegressionPrediction[] out = new RegressionPrediction[all.length];
        for (int i = 0; i < all.length; i++) {
            out[i] = all[i][0];
        }
        return out;
    }

    /**
     * One column of a CSV file, or of the bundled births.
     *
     * @param where what to call value {@code i} in messages: its file, line and column
     */
    record Series(String source, String column, double[] values, IntFunction<String> where) {}

    private Series series() {
        String text = csv == null ? Resources.bundled(Resources.US_BIRTHS) : Resources.file(csv);
        String source = csv == null ? Resources.US_BIRTHS : String.valueOf(csv.getFileName());
        try {
            Csv table = Csv.parse(text, source);
            String name = column != null ? column : "births";
            if (column == null && csv != null && !table.header().contains(name)) {
                throw new UserError("say which column of " + source + " to forecast with --column NAME; its columns are "
                        + String.join(", ", table.header()));
            }
            return new Series(source, name, table.column(name), row -> table.where(row, name));
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
    }

    private Settings settings() {
        if (unmatched != null && !unmatched.isEmpty()) {
            String first = unmatched.get(0);
            throw new UserError(first.startsWith("-")
                    ? "unknown option " + first + "; see vdrop forecast --help"
                    : "unexpected argument '" + first + "'; the forecast command takes options only, see vdrop forecast --help");
        }
        if (out == null) {
            throw new UserError("--out DIR is required: the directory to write forecast.json and forecast.png into");
        }
        Cell c = Cell.parse(cell);
        if (column != null && column.isBlank()) {
            throw new UserError("--column needs a column name");
        }
        int w = positive("--window", window);
        int h = positive("--horizon", horizon);
        int n = positive("--epochs", epochs);
        int k = positive("--mc-samples", mcSamples);
        if (k > MAX_MC_SAMPLES) {
            throw new UserError("--mc-samples must be at most " + MAX_MC_SAMPLES + ", got " + k
                    + "; a few hundred already pin the intervals down");
        }
        int p = positive("--season", season);
        if (p < 2) {
            throw new UserError("--season must be at least 2 (the number of steps in one season, e.g. 7 for days of the week), got 1");
        }
        long sd;
        try {
            sd = Long.parseLong(seed.trim());
        } catch (NumberFormatException e) {
            throw new UserError("--seed must be a whole number, got '" + seed + "'");
        }
        return new Settings(c, w, h, n, k, p, sd, out);
    }

    private static int positive(String flag, String text) {
        int value;
        try {
            value = Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new UserError(flag + " must be a whole number ≥ 1, got '" + text + "'");
        }
        if (value < 1) {
            throw new UserError(flag + " must be at least 1, got " + value);
        }
        return value;
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
