package dev.vdrop.spark;

import dev.vdrop.runtime.forecast.AffineMap;
import dev.vdrop.runtime.model.ModelFile;
import dev.vdrop.runtime.model.ModelFileException;
import dev.vdrop.runtime.model.ModelInput;
import dev.vdrop.runtime.model.Scaling;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * MC-dropout scoring of a Spark {@code Dataset} with a vdrop model file (Gal &amp; Ghahramani,
 * arXiv 1506.02142): every row's text, or its feature columns, goes through K stochastic passes
 * and the row gets the MC columns — for a classifier {@code predicted}, {@code p_predicted},
 * {@code entropy}, {@code mutual_information} and {@code p_<label>} per class; for a regression
 * model (a forecaster) {@code mean}, {@code variance}, {@code lo80}, {@code hi80}, {@code lo95},
 * {@code hi95} — and an {@code error} column, null for a scored row. Immutable.
 *
 * <p><b>Features.</b> A model file of a model that reads features (F per step, its
 * {@code ModelInput.Features}) is scored from the columns {@link Builder#features} names: each row
 * is one window, the columns read step after step — step 0's F features, then step 1's, and so on
 * — so there are S·F of them for windows of S steps (S must be the file's window when it records
 * one). The values are what the network reads, as they are: the scorer does not scale inputs (a
 * forecaster's scaled value, its season's phase and its own features are the user's to compute,
 * as they were for training). A null, empty, unparsable or non-finite feature makes the row bad.
 *
 * <p><b>Units.</b> A regression's MC columns are in the network's units unless a map
 * {@code x = a + b·z} ({@code AffineMap}) takes them to the data's: the mean is mapped, the
 * variance multiplied by b², the bounds mapped. The map is, in this order: per-row columns
 * ({@link Builder#mapColumns}, for scales relative to each window, such as the forecast API's
 * window, difference and mean scales, where a = the window's last value or level), one map for
 * every row ({@link Builder#map}), or the standardisation the model file carries
 * ({@code PredictionInfo.forecaster}: a = its mean, b = its standard deviation), unless
 * {@link Builder#networkUnits()} asks for the network's units. A file without a scaling and no
 * map give the network's units: {@link #units()} says which.
 *
 * <p><b>Keys.</b> A row's masks are drawn from (seed, the row's key, sample, mask), the library's
 * {@link dev.vdrop.runtime.MaskKeys}, so a row's result does not depend on the partition it is in,
 * the batch it is scored with or the other rows: it equals
 * {@code McPredictor.classify(network, ids, K, seed, keys)} (or {@code forecast}) in one JVM for the
 * same keys, up to float32 rounding. The key column holds whole numbers (or strings of them); rows
 * with the same key draw the same masks. {@link TsvInput} gives each line of a file its line number.
 *
 * <p><b>Bad rows.</b> A row whose text is null or empty, gives no tokens, has no key or an
 * unparsable one, or comes with a non-null input {@code error} column (a malformed line that
 * {@link TsvInput} marked) is not scored: it keeps its input columns, gets null MC columns and its
 * error, and the job goes on.
 *
 * <p><b>Work.</b> The model file goes to the executors once, as a broadcast of its bytes; each
 * executor JVM builds the network once (a cache keyed by the file's SHA-256) and its tasks share
 * it. A partition is scored in batches of B rows, each batch one MC call of K·B rows.
 *
 * <p>Call order:
 * <pre>{@code
 * McScorer scorer = McScorer.builder()
 *         .model(Path.of("names/model.vdrop"), SampleModels.classifiers())
 *         .text("text").key("line").samples(50).seed(1).batch(256)
 *         .build();                                   // loads and checks the model on the driver
 * Dataset<Row> rows = TsvInput.read(spark, "names.tsv", 4);
 * scorer.score(rows).write().option("header", true).csv("scored");
 * }</pre>
 */
public final class McScorer {
    /** The column that says why a row was not scored; null for a scored row. */
    public static final String ERROR = "error";

    private final byte[] model;
    private final String hash;
    private final NetworkFactory factory;
    private final ModelFile file;
    private final Head head;
    private final String text;
    private final String key;
    private final int samples;
    private final long seed;
    private final int batch;
    private final List<String> features;
    private final int perStep;
    private final double[] map;
    private final boolean mapFromFile;
    private final String offsetColumn;
    private final String scaleColumn;

    private McScorer(Builder b, byte[] model, String hash, ModelFile file, LoadedModel loaded, double[] map) {
        this.features = b.features;
        this.perStep = loaded.features();
        this.map = map;
        this.mapFromFile = b.map == null && map != null;
        this.offsetColumn = b.offsetColumn;
        this.scaleColumn = b.scaleColumn;
        this.model = model;
        this.hash = hash;
        this.factory = b.factory;
        this.file = file;
        this.head = loaded.head();
        this.text = b.text;
        this.key = b.key;
        this.samples = b.samples;
        this.seed = b.seed;
        this.batch = b.batch;
    }

    /** {@return a builder: the model and its network factory are required} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The scored rows: lazily, as Spark does; nothing runs until the result is written or counted.
     * The model's bytes are broadcast once per call.
     *
     * @param rows the input: a string text column (or the feature columns) and a key column
     * @return the input's columns (less an input {@code error} column), the MC columns, then
     *     {@code error}; one output row per input row, in the input's partitions and order
     * @throws IllegalArgumentException when a column is missing or of the wrong type, an input
     *     column has the name of an MC column, or the feature columns do not make windows of F
     *     features a step (of the file's window, when it records one)
     */
    public Dataset<Row> score(Dataset<Row> rows) {
        RowLayout layout = layout(rows.schema());
        JavaSparkContext context = JavaSparkContext.fromSparkContext(rows.sparkSession().sparkContext());
        Broadcast<byte[]> shipped = context.broadcast(model);
        return rows.mapPartitions(new PartitionScorer(shipped, hash, factory, layout, samples, seed, batch, map),
                Encoders.row(layout.output()));
    }

    private RowLayout layout(StructType input) {
        RowLayout layout = RowLayout.of(input, text, features, offsetColumn, scaleColumn, key, head.fields());
        int columns = layout.featureCount();
        if (columns > 0) {
            if (columns % perStep != 0) {
                throw new IllegalArgumentException(features + " name " + columns + " feature columns; the model reads "
                        + perStep + " feature" + (perStep == 1 ? "" : "s") + " a step, so a window needs a multiple of "
                        + perStep + " (step 0's, then step 1's, ...)");
            }
            int steps = columns / perStep;
            if (file.info().window().isPresent() && file.info().window().getAsInt() != steps) {
                throw new IllegalArgumentException(features + " name " + columns + " feature columns, windows of " + steps
                        + " step" + (steps == 1 ? "" : "s") + " of " + perStep + "; the model was trained on windows of "
                        + file.info().window().getAsInt() + " steps (" + file.info().window().getAsInt() * perStep
                        + " columns)");
            }
        }
        return layout;
    }

    /**
     * The schema {@link #score} gives an input of this schema.
     *
     * @param input the input's schema
     * @return the output's schema
     * @throws IllegalArgumentException as {@link #score}
     */
    public StructType outputSchema(StructType input) {
        return layout(input).output();
    }

    /** {@return the names of the MC columns this model adds, before {@code error}} */
    public List<String> mcColumns() {
        return head.fields().stream().map(StructField::name).toList();
    }

    /** {@return the model file, as the driver loaded it} */
    public ModelFile modelFile() {
        return file;
    }

    /** {@return the model file's SHA-256, hex: the executors' cache key} */
    public String modelHash() {
        return hash;
    }

    /** {@return the text column} */
    public String textColumn() {
        return text;
    }

    /** {@return the feature columns as given (names and {@code prefix*} patterns); empty for a model of text} */
    public List<String> featureColumns() {
        return features;
    }

    /**
     * {@return the units of a regression's MC columns: {@code "network"}, {@code "x = a + b*z, a = …, b = …"}
     * for one map (given, or the model file's standardisation: then with {@code " (the model file's
     * scaling)"}), or {@code "x = a + b*z, a from column …, b from column …"}; {@code "classes"} for a classifier}
     */
    public String units() {
        if (head instanceof ClassifierHead) {
            return "classes";
        }
        if (offsetColumn != null) {
            return "x = a + b*z, a from column " + offsetColumn + ", b from column " + scaleColumn;
        }
        if (map == null) {
            return "network";
        }
        return "x = a + b*z, a = " + map[0] + ", b = " + map[1] + (mapFromFile ? " (the model file's scaling)" : "");
    }

    /** {@return the key column} */
    public String keyColumn() {
        return key;
    }

    /** {@return K, the MC samples per row} */
    public int samples() {
        return samples;
    }

    /** {@return the masks' seed} */
    public long seed() {
        return seed;
    }

    /** {@return B, the rows per MC call} */
    public int batch() {
        return batch;
    }

    /**
     * Settings of a {@link McScorer}: the model file and its network factory are required; the text
     * column defaults to {@code text}, the key column to {@link TsvInput#LINE}, K to 50, the seed to
     * 1 and B to 256.
     */
    public static final class Builder {
        private Path modelFile;
        private NetworkFactory factory;
        private String text = "text";
        private String key = TsvInput.LINE;
        private int samples = 50;
        private long seed = 1;
        private int batch = 256;
        private List<String> features = List.of();
        private double[] map;
        private String offsetColumn;
        private String scaleColumn;
        private boolean networkUnits;

        private Builder() {}

        /**
         * The feature columns of a model that reads features (F per step): each row is one window,
         * read step after step (step 0's F columns, then step 1's, ...), so S·F columns make windows
         * of S steps. A name ending in {@code *} stands for every input column whose name starts with
         * what comes before it, in the input's order ({@code "lag*"}). Required for such a model,
         * refused for a model of text.
         *
         * @param columns the columns, in the order the network reads them
         * @return this builder
         */
        public Builder features(List<String> columns) {
            this.features = List.copyOf(columns);
            return this;
        }

        /**
         * One map {@code x = a + b·z} for every row's regression columns, from the network's units to
         * the data's (the forecast API's {@code FittedScale.map} of a global scale: a = the training
         * span's mean, b = its standard deviation).
         *
         * @param a the offset, finite
         * @param b the scale, finite and &gt; 0
         * @return this builder
         * @throws IllegalArgumentException when a or b is out of range
         */
        public Builder map(double a, double b) {
            new AffineMap(a, b);
            this.map = new double[] {a, b};
            return this;
        }

        /**
         * Each row's map {@code x = a + b·z} from two of its columns: for scales relative to each
         * window (the forecast API's window and difference scales: a = the window's last value, b =
         * the fitted scale; mean: a = the window's level ν, b = ν·s). A row whose a or b is missing,
         * not a number, or b not &gt; 0 is bad.
         *
         * @param offset the column of a
         * @param scale the column of b
         * @return this builder
         */
        public Builder mapColumns(String offset, String scale) {
            this.offsetColumn = Objects.requireNonNull(offset, "offset");
            this.scaleColumn = Objects.requireNonNull(scale, "scale");
            return this;
        }

        /**
         * Reports a regression's MC columns in the network's units even when the model file carries
         * a scaling.
         *
         * @return this builder
         */
        public Builder networkUnits() {
            this.networkUnits = true;
            return this;
        }

        /**
         * The model file on the driver's file system, and what builds its network.
         *
         * @param file a model file ({@code ModelFile.save}'s), of a classifier or regression model
         *     (a forecaster) reading text or features
         * @param factory builds the file's generated network; {@link SampleModels#classifiers()} for
         *     {@code vdrop classify}'s, {@link SampleModels#all()} for any of the samples' models
         * @return this builder
         */
        public Builder model(Path file, NetworkFactory factory) {
            this.modelFile = Objects.requireNonNull(file, "file");
            this.factory = Objects.requireNonNull(factory, "factory");
            return this;
        }

        /**
         * The column of text to score.
         *
         * @param column a string column
         * @return this builder
         */
        public Builder text(String column) {
            this.text = Objects.requireNonNull(column, "column");
            return this;
        }

        /**
         * The column of each row's key, which keys its masks.
         *
         * @param column a column of whole numbers, or of strings holding them
         * @return this builder
         */
        public Builder key(String column) {
            this.key = Objects.requireNonNull(column, "column");
            return this;
        }

        /**
         * K, the MC samples per row.
         *
         * @param samples at least 1
         * @return this builder
         */
        public Builder samples(int samples) {
            this.samples = samples;
            return this;
        }

        /**
         * The masks' seed.
         *
         * @param seed any
         * @return this builder
         */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * B, the rows of a partition scored by one MC call (K·B rows through the network).
         *
         * @param batch at least 1
         * @return this builder
         */
        public Builder batch(int batch) {
            this.batch = batch;
            return this;
        }

        /**
         * Reads the model file, loads it and restores it into the factory's network here on the
         * driver, so that a file the executors could not use fails now.
         *
         * @return the scorer
         * @throws ModelFileException when the file is missing, unreadable, not a model file, or does
         *     not fit the factory's network (class, sizes, parameters)
         * @throws IllegalArgumentException when K or B is below 1, the model is a language model, a
         *     model of features has no feature columns or a model of text has some, a map is asked of
         *     a classifier or more than one is asked, or the factory cannot build its class
         * @throws IllegalStateException when no model was given
         */
        public McScorer build() throws ModelFileException {
            if (modelFile == null) {
                throw new IllegalStateException("no model: call model(file, factory)");
            }
            if (samples < 1) {
                throw new IllegalArgumentException("MC scoring needs at least 1 sample, got " + samples);
            }
            if (batch < 1) {
                throw new IllegalArgumentException("a batch is at least 1 row, got " + batch);
            }
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(modelFile);
            } catch (IOException e) {
                // ModelFile.load says why: missing, a directory, unreadable
                ModelFile.load(modelFile);
                throw new UncheckedIOException("cannot read " + modelFile, e);
            }
            ModelFile file = ModelFile.load(modelFile);
            boolean readsFeatures = LoadedModel.readsFeatures(file);
            if (readsFeatures && features.isEmpty()) {
                throw new IllegalArgumentException(modelFile + " holds a model that reads "
                        + ((ModelInput.Features) file.info().input()).count() + " features a step, not text: name its "
                        + "feature columns");
            }
            if (!readsFeatures && !features.isEmpty()) {
                throw new IllegalArgumentException(modelFile + " holds a model that reads text, not feature columns: "
                        + "name its text column instead");
            }
            int maps = (map != null ? 1 : 0) + (offsetColumn != null ? 1 : 0) + (networkUnits ? 1 : 0);
            if (maps > 1) {
                throw new IllegalArgumentException("choose one of map(a, b), mapColumns(offset, scale) and networkUnits()");
            }
            if (maps > 0 && Head.of(file) instanceof ClassifierHead) {
                throw new IllegalArgumentException(modelFile + " holds a classifier: its probabilities have no units to map");
            }
            double[] units = map;
            if (units == null && offsetColumn == null && !networkUnits && file.info().scaling().isPresent()) {
                Scaling scaling = file.info().scaling().get();
                units = new double[] {scaling.mean(), scaling.std()};
            }
            LoadedModel loaded = LoadedModel.load(file, factory);
            String hash = sha256(bytes);
            ModelCache.put(hash, loaded);
            return new McScorer(this, bytes, hash, file, loaded, units);
        }

        private static String sha256(byte[] bytes) {
            try {
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("this JVM has no SHA-256", e);
            }
        }
    }
}
