package dev.vdrop.spark;

import dev.vdrop.runtime.Network;
import dev.vdrop.runtime.model.ModelFile;
import java.io.Serializable;

/**
 * Builds, in an executor's JVM, the generated network a model file was saved from, with the
 * file's sizes and data type; the scorer then restores the saved parameters into it
 * ({@link ModelFile#restoreInto}), which checks its class and sizes against the file's. It is
 * serialized with the job, so a lambda is enough, and its classes must be on the executors'
 * classpath (in the application jar). For a classifier named {@code MyClassifier}:
 * <pre>{@code
 * NetworkFactory factory = file -> MyClassifierNetwork.builder()
 *         .vocabulary(file.sizes().vocabulary().getAsInt())
 *         .classes(file.sizes().classes().getAsInt())
 *         .config(NetworkConfig.builder().dataType(file.dataType()).build())
 *         .build();
 * }</pre>
 * and for a forecaster named {@code MyForecaster}, which reads features:
 * <pre>{@code
 * NetworkFactory factory = file -> MyForecasterNetwork.builder()
 *         .features(file.sizes().features().getAsInt())
 *         .outputs(file.sizes().outputs().getAsInt())
 *         .config(NetworkConfig.builder().dataType(file.dataType()).build())
 *         .build();
 * }</pre>
 */
@FunctionalInterface
public interface NetworkFactory extends Serializable {
    /**
     * A new network of the file's class and sizes; its parameters are overwritten by the file's.
     *
     * @param file the loaded model file: its {@link ModelFile#modelClass()}, {@link ModelFile#sizes()}
     *     and {@link ModelFile#dataType()}
     * @return the network: reading token ids ({@code int[][]}) when the file's model reads text,
     *     {@code double[][][]} windows when it reads features
     * @throws IllegalArgumentException when this factory cannot build the file's class
     */
    Network<?, ?> create(ModelFile file);
}
