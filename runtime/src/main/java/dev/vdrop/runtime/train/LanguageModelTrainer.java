package dev.vdrop.runtime.train;

import dev.vdrop.runtime.DropoutMode;
import dev.vdrop.runtime.Gradients;
import dev.vdrop.runtime.Mat;
import dev.vdrop.runtime.ModelSizes;
import dev.vdrop.runtime.Network;
import dev.vdrop.runtime.Parameter;
import dev.vdrop.runtime.RecurrentState;
import dev.vdrop.runtime.Rng;
import dev.vdrop.runtime.Workspace;
import dev.vdrop.runtime.checkpoint.Checkpoint;
import dev.vdrop.runtime.checkpoint.CheckpointException;
import dev.vdrop.runtime.checkpoint.Checkpoints;
import dev.vdrop.runtime.eval.Perplexity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Trains a generated language model by truncated back-propagation through time.
 *
 * <p>Each epoch cuts the training ids into B parallel streams (the remainder dropped) and reads them
 * in segments of T steps, the state starting at zero and carried from segment to segment
 * (detached). Every mask (variational, untied, locked, embedding and weight drop) is sampled when a
 * segment starts and held for its T steps. A step: zero the gradients, forward (the loss is the
 * cross-entropy summed over the steps and averaged over the streams), backward, clip the global
 * gradient norm, optimiser step with the epoch's learning rate. After each epoch: validation
 * perplexity with dropout off, the best parameters kept, a metrics line, and a checkpoint.
 *
 * <p>One seed fixes the data order (fixed for language models), the masks and — through the
 * network's own {@code NetworkConfig} — the initial weights: the same seed gives bitwise the same
 * losses, and a run resumed from a checkpoint continues exactly as an uninterrupted one.
 */
public final class LanguageModelTrainer {
    /** The checkpoint's file name inside the checkpoint directory. */
    public static final String CHECKPOINT_FILE = "checkpoint.vdrop";

    private final TrainingConfig config;

