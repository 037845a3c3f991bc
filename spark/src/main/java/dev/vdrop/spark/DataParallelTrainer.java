package dev.vdrop.spark;

import dev.vdrop.runtime.Network;
import dev.vdrop.runtime.model.ModelFile;
import dev.vdrop.runtime.model.ModelFileException;
import dev.vdrop.runtime.model.ModelInput;
import dev.vdrop.runtime.train.SequenceConfig;
import dev.vdrop.runtime.train.SequenceResult;
import dev.vdrop.runtime.train.TrainingConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.SparkSession;
import scala.collection.Iterator;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction1;

/**
 * Synchronous data-parallel training of a sequence classifier or a language model on Spark: W
 * replicas, one barrier task each ({@code rdd.barrier().mapPartitions}), each training the same
 * network with {@link dev.vdrop.runtime.train.SequenceTrainer} on its own W-th of the training
 * examples, and averaging their parameters every N optimiser steps and at the end of every epoch
 * through {@code BarrierTaskContext.allGather} (local SGD: Stich 2019, arXiv 1805.09767). Validation, the
 * best epoch and early stopping therefore see the averaged model, which every replica shares, and
 * every replica ends with the same parameters. The cost model behind N is docs/spark-cost-model.md.
 *
 * <p>How the examples are cut: example {@code i} of the training arrays goes to worker
 * {@code i mod W}, the first {@code W·⌊n/W⌋} examples only, so every replica makes as many steps
 * (the rest, fewer than W, are left out and counted in the result). Each replica keeps the
 * configuration's batch, so W replicas take W batches per step between them. Worker {@code w}
 * trains with the seed plus {@code w} ({@link ReplicaConfig}). Every replica starts from the
 * driver network's parameters and validates on all the validation examples; the optimiser's own
 * state (Adam's moments) is each replica's.
 *
 * <p>W = 1 is the single-machine run: one plain task (no barrier, no hook, no exchange: the average
 * of one replica is itself) on all the examples in their order, with the seed, so its losses and
 * parameters equal {@code new SequenceTrainer(config.create(seed)).train(...)}'s bitwise.
 *
 * <p>The language model is trained the same way by {@link #trainLanguageModel}, each replica with
 * {@link dev.vdrop.runtime.train.LanguageModelTrainer} on a contiguous W-th of the training ids
 * ({@link DataParallelLanguageModelResult} is its result).
 *
 * <p>Call order: build, then {@link #train}; the driver's network then holds the trained
 * parameters (the best epoch's, unless the configuration says otherwise). Spark needs W task slots
 * at once (barrier execution); an exception in one replica fails the stage and the call.
 * <pre>{@code
 * DataParallelTrainer trainer = DataParallelTrainer.builder().workers(2).averageEvery(32).seed(7).build();
 * DataParallelResult result = trainer.train(spark, network, () -> MyClassifierNetwork.builder()...build(),
 *         seed -> SequenceConfig.builder().epochs(30).batch(32).seed(seed).build(),
 *         trainSequences, trainLabels, validSequences, validLabels);
 * }</pre>
 */
public final class DataParallelTrainer {
    /** Spark's default {@code spark.rpc.message.maxSize}, MiB. */
    static final long DEFAULT_MAX_MESSAGE_MIB = 128;

    private final int workers;
    private final int averageEvery;
    private final long seed;
    private final boolean keepAll;

    private DataParallelTrainer(Builder b, boolean keepAll) {
        this.workers = b.workers;
        this.averageEvery = b.averageEvery;
        this.seed = b.seed;
        this.keepAll = keepAll;
    }

    /** {@return a builder: 1 worker, averaging every step, seed 1} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return the replicas W} */
    public int workers() {
        return workers;
    }

    /** {@return the steps between averages N} */
    public int averageEvery() {
        return averageEvery;
    }

    /** {@return the seed of worker 0 (worker w: the seed plus w)} */
    public long seed() {
        return seed;
    }

