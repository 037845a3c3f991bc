package dev.vdrop.spark;

import dev.vdrop.runtime.train.TrainingConfig;
import java.io.Serializable;

/**
 * The training settings of every replica of a {@link DataParallelTrainer#trainLanguageModel} run,
 * made in each executor's JVM from a seed: worker {@code w} gets the run's seed plus {@code w}, so
 * worker 0 (and a one-worker run) draws the single {@link dev.vdrop.runtime.train.LanguageModelTrainer}
 * run's masks and the other workers their own. It is serialized with the job, so a lambda is enough:
 * <pre>{@code
 * LanguageModelReplicaConfig config = seed -> TrainingConfig.builder().epochs(20).batch(20).steps(35)
 *         .seed(seed).build();
 * }</pre>
 * The settings must not name files (metrics, checkpoints) or ask for a progress bar: replicas run on
 * executors. {@link DataParallelTrainer} checks that on the driver. The batch B is each replica's.
 */
@FunctionalInterface
public interface LanguageModelReplicaConfig extends Serializable {
    /**
     * The settings of one replica.
     *
     * @param seed the replica's seed (the masks); use it as {@code seed(seed)}
     * @return the settings
     */
    TrainingConfig create(long seed);
}
