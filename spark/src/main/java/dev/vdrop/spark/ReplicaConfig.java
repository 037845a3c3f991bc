package dev.vdrop.spark;

import dev.vdrop.runtime.train.SequenceConfig;
import java.io.Serializable;

/**
 * The training settings of every replica of a {@link DataParallelTrainer} run, made in each
 * executor's JVM from a seed: worker {@code w} gets the run's seed plus {@code w}, so worker 0 (and a
 * one-worker run) trains exactly as a single {@link dev.vdrop.runtime.train.SequenceTrainer} run with
 * the run's seed, and the other workers draw their own example orders and masks. It is serialized
 * with the job, so a lambda is enough:
 * <pre>{@code
 * ReplicaConfig config = seed -> SequenceConfig.builder().epochs(30).batch(32).learningRate(3e-3)
 *         .clip(5).seed(seed).build();
 * }</pre>
 * The settings must not name files (metrics, checkpoints) or ask for a progress bar: replicas run on
 * executors. {@link DataParallelTrainer} checks that on the driver.
 */
@FunctionalInterface
public interface ReplicaConfig extends Serializable {
    /**
     * The settings of one replica.
     *
     * @param seed the replica's seed (the example order and the masks); use it as {@code seed(seed)}
     * @return the settings
     */
    SequenceConfig create(long seed);
}
