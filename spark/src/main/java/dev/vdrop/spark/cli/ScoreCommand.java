package dev.vdrop.spark.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.vdrop.runtime.model.ModelFileException;
import dev.vdrop.spark.McScorer;
import dev.vdrop.spark.SampleModels;
import dev.vdrop.spark.TsvInput;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vdrop-spark score}: MC scoring of a TSV file's text column with a model file of
 * {@code vdrop classify}, or of its feature columns ({@code --features}) with a forecaster's model
 * file (the samples' {@code SeriesForecaster}), through a Spark master. DIR gets CSV part files (with a header) of the
 * input columns, {@code line}, the MC columns and {@code error}, and {@code summary.json}: rows,
 * errors, K, seed, batch and the seconds of the job and of the start-up (the model's check on the
 * driver and the Spark session) apart; and, split from the job's seconds by its first task's launch
 * (Spark's listener), the seconds until then ({@code first_task_seconds}: executors starting,
 * the job planned) and after it until the part files are written ({@code scoring_seconds}: reading,
 * numbering, scoring and writing), with {@code rows_per_second} of the latter.
 */
@Command(name = "score", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"MC-dropout scoring of a TSV file with a model file of vdrop classify (its text column)",
                "or of the samples' forecaster (its --features columns), on Spark.",
                "Writes CSV part files (input columns, line, the MC columns, error) and summary.json to --out."})
final class ScoreCommand implements Callable<Integer> {
    /** The most MC samples per row, as {@code vdrop predict} allows. */
    static final int MAX_MC_SAMPLES = 10_000;
    /** The summary's file name in the output directory. */
    static final String SUMMARY = "summary.json";

    @Spec
    CommandSpec spec;

    @Option(names = "--master", paramLabel = "URL", defaultValue = "local[2]",
            description = "Spark master: local[N], spark://HOST:PORT, ... (default: ${DEFAULT-VALUE}).")
    String master;

    @Option(names = "--model", required = true, paramLabel = "FILE",
            description = "A model file of vdrop classify (model.vdrop), on the driver's file system.")
    Path model;

    @Option(names = "--data", required = true, paramLabel = "FILE.tsv",
            description = "Tab-separated rows with a header line; any path Spark reads.")
    String data;

    @Option(names = "--text", paramLabel = "COLUMN", defaultValue = "text",
            description = "The column of text to score (default: ${DEFAULT-VALUE}).")
    String text;

    @Option(names = "--features", paramLabel = "COLUMNS", split = ",",
            description = {"A forecaster's input: the columns of a window, step after step (step 0's features, then step 1's, ...);",
                    "NAME* stands for every column whose name starts with NAME, in the file's order."})
    List<String> features = new ArrayList<>();

    @Option(names = "--map", paramLabel = "A,B",
            description = "Report a regression in the data's units, x = A + B*z (default: the model file's scaling if it has one).")
    String map;

    @Option(names = "--map-columns", paramLabel = "OFFSET,SCALE",
            description = "As --map, with each row's A and B from these columns (window, difference and mean scales).")
    String mapColumns;

    @Option(names = "--network-units", description = "Report a regression in the network's units, even when the model file has a scaling.")
    boolean networkUnits;

    @Option(names = "--key", paramLabel = "COLUMN",
            description = "The column of whole numbers that keys each row's masks (default: the row's line number in --data).")
    String key;

    @Option(names = "--mc-samples", paramLabel = "K", defaultValue = "50",
            description = "MC-dropout passes per row (default: ${DEFAULT-VALUE}).")
    int mcSamples;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Seed of the dropout masks (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--batch", paramLabel = "B", defaultValue = "256",
            description = "Rows per MC call; K·B rows go through the network at once (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "0",
            description = "The fewest partitions to read --data into (default: Spark's).")
    int partitions;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory; any path Spark writes.")
    String out;

    @Option(names = "--overwrite", description = "Replace --out if it exists (otherwise refused).")
    boolean overwrite;

    @Option(names = "--conf", paramLabel = "KEY=VALUE", description = "A Spark setting; repeat for more.")
    Map<String, String> conf = new LinkedHashMap<>();

