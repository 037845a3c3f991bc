package dev.vdrop.runtime.train;

import dev.vdrop.runtime.Mat;
import dev.vdrop.runtime.Network;
import dev.vdrop.runtime.checkpoint.Checkpoint;
import dev.vdrop.runtime.checkpoint.CheckpointException;
import dev.vdrop.runtime.checkpoint.Checkpoints;
import dev.vdrop.runtime.checkpoint.RecurrentCells;
import dev.vdrop.runtime.io.DirectoryLock;
import dev.vdrop.runtime.io.OutputCheck;
import dev.vdrop.runtime.io.OutputException;
import dev.vdrop.runtime.model.ModelFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The checkpoint after every epoch ({@value #FILE} in the checkpoint directory) and its reading for
 * an exact resume, for every configuration of the loop. Metadata: {@code model}, {@code epoch},
 * {@code rng_state} (the generator of shuffles and masks), {@code order} (the examples' order the
 * last shuffle left, for independent sequences), {@code optimizer}, {@code best_epoch} (the patience
 * used is the epoch minus it), its score as {@code best_<metric>} ({@code best_valid_ppl},
 * {@code best_valid_loss}, {@code best_valid_accuracy}), {@code history.<n>} (every finished epoch) and
 * {@code config.<setting>}; the recurrent layers' cells ({@code layers}, {@code layer.NAME.cell},
 * {@code .units}, {@code .parameters}: {@link RecurrentCells}), checked before anything else of the
 * model on resume; tensor groups {@code parameters}, {@code optimizer}, {@code best}; a language
 * model's vocabulary; and {@code training_format}, {@value #FORMAT}.
 *
 * <p>A run claims its checkpoint directory with {@link #claim} before epoch 1: the directory is
 * checked (created when missing, writable, room for a checkpoint), locked for the run
 * ({@link DirectoryLock}: a second run on it is refused with the first one's process id; the
 * temporaries a killed run left there are removed), and a new run is refused when a checkpoint is
 * already there, unless it is overwritten on purpose or the run resumes from it.
 *
 * <p>The training format is 2 since the one loop (the checkpoint container's own format is
 * unchanged): format 1, the language-model trainer's, had no shuffled order, history or training
 * format key, and is refused with a message that says so.
 */
final class LoopCheckpoint implements LoopListener {
    /** The checkpoint's file name inside the checkpoint directory. */
    static final String FILE = "checkpoint.vdrop";
    /** The training-checkpoint format this vdrop writes and resumes. */
    static final int FORMAT = 2;
    private static final String FORMAT_KEY = "training_format";

    private final Path dir;
    private final Map<String, String> settings;
    private final List<String> vocabulary;
    private int lastGoodEpoch;

    /**
     * @param dir the checkpoint directory, or null for none (nothing is written)
     * @param settings the run's settings; a resume must ask for the same ones but the epochs
     * @param vocabulary a language model's words by id, or empty
     */
    LoopCheckpoint(Path dir, Map<String, String> settings, List<String> vocabulary) {
        this.dir = dir;
        this.settings = Map.copyOf(settings);
        this.vocabulary = List.copyOf(vocabulary);
    }

    @Override
    public void epochFinished(EpochRecord epoch, TrainingLoop<?, ?> loop) {
        if (dir == null) {
            return;
        }
        LoopState state = loop.snapshot();
        Checkpoint.Builder checkpoint = Checkpoint.builder()
                .metadata(FORMAT_KEY, Integer.toString(FORMAT))
                .metadata("model", loop.network().getClass().getName())
                .metadata("epoch", Integer.toString(state.epoch()))
                .metadata("rng_state", Long.toString(state.rngState()))
                .metadata("optimizer", loop.optimizerName())
                .metadata("best_epoch", Integer.toString(state.bestEpoch()))
                .metadata(bestKey(loop), Double.toString(state.bestScore()))
                .vocabulary(vocabulary)
                .tensors("parameters", state.parameters())
                .tensors("optimizer", state.optimizer())
                .tensors("best", state.best());
        RecurrentCells.of(loop.network()).writeTo(checkpoint, "");
        if (state.order().length > 0) {
            checkpoint.metadata("order", Arrays.stream(state.order()).mapToObj(Integer::toString)
                    .collect(Collectors.joining(",")));
        }
        for (EpochRecord r : state.history()) {
            checkpoint.metadata("history." + r.epoch(), HistoryLine.write(r));
        }
        settings.forEach((k, v) -> checkpoint.metadata("config." + k, v));
        try {
            Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new TrainingException("cannot create the checkpoint directory " + dir + ": " + e.getMessage(), e);
        }
        try {
            Checkpoints.save(file(dir), checkpoint.build());
        } catch (CheckpointException e) {
            throw new TrainingException("cannot save the checkpoint after epoch " + state.epoch() + ": " + e.getMessage(), e);
        }
        lastGoodEpoch = state.epoch();
    }

    /**
     * Prepares the checkpoint directory for a run, before any training: checks it, locks it and
     * refuses to replace another run's checkpoint. Close the claim when the run ends, however it ends.
     *
     * @param network the network whose parameters the checkpoints hold (for the space they need)
     * @param resumeFrom the checkpoint directory the run continues from, or null for a new run
     * @param overwrite whether a checkpoint already in the directory may be replaced by a new run
     * @return the claim, holding the directory's lock (nothing when no checkpoint is written)
     * @throws TrainingException when the directory cannot be written, another run holds it, or it
     *     holds a checkpoint this run would replace
     */
    Claim claim(Network<?, ?> network, Path resumeFrom, boolean overwrite) {
        if (dir == null) {
            return new Claim(null);
        }
        List<dev.vdrop.runtime.Parameter> parameters = network.parameters();
        int bytes = parameters.isEmpty() ? Double.BYTES : parameters.get(0).value().dataType().width();
        try {
            OutputCheck.system().directory(dir, OutputCheck.Need.checkpoint(network.parameterCount(), bytes));
        } catch (OutputException e) {
            throw new TrainingException("cannot write checkpoints: " + e.getMessage(), e);
        }
        DirectoryLock lock;
        try {
            lock = DirectoryLock.acquire(dir);
        } catch (IOException e) {
            throw new TrainingException("cannot use the checkpoint directory: " + e.getMessage(), e);
        }
        Claim claim = new Claim(lock);
        if (!overwrite && Files.exists(file(dir)) && !continues(resumeFrom)) {
            claim.close();
            throw new TrainingException(file(dir) + " holds the checkpoint of another run, which a new run would "
                    + "replace: resume from it, set overwrite(true) in its configuration to replace it, or choose another "
                    + "checkpoint directory");
        }
        return claim;
    }

    /** {@return whether a run resuming from {@code resumeFrom} continues the checkpoint in this directory} */
    private boolean continues(Path resumeFrom) {
        if (resumeFrom == null) {
            return false;
        }
        try {
            return Files.isSameFile(resumeFrom, dir);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Runs a loop under this checkpoint directory: claims it ({@link #claim}), continues the run
     * saved in {@code resumeFrom} when it is not null ({@link #resumeInto}), trains, and releases the
     * directory however the run ends.
     */
    void run(TrainingLoop<?, ?> loop, Path resumeFrom, boolean overwrite) {
        try (Claim claim = claim(loop.network(), resumeFrom, overwrite)) {
            resumeInto(loop, resumeFrom);
            loop.run();
        }
    }

    /** The checkpoint directory held for one run; {@link #close} releases it. */
    static final class Claim implements AutoCloseable {
        private final DirectoryLock lock;

        private Claim(DirectoryLock lock) {
            this.lock = lock;
        }

        @Override
        public void close() {
            if (lock == null) {
                return;
            }
            try {
                lock.close();
            } catch (IOException e) {
                // the operating system drops the lock with the process; nothing is lost
            }
        }
    }

    /** {@return the last epoch this run checkpointed (or resumed from), 0 before any} */
    int lastGoodEpoch() {
        return lastGoodEpoch;
    }

    /** {@return the key of the best score: {@code best_} and the selection's metric} */
    private static String bestKey(TrainingLoop<?, ?> loop) {
        return "best_" + loop.selection().metric();
    }

    /** {@return the checkpoint file of a directory} */
    static Path file(Path dir) {
        return dir.resolve(FILE);
    }

    /**
     * Loads the checkpoint in {@code dir}, checks it against this run and returns its state.
     *
     * @throws CheckpointException when it is missing, damaged, of an older format, a model file,
     *     of another model, vocabulary or settings
     */
    LoopState read(Path from, TrainingLoop<?, ?> loop) throws CheckpointException {
        Network<?, ?> network = loop.network();
        Path path = file(from);
        Checkpoint checkpoint = Checkpoints.load(path);
        if (ModelFile.isModelFile(checkpoint)) {
            throw new CheckpointException(ModelFile.notACheckpointMessage(path));
        }
        String format = checkpoint.metadata().getOrDefault(FORMAT_KEY, "1");
        if (!format.equals(Integer.toString(FORMAT))) {
            throw new CheckpointException(olderFormat(path, format));
        }
        Checkpoints.checkCells(checkpoint, network);
        String model = checkpoint.require("model");
        if (!model.equals(network.getClass().getName())) {
            throw new CheckpointException("the checkpoint is of model " + model + ", not " + network.getClass().getName());
        }
        if (!checkpoint.vocabulary().equals(vocabulary)) {
            throw new CheckpointException("the checkpoint was trained with another vocabulary ("
                    + checkpoint.vocabulary().size() + " words) than this corpus gives (" + vocabulary.size()
                    + " words); resume on the same corpus");
        }
        for (Map.Entry<String, String> e : new java.util.TreeMap<>(settings).entrySet()) {
            String saved = checkpoint.metadata().get("config." + e.getKey());
            if (!e.getKey().equals("epochs") && !e.getValue().equals(saved)) {
                throw new CheckpointException("the checkpoint was trained with " + e.getKey() + " = " + saved
                        + ", this run asks for " + e.getValue() + "; resume with the same settings");
            }
        }
        int epoch = (int) checkpoint.requireLong("epoch");
        List<EpochRecord> history = new ArrayList<>();
        for (int e = 1; e <= epoch; e++) {
            String line = checkpoint.metadata().get("history." + e);
            if (line == null) {
                throw new CheckpointException("the checkpoint has no history of epoch " + e + " of its " + epoch);
            }
            history.add(HistoryLine.read(e, line));
        }
        String order = checkpoint.metadata().getOrDefault("order", "");
        int[] shuffled = order.isEmpty() ? new int[0] : Arrays.stream(order.split(",")).mapToInt(Integer::parseInt).toArray();
        Map<String, Mat> none = Map.of();
        lastGoodEpoch = epoch;
        return new LoopState(epoch, checkpoint.requireLong("rng_state"), shuffled,
                checkpoint.tensors().getOrDefault("parameters", none), checkpoint.tensors().getOrDefault("optimizer", none),
                (int) checkpoint.requireLong("best_epoch"), checkpoint.requireDouble(bestKey(loop)),
                checkpoint.tensors().getOrDefault("best", none), history);
    }

    /** The message for a checkpoint of another training format. */
    static String olderFormat(Path file, String format) {
        return "checkpoint " + file + " has training format " + format + ", which this vdrop cannot resume exactly: it "
                + "resumes format " + FORMAT + ", whose checkpoints hold what an exact resume needs (the shuffled "
                + "order, the best epoch and its parameters, the epoch history); train again from the start, or "
                + "resume with the vdrop that wrote it";
    }

    /**
     * Restores the loop from the checkpoint in {@code from} when it is not null.
     *
     * @throws TrainingException with the checkpoint's message when it cannot be resumed from
     */
    void resumeInto(TrainingLoop<?, ?> loop, Path from) {
        if (from == null) {
            return;
        }
        try {
            loop.restore(read(from, loop));
        } catch (CheckpointException e) {
            throw new TrainingException("cannot resume from " + from + ": " + e.getMessage(), e);
        }
    }

    /**
     * An epoch's record as one metadata value: learning rate, training measure, throughput and
     * seconds, then each validation score as name=value, separated by spaces; doubles as
     * {@link Double#toString}, which reads back exactly.
     */
    static final class HistoryLine {
        private HistoryLine() {}

        static String write(EpochRecord r) {
            StringBuilder s = new StringBuilder().append(r.learningRate()).append(' ').append(r.train()).append(' ')
                    .append(r.throughput()).append(' ').append(r.seconds());
            r.validation().forEach((k, v) -> s.append(' ').append(k).append('=').append(v));
            return s.toString();
        }

        static EpochRecord read(int epoch, String line) throws CheckpointException {
            String[] parts = line.split(" ");
            try {
                Map<String, Double> validation = new LinkedHashMap<>();
                for (int i = 4; i < parts.length; i++) {
                    int eq = parts[i].indexOf('=');
                    validation.put(parts[i].substring(0, eq), Double.parseDouble(parts[i].substring(eq + 1)));
                }
                return new EpochRecord(epoch, Double.parseDouble(parts[0]), Double.parseDouble(parts[1]), validation,
                        Double.parseDouble(parts[2]), Double.parseDouble(parts[3]));
            } catch (RuntimeException e) {
                throw new CheckpointException("the checkpoint's history of epoch " + epoch + " is malformed: " + line);
            }
        }
    }
}
