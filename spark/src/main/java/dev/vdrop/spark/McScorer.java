package dev.vdrop.spark;

import dev.vdrop.runtime.model.ModelFile;
import dev.vdrop.runtime.model.ModelFileException;
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
 * arXiv 1506.02142): every row's text goes through K stochastic passes and the row gets the MC
 * columns — for a classifier {@code predicted}, {@code p_predicted}, {@code entropy},
 * {@code mutual_information} and {@code p_<label>} per class; for a regression model {@code mean},
 * {@code variance}, {@code lo80}, {@code hi80}, {@code lo95}, {@code hi95} — and an {@code error}
 * column, null for a scored row. Immutable.
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

    private McScorer(Builder b, byte[] model, String hash, ModelFile file, LoadedModel loaded) {
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
     * @param rows the input: a string text column and a key column
     * @return the input's columns (less an input {@code error} column), the MC columns, then
     *     {@code error}; one output row per input row, in the input's partitions and order
     * @throws IllegalArgumentException when a column is missing or of the wrong type, or an input
     *     column has the name of an MC column
     */
    public Dataset<Row> score(Dataset<Row> rows) {
        RowLayout layout = RowLayout.of(rows.schema(), text, key, head.fields());
        JavaSparkContext context = JavaSparkContext.fromSparkContext(rows.sparkSession().sparkContext());
        Broadcast<byte[]> shipped = context.broadcast(model);
        return rows.mapPartitions(new PartitionScorer(shipped, hash, factory, layout, samples, seed, batch),
                Encoders.row(layout.output()));
    }

    /**
     * The schema {@link #score} gives an input of this schema.
     *
     * @param input the input's schema
     * @return the output's schema
     * @throws IllegalArgumentException as {@link #score}
     */
    public StructType outputSchema(StructType input) {
        return RowLayout.of(input, text, key, head.fields()).output();
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

        private Builder() {}

        /**
         * The model file on the driver's file system, and what builds its network.
         *
         * @param file a model file ({@code ModelFile.save}'s), of a classifier or regression model reading text
         * @param factory builds the file's generated network; {@link SampleModels#classifiers()} for
         *     {@code vdrop classify}'s
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
         * @throws IllegalArgumentException when K or B is below 1, the model reads features or is a
         *     language model, or the factory cannot build its class
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
            LoadedModel loaded = LoadedModel.load(file, factory);
            String hash = sha256(bytes);
            ModelCache.put(hash, loaded);
            return new McScorer(this, bytes, hash, file, loaded);
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