    @Override
    public Integer call() throws Exception {
        if (mcSamples < 1 || mcSamples > MAX_MC_SAMPLES) {
            throw new UserError("--mc-samples must be between 1 and " + MAX_MC_SAMPLES + ", got " + mcSamples);
        }
        if (batch < 1) {
            throw new UserError("--batch must be at least 1, got " + batch);
        }
        if (partitions < 0) {
            throw new UserError("--partitions must be at least 0, got " + partitions);
        }
        long start = System.nanoTime();
        McScorer scorer = scorer();
        SparkSession spark = session();
        double startup = seconds(start);
        FirstTask firstTask = new FirstTask();
        spark.sparkContext().addSparkListener(firstTask);
        try {
            long job = System.nanoTime();
            long jobMillis = System.currentTimeMillis();
            checkOutput(spark);
            Dataset<Row> scored;
            try {
                scored = scorer.score(TsvInput.read(spark, data, partitions));
            } catch (IllegalArgumentException e) {
                throw new UserError(data + ": " + e.getMessage());
            } catch (Exception e) {
                // Hadoop's IOExceptions (no such file, InvalidInputException) come through Scala unchecked
                if (e instanceof IOException) {
                    throw new UserError("cannot read --data: " + e.getMessage());
                }
                throw e;
            }
            scored.write().mode(overwrite ? SaveMode.Overwrite : SaveMode.ErrorIfExists).option("header", "true").csv(out);
            long written = System.currentTimeMillis();
            Row counts = spark.read().option("header", "true").csv(out)
                    .agg(functions.count(functions.lit(1)), functions.count(functions.col(McScorer.ERROR))).first();
            long rows = counts.getLong(0);
            long errors = counts.getLong(1);
            double seconds = seconds(job);
            long first = firstTask.launched();
            Map<String, Object> summary = summary(scorer, rows, errors, seconds, startup);
            if (first > 0) {
                double scoring = (written - first) / 1e3;
                summary.put("first_task_seconds", round((first - jobMillis) / 1e3));
                summary.put("scoring_seconds", round(scoring));
                summary.put("rows_per_second", round(rows / scoring));
            }
            writeSummary(spark, summary);
            PrintWriter log = spec.commandLine().getOut();
            log.printf(Locale.ROOT, "vdrop-spark: scored %,d rows with K = %d (%,d not scored: see their %s column) in %.1f s, "
                    + "start-up %.1f s; wrote %s%n", rows - errors, mcSamples, errors, McScorer.ERROR, seconds, startup, out);
            log.flush();
            return 0;
        } finally {
            spark.stop();
        }
    }

    /**
     * The launch time of the job's first task (Spark's own clock, epoch milliseconds): the executors
     * are up and the data is being read. Spark's listener bus reports it a little later, so
     * {@link #launched()} waits for it up to a few seconds.
     */
    private static final class FirstTask extends SparkListener {
        private final AtomicLong first = new AtomicLong(Long.MAX_VALUE);

        @Override
        public void onTaskStart(SparkListenerTaskStart start) {
            first.accumulateAndGet(start.taskInfo().launchTime(), Math::min);
        }

        /** {@return the first task's launch time, or 0 when none was reported within five seconds} */
        long launched() throws InterruptedException {
            for (int i = 0; i < 50 && first.get() == Long.MAX_VALUE; i++) {
                Thread.sleep(100);
            }
            return first.get() == Long.MAX_VALUE ? 0 : first.get();
        }
    }

    private McScorer scorer() {
        McScorer.Builder builder = McScorer.builder().model(model, SampleModels.all()).text(text).features(features)
                .key(key == null ? TsvInput.LINE : key).samples(mcSamples).seed(seed).batch(batch);
        if (map != null) {
            double[] ab = pair("--map", map);
            try {
                builder.map(ab[0], ab[1]);
            } catch (IllegalArgumentException e) {
                throw new UserError("--map " + map + ": " + e.getMessage());
            }
        }
        if (mapColumns != null) {
            String[] columns = mapColumns.split(",", -1);
            if (columns.length != 2 || columns[0].isBlank() || columns[1].isBlank()) {
                throw new UserError("--map-columns takes two columns, OFFSET,SCALE; got " + mapColumns);
            }
            builder.mapColumns(columns[0].strip(), columns[1].strip());
        }
        if (networkUnits) {
            builder.networkUnits();
        }
        try {
            return builder.build();
        } catch (ModelFileException | IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
    }

    private static double[] pair(String flag, String value) {
        String[] parts = value.split(",", -1);
        if (parts.length == 2) {
            try {
                return new double[] {Double.parseDouble(parts[0].strip()), Double.parseDouble(parts[1].strip())};
            } catch (NumberFormatException e) {
                // the message below
            }
        }
        throw new UserError(flag + " takes two numbers, A,B; got " + value);
    }

    private SparkSession session() {
        return Sessions.create(master, "vdrop-spark score", conf);
    }

    private void checkOutput(SparkSession spark) {
        if (overwrite) {
            return;
        }
        try {
            org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(out);
            FileSystem fs = dir.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (fs.exists(dir)) {
                throw new UserError(out + " exists; give another --out, or --overwrite to replace it");
            }
        } catch (IOException e) {
            throw new UserError("cannot check --out " + out + ": " + e.getMessage());
        }
    }

    private Map<String, Object> summary(McScorer scorer, long rows, long errors, double seconds, double startup) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("rows", rows);
        summary.put("scored", rows - errors);
        summary.put("errors", errors);
        summary.put("mc_samples", mcSamples);
        summary.put("seed", seed);
        summary.put("batch", batch);
        summary.put("key", scorer.keyColumn());
        if (features.isEmpty()) {
            summary.put("text", scorer.textColumn());
        } else {
            summary.put("features", features);
            summary.put("units", scorer.units());
        }
        summary.put("master", master);
        summary.put("model", model.toString());
        summary.put("model_sha256", scorer.modelHash());
        summary.put("model_class", scorer.modelFile().modelClass());
        summary.put("data", data);
        summary.put("seconds", round(seconds));
        summary.put("startup_seconds", round(startup));
        return summary;
    }

    private void writeSummary(SparkSession spark, Map<String, Object> summary) {
        try {
            org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(out, SUMMARY);
            FileSystem fs = file.getFileSystem(spark.sparkContext().hadoopConfiguration());
            byte[] json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(summary);
            try (OutputStream o = fs.create(file, true)) {
                o.write(json);
                o.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + SUMMARY + " to " + out, e);
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static double round(double seconds) {
        return Math.round(seconds * 1000) / 1000.0;
    }
}
