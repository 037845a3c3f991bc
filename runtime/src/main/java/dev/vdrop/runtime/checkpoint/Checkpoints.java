package dev.vdrop.runtime.checkpoint;

import dev.vdrop.runtime.Mat;
import dev.vdrop.runtime.Network;
import dev.vdrop.runtime.Parameter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Saves, loads and restores {@link Checkpoint}s. The file format is described in the
 * {@linkplain dev.vdrop.runtime.checkpoint package documentation}.
 *
 * <p>Call order, after an epoch: {@link #snapshot} the parameters worth keeping, build a
 * {@link Checkpoint} (with {@link RecurrentCells#writeTo} the network's cells), {@link #save}. To
 * resume: {@link #load}, build the model from the checkpoint's metadata, {@link #checkCells} and
 * {@link #restore} its parameters, restore the optimiser from the
 * {@code "optimizer"} group and the RNG from its recorded state.
 *
 * <p>Reading what {@link dev.vdrop.runtime.train.LanguageModelTrainer} writes after each epoch —
 * metadata {@code training_format}, {@code model}, {@code epoch}, {@code rng_state}, {@code optimizer},
 * {@code best_epoch}, {@code best_valid_ppl}, each epoch's {@code history.N} and every
 * {@link dev.vdrop.runtime.train.TrainingConfig#describe() setting} as {@code config.NAME} (the
 * repository's docs/training.md lists them for every trainer); the vocabulary; the groups {@code parameters}, {@code optimizer} and
 * {@code best} — and restoring the best epoch's parameters. {@code dev.vdrop.checks.ExamplesTest}
 * compiles and runs this code after a real two-epoch training, and checks that it is the code
 * shown here (example {@code Checkpoints.load}):
 * <pre>{@code
 * Checkpoint c = Checkpoints.load(checkpointDir.resolve(LanguageModelTrainer.CHECKPOINT_FILE));
 * String model = c.require("model");
 * long epoch = c.requireLong("epoch");
 * long bestEpoch = c.requireLong("best_epoch");
 * double bestPerplexity = c.requireDouble("best_valid_ppl");
 * long seed = c.requireLong("config.seed");
 * Vocabulary vocabulary = Vocabulary.of(c.vocabulary());
 * DataTiedDecoderNetwork network = DataTiedDecoderNetwork.builder().vocabulary(vocabulary.size())
 *         .config(NetworkConfig.builder().dataType(DataType.DOUBLE).build()).build();
 * Checkpoints.restore(c.requireGroup("best"), network.parameters());
 * }</pre>
 * To resume training, give the directory to {@code LanguageModelTrainer.resume}; to keep a trained
 * network for prediction, save a {@link dev.vdrop.runtime.model.ModelFile}.
 */
public final class Checkpoints {
    private Checkpoints() {}

    /**
     * Writes a checkpoint to {@code file}, replacing the one that is there, atomically: the bytes go
     * to a temporary file in the same directory, which is forced to disk and then moved over
     * {@code file}. A crash while saving leaves the old checkpoint intact. Missing parent
     * directories are created. Tensors are written with their own data type, FLOAT or DOUBLE.
     *
     * @param file where to write
     * @param checkpoint what to write
     * @throws CheckpointException if the file cannot be written, saying why; the old checkpoint,
     *     if any, is then unchanged
     */
    public static void save(Path file, Checkpoint checkpoint) throws CheckpointException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(checkpoint, "checkpoint");
        CheckpointWriter.write(file, checkpoint);
    }

    /**
     * Reads a checkpoint written by {@link #save}. Its matrices are new, of the data type they were
     * saved with, with the same bits (NaNs and −0.0 included).
     *
     * @param file the checkpoint file
     * @return the checkpoint
     * @throws CheckpointException for every failure, with a message that says what to do: no file,
     *     a directory, not a vdrop checkpoint, a format version this vdrop does not read, a file
     *     cut off while it was written ({@code truncated: N of M bytes}), a damaged file (its
     *     checksum does not match), a malformed header, or an I/O error
     */
    public static Checkpoint load(Path file) throws CheckpointException {
        Objects.requireNonNull(file, "file");
        return CheckpointReader.read(file);
    }

    /**
     * Refuses a checkpoint whose recurrent layers have other cells than the network's, naming both:
     * {@code the checkpoint's layer lstm1 was trained as a VariationalLSTM of 200 units (W 800×200,
     * U 800×200, b 800), this model's lstm1 is a VariationalGRU of 200 units; resume it with a model
     * declared with @VariationalLSTM, or train this one from the start}. Call it before
     * {@link #restore}, whose list of shapes would not say why they differ. A checkpoint saved
     * without its cells ({@link RecurrentCells}: before they were recorded) passes.
     *
     * @param saved a loaded checkpoint whose metadata records its cells ({@link RecurrentCells#writeTo}
     *     with the prefix {@code ""})
     * @param network the network that would resume from it
     * @throws CheckpointException when a layer at the same place of both stacks has another cell, or the record is malformed
     */
    public static void checkCells(Checkpoint saved, Network<?, ?> network) throws CheckpointException {
        Objects.requireNonNull(saved, "saved");
        Objects.requireNonNull(network, "network");
        List<RecurrentCells.Mismatch> mismatches = RecurrentCells.read(saved, "").mismatches(RecurrentCells.of(network));
        if (!mismatches.isEmpty()) {
            throw new CheckpointException(Messages.otherCells(mismatches));
        }
    }

    /**
     * Copies saved values into the parameters' {@link Parameter#value() values}, by name.
     *
     * <p>Everything is checked before anything is copied: the checkpoint must have a matrix for
     * every parameter, of the same shape, and no matrix that is not a parameter. Otherwise no
     * parameter is changed and the exception names each difference, e.g. {@code the checkpoint's
     * lstm1.W is 800 × 200 but the model's is 2600 × 650}.
     *
     * <p>The data types may differ: a FLOAT checkpoint restores into a DOUBLE model exactly (every
     * float is a double); a DOUBLE checkpoint restores into a FLOAT model rounded to the nearest
     * float. Gradients are not touched.
     *
     * @param saved matrices by parameter name, such as a checkpoint's {@code "parameters"} group or
     *     a {@link #snapshot}
     * @param into the model's parameters
     * @throws CheckpointException if the names or shapes do not match
     * @throws IllegalArgumentException if two parameters of the model have the same name
     */
    public static void restore(Map<String, Mat> saved, List<Parameter> into) throws CheckpointException {
        Objects.requireNonNull(saved, "saved");
        Map<String, Parameter> model = byName(into);
        List<String> differences = new ArrayList<>();
        for (Parameter p : into) {
            Mat s = saved.get(p.name());
            if (s == null) {
                differences.add(Messages.missingParameter(p.name()));
            } else if (s.rows() != p.value().rows() || s.cols() != p.value().cols()) {
                differences.add(Messages.wrongShape(p.name(), s, p.value()));
            }
        }
        for (String name : saved.keySet()) {
            if (!model.containsKey(name)) {
                differences.add(Messages.extraParameter(name));
            }
        }
        if (!differences.isEmpty()) {
            throw new CheckpointException(Messages.doesNotFit(differences));
        }
        for (Parameter p : into) {
            p.value().copyFrom(saved.get(p.name()));
        }
    }

    /**
     * Copies of the parameters' values by name, in the parameters' order, each of its parameter's
     * data type: the best parameters so far, or a consistent state to save while training goes
     * on. Unmodifiable.
     *
     * @param parameters the parameters to copy
     * @return copies of their values by name
     * @throws IllegalArgumentException if two parameters have the same name
     */
    public static Map<String, Mat> snapshot(List<Parameter> parameters) {
        Map<String, Mat> copies = new LinkedHashMap<>();
        for (Parameter p : byName(parameters).values()) {
            Mat v = p.value();
            Mat copy = Mat.zeros(v.dataType(), v.rows(), v.cols());
            copy.copyFrom(v);
            copies.put(p.name(), copy);
        }
        return Collections.unmodifiableMap(copies);
    }

    private static Map<String, Parameter> byName(List<Parameter> parameters) {
        Objects.requireNonNull(parameters, "parameters");
        Map<String, Parameter> named = new LinkedHashMap<>();
        for (Parameter p : parameters) {
            if (named.putIfAbsent(p.name(), p) != null) {
                throw new IllegalArgumentException("two parameters are named " + p.name() + "; names must be unique");
            }
        }
        return named;
    }
}
