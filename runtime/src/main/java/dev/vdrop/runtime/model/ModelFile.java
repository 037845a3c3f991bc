package dev.vdrop.runtime.model;

import dev.vdrop.runtime.Mat;
import dev.vdrop.runtime.ModelSizes;
import dev.vdrop.runtime.Network;
import dev.vdrop.runtime.Parameter;
import dev.vdrop.runtime.checkpoint.Checkpoint;
import dev.vdrop.runtime.checkpoint.CheckpointException;
import dev.vdrop.runtime.checkpoint.Checkpoints;
import dev.vdrop.runtime.checkpoint.RecurrentCells;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A trained network saved for prediction: its parameters (by name, with shape, data type and
 * bits), the generated class's name, each recurrent layer's cell and units
 * ({@link RecurrentCells}), its {@link ModelSizes} and the {@link PredictionInfo} (the
 * tokenization and symbols or the features, the class labels, a forecaster's scaling and window).
 * Loaded, it is an immutable value; restore it into a network of the same class and sizes.
 *
 * <p>Call order. Saving, after training: {@link #save save(file, network, info)}. Predicting, in
 * any JVM: {@link #load load(file)}, build the generated network with the file's {@link #sizes()}
 * (a data-sized network's {@code builder()}, or its constructor when every size is declared), and
 * {@link #restoreInto restoreInto(network)} — or both at once with {@link #newNetwork}. Every
 * refusal is a {@link ModelFileException} naming the file and, when the file does not fit the
 * network, both sides.
 *
 * <p>Saving a language model with its vocabulary (example {@code ModelFile.save}):
 * <pre>{@code
 * ModelInput.Tokens words = new ModelInput.Tokens(Tokenization.ASCII_WORDS, vocabulary.words());
 * ModelFile.save(file, network, PredictionInfo.languageModel(words));
 * }</pre>
 * Loading it in another JVM into its generated class, whose vocabulary comes from the data, and
 * predicting the word after "the whale" (example {@code ModelFile.load}):
 * <pre>{@code
 * ModelFile model = ModelFile.load(file);
 * DataTiedDecoderNetwork loaded = model.newNetwork(sizes -> DataTiedDecoderNetwork.builder()
 *         .vocabulary(sizes.vocabulary().getAsInt())
 *         .config(NetworkConfig.builder().dataType(model.dataType()).build())
 *         .build());
 * List<String> symbols = ((ModelInput.Tokens) model.info().input()).symbols();
 * INDArray next = loaded.predict(new int[][] {{symbols.indexOf("the"), symbols.indexOf("whale")}});
 * }</pre>
 * Both examples are compiled and run by {@code dev.vdrop.checks.ExamplesTest} (the checks
 * module's test sources), which also checks that the code shown here is the code it runs.
 *
 * <p>The file is a checkpoint file ({@linkplain dev.vdrop.runtime.checkpoint same binary format},
 * CRC-checked, written atomically) whose metadata marks it as a model file of model-file version
 * {@value #FORMAT_VERSION}; a training checkpoint given to {@link #load} is refused, saying what it
 * is. See {@code docs/model-file.md} for the keys.
 */
public final class ModelFile {
    /**
     * The model-file version this vdrop writes and reads (inside checkpoint format version 1). The
     * recurrent layers' cells came later as keys version 1 may lack: a file without them loads, with
     * nothing to compare its cells with, and an older vdrop ignores them.
     */
    public static final int FORMAT_VERSION = 1;

    private final Path file;
    private final String modelClass;
    private final RecurrentCells cells;
    private final ModelSizes sizes;
    private final PredictionInfo info;
    private final Map<String, Mat> parameters;

    ModelFile(Path file, String modelClass, RecurrentCells cells, ModelSizes sizes, PredictionInfo info,
              Map<String, Mat> parameters) {
        this.file = file;
        this.modelClass = modelClass;
        this.cells = cells;
        this.sizes = sizes;
        this.info = info;
        this.parameters = parameters;
    }

    /**
     * Saves a network for prediction, atomically (a crash leaves the old file or the new one).
     * The parameters are copied first, so the network may go on training afterwards.
     *
     * @param file where to write; missing parent directories are created
     * @param network the trained network, an instance of a generated class
     * @param info what prediction needs: the input, labels, scaling and window
     * @throws ModelFileException if the file cannot be written, saying why
     * @throws IllegalArgumentException if the info does not fit the network: symbols more than the
     *     vocabulary, features other than the network's, labels other than its classes, labels or a
     *     scaling on a model that cannot use them
     */
    public static void save(Path file, Network<?, ?> network, PredictionInfo info) throws ModelFileException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(info, "info");
        ModelSizes sizes = network.sizes();
        checkFits(info, sizes);
        Checkpoint contents = Codec.encode(network.getClass().getName(), RecurrentCells.of(network), sizes, info,
                Checkpoints.snapshot(network.parameters()));
        try {
            Checkpoints.save(file, contents);
        } catch (CheckpointException e) {
            throw new ModelFileException(Messages.fromCheckpoint(file, e.getMessage()), e);
        }
    }

    private static void checkFits(PredictionInfo info, ModelSizes sizes) {
        if (info.input() instanceof ModelInput.Tokens tokens) {
            int vocabulary = sizes.vocabulary().orElseThrow(() -> new IllegalArgumentException(
                    "the info says the model reads tokens, but the network reads " + sizes.input()));
            if (tokens.symbols().size() > vocabulary) {
                throw new IllegalArgumentException("the info has " + tokens.symbols().size()
                        + " symbols, more than the network's " + sizes.input());
            }
        } else {
            int count = ((ModelInput.Features) info.input()).count();
            if (sizes.features().isEmpty() || sizes.features().getAsInt() != count) {
                throw new IllegalArgumentException("the info says the model reads " + count
                        + " features, but the network reads " + sizes.input());
            }
        }
        if (!info.labels().isEmpty()) {
            if (sizes.classes().isEmpty() || sizes.classes().getAsInt() != info.labels().size()) {
                throw new IllegalArgumentException("the info has " + info.labels().size()
                        + " class labels, but the network predicts " + sizes.output());
            }
        }
        if (info.scaling().isPresent() && sizes.outputs().isEmpty()) {
            throw new IllegalArgumentException("the info has a forecaster's scaling, but the network predicts "
                    + sizes.output() + ", not values");
        }
    }

    /**
     * Reads a model file written by {@link #save}, checking it whole before anything is returned.
     *
     * @param file the model file
     * @return its contents
     * @throws ModelFileException naming the file, when there is no file there, it is a directory or
     *     cannot be read, it is not a vdrop file, it is truncated or corrupt (checksum), it is a
     *     training checkpoint or another kind of vdrop file, or it has a newer format version
     */
    public static ModelFile load(Path file) throws ModelFileException {
        Objects.requireNonNull(file, "file");
        if (!Files.exists(file)) {
            throw new ModelFileException(Messages.missing(file));
        }
        if (Files.isDirectory(file)) {
            throw new ModelFileException(Messages.isDirectory(file));
        }
        if (!Files.isReadable(file)) {
            throw new ModelFileException(Messages.unreadable(file));
        }
        Checkpoint c;
        try {
            c = Checkpoints.load(file);
        } catch (CheckpointException e) {
            throw new ModelFileException(Messages.fromCheckpoint(file, e.getMessage()), e);
        }
        String kind = c.metadata().get(Codec.KIND);
        if (kind == null) {
            throw new ModelFileException(c.tensors().containsKey("optimizer") || c.metadata().containsKey("epoch")
                    ? Messages.trainingCheckpoint(file) : Messages.notAModelFile(file, "checkpoint"));
        }
        if (!kind.equals(Codec.KIND_MODEL)) {
            throw new ModelFileException(Messages.notAModelFile(file, kind));
        }
        String version = c.metadata().getOrDefault(Codec.VERSION, "");
        if (!version.matches("[1-9][0-9]{0,8}")) {
            throw new ModelFileException(Messages.malformed(file, Codec.VERSION, version));
        }
        if (Integer.parseInt(version) != FORMAT_VERSION) {
            throw new ModelFileException(Messages.newerVersion(file, Integer.parseInt(version)));
        }
        return Codec.decode(file, c);
    }

    /**
     * Whether a checkpoint read by {@link Checkpoints#load} is in fact a model file: a loop that
     * resumes training should refuse it, as {@link #load} refuses a training checkpoint.
     *
     * @param checkpoint a checkpoint read from a file
     * @return true when its metadata marks it as a model file
     */
    public static boolean isModelFile(Checkpoint checkpoint) {
        return Codec.KIND_MODEL.equals(checkpoint.metadata().get(Codec.KIND));
    }

    /**
     * The message for a model file given where a training checkpoint is wanted.
     *
     * @param file the file
     * @return {@code FILE is a model file (saved for prediction by ModelFile.save), not a training checkpoint; …}
     */
    public static String notACheckpointMessage(Path file) {
        return Messages.notACheckpoint(file);
    }

    /** {@return the model-file version, {@value #FORMAT_VERSION}} */
    public int version() {
        return FORMAT_VERSION;
    }

    /** {@return the file it was loaded from} */
    public Path file() {
        return file;
    }

    /** {@return the fully qualified name of the generated network class it was saved from} */
    public String modelClass() {
        return modelClass;
    }

    /**
     * {@return the cell of each recurrent layer of the network it was saved from, by layer name, input
     * side first: {@code VariationalLSTM} or {@code VariationalGRU}; empty for a file saved before
     * cells were recorded; unmodifiable}
     */
    public Map<String, String> cells() {
        Map<String, String> byLayer = new LinkedHashMap<>();
        for (RecurrentCells.Layer l : cells.layers()) {
            byLayer.put(l.name(), l.cell());
        }
        return Collections.unmodifiableMap(byLayer);
    }

    /**
     * {@return the sizes of the network it was saved from; build the network with these (a
     * data-sized network's {@code builder().vocabulary(…)} or {@code .features(…)}, {@code .classes(…)}
     * or {@code .outputs(…)})}
     */
    public ModelSizes sizes() {
        return sizes;
    }

    /** {@return what prediction needs: the input, labels, scaling and window} */
    public PredictionInfo info() {
        return info;
    }

    /**
     * {@return the data type of the saved parameters, FLOAT or DOUBLE: build the network with
     * {@code NetworkConfig.builder().dataType(file.dataType())}}
     */
    public DataType dataType() {
        return parameters.values().iterator().next().dataType();
    }

    /** {@return the saved parameters' names in the network's order; unmodifiable} */
    public List<String> parameterNames() {
        return List.copyOf(parameters.keySet());
    }

    /**
     * Builds a network with the file's sizes and restores the parameters into it.
     *
     * @param <N> the generated network class
     * @param factory builds the network from the sizes, e.g.
     *     {@code s -> NamesNetwork.builder().vocabulary(s.vocabulary().getAsInt()).build()}
     * @return the network, with the saved parameters
     * @throws ModelFileException as {@link #restoreInto}
     */
    public <N extends Network<?, ?>> N newNetwork(Function<ModelSizes, N> factory) throws ModelFileException {
        return restoreInto(factory.apply(sizes));
    }

    /**
     * Copies the saved parameters into a network, bit for bit. Everything is checked before
     * anything is copied, so a refusal leaves the network unchanged, in this order: every recurrent
     * layer the file and the network both have (the n-th of each stack) must have the saved cell (an LSTM's file is refused
     * by a network whose layer is a GRU, naming both cells and the annotation to declare — before
     * the class, since a GRU twin of a model is usually another class, and before the shapes, which
     * would not say why they differ; a file saved before cells were recorded skips this); the
     * network must be an instance of the saved class, with the saved sizes; and every parameter
     * must be there with the saved shape and data type.
     *
     * @param <N> the generated network class
     * @param network the network to restore into
     * @return the network
     * @throws ModelFileException naming the file and the layer with both cells, or the file's and the
     *     network's class, sizes or each differing parameter
     */
    public <N extends Network<?, ?>> N restoreInto(N network) throws ModelFileException {
        Objects.requireNonNull(network, "network");
        String given = network.getClass().getName();
        // a file saved before cells were recorded has none to compare: the network's summary is not asked
        List<RecurrentCells.Mismatch> otherCells = cells.isEmpty() ? List.of() : cells.mismatches(RecurrentCells.of(network));
        if (!otherCells.isEmpty()) {
            throw new ModelFileException(Messages.otherCells(file, otherCells, modelClass, given));
        }
        if (!given.equals(modelClass)) {
            throw new ModelFileException(Messages.otherModel(file, modelClass, given));
        }
        ModelSizes theirs = network.sizes();
        if (!sameValues(sizes, theirs)) {
            throw new ModelFileException(Messages.otherSizes(file, sizes, theirs));
        }
        Map<String, Parameter> byName = new LinkedHashMap<>();
        for (Parameter p : network.parameters()) {
            byName.put(p.name(), p);
        }
        List<String> differences = new ArrayList<>();
        for (Parameter p : byName.values()) {
            Mat saved = parameters.get(p.name());
            if (saved == null) {
                differences.add(Messages.missingParameter(p.name()));
            } else if (saved.rows() != p.value().rows() || saved.cols() != p.value().cols()) {
                differences.add(Messages.wrongShape(p.name(), saved, p.value()));
            } else if (saved.dataType() != p.value().dataType()) {
                differences.add(Messages.wrongType(p.name(), saved, p.value()));
            }
        }
        for (String name : parameters.keySet()) {
            if (!byName.containsKey(name)) {
                differences.add(Messages.extraParameter(name));
            }
        }
        if (!differences.isEmpty()) {
            throw new ModelFileException(Messages.doesNotFit(file, differences));
        }
        for (Parameter p : byName.values()) {
            p.value().copyFrom(parameters.get(p.name()));
        }
        return network;
    }

    private static boolean sameValues(ModelSizes a, ModelSizes b) {
        return a.input().name().equals(b.input().name()) && a.input().value() == b.input().value()
                && a.output().name().equals(b.output().name()) && a.output().value() == b.output().value();
    }

    /** {@return a summary: {@code ModelFile[names.vdrop: com.example.NamesNetwork, vocabulary 30 (given), classes 2 (given), …]}} */
    @Override
    public String toString() {
        return "ModelFile[" + file + ": " + modelClass + ", " + Messages.sizes(sizes) + ", " + info + ", "
                + parameters.size() + " parameters]";
    }
}
