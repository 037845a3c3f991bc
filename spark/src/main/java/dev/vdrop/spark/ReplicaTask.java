package dev.vdrop.spark;

import dev.vdrop.runtime.Network;
import dev.vdrop.runtime.train.SequenceConfig;
import dev.vdrop.runtime.train.SequenceResult;
import dev.vdrop.runtime.train.SequenceTrainer;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import scala.collection.Iterator;
import scala.jdk.javaapi.CollectionConverters;
import scala.runtime.AbstractFunction1;

/**
 * One task of a {@link DataParallelTrainer} run (a barrier task with more than one worker): builds
 * its replica, puts the driver's initial parameters into it, trains it on its shard with
 * {@link SequenceTrainer} and, with more than one worker, an {@link Averaging} hook (one worker: no hook, no barrier), and returns its
 * epochs and rounds (worker 0 also its final parameters).
 */
final class ReplicaTask extends AbstractFunction1<Iterator<ReplicaTask.Shard>, Iterator<ReplicaTask.Output>>
        implements Serializable {
    private static final long serialVersionUID = 1L;

    /** A worker's training examples. */
    record Shard(int worker, int[][] sequences, int[] labels) implements Serializable {}

    /** What a worker sends back; {@code parameters} only from worker 0. */
    record Output(int worker, double[][] epochs, int bestEpoch, double[] parameters, double[] beforeLastAverage,
                  List<DataParallelResult.Round> rounds) implements Serializable {}

    private final ReplicaFactory factory;
    private final ReplicaConfig config;
    private final long seed;
    private final int workers;
    private final int every;
    private final double[] initial;
    private final int[][] validSequences;
    private final int[] validLabels;
    private final boolean keepAll;

    /** As the other constructor; {@code keepAll}: every worker returns its parameters and what it had before the last average (tests). */
    ReplicaTask(ReplicaFactory factory, ReplicaConfig config, long seed, int workers, int every, double[] initial,
                int[][] validSequences, int[] validLabels, boolean keepAll) {
        this.workers = workers;
        this.keepAll = keepAll;
        this.factory = factory;
        this.config = config;
        this.seed = seed;
        this.every = every;
        this.initial = initial;
        this.validSequences = validSequences;
        this.validLabels = validLabels;
    }

    @Override
    public Iterator<Output> apply(Iterator<Shard> shards) {
        List<Output> out = new ArrayList<>();
        java.util.Iterator<Shard> each = CollectionConverters.asJava(shards);
        while (each.hasNext()) {
            out.add(train(each.next()));
        }
        return CollectionConverters.asScala(out.iterator());
    }

    private Output train(Shard shard) {
        Network<int[][], int[]> network = factory.create();
        Parameters.write(initial, network.parameters());
        SequenceConfig settings = config.create(seed + shard.worker());
        Averaging averaging = Averaging.forWorkers(workers, every, keepAll);
        SequenceTrainer trainer = averaging == null
                ? new SequenceTrainer(settings)
                : new SequenceTrainer(settings, averaging);
        // with more than one worker, each replica on its task's cores; one worker is alone on the executor
        Supplier<SequenceResult> training = () -> validSequences == null
                ? trainer.train(network, shard.sequences(), shard.labels())
                : trainer.train(network, shard.sequences(), shard.labels(), validSequences, validLabels);
        SequenceResult result = averaging == null ? training.get() : TaskCores.run(training);
        double[][] epochs = new double[result.epochs().size()][];
        for (int i = 0; i < epochs.length; i++) {
            SequenceResult.Epoch e = result.epochs().get(i);
            epochs[i] = new double[] {e.epoch(), e.learningRate(), e.trainLoss(), e.validLoss(), e.validAccuracy(),
                e.throughput(), e.seconds()};
        }
        return new Output(shard.worker(), epochs, result.bestEpoch(),
                shard.worker() == 0 || keepAll ? Parameters.read(network.parameters()) : null,
                averaging == null ? null : averaging.beforeLastAverage(),
                averaging == null ? List.of() : averaging.rounds());
    }
}
