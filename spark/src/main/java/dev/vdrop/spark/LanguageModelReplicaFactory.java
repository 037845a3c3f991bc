package dev.vdrop.spark;

import dev.vdrop.runtime.Network;
import java.io.Serializable;

/**
 * Builds, in an executor's JVM, a replica of the language model
 * {@link DataParallelTrainer#trainLanguageModel} trains: a network of the same class, sizes and
 * data type as the driver's. Its initial weights do not matter: the trainer copies the driver
 * network's parameters into it before the first step. It is serialized with the job, so a lambda
 * is enough, and its classes must be on the executors' classpath (in the application jar).
 * <pre>{@code
 * LanguageModelReplicaFactory factory = () -> MyLmNetwork.builder().vocabulary(10_000).classes(10_000).build();
 * }</pre>
 */
@FunctionalInterface
public interface LanguageModelReplicaFactory extends Serializable {
    /** {@return a new network of the driver network's class, sizes and data type} */
    Network<int[][], int[][]> create();
}