    /**
     * Trains {@code network} on Spark, choosing the epoch on the validation examples, and puts the
     * trained parameters into it.
     *
     * @param spark the session whose cluster runs the replicas (W task slots at once)
     * @param network the driver's network: the replicas start from its parameters, and it gets theirs at the end
     * @param factory builds a replica of {@code network} on an executor
     * @param config every replica's settings from its seed
     * @param sequences the training examples' token ids
     * @param labels their classes
     * @param validSequences the validation examples (null: none, the last epoch is kept)
     * @param validLabels their classes (null with {@code validSequences})
     * @return the epochs, the best epoch, the cut and the rounds
     * @throws IllegalArgumentException before any job, when the settings name files or ask for a
     *     progress bar, there are fewer training examples than workers, the arrays differ in length,
     *     or W messages of the parameters would pass {@code spark.rpc.message.maxSize}
     */
    public DataParallelResult train(SparkSession spark, Network<int[][], int[]> network, ReplicaFactory factory,
                                    ReplicaConfig config, int[][] sequences, int[] labels, int[][] validSequences,
                                    int[] validLabels) {
        return run(spark, network, factory, config, sequences, labels, validSequences, validLabels).result;
    }

    /** A run's result and every worker's output (the tests read the replicas). */
    record Run(DataParallelResult result, List<ReplicaTask.Output> outputs) {}

