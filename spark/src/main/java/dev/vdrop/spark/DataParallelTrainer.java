package dev.vdrop.spark;

import dev.vdrop.runtime.Network;
import dev.vdrop.runtime.train.SequenceConfig;
import dev.vdrop.runtime.train.SequenceResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.SparkSession;
import scala.reflect.ClassTag$;

/**
 * Synchronous data-parallel training of a sequence classifier on Spark: W replicas, one barrier
 * task each ({@code rdd.barrier().mapPartitions}), each training the same network with
 * {@link dev.vdrop.runtime.train.SequenceTrainer} on its own W-th of the training examples, and
 * averaging their parameters every N optimiser steps and at the end of every epoch through
 * {@code BarrierTaskContext.allGather} (local SGD: Stich 2019, arXiv 1805.09767). Validation, the
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
 * <p>W = 1 is the single-machine run: one replica on all the examples in their order, with the
 * seed, whose average is itself, so its losses and parameters equal
 * {@code new SequenceTrainer(config.create(seed)).train(...)}'s bitwise.
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
        ReplicaTask task = new ReplicaTask(factory, config, seed, averageEvery, Parameters.read(network.parameters()),
                validSequences, validLabels, keepAll);
        long start = System.nanoTime();
        RDD<ReplicaTask.Shard> rdd = JavaSparkContext.fromSparkContext(spark.sparkContext())
                .parallelize(shards, workers).rdd();
        List<ReplicaTask.Output> outputs = new ArrayList<>(rdd.barrier()
                .mapPartitions(task, false, ClassTag$.MODULE$.apply(ReplicaTask.Output.class))
                .toJavaRDD().collect());
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

    private static void check(SequenceConfig settings) {
        if (settings.metrics() != null || settings.checkpointDir() != null || settings.resumeFrom() != null) {
            throw new IllegalArgumentException("a replica's settings must not name a metrics file, a checkpoint"
                    + " directory or a checkpoint to resume from: replicas run on executors");
        }
        if (settings.progress()) {
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
