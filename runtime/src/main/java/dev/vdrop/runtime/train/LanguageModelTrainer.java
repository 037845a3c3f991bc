package dev.vdrop.runtime.train;

import dev.vdrop.runtime.ModelSizes;
import dev.vdrop.runtime.Network;
import dev.vdrop.runtime.Rng;
import dev.vdrop.runtime.checkpoint.CheckpointException;
import dev.vdrop.runtime.eval.Perplexity;
import dev.vdrop.runtime.text.TokenStreams;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Trains a generated language model by truncated back-propagation through time.
 *
 * <p>Each epoch cuts the training ids into B parallel streams (the remainder dropped) and reads them
 * in segments of T steps, the state starting at zero and carried from segment to segment
 * (detached). Every mask (variational, untied, locked, embedding and weight drop) is sampled when a
 * segment starts and held for its T steps. A step: zero the gradients, forward (the loss is the
 * cross-entropy summed over the steps and averaged over the streams), backward, clip the global
 * gradient norm, optimiser step with the epoch's learning rate. After each epoch: validation
 * perplexity with dropout off, the best parameters kept, a metrics line, and a checkpoint. The
 * network keeps the last epoch's parameters (the comparison protocol's) unless
 * {@link TrainingConfig.Builder#restoreBest} asks for the best; the result holds the best either way.
 * This is a configuration of the one training loop every trainer shares (the repository's
 * docs/training.md).
 *
 * <p>One seed fixes the data order (fixed for language models), the masks and — through the
 * network's own {@code NetworkConfig} — the initial weights: the same seed gives bitwise the same
 * losses, and a run resumed from a checkpoint continues exactly as an uninterrupted one.
 *
 * <p><b>Threads.</b> A run writes its network's parameters and gradients: one run per network at a
 * time, and no prediction on that network from other threads while it trains (once it has
 * returned, the network may be shared for prediction, see {@link dev.vdrop.runtime.Network}). The
 * trainer holds only its configuration, but two runs at once of one configuration would write the
 * same checkpoint directory and metrics file: give each its own network, directory and file.
 */
public final class LanguageModelTrainer {
    /** The checkpoint's file name inside the checkpoint directory. */
    public static final String CHECKPOINT_FILE = LoopCheckpoint.FILE;

    private static final String VALID_PPL = "valid_ppl";

    private final TrainingConfig config;
    private final ReplicaHook hook;

    /**
     * A trainer with the given settings.
     *
     * @param config the epochs, batch, schedule, clipping, seed, metrics file and checkpoint directory
     */
    public LanguageModelTrainer(TrainingConfig config) {
        this.config = config;
        this.hook = null;
    }

    /**
     * A trainer with the given settings whose runs call {@code hook} after every optimiser step and
     * at the end of every epoch, before validation (a data-parallel replica's averaging, see
     * {@link ReplicaHook}). A hook that changes nothing gives bitwise the run without one.
     *
     * @param config the epochs, batch, schedule, clipping, seed, metrics file and checkpoint directory
     * @param hook called on the training thread with the step count and the network's parameters
     */
    public LanguageModelTrainer(TrainingConfig config, ReplicaHook hook) {
        this.config = config;
        this.hook = Objects.requireNonNull(hook, "hook");
    }

    /**
     * Trains from the network's current parameters, epoch 1 on.
     *
     * @param network a generated language model ({@code @Embedding} … {@code @Softmax} over every step)
     * @param train the training split's token ids
     * @param valid the validation split's token ids, scored after every epoch
     * @param vocabulary the words by id, saved with checkpoints
     * @return every epoch's metrics and the best parameters by validation perplexity
     * @throws IllegalArgumentException when a split is too short for one segment, or — before any
     *     work — an id is past the model's vocabulary or classes, or the vocabulary has more words
     *     than the model (a vocabulary smaller than one the annotation declares is a warning, see
     *     {@link ModelSizes#checkVocabulary})
     * @throws TrainingException when the loss or the gradient norm stops being finite, or — before any
     *     work — the checkpoint directory cannot be written, is held by another run, or holds a
     *     checkpoint and {@link TrainingConfig.Builder#overwrite} is not set
     */
    public TrainingResult train(Network<int[][], int[][]> network, int[] train, int[] valid, List<String> vocabulary) {
        try {
            return run(network, train, valid, vocabulary, null);
        } catch (CheckpointException e) {
            throw new IllegalStateException("no checkpoint was read", e);
        }
    }

    /**
     * Continues the run saved in {@code checkpointDir}: parameters, optimiser state, random state,
     * best model and epoch are restored, and training goes on from the next epoch.
     *
     * @param network the same model the checkpoint was written from
     * @param train the training split's token ids
     * @param valid the validation split's token ids
     * @param vocabulary the words by id
     * @param checkpointDir the directory holding {@value #CHECKPOINT_FILE}
     * @return the metrics of every epoch of the run, those before the checkpoint included
     *     ({@link TrainingResult#trainedByThisCall()} are this call's), and the best parameters of the run
     * @throws TrainingException before any work, when the configured checkpoint directory (which the
     *     run locks and writes to) cannot be written or is held by another run, or is another directory
     *     than {@code checkpointDir} and holds a checkpoint while overwrite is not set
     * @throws CheckpointException when the checkpoint is missing, damaged, of the older training
     *     format (written before the one loop), a model file, or of another model, vocabulary or
     *     setting (only the epochs may differ), or when it has trained more epochs than the
     *     configuration's (as many is fine: nothing is trained, the result is the checkpoint's run)
     */
    public TrainingResult resume(Network<int[][], int[][]> network, int[] train, int[] valid, List<String> vocabulary,
                                 Path checkpointDir) throws CheckpointException {
        return run(network, train, valid, vocabulary, checkpointDir);
    }

    private TrainingResult run(Network<int[][], int[][]> network, int[] train, int[] valid, List<String> vocabulary,
                               Path resumeFrom) throws CheckpointException {
        checkData(network, train, valid, vocabulary);
        LoopCheckpoint saver = new LoopCheckpoint(config.checkpointDir(), config.describe(), vocabulary);
        List<LoopListener> listeners = new ArrayList<>();
        if (config.progress()) {
            listeners.add(new ProgressBarListener(config.epochs(), Objective.PERPLEXITY));
        }
        listeners.add(new MetricsLog(config.metrics(), Objective.PERPLEXITY));
        listeners.add(saver);
        LoopSettings settings = new LoopSettings(config.epochs(), config.learningRate(), config.clip(), 0, config.restoreBest(),
                new Selection(VALID_PPL, false), Objective.PERPLEXITY);
        Validation<int[][], int[][]> validation = (net, workspaces) -> Map.of(VALID_PPL,
                Perplexity.standard(net, valid, config.evalStreams(), config.steps()).perplexity());
        TrainingLoop<int[][], int[][]> loop = new TrainingLoop<>(network, new StreamData(train), validation, settings,
                config.newOptimizer(), config.seed(), listeners, (d, l) -> diverged(d, saver), hook);
        int resumedAfter;
        LoopCheckpoint.Claim claim = saver.claim(network, resumeFrom, config.overwrite());
        try {
            if (resumeFrom != null) {
                loop.restore(saver.read(resumeFrom, loop));
            }
            resumedAfter = loop.history().size();
            loop.run();
        } finally {
            claim.close();
        }
        List<EpochMetrics> epochs = new ArrayList<>();
        for (EpochRecord r : loop.history()) {
            epochs.add(new EpochMetrics(r.epoch(), r.learningRate(), r.train(), r.valid(VALID_PPL), r.throughput(),
                    r.seconds()));
        }
        return new TrainingResult(epochs, resumedAfter, loop.bestEpoch(), loop.bestScore(), loop.best());
    }

    /** The message names the last good checkpoint, which is kept. */
    private TrainingException diverged(Divergence d, LoopCheckpoint saver) {
        Path file = config.checkpointDir() == null ? null : LoopCheckpoint.file(config.checkpointDir());
        String kept = file == null
                ? "no checkpoint was configured"
                : saver.lastGoodEpoch() > 0
                        ? "the last good checkpoint, after epoch " + saver.lastGoodEpoch() + ", is kept at " + file
                        : Files.exists(file)
                                ? "the checkpoint at " + file + " was written before this run went wrong and is kept"
                                : "no epoch had finished, so there is no checkpoint yet";
        return new TrainingException(String.format(Locale.ROOT,
                "training diverged at epoch %d, batch %d of %d: %s (learning rate %s); %s. "
                        + "Lower the learning rate or the gradient clip and start again.",
                d.epoch(), d.batch(), d.batches(), d.what(), d.learningRate(), kept));
    }

    /** The data against the model's sizes and the settings, before any work. */
    private void checkData(Network<int[][], int[][]> network, int[] train, int[] valid, List<String> vocabulary) {
        // an id past the model's sizes would fail a batch in the middle of an epoch, after the steps
        // before it had changed the weights
        ModelSizes sizes = network.sizes();
        if (!vocabulary.isEmpty()) {
            sizes.checkVocabulary(vocabulary.size(), "the corpus");
        }
        sizes.checkTokens(train, "the training split");
        sizes.checkTokens(valid, "the validation split");
        long minimum = (long) config.batch() * (config.steps() + 1L);
        if (train.length < minimum) {
            throw new IllegalArgumentException("the training split has " + train.length + " tokens, fewer than one "
                    + "segment needs (" + config.batch() + " streams × " + (config.steps() + 1L)
                    + " tokens); use a larger corpus, or fewer streams or steps");
        }
        if (valid.length < config.evalStreams() * 2) {
            throw new IllegalArgumentException("the validation split has " + valid.length + " tokens, fewer than the "
                    + config.evalStreams() * 2 + " that " + config.evalStreams() + " evaluation streams need");
        }
    }

    /** The training ids as B parallel streams read in segments of T steps, the same every epoch. */
    private final class StreamData implements EpochData<int[][], int[][]> {
        private final List<Batch<int[][], int[][]>> batches = new ArrayList<>();

        StreamData(int[] train) {
            for (TokenStreams.Batch b : new TokenStreams(train, config.batch()).batches(config.steps())) {
                batches.add(new Batch<>(b.input(), b.target(), config.batch(), b.steps(), b.tokens()));
            }
        }

        @Override
        public List<Batch<int[][], int[][]>> epoch(Rng rng) {
            return batches;
        }

        @Override
        public boolean carriesState() {
            return true;
        }
    }
}