    Run run(SparkSession spark, Network<int[][], int[]> network, ReplicaFactory factory, ReplicaConfig config,
            int[][] sequences, int[] labels, int[][] validSequences, int[] validLabels) {
        Objects.requireNonNull(spark, "spark");
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(factory, "factory");
        Objects.requireNonNull(config, "config");
        check(config.create(seed));
        if (sequences.length != labels.length) {
            throw new IllegalArgumentException(sequences.length + " training sequences but " + labels.length + " labels");
        }
        if ((validSequences == null) != (validLabels == null)) {
            throw new IllegalArgumentException("give the validation sequences and their labels, or neither");
        }
        if (validSequences != null && validSequences.length != validLabels.length) {
            throw new IllegalArgumentException(validSequences.length + " validation sequences but " + validLabels.length
                    + " labels");
        }
        int perWorker = sequences.length / workers;
        if (perWorker == 0) {
            throw new IllegalArgumentException(sequences.length + " training examples cannot be cut for " + workers
                    + " workers; give at least one example per worker");
        }
        checkMessageSize(spark, network);
        List<ReplicaTask.Shard> shards = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            int[][] x = new int[perWorker][];
            int[] y = new int[perWorker];
            for (int i = 0; i < perWorker; i++) {
                x[i] = sequences[i * workers + w];
                y[i] = labels[i * workers + w];
            }
            shards.add(new ReplicaTask.Shard(w, x, y));
        }
        ReplicaTask task = new ReplicaTask(factory, config, seed, workers, averageEvery,
                Parameters.read(network.parameters()), validSequences, validLabels, keepAll);
        long start = System.nanoTime();
        List<ReplicaTask.Output> outputs = collect(spark, shards, task, ReplicaTask.Output.class);
        double seconds = (System.nanoTime() - start) / 1e9;
        outputs.sort(Comparator.comparingInt(ReplicaTask.Output::worker));
        ReplicaTask.Output first = outputs.get(0);
        Parameters.write(first.parameters(), network.parameters());
        List<SequenceResult.Epoch> epochs = new ArrayList<>();
        for (double[] e : first.epochs()) {
            epochs.add(new SequenceResult.Epoch((int) e[0], e[1], e[2], e[3], e[4], e[5], e[6]));
        }
        List<DataParallelResult.Round> rounds = new ArrayList<>();
        outputs.forEach(o -> rounds.addAll(o.rounds()));
        DataParallelResult result = new DataParallelResult(epochs, first.bestEpoch(), workers, averageEvery, perWorker,
                sequences.length - perWorker * workers, rounds, seconds);
        return new Run(result, outputs);
    }

    /**
     * Trains the language model {@code network} on Spark, validating the averaged model after every
     * epoch, and puts the trained parameters into it (the last epoch's, or the best epoch's when the
     * settings {@linkplain TrainingConfig.Builder#restoreBest restore the best}).
     *
     * <p>The training ids are cut into W contiguous parts of {@code ⌊n/W⌋} ids ({@link TokenSplit}):
     * worker w trains on ids {@code [w·⌊n/W⌋, (w+1)·⌊n/W⌋)} with the settings' batch B and steps T
     * (its own B streams, as the single run cuts its B streams from all the ids), so every worker
     * makes as many steps per epoch; the last {@code n mod W} ids are left out (reported). With one
     * worker the part is all the ids in their order, there is no averaging hook, no barrier and no
     * exchange, and the seed is the run's: the losses, the validation perplexities and the parameters
     * equal {@code new LanguageModelTrainer(config.create(seed)).train(...)}'s bitwise.
     *
     * @param spark the session whose cluster runs the replicas (W task slots at once when W &gt; 1)
     * @param network the driver's network: the replicas start from its parameters, and it gets worker 0's at the end
     * @param factory builds a replica of {@code network} on an executor
     * @param config every replica's settings from its seed
     * @param train the training split's token ids
     * @param valid the validation split's token ids, scored by every replica after every epoch
     * @param tokens the vocabulary (its words by id, checked against the model as the trainer does) and
     *     the tokenization, saved in the model file worker 0 returns
     * @return the epochs, the best epoch, the cut, the rounds and the trained model as a model file
     * @throws IllegalArgumentException before any job, when the settings name files or ask for a
     *     progress bar, a worker's part is shorter than one segment (B streams of T + 1 ids), or W
     *     messages of the parameters would pass {@code spark.rpc.message.maxSize}
     */
    public DataParallelLanguageModelResult trainLanguageModel(SparkSession spark, Network<int[][], int[][]> network,
                                                              LanguageModelReplicaFactory factory,
                                                              LanguageModelReplicaConfig config, int[] train,
                                                              int[] valid, ModelInput.Tokens tokens) {
        return runLanguageModel(spark, network, factory, config, train, valid, tokens).result;
    }

    /** A language-model run's result and every worker's output (the tests read the replicas). */
    record LanguageModelRun(DataParallelLanguageModelResult result, List<LanguageModelTask.Output> outputs) {}

    LanguageModelRun runLanguageModel(SparkSession spark, Network<int[][], int[][]> network,
                                      LanguageModelReplicaFactory factory, LanguageModelReplicaConfig config,
                                      int[] train, int[] valid, ModelInput.Tokens tokens) {
        Objects.requireNonNull(spark, "spark");
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(factory, "factory");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(valid, "valid");
        Objects.requireNonNull(tokens, "tokens");
        TrainingConfig settings = config.create(seed);
        check(settings.metrics(), settings.checkpointDir(), settings.progress());
        TokenSplit split = TokenSplit.of(train.length, workers);
        long segment = (long) settings.batch() * (settings.steps() + 1L);
        if (split.perWorker() < segment) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
                    "%,d training tokens give each of %d workers %,d, fewer than one segment needs (%d streams × %d"
                            + " tokens); use fewer workers, a larger corpus, or fewer streams or steps",
                    train.length, workers, split.perWorker(), settings.batch(), settings.steps() + 1L));
        }
        checkMessageSize(spark, network);
        List<LanguageModelTask.Part> parts = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            parts.add(new LanguageModelTask.Part(w, workers == 1 ? train : split.part(train, w)));
        }
        LanguageModelTask task = new LanguageModelTask(factory, config, seed, workers, averageEvery,
                Parameters.read(network.parameters()), valid, tokens, keepAll);
        long start = System.nanoTime();
        List<LanguageModelTask.Output> outputs = collect(spark, parts, task, LanguageModelTask.Output.class);
        double seconds = (System.nanoTime() - start) / 1e9;
        outputs.sort(Comparator.comparingInt(LanguageModelTask.Output::worker));
        LanguageModelTask.Output first = outputs.get(0);
        restore(first.modelFile(), network);
        List<DataParallelResult.Round> rounds = new ArrayList<>();
        outputs.forEach(o -> rounds.addAll(o.rounds()));
        DataParallelLanguageModelResult result = new DataParallelLanguageModelResult(
                LanguageModelTask.epochs(first.epochs()), first.bestEpoch(), first.bestValidPerplexity(), workers,
                averageEvery, split.perWorker(), split.dropped(), split.stepsPerEpoch(settings.batch(), settings.steps()),
                rounds, seconds, first.modelFile());
        return new LanguageModelRun(result, outputs);
    }

    /** Puts the parameters of a model file's bytes into {@code network}. */
    static void restore(byte[] modelFile, Network<?, ?> network) {
        Path file = null;
        try {
            file = Files.createTempFile("vdrop-lm", ".vdrop");
            Files.write(file, modelFile);
            ModelFile.load(file).restoreInto(network);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ModelFileException e) {
            throw new IllegalStateException("worker 0's model does not fit the driver's network: " + e.getMessage(), e);
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // a temporary file left behind
                }
            }
        }
    }

    /**
     * Runs {@code task} over {@code parts}, one partition each: as barrier tasks when there is more
     * than one worker (they exchange through {@code allGather}), as one plain task for one worker.
     */
    private <I, O> List<O> collect(SparkSession spark, List<I> parts, AbstractFunction1<Iterator<I>, Iterator<O>> task,
                                   Class<O> type) {
        RDD<I> rdd = JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(parts, workers).rdd();
        ClassTag<O> tag = ClassTag$.MODULE$.apply(type);
        RDD<O> out = workers == 1 ? rdd.mapPartitions(task, false, tag) : rdd.barrier().mapPartitions(task, false, tag);
        return new ArrayList<>(out.toJavaRDD().collect());
    }

    /** W messages of the parameters must fit Spark's RPC message; one worker sends none. */
    private void checkMessageSize(SparkSession spark, Network<?, ?> network) {
        if (workers == 1) {
            return;
        }
        long count = Parameters.count(network.parameters());
        boolean asFloat = Parameters.isFloat(network.parameters());
        long maxBytes = spark.sparkContext().conf().getSizeAsMb("spark.rpc.message.maxSize",
                DEFAULT_MAX_MESSAGE_MIB + "m") * 1024 * 1024;
        long gathered = Parameters.encodedLength(count, asFloat) * workers;
        if (gathered > maxBytes) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
                    "%d workers' parameters (%,d values, %,d bytes as base64) pass spark.rpc.message.maxSize of %d MiB;"
                            + " raise it (at most 2047) or use fewer workers", workers, count, gathered,
                    maxBytes / 1024 / 1024));
        }
    }

    private static void check(SequenceConfig settings) {
        check(settings.metrics(), settings.checkpointDir() != null ? settings.checkpointDir() : settings.resumeFrom(),
                settings.progress());
    }

    private static void check(Path metrics, Path checkpoints, boolean progress) {
        if (metrics != null || checkpoints != null) {
            throw new IllegalArgumentException("a replica's settings must not name a metrics file, a checkpoint"
                    + " directory or a checkpoint to resume from: replicas run on executors");
        }
        if (progress) {
            throw new IllegalArgumentException("a replica's settings must not ask for a progress bar: replicas run"
                    + " on executors");
        }
    }

    /** Builds a {@link DataParallelTrainer}; {@link #build()} checks every setting. */
    public static final class Builder {
        private int workers = 1;
        private int averageEvery = 1;
        private long seed = 1;

        private Builder() {}

        /**
         * @param workers the replicas W, one barrier task each, at least 1
         * @return this builder
         */
        public Builder workers(int workers) {
            this.workers = workers;
            return this;
        }

        /**
         * @param steps the optimiser steps between averages N, at least 1 (every epoch's end averages too)
         * @return this builder
         */
        public Builder averageEvery(int steps) {
            this.averageEvery = steps;
            return this;
        }

        /**
         * @param seed worker 0's seed, given to {@link ReplicaConfig#create}; worker w gets the seed plus w
         * @return this builder
         */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * {@return the trainer}
         *
         * @throws IllegalArgumentException when the workers or the steps between averages are below 1
         */
        public DataParallelTrainer build() {
            return build(false);
        }

        DataParallelTrainer build(boolean keepAll) {
            if (workers < 1) {
                throw new IllegalArgumentException("workers must be at least 1, got " + workers);
            }
            if (averageEvery < 1) {
                throw new IllegalArgumentException("the steps between averages must be at least 1, got " + averageEvery);
            }
            return new DataParallelTrainer(this, keepAll);
        }
    }
}
