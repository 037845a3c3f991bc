package dev.vdrop.samples;

import dev.vdrop.runtime.Network;
import dev.vdrop.runtime.NetworkConfig;
import dev.vdrop.runtime.Rng;
import dev.vdrop.runtime.eval.McPredictor;
import dev.vdrop.runtime.forecast.Backtest;
import dev.vdrop.runtime.forecast.FittedScale;
import dev.vdrop.runtime.forecast.ForecastScores;
import dev.vdrop.runtime.forecast.LeadTimeWindows;
import dev.vdrop.runtime.forecast.Scale;
import dev.vdrop.runtime.forecast.ScaledWindows;
import dev.vdrop.runtime.forecast.SeriesPrediction;
import dev.vdrop.runtime.forecast.StepScores;
import dev.vdrop.runtime.forecast.WindowOrigins;
import dev.vdrop.runtime.io.DirectoryLock;
import dev.vdrop.runtime.mc.RegressionPrediction;
import dev.vdrop.runtime.model.ModelFile;
import dev.vdrop.runtime.model.ModelFileException;
import dev.vdrop.runtime.model.ModelInput;
import dev.vdrop.runtime.model.PredictionInfo;
import dev.vdrop.runtime.series.Dates;
import dev.vdrop.runtime.series.Windows;
import dev.vdrop.runtime.train.RegressionConfig;
import dev.vdrop.runtime.train.RegressionResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code vdrop forecast}: trains the MC-dropout LSTM forecaster ({@link SeriesForecaster}, or its GRU
 * twin {@link SeriesForecasterGru} with {@code --cell gru}) on one
 * numeric column of a CSV file and scores it on the last 20% of the rows, the test span.
 *
 * <p>The data ({@link ForecastData}): the column with its missing values refused, interpolated or
 * kept as gaps ({@code --missing}); the rows' dates, if given, whose calendar features replace the
 * season's phase as inputs ({@code --date-column}, {@code --date-columns}); further input columns
 * ({@code --inputs}), standardised on the training span.
 *
 * <p>The model reads a window of W steps — the scaled value, the phase of the season as sine and
 * cosine (without dates), and the row's own features if any — and predicts the values L … L + H − 1
 * steps after the window's end ({@code --horizon} L, {@code --steps} H; L = H = 1: the next day),
 * each as a Gaussian (one output per step). {@code --scale} says how a window is scaled and how its
 * predictions map back ({@link FittedScale}: global, the default, standardises with the training
 * span's mean and standard deviation; window and difference scale each window relative to its last
 * value, mean relative to its mean level).
 * Scales are fitted on the rows before the first forecast origin (the training span, the first
 * 80%) only; the last 10% of the training windows are held out to choose the epoch whose parameters
 * are kept.
 *
 * <p>Evaluation: every test-span row starts one forecast by default, or {@code --backtest N}'s
 * origins do ({@link Backtest}), all forecast by the model trained before the first, or with
 * {@code --refit} each by a model trained on the rows before it. Each forecast is made with K
 * MC-dropout passes, and every step is scored, pooled over the origins, in the series' units against
 * the seasonal-naive forecast (the value one season earlier; for a lead longer than a season, the
 * same phase in the last season the window has seen) and persistence (the window's last value):
 * {@link ForecastScores}, written by {@link ForecastSteps}. {@code --future} then forecasts the H
 * steps after the last row ({@link FutureForecast}).
 *
 * <p>The engine, {@link #forecast(Series, Settings, PrintWriter)}, takes the series with NaN where a
 * value is missing (windows touching one are dropped, never rows; {@link LeadTimeWindows}) and
 * optional per-row input features. The scaling, the windows, the backtest's origins and the scores
 * are the runtime's public {@code dev.vdrop.runtime.forecast}, which a user's own forecaster uses
 * the same way; this command adds the flags, the files, the plots and the console.
 *
 * <p>Writes {@code forecast.json} (scores and settings), {@code forecast.csv} (every scored
 * prediction), {@code forecast.png} (the test span with the 80% and 95% bands, of the last step,
 * with the future's forecasts), one {@code forecast-step-J.png} per step when H &gt; 1,
 * {@code future.csv} with {@code --future}, and {@code train.jsonl} (one line per epoch of every
 * training) into {@code --out}. Every mistake in the flags or the data ends with one line on
 * standard error and exit code 2.
 *
 * <p>The numeric flags are read as text and checked ({@link ForecastFlags}), so that a bad value gets
 * the same one-line message as every other mistake rather than picocli's usage screen.
 */
@Command(name = "forecast", mixinStandardHelpOptions = true,
        description = {"Train an MC-dropout LSTM (or GRU) forecaster on one CSV column and score it on the last 20%% of the rows.",
                "Writes forecast.json, forecast.csv, forecast.png and train.jsonl into --out (with --steps H > 1 a plot per step,",
                "forecast-step-J.png; with --future, future.csv).",
                "Without --csv: the bundled daily US births 1969-1988, column births.",
                "Keeps the best epoch by validation loss (--no-restore-best keeps the last)."},
        sortOptions = false)
final class ForecastCommand implements Callable<Integer> {
    /** The files written into {@code --out}. */
    static final List<String> RESULTS = List.of("forecast.json", "forecast.csv", "forecast.png", "train.jsonl", "future.csv");

    /** The names of the step plots, {@link #stepPlot(int)}'s. */
    static final Pattern STEP_PLOT = Pattern.compile("forecast-step-[0-9]+\\.png");

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
    /** The most steps: each is one output of the network (the test span bounds them too). */
    static final int MAX_STEPS = 10_000;

    @Spec
    CommandSpec spec;

    @Mixin
    ForecastOptions options = new ForecastOptions();

    @Option(names = "--overwrite", description = "Replace the results of an earlier run in --out, or --save's file (otherwise refused).")
    boolean overwrite;

    @Option(names = "--save", paramLabel = "FILE",
            description = {"Also save the trained model as a model file, with its window and, under --scale global, "
                    + "its standardisation, for vdrop-spark score or your own McPredictor.forecast (with --refit: the "
                    + "last origin's model, the one --future uses)."})
    Path save;

    /** The directory's lock while the command runs. */
    private DirectoryLock lock;

    @Option(names = "--restore-best", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Forecast with the best epoch by validation loss; --no-restore-best keeps the last "
                    + "(default: on).")
    boolean restoreBest = true;

    @Unmatched
    List<String> unmatched;

    /**
     * The checked flags.
     *
     * @param backtest N origins spread over the test span ({@link Backtest}), or 0: every test-span row is one
     * @param refit whether a model is trained on the rows before each backtest origin (N trainings)
     * @param future whether to forecast the steps after the last row too (future.csv)
     */
    record Settings(Cell cell, Scale scale, int window, int horizon, int steps, int epochs, int mcSamples, int season,
                    long seed, Path out, int backtest, boolean refit, boolean future) {
        /** The settings without {@code --backtest}, {@code --refit} or {@code --future}. */
        Settings(Cell cell, Scale scale, int window, int horizon, int steps, int epochs, int mcSamples, int season, long seed,
                 Path out) {
            this(cell, scale, window, horizon, steps, epochs, mcSamples, season, seed, out, 0, false, false);
        }
    }

    @Override
    public Integer call() {
        if (unmatched != null && !unmatched.isEmpty()) {
            String first = unmatched.get(0);
            throw new UserError(first.startsWith("-")
                    ? "unknown option " + first + "; see vdrop forecast --help"
                    : "unexpected argument '" + first + "'; the forecast command takes options only, see vdrop forecast --help");
        }
        Settings s = options.settings();
        return forecast(options.series(options.request()), s, spec.commandLine().getOut());
    }

    /**
     * The forecast engine: windows, training, MC forecasts and the report of {@code series} as
     * {@code s} says, written into {@code s.out()}. This is the seam to the data layer: the series
     * arrives with NaN where a value is missing and with its rows' own input features, if any.
     *
     * @return 0; every mistake in the data or the flags ends as a {@link UserError} before anything is written
     */
    int forecast(Series series, Settings s, PrintWriter log) {
        try {
            return run(series, s, log);
        } finally {
            if (lock != null) {
                Outputs.release(List.of(lock));
                lock = null;
            }
        }
    }

    private int run(Series series, Settings s, PrintWriter log) {
        double[] values = series.values();
        double[][] rowFeatures = series.rowFeatures();
        int rows = values.length;
        int testStart = Windows.testStart(rows);
        if (s.steps() > rows - testStart) {
            throw new UserError(String.format(Locale.ROOT, "--steps %d is more than the %,d values of the test span of %s "
                    + "(the last 20%%), so step %d would have no value to score; use --steps %d or fewer", s.steps(),
                    rows - testStart, series.source(), s.steps(), rows - testStart));
        }
        // with dates, the row features carry the calendar in place of the season's phase
        LeadTimeWindows windows = LeadTimeWindows.builder().window(s.window()).lead(s.horizon()).steps(s.steps())
                .period(series.dates() == null ? s.season() : 0).scale(s.scale()).build();
        // in long: a window and a horizon near Integer.MAX_VALUE must not wrap around
        long trainWindows = windows.trainWindows(testStart);
        if (trainWindows < MIN_TRAIN_WINDOWS) {
            throw new UserError(String.format(Locale.ROOT, "%s has %d values in column %s: its training span (the first 80%%, "
                            + "%d values) is too short for --window %d and --horizon %d%s, which need at least %d values "
                            + "(%d training windows); use a smaller --window or a longer series",
                    series.source(), rows, series.column(), testStart, s.window(), s.horizon(), flagsBeyond(s),
                    windows.firstTarget() + s.steps() - 1 + MIN_TRAIN_WINDOWS, MIN_TRAIN_WINDOWS));
        }
        long lag = ForecastScores.seasonalNaiveLag(s.season(), s.horizon() + s.steps() - 1);
        if (testStart < lag) {
            throw new UserError(String.format(Locale.ROOT, "%s has %d values: the seasonal-naive baseline needs a training span "
                    + "of at least %d values for --season %d and --horizon %d%s, but it has %d; use a smaller --season",
                    series.source(), rows, lag, s.season(), s.horizon(), s.steps() > 1 ? " and --steps " + s.steps() : "",
                    testStart));
        }
        int features = windows.features(series.featureNames().size());
        checkMemory(series.source(), s.window(), features, s.steps(), trainWindows, rows - testStart, s.mcSamples(),
                Runtime.getRuntime().maxMemory());
        WindowOrigins trainOrigins = windows.trainOrigins(values, rowFeatures, testStart);
        // every test-span row starts one forecast, or --backtest's N rows do
        int[] backtest = s.backtest() == 0 ? null : backtestRows(series, s, testStart);
        WindowOrigins testOrigins = backtest == null ? windows.testOrigins(values, rowFeatures, testStart)
                : windows.at(values, rowFeatures, backtest);
        if (trainOrigins.size() < MIN_TRAIN_WINDOWS || testOrigins.size() == 0) {
            throw new UserError(String.format(Locale.ROOT, "column %s of %s: missing values leave %,d training windows "
                            + "(%,d dropped) and %,d test windows (%,d dropped); at least %d and 1 are needed",
                    series.column(), series.source(), trainOrigins.size(), trainOrigins.dropped(), testOrigins.size(),
                    testOrigins.dropped(), MIN_TRAIN_WINDOWS));
        }
        // the scalings and the test windows before --out is claimed: a value beyond the model's arithmetic is named first
        int[] ends = s.refit() ? Arrays.stream(testOrigins.kept()).map(o -> o + s.horizon()).toArray() : new int[] {testStart};
        FittedScale[] scalings = new FittedScale[ends.length];
        List<ScaledWindows> testParts = new ArrayList<>();
        for (int m = 0; m < ends.length; m++) {
            WindowOrigins origins = s.refit() ? windows.trainOrigins(values, rowFeatures, ends[m]) : trainOrigins;
            WindowOrigins tests = s.refit() ? WindowOrigins.of(new int[] {testOrigins.get(m)}, 0) : testOrigins;
            try {
                scalings[m] = FittedScale.fit(windows, values, ends[m], origins, series.where());
                testParts.add(windows.examples(values, rowFeatures, tests, scalings[m], series.where()));
            } catch (IllegalArgumentException e) {
                throw dataError(series, e);
            }
        }
        ScaledWindows test = ScaledWindows.concat(testParts);
        ScaledWindows last = null;
        if (s.future()) {
            last = lastWindow(series, windows, scalings[ends.length - 1]);
        }
        if (save != null) {
            Outputs.file("--save", save, overwrite);
        }
        Path outDir = outputDirectory(s.out());

        Rng seeds = new Rng(s.seed());
        long initSeed = seeds.nextLong();
        long trainSeed = seeds.nextLong();
        long mcSeed = seeds.nextLong();
        long futureSeed = seeds.nextLong();
        NetworkConfig networkConfig = NetworkConfig.builder().seed(initSeed).initScale(INIT_SCALE).build();
        RegressionConfig config = RegressionConfig.builder().epochs(s.epochs()).batch(BATCH).learningRate(LEARNING_RATE)
                .clip(CLIP).seed(trainSeed).metrics(outDir.resolve("train.jsonl")).progress(System.console() != null)
                .restoreBest(restoreBest)
                .build();
        log.printf(Locale.ROOT, "forecast: column %s of %s, %,d values; test span %,d..%,d (%,d values); window %d, horizon %d; "
                        + "%s; scale %s, %d step%s%s%n", series.column(), series.source(), rows, testStart, rows - 1,
                rows - testStart, s.window(), s.horizon(), s.cell().display(), s.scale().label(), s.steps(),
                s.steps() == 1 ? "" : "s",
                trainOrigins.dropped() + testOrigins.dropped() == 0 ? "" : String.format(Locale.ROOT,
                        "; %,d training and %,d test windows dropped for missing values", trainOrigins.dropped(),
                        testOrigins.dropped()));
        for (String summary : series.missing().summaries()) {
            log.printf("%s (--missing %s)%n", summary, series.missing().label());
        }
        if (series.dates() != null) {
            double spacing = series.dates().medianSpacingDays();
            log.printf(Locale.ROOT, "dates %s to %s, %s day%s apart (median); inputs %s%n", series.dates().get(0),
                    series.dates().get(rows - 1), new DecimalFormat("0.##").format(spacing), spacing == 1 ? "" : "s",
                    String.join(", ", windows.inputNames(series.featureNames())));
        }
        int[] originRows = Arrays.stream(testOrigins.kept()).map(o -> o + s.horizon()).toArray();
        if (backtest != null) {
            log.printf(Locale.ROOT, "backtest: %d origin%s over the test span, row%s %s%s; %s%n", originRows.length,
                    originRows.length == 1 ? "" : "s", originRows.length == 1 ? "" : "s", rowList(originRows),
                    series.dates() == null ? "" : " (" + dateList(series.dates(), originRows) + ")",
                    s.refit() ? "a model trained on the rows before each (--refit)"
                            : "one model trained on the rows before the first serves every origin");
        }
        log.flush();

        List<Evaluation.Round> rounds = new ArrayList<>();
        for (int m = 0; m < ends.length; m++) {
            int end = ends[m];
            FittedScale scaling = scalings[m];
            Supplier<ScaledWindows> train = () -> {
                WindowOrigins origins = s.refit() ? windows.trainOrigins(values, rowFeatures, end) : trainOrigins;
                try {
                    return windows.examples(values, rowFeatures, origins, scaling, series.where());
                } catch (IllegalArgumentException e) {
                    throw dataError(series, e);
                }
            };
            String label = s.refit() ? String.format(Locale.ROOT, "origin %d of %d (row %,d): ", m + 1, ends.length, end) : "";
            rounds.add(new Evaluation.Round(label, train, testParts.get(m), scaling));
        }
        Evaluation evaluation = Evaluation.run(rounds, () -> forecaster(s.cell(), features, s.steps(), networkConfig), config,
                restoreBest, s.mcSamples(), mcSeed, log);
        Network<double[][][], double[][]> network = evaluation.network();
        RegressionResult result = evaluation.result();
        double validRmse = evaluation.validRmse();
        double predictSeconds = evaluation.predictSeconds();
        RegressionPrediction[][] predictions = evaluation.predictions();
        FutureForecast ahead = null;
        if (last != null) {
            long start = System.nanoTime();
            ahead = FutureForecast.of(last, McPredictor.forecast(network, last.inputs(), s.mcSamples(), new Rng(futureSeed))[0],
                    series.dates());
            predictSeconds += (System.nanoTime() - start) / 1e9;
        }
        ForecastSteps steps = new ForecastSteps(ForecastScores.of(values, testStart, test, predictions, s.season()));
        StepScores report = steps.last();
        for (StepScores r : steps.steps()) {
            if (r.size() == 0) {
                throw new UserError(String.format(Locale.ROOT, "column %s of %s: no test value at step %d is observed "
                        + "with its seasonal-naive forecast, so the step cannot be scored; use fewer --steps",
                        series.column(), series.source(), r.step()));
            }
        }
        Map<String, Double> scores = new LinkedHashMap<>();
        scores.put("validation RMSE", validRmse);
        for (StepScores r : steps.steps()) {
            String step = s.steps() == 1 ? "" : " at step " + r.step();
            scores.put("test RMSE" + step, r.rmse());
            scores.put("test MAE" + step, r.mae());
            scores.put("test sMAPE" + step, r.smape());
            scores.put("seasonal-naive RMSE" + step, r.seasonalNaiveRmse());
            scores.put("80% interval coverage" + step, r.coverage(0.8).fraction());
            scores.put("95% interval coverage" + step, r.coverage(0.95).fraction());
        }
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
        run.put("steps", s.steps());
        run.put("scale", s.scale().label());
        run.put("season", s.season());
        run.put("seasonal_naive_lag", lag);
        run.put("missing_policy", series.missing().label());
        run.put("filled", series.missing().count());
        run.put("filled_by_column", series.missing().byColumn());
        run.put("train_windows_dropped", trainOrigins.dropped());
        run.put("test_windows_dropped", testOrigins.dropped());
        run.put("inputs", windows.inputNames(series.featureNames()));
        if (backtest != null) {
            run.put("backtest_origins", Arrays.stream(originRows).boxed().toList());
            if (series.dates() != null) {
                run.put("backtest_origin_dates", Arrays.stream(originRows).mapToObj(r -> series.dates().get(r).toString())
                        .toList());
            }
        }
        run.put("refit", s.refit());
        run.put("future", s.future());
        run.put("trainings", evaluation.rounds());
        run.put("epochs", s.epochs());
        run.put("epochs_trained", result.epochs().size());
        run.put("best_epoch", result.bestEpoch());
        run.put("valid_rmse", validRmse);
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
        run.put("train_seconds", evaluation.trainSeconds());
        run.put("predict_seconds", predictSeconds);
        try {
            IntFunction<LocalDate> dates = series.dates() == null ? null : series.dates()::get;
            steps.writeJson(outDir.resolve("forecast.json"), run);
            steps.writeCsv(outDir.resolve("forecast.csv"), dates);
            if (ahead != null) {
                ahead.writeCsv(outDir.resolve("future.csv"));
            }
            // the plot places a future row past irregular dates approximately
            IntFunction<LocalDate> axis = series.dates() == null ? null : FutureDates.of(series.dates())::approximate;
            String span = backtest == null ? "test span" : "backtest";
            plot(outDir.resolve("forecast.png"), report, ahead, axis, span, series, s);
            for (int j = 1; s.steps() > 1 && j <= s.steps(); j++) {
                plot(outDir.resolve(stepPlot(j)), steps.steps().get(j - 1), null, axis, span, series, s);
            }
        } catch (IOException e) {
            throw new UserError(e.getMessage()); // names the file and why; the earlier file is kept
        }
        for (StepScores r : steps.steps()) {
            log.printf(Locale.ROOT, "test%s: RMSE %.4g (seasonal naive %.4g, persistence %.4g), MAE %.4g, sMAPE %.2f%%, "
                            + "MASE %.3g; 80%% interval covers %.1f%%, 95%% covers %.1f%%%s%n",
                    s.steps() == 1 ? "" : " step " + r.step(), r.rmse(), r.seasonalNaiveRmse(), r.persistenceRmse(), r.mae(),
                    r.smape(), r.mase(), 100 * r.coverage(0.8).fraction(), 100 * r.coverage(0.95).fraction(),
                    r == report ? String.format(Locale.ROOT, " (K = %d, %.1f s)", s.mcSamples(), predictSeconds) : "");
        }
        if (ahead != null) {
            logFuture(log, series, ahead);
        }
        if (save != null) {
            saveModel(network, features, s.window(), scalings[ends.length - 1]);
        }
        log.printf("wrote forecast.json, forecast.csv, %sforecast.png%s and train.jsonl in %s%n",
                ahead == null ? "" : "future.csv, ", s.steps() == 1 ? "" : ", " + stepPlot(1) + " … " + stepPlot(s.steps()),
                outDir);
        if (save != null) {
            log.printf("wrote %s%n", save);
        }
        log.flush();
        return 0;
    }

    /**
     * {@return the window of {@code --future}, its origin the last row, scaled by the evaluated model's scaling},
     * or a user error when it reads a missing value (only {@code --missing skip} leaves any)
     */
    private static ScaledWindows lastWindow(Series series, LeadTimeWindows windows, FittedScale scaling) {
        double[] values = series.values();
        int o = values.length - 1;
        int gap = windows.firstMissing(values, series.rowFeatures(), o);
        if (gap >= 0) {
            throw new UserError(String.format(Locale.ROOT, "--future forecasts from the last window (rows %,d to %,d of %s), "
                            + "but %s; --missing skip leaves it a gap: use --missing interpolate, or leave out --future",
                    o - scaling.reach(windows.window()) + 1, o, series.source(),
                    Double.isNaN(values[gap]) ? series.where().apply(gap) + " is missing"
                            : "an --inputs value of row " + String.format(Locale.ROOT, "%,d", gap) + " is missing"));
        }
        try {
            return windows.examples(values, series.rowFeatures(), WindowOrigins.of(new int[] {o}, 0), scaling,
                    series.where());
        } catch (IllegalArgumentException e) {
            throw dataError(series, e);
        }
    }

    /** Prints the future forecasts, a line per step, and says when their rows have no dates. */
    private static void logFuture(PrintWriter log, Series series, FutureForecast ahead) {
        int rows = series.values().length;
        FutureDates continued = series.dates() == null ? null : FutureDates.of(series.dates());
        log.printf(Locale.ROOT, "future: %d step%s after row %,d%s%s%n", ahead.size(), ahead.size() == 1 ? "" : "s",
                rows - 1, continued == null ? "" : " (" + series.dates().get(rows - 1) + ")",
                continued == null ? "" : continued.known() ? ", dated " + continued.spacing() + " apart"
                        : "; no dates: " + continued.why());
        for (int i = 0; i < ahead.size(); i++) {
            SeriesPrediction p = ahead.predictions()[i];
            log.printf(Locale.ROOT, "future step %d, row %,d%s: %.5g (80%%: %.5g to %.5g; 95%%: %.5g to %.5g)%n", i + 1,
                    ahead.index()[i], ahead.dates() == null ? "" : " (" + ahead.dates()[i] + ")", p.mean(),
                    p.interval(0.8).lo(), p.interval(0.8).hi(), p.interval(0.95).lo(), p.interval(0.95).hi());
        }
    }

    /**
     * Draws one step's forecasts over the test span ({@link Plots#forecast}), with the future's when
     * {@code ahead} is not null.
     *
     * @param axis the rows' dates, or null for row numbers
     * @param span what the forecasts cover, for the title: the test span, or the backtest's origins
     */
    private static void plot(Path file, StepScores r, FutureForecast ahead, IntFunction<LocalDate> axis, String span,
                             Series series, Settings s) throws IOException {
        int lead = s.horizon() + r.step() - 1;
        String when = s.steps() == 1 ? String.format(Locale.ROOT, "%d step%s ahead", lead, lead == 1 ? "" : "s")
                : String.format(Locale.ROOT, "step %d of %d (%d %s ahead)", r.step(), s.steps(), lead, lead == 1 ? "step" : "steps");
        Plots.forecast(file, r, ahead, axis,
                String.format(Locale.ROOT, "%s: MC-dropout %s forecast, %s, %s", series.column(), s.cell().display(), when,
                        span),
                String.format(Locale.ROOT, "RMSE %.4g (seasonal naive %.4g); 80%% interval covers %.1f%%, 95%% covers %.1f%% "
                                + "of %,d values; window %d, K = %d%s",
                        r.rmse(), r.seasonalNaiveRmse(), 100 * r.coverage(0.8).fraction(), 100 * r.coverage(0.95).fraction(),
                        r.size(), s.window(), s.mcSamples(), s.scale() == Scale.GLOBAL ? "" : ", scale " + s.scale().label()),
                axis == null ? "row of " + series.source() + " (from 0)" : "date", series.column(), 8 * s.season(), 1200, 500);
    }

    /** {@return a data layer's message about the series as a user error: a value's names its line, a span's its column} */
    private static UserError dataError(Series series, IllegalArgumentException e) {
        String where = series.source() + " line ";
        return new UserError(e.getMessage().startsWith(where) ? e.getMessage()
                : "column " + series.column() + " of " + series.source() + ": " + e.getMessage());
    }

    /**
     * {@return --backtest's origin rows ({@link Backtest#rows}), or a user error when the test span has fewer rows
     * whose every step lies in the data}
     */
    private static int[] backtestRows(Series series, Settings s, int testStart) {
        int rows = series.values().length;
        int possible = Backtest.possible(testStart, rows, s.steps());
        if (s.backtest() > possible) {
            throw new UserError(String.format(Locale.ROOT, "--backtest %d asks for more origins than the test span of %s "
                            + "has: %,d rows (%,d to %,d) can start a forecast whose %s within the data; use --backtest %d "
                            + "or fewer", s.backtest(), series.source(), possible, testStart, testStart + possible - 1,
                    s.steps() == 1 ? "step lies" : s.steps() + " steps lie", possible));
        }
        return Backtest.rows(testStart, rows, s.steps(), s.backtest());
    }

    /** {@return rows as prose: the first five, then how many more} */
    private static String rowList(int[] rows) {
        return listed(Arrays.stream(rows).mapToObj(r -> String.format(Locale.ROOT, "%,d", r)).toList());
    }

    private static String dateList(Dates dates, int[] rows) {
        return listed(Arrays.stream(rows).mapToObj(r -> dates.get(r).toString()).toList());
    }

    private static String listed(List<String> items) {
        int shown = Math.min(5, items.size());
        String head = String.join(", ", items.subList(0, shown));
        return items.size() > shown ? head + " and " + (items.size() - shown) + " more" : head;
    }

    /** {@return " and --steps H" when more than one step is asked for: what a size message names beside the window} */
    private static String flagsBeyond(Settings s) {
        return (s.steps() > 1 ? " and --steps " + s.steps() : "") + (s.scale() == Scale.DIFFERENCE ? " (with --scale "
                + "difference, which reads one value more)" : "");
    }

    /**
     * {@return a new forecaster with {@code cell} layers, {@link SeriesForecaster}'s network or its GRU twin's,
     * reading {@code features} values per step and predicting {@code outputs} values}
     */
    static Network<double[][][], double[][]> forecaster(Cell cell, int features, int outputs, NetworkConfig config) {
        return switch (cell) {
            case LSTM -> SeriesForecasterNetwork.builder().features(features).outputs(outputs).config(config).build();
            case GRU -> SeriesForecasterGruNetwork.builder().features(features).outputs(outputs).config(config).build();
        };
    }

    /** {@return the forecaster of the default run: three features per step (the value and the season's phase), one output} */
    static Network<double[][][], double[][]> forecaster(Cell cell, NetworkConfig config) {
        return forecaster(cell, 3, 1, config);
    }

    /**
     * The windows' features must fit in the heap: every training and test example holds
     * {@code window × features} doubles (16 bytes of array header per step), and the MC forecast keeps K
     * sampled means per test value and step. Checked in long arithmetic before any of it is allocated.
     *
     * @param max the heap's limit in bytes, {@link Runtime#maxMemory()}
     * @throws UserError when that needs more than half the heap
     */
    static void checkMemory(String source, int window, int features, int steps, long trainWindows, long testValues,
                            int mcSamples, long max) {
        long examples = trainWindows + testValues;
        long bytes = examples * window * ((long) features * Double.BYTES + 16)
                + testValues * mcSamples * 2L * steps * Double.BYTES;
        if (bytes > max / 2) {
            throw new UserError(String.format(Locale.ROOT, "%s: %,d windows of %d steps, and %,d MC samples of each of "
                            + "%,d test values, need about %,.0f MB, more than half of the Java heap's %,.0f MB; use a smaller --window "
                            + "or --mc-samples, or give the JVM more with VDROP_JAVA_OPTS, e.g. VDROP_JAVA_OPTS=-Xmx%dg",
                    source, examples, window, mcSamples, testValues, bytes / 1048576.0, max / 1048576.0,
                    Math.max(1, (3 * bytes + (1L << 30) - 1) >> 30)));
        }
    }

    /**
     * One column of a CSV file, or of the bundled births: what the forecast engine reads.
     *
     * @param values the column, NaN where a value is missing (windows touching one are dropped)
     * @param rowFeatures per row, its own input features (calendar features, further input columns,
     *     already scaled), {@code featureNames.size()} each; null when there are none
     * @param featureNames the names of the row features' columns, empty when there are none
     * @param missing what the missing-value policy filled or left missing
     * @param dates the date of every row, or null when the series has none; with dates the row
     *     features carry the calendar and the windows read no season's phase
     * @param where what to call value {@code i} in messages: its file, line and column
     */
    record Series(String source, String column, double[] values, double[][] rowFeatures, List<String> featureNames,
                  MissingReport missing, Dates dates, IntFunction<String> where) {
        Series {
            featureNames = List.copyOf(featureNames);
            if (rowFeatures != null && rowFeatures.length != values.length) {
                throw new IllegalArgumentException("got " + values.length + " values but " + rowFeatures.length
                        + " rows of features");
            }
            if (dates != null && dates.size() != values.length) {
                throw new IllegalArgumentException("got " + values.length + " values but " + dates.size() + " dates");
            }
            if (rowFeatures == null && !featureNames.isEmpty()) {
                throw new IllegalArgumentException("feature names " + featureNames + " without row features");
            }
            if (rowFeatures != null) {
                for (int i = 0; i < rowFeatures.length; i++) {
                    if (rowFeatures[i].length != featureNames.size()) {
                        throw new IllegalArgumentException("row " + i + " has " + rowFeatures[i].length + " features, "
                                + "not one per name " + featureNames);
                    }
                }
            }
        }

        /** {@return the series with no row features and no dates, nothing missing} */
        static Series of(String source, String column, double[] values, IntFunction<String> where) {
            return new Series(source, column, values, null, List.of(), MissingReport.none(), null, where);
        }
    }

    /**
     * Checks {@code --out} before any work (refusing the results of an earlier run unless
     * {@code --overwrite}), locks it for this run, and removes the earlier run's files this run
     * appends to or may not write: {@code train.jsonl}, {@code future.csv} and the step plots.
     */
    private Path outputDirectory(Path dir) {
        List<String> earlier = results(dir);
        lock = Outputs.claim("--out", dir, overwrite, earlier);
        for (String name : earlier) {
            if (name.equals("train.jsonl") || name.equals("future.csv") || STEP_PLOT.matcher(name).matches()) {
                try {
                    Files.deleteIfExists(dir.resolve(name)); // only with --overwrite: the check refused it otherwise
                } catch (IOException e) {
                    throw new UserError("cannot replace " + dir.resolve(name) + " (" + e.getMessage() + ")");
                }
            }
        }
        return dir;
    }

    /**
     * Writes {@code --save}: the network with its inputs per step and window, and the global scale's
     * standardisation, so that {@code vdrop-spark score} maps its outputs to the series' units by the
     * file; a scale relative to each window saves none (its map depends on each window's values:
     * {@code score --map-columns}).
     */
    private void saveModel(Network<double[][][], double[][]> network, int features, int window, FittedScale scaling) {
        PredictionInfo info = scaling.normalizer()
                .map(normalizer -> PredictionInfo.forecaster(features, normalizer, window))
                .orElseGet(() -> new PredictionInfo(new ModelInput.Features(features), List.of(), Optional.empty(),
                        OptionalInt.of(window)));
        try {
            ModelFile.save(save, network, info);
        } catch (ModelFileException e) {
            throw new UserError(e.getMessage());
        }
    }

    /** {@return the files a run writes into {@code dir}: {@link #RESULTS}, and every step plot an earlier run left there} */
    static List<String> results(Path dir) {
        List<String> names = new ArrayList<>(RESULTS);
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                files.map(f -> f.getFileName().toString()).filter(n -> STEP_PLOT.matcher(n).matches()).sorted()
                        .forEach(names::add);
            } catch (IOException e) {
                throw new UserError("cannot list --out " + dir + " (" + e.getMessage() + ")");
            }
        }
        return names;
    }

    /** {@return the name of step {@code j}'s plot (from 1)} */
    static String stepPlot(int j) {
        return "forecast-step-" + j + ".png";
    }
}