    /**
     * A trainer with the given settings.
     *
     * @param config the epochs, batch, schedule, clipping, seed, metrics file and checkpoint directory
     */
    public LanguageModelTrainer(TrainingConfig config) {
        this.config = config;
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
     * @throws TrainingException when the loss or the gradient norm stops being finite
     */
    public TrainingResult train(Network<int[][], int[][]> network, int[] train, int[] valid, List<String> vocabulary) {
        Run run = new Run(network, train, valid, vocabulary);
        return run.from(1);
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
     * @return the metrics of the epochs trained by this call and the best parameters of the run
     * @throws CheckpointException when the checkpoint is missing, damaged or for another model
     */
    public TrainingResult resume(Network<int[][], int[][]> network, int[] train, int[] valid, List<String> vocabulary,
                                 Path checkpointDir) throws CheckpointException {
        Checkpoint checkpoint = Checkpoints.load(checkpointDir.resolve(CHECKPOINT_FILE));
        Run run = new Run(network, train, valid, vocabulary);
        int epoch = run.restore(checkpoint);
        return run.from(epoch + 1);
    }

    /** The state of one training run. */
    private final class Run {
        private final Network<int[][], int[][]> network;
        private final List<Parameter> parameters;
        private final int[] train;
        private final int[] valid;
        private final List<String> vocabulary;
        private final Optimizer optimizer = config.newOptimizer();
        private final MetricsLog metrics = new MetricsLog(config.metrics());
        private final Map<Integer, Workspace<int[][], int[][]>> segments = new HashMap<>();
        private final List<EpochMetrics> history = new ArrayList<>();
        private Rng rng;
        private int bestEpoch;
        private double bestValid = Double.POSITIVE_INFINITY;
        private Map<String, Mat> best = Map.of();
        private int lastGoodEpoch;

        Run(Network<int[][], int[][]> network, int[] train, int[] valid, List<String> vocabulary) {
            this.network = network;
            this.parameters = network.parameters();
            this.train = train;
            this.valid = valid;
            this.vocabulary = List.copyOf(vocabulary);
            this.rng = new Rng(config.seed());
            // the data against the model's sizes, before any work: an id past them would fail a
            // batch in the middle of an epoch, after the steps before it had changed the weights
            ModelSizes sizes = network.sizes();
            if (!vocabulary.isEmpty()) {
                sizes.checkVocabulary(vocabulary.size(), "the corpus");
            }
            sizes.checkTokens(train, "the training split");
            sizes.checkTokens(valid, "the validation split");
            long minimum = (long) config.batch() * (config.steps() + 1);
            if (train.length < minimum) {
                throw new IllegalArgumentException("the training split has " + train.length + " tokens, fewer than one "
                        + "segment needs (" + config.batch() + " streams × " + (config.steps() + 1)
                        + " tokens); use a larger corpus, or fewer streams or steps");
            }
            if (valid.length < config.evalStreams() * 2) {
                throw new IllegalArgumentException("the validation split has " + valid.length + " tokens, fewer than the "
                        + config.evalStreams() * 2 + " that " + config.evalStreams() + " evaluation streams need");
            }
        }

        TrainingResult from(int firstEpoch) {
            for (int epoch = firstEpoch; epoch <= config.epochs(); epoch++) {
                EpochMetrics m = epoch(epoch);
                history.add(m);
                metrics.append(m);
                if (m.validPerplexity() < bestValid) {
                    bestValid = m.validPerplexity();
                    bestEpoch = epoch;
                    best = Checkpoints.snapshot(parameters);
                }
                save(epoch);
            }
            segments.values().forEach(Workspace::close);
            segments.clear();
            return new TrainingResult(history, bestEpoch, bestValid, best);
        }

        private EpochMetrics epoch(int epoch) {
            double rate = config.learningRate().at(epoch);
            List<dev.vdrop.runtime.text.TokenStreams.Batch> batches =
                    new dev.vdrop.runtime.text.TokenStreams(train, config.batch()).batches(config.steps());
            long start = System.nanoTime();
            double nll = 0;
            long tokens = 0;
            RecurrentState state = null;
            Workspace<int[][], int[][]> previous = null;
            try (ProgressBar bar = progressBar(epoch, batches.size())) {
                for (int i = 0; i < batches.size(); i++) {
                    var batch = batches.get(i);
                    Workspace<int[][], int[][]> segment = segments.computeIfAbsent(batch.steps(),
                            steps -> network.workspace(config.batch(), steps));
                    if (previous == null) {
                        segment.resetState();
                    } else if (previous != segment) {
                        segment.setState(state);
                    }
                    segment.sampleMasks(rng, DropoutMode.TRAIN);
                    Gradients.zero(parameters);
                    double loss = segment.forward(batch.input(), batch.target());
                    if (!Double.isFinite(loss)) {
                        throw diverged(epoch, i + 1, batches.size(), rate, "the loss is " + loss);
                    }
                    segment.backward();
                    double norm = Gradients.globalNorm(parameters);
                    if (!Double.isFinite(norm)) {
                        throw diverged(epoch, i + 1, batches.size(), rate, "the gradient norm is " + norm);
                    }
                    // clipping (Pascanu et al. 2013) as a factor of the step, not a pass over the gradients
                    optimizer.step(parameters, rate, config.clip() > 0 ? Gradients.clipScale(norm, config.clip()) : 1);
                    nll += loss * config.batch();
                    tokens += batch.tokens();
                    previous = segment;
                    state = i + 1 < batches.size() && batches.get(i + 1).steps() != batch.steps() ? segment.state() : null;
                    if (bar != null) {
                        double seconds = (System.nanoTime() - start) / 1e9;
                        bar.step();
                        bar.setExtraMessage(String.format(Locale.ROOT, " loss %.3f ppl %.1f %,.0f tok/s", nll / tokens,
                                Math.exp(nll / tokens), tokens / seconds));
                    }
                }
            }
            double trainSeconds = (System.nanoTime() - start) / 1e9;
            double validPerplexity = Perplexity.standard(network, valid, config.evalStreams(), config.steps()).perplexity();
            double seconds = (System.nanoTime() - start) / 1e9;
            return new EpochMetrics(epoch, rate, Math.exp(nll / tokens), validPerplexity, tokens / trainSeconds, seconds);
        }

        private ProgressBar progressBar(int epoch, int segmentCount) {
            if (!config.progress()) {
                return null;
            }
            return new ProgressBarBuilder().setTaskName(String.format(Locale.ROOT, "epoch %d/%d", epoch, config.epochs()))
                    .setInitialMax(segmentCount).setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500)
                    .continuousUpdate().build();
        }

        private TrainingException diverged(int epoch, int batch, int batches, double rate, String what) {
            Path file = config.checkpointDir() == null ? null : config.checkpointDir().resolve(CHECKPOINT_FILE);
            String kept = file == null
                    ? "no checkpoint was configured"
                    : lastGoodEpoch > 0
                            ? "the last good checkpoint, after epoch " + lastGoodEpoch + ", is kept at " + file
                            : Files.exists(file)
                                    ? "the checkpoint at " + file + " was written before this run went wrong and is kept"
                                    : "no epoch had finished, so there is no checkpoint yet";
            return new TrainingException(String.format(Locale.ROOT,
                    "training diverged at epoch %d, batch %d of %d: %s (learning rate %s); %s. "
                            + "Lower the learning rate or the gradient clip and start again.",
                    epoch, batch, batches, what, rate, kept));
        }

        private void save(int epoch) {
            if (config.checkpointDir() == null) {
                return;
            }
            Checkpoint.Builder checkpoint = Checkpoint.builder()
                    .metadata("model", network.getClass().getName())
                    .metadata("epoch", Integer.toString(epoch))
                    .metadata("rng_state", Long.toString(rng.state()))
                    .metadata("optimizer", optimizer.name())
                    .metadata("best_epoch", Integer.toString(bestEpoch))
                    .metadata("best_valid_ppl", Double.toString(bestValid))
                    .vocabulary(vocabulary)
                    .tensors("parameters", Checkpoints.snapshot(parameters))
                    .tensors("optimizer", optimizer.state())
                    .tensors("best", best);
            config.describe().forEach((k, v) -> checkpoint.metadata("config." + k, v));
            try {
                Files.createDirectories(config.checkpointDir());
            } catch (java.io.IOException e) {
                throw new TrainingException("cannot create the checkpoint directory " + config.checkpointDir() + ": "
                        + e.getMessage(), e);
            }
            try {
                Checkpoints.save(config.checkpointDir().resolve(CHECKPOINT_FILE), checkpoint.build());
            } catch (CheckpointException e) {
                throw new TrainingException("cannot save the checkpoint after epoch " + epoch + ": " + e.getMessage(), e);
            }
            lastGoodEpoch = epoch;
        }

        /** Restores a saved run and returns its last finished epoch. */
        int restore(Checkpoint checkpoint) throws CheckpointException {
            String model = checkpoint.require("model");
            if (!model.equals(network.getClass().getName())) {
                throw new CheckpointException("the checkpoint is of model " + model + ", not " + network.getClass().getName());
            }
            if (!checkpoint.vocabulary().equals(vocabulary)) {
                throw new CheckpointException("the checkpoint was trained with another vocabulary ("
                        + checkpoint.vocabulary().size() + " words) than this corpus gives (" + vocabulary.size()
                        + " words); resume on the same corpus");
            }
            for (Map.Entry<String, String> e : config.describe().entrySet()) {
                String saved = checkpoint.metadata().get("config." + e.getKey());
                if (saved != null && !saved.equals(e.getValue()) && !e.getKey().equals("epochs")) {
                    throw new CheckpointException("the checkpoint was trained with " + e.getKey() + " = " + saved
                            + ", this run asks for " + e.getValue() + "; resume with the same settings");
                }
            }
            Checkpoints.restore(checkpoint.tensors().getOrDefault("parameters", Map.of()), parameters);
            optimizer.restore(checkpoint.tensors().getOrDefault("optimizer", Map.of()));
            rng = new Rng(checkpoint.requireLong("rng_state"));
            bestEpoch = (int) checkpoint.requireLong("best_epoch");
            bestValid = checkpoint.requireDouble("best_valid_ppl");
            best = checkpoint.tensors().getOrDefault("best", Map.of());
            int epoch = (int) checkpoint.requireLong("epoch");
            lastGoodEpoch = epoch;
            return epoch;
        }
    }
}
