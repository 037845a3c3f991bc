package dev.vdrop.runtime.train;

import dev.vdrop.runtime.Network;
import dev.vdrop.runtime.Workspace;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Trains a generated sequence classifier ({@code @Softmax(over = LAST_STEP)}: one class per
 * sequence) or tagger ({@code @Softmax(over = EVERY_STEP)} over independent sequences: one class
 * per step) with the one training loop every model shares.
 *
 * <p>Each epoch shuffles the training examples from the seed and reads them in mini-batches of
 * {@link SequenceConfig#batch()} sequences of any lengths (ragged batches; the last batch holds the
 * rest), each from h = c = 0. A step: sample every mask, zero the gradients, forward (the loss is
 * the cross-entropy summed over each sequence's predictions and averaged over the batch),
 * backward, clip the global gradient norm, the optimiser's step. After each epoch: the validation
 * loss and accuracy with dropout off, the best epoch by {@link SequenceConfig#selectBy()} kept, a
 * metrics line; early stopping after {@link SequenceConfig#patience()} epochs without a better
 * score; at the end the best epoch's parameters are put back into the network (unless
 * {@link SequenceConfig#restoreBest()} is false).
 *
 * <p>One seed fixes everything: the initial weights come from the network's {@code NetworkConfig},
 * the example order and the masks from {@link SequenceConfig#seed()}. The same seeds give bitwise
 * the same losses and parameters.
 *
 * <p>Call order: build a {@link SequenceConfig}, make a trainer, call one {@code train} with the
 * network and the data; read the {@link SequenceResult}; predict with the network. With
 * {@link SequenceConfig.Builder#checkpointDir} a checkpoint is written after every epoch; a run
 * built with {@link SequenceConfig.Builder#resumeFrom} and the same settings (more epochs allowed)
 * continues it exactly: the same call with the same data gives bitwise the uninterrupted run.
 *
 * <pre>{@code
 * NamesNetwork net = new NamesNetwork(NetworkConfig.builder().seed(1).build());  // @Softmax(over = LAST_STEP)
 * SequenceResult result = new SequenceTrainer(SequenceConfig.builder().epochs(10).patience(3).build())
 *         .train(net, trainSequences, trainLabels, validSequences, validLabels);
 * System.out.println("best epoch " + result.bestEpoch() + ", accuracy " + result.best().validAccuracy());
 * }</pre>
 *
 * <p>The checkpoint directory, when configured, is checked and locked before epoch 1 and released
 * when the run ends, however it ends; a new run on a directory holding another run's checkpoint is
 * refused unless the configuration's {@code overwrite} is set (see the builder's
 * {@code checkpointDir}). Each refusal is a {@link TrainingException} before any training.
 *
 * <p><b>Threads.</b> A run writes its network's parameters and gradients: one run per network at a
 * time, and no prediction on that network from other threads while it trains (once it has
 * returned, the network may be shared for prediction, see {@link dev.vdrop.runtime.Network}). The
 * trainer holds only its configuration, but two runs at once of one configuration would write the
 * same checkpoint directory and metrics file: give each its own network, directory and file.
 */
public final class SequenceTrainer {
    private static final String VALID_LOSS = "valid_loss";
    private static final String VALID_ACCURACY = "valid_accuracy";

    private final SequenceConfig config;
    private final ReplicaHook hook;

    /**
     * A trainer with the given settings.
     *
     * @param config the epochs, batch, optimiser, clipping, selection, patience and seed
     */
    public SequenceTrainer(SequenceConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.hook = null;
    }

    /**
     * A trainer with the given settings whose runs call {@code hook} after every optimiser step and
     * at the end of every epoch, before validation (a data-parallel replica's averaging, see
     * {@link ReplicaHook}). A hook that changes nothing gives bitwise the run without one.
     *
     * @param config the epochs, batch, optimiser, clipping, selection, patience and seed
     * @param hook called on the training thread with the step count and the network's parameters
     */
    public SequenceTrainer(SequenceConfig config, ReplicaHook hook) {
        this.config = Objects.requireNonNull(config, "config");
        this.hook = Objects.requireNonNull(hook, "hook");
    }

    /**
     * Trains a classifier of token sequences, choosing the epoch on the validation examples.
     *
     * @param classifier a generated network with an {@code @Embedding} and {@code @Softmax(over = LAST_STEP)}
     * @param sequences the training examples' token ids, {@code [examples][length]}, lengths 1 or more and free to differ
     * @param labels each training example's class
     * @param validSequences the validation examples, scored after every epoch
     * @param validLabels their classes
     * @return every epoch's metrics and the best epoch
     * @throws IllegalArgumentException before any work, when the arrays differ in length, a sequence
     *     is empty, an id is outside the model's vocabulary or a class outside its classes (each named)
     * @throws TrainingException when the loss, the gradient norm or the validation score stops being
     *     finite, or the checkpoint to resume from is missing, damaged, of an older format, a model
     *     file, or of another model or settings, or has trained more epochs than
     *     configured (the message says which)
     */
    public SequenceResult train(Network<int[][], int[]> classifier, int[][] sequences, int[] labels,
                                int[][] validSequences, int[] validLabels) {
        return run(classifier, LabelledSequences.labelled(sequences, labels, classifier.sizes(), "the training data"),
                LabelledSequences.labelled(validSequences, validLabels, classifier.sizes(), "the validation data"),
                Objective.MEAN_LOSS);
    }

    /**
     * Trains a classifier of token sequences without validation data: the last epoch is kept.
     *
     * @param classifier a generated network with an {@code @Embedding} and {@code @Softmax(over = LAST_STEP)}
     * @param sequences the training examples' token ids
     * @param labels each example's class
     * @return every epoch's metrics
     * @throws IllegalArgumentException as {@link #train(Network, int[][], int[], int[][], int[])}
     */
    public SequenceResult train(Network<int[][], int[]> classifier, int[][] sequences, int[] labels) {
        return run(classifier, LabelledSequences.labelled(sequences, labels, classifier.sizes(), "the training data"),
                null, Objective.MEAN_LOSS);
    }

    /**
     * Trains a classifier of feature sequences, choosing the epoch on the validation examples.
     *
     * @param classifier a generated network with an {@code @Input} and {@code @Softmax(over = LAST_STEP)}
     * @param sequences the training examples, {@code [examples][length][features]}
     * @param labels each training example's class
     * @param validSequences the validation examples, scored after every epoch
     * @param validLabels their classes
     * @return every epoch's metrics and the best epoch
     * @throws IllegalArgumentException as {@link #train(Network, int[][], int[], int[][], int[])}, or
     *     a step of another width than the model's features
     * @throws TrainingException when the loss, the gradient norm or the validation score stops being finite
     */
    public SequenceResult train(Network<double[][][], int[]> classifier, double[][][] sequences, int[] labels,
                                double[][][] validSequences, int[] validLabels) {
        return run(classifier, LabelledSequences.labelled(sequences, labels, classifier.sizes(), "the training data"),
                LabelledSequences.labelled(validSequences, validLabels, classifier.sizes(), "the validation data"),
                Objective.MEAN_LOSS);
    }

    /**
     * Trains a classifier of feature sequences without validation data: the last epoch is kept.
     *
     * @param classifier a generated network with an {@code @Input} and {@code @Softmax(over = LAST_STEP)}
     * @param sequences the training examples, {@code [examples][length][features]}
     * @param labels each example's class
     * @return every epoch's metrics
     */
    public SequenceResult train(Network<double[][][], int[]> classifier, double[][][] sequences, int[] labels) {
        return run(classifier, LabelledSequences.labelled(sequences, labels, classifier.sizes(), "the training data"),
                null, Objective.MEAN_LOSS);
    }

    /**
     * Trains a tagger, choosing the epoch on the validation examples; loss and accuracy count tags.
     *
     * @param tagger a generated network with an {@code @Embedding} and {@code @Softmax(over = EVERY_STEP)}
     * @param sequences the training examples' token ids, {@code [examples][length]}
     * @param tags each training example's class per step, {@code [examples][length]}
     * @param validSequences the validation examples, scored after every epoch
     * @param validTags their tags
     * @return every epoch's metrics and the best epoch
     * @throws IllegalArgumentException as {@link #train(Network, int[][], int[], int[][], int[])}, or
     *     a row of tags not as long as its sequence
     * @throws TrainingException when the loss, the gradient norm or the validation score stops being finite
     */
    public SequenceResult train(Network<int[][], int[][]> tagger, int[][] sequences, int[][] tags,
                                int[][] validSequences, int[][] validTags) {
        return run(tagger, LabelledSequences.tagged(sequences, tags, tagger.sizes(), "the training data"),
                LabelledSequences.tagged(validSequences, validTags, tagger.sizes(), "the validation data"),
                Objective.MEAN_STEP_LOSS);
    }

    /**
     * Trains a tagger without validation data: the last epoch is kept.
     *
     * @param tagger a generated network with an {@code @Embedding} and {@code @Softmax(over = EVERY_STEP)}
     * @param sequences the training examples' token ids
     * @param tags each example's class per step
     * @return every epoch's metrics
     */
    public SequenceResult train(Network<int[][], int[][]> tagger, int[][] sequences, int[][] tags) {
        return run(tagger, LabelledSequences.tagged(sequences, tags, tagger.sizes(), "the training data"), null,
                Objective.MEAN_STEP_LOSS);
    }

    private <I, T> SequenceResult run(Network<I, T> network, LabelledSequences<I, T> train,
                                      LabelledSequences<I, T> valid, Objective objective) {
        Objects.requireNonNull(network, "network");
        if (train.count() == 0) {
            throw new IllegalArgumentException("the training data has no sequences");
        }
        if (valid == null && config.patience() > 0) {
            throw new IllegalArgumentException("early stopping (patience " + config.patience()
                    + ") needs validation data; give validation sequences or set patience 0");
        }
        int steps = valid == null ? train.longest() : Math.max(train.longest(), valid.longest());
        ShuffledSequences<I, T> data = new ShuffledSequences<>(train.inputs(), train.targets(), train::units,
                train.count(), config.batch(), steps);
        Validation<I, T> validation = valid == null || valid.count() == 0
                ? Validation.none()
                : (net, workspaces) -> validate(valid, workspaces, steps);
        List<LoopListener> listeners = new ArrayList<>();
        if (config.progress()) {
            listeners.add(new ProgressBarListener(config.epochs(), objective));
        }
        listeners.add(new MetricsLog(config.metrics(), objective));
        LoopCheckpoint saver = new LoopCheckpoint(config.checkpointDir(), config.describe(), List.of());
        listeners.add(saver);
        LoopSettings settings = new LoopSettings(config.epochs(), config.learningRate(), config.clip(),
                config.patience(), config.restoreBest(), config.selectBy().selection(), objective);
        TrainingLoop<I, T> loop = new TrainingLoop<>(network, data, validation, settings, config.newOptimizer(),
                config.seed(), listeners, Divergence.restoringBest(
                    "Lower the learning rate or the gradient clip and start again."), hook);
        saver.run(loop, config.resumeFrom(), config.overwrite());
        List<SequenceResult.Epoch> epochs = new ArrayList<>();
        for (EpochRecord r : loop.history()) {
            epochs.add(new SequenceResult.Epoch(r.epoch(), r.learningRate(), r.train(), r.valid(VALID_LOSS),
                    r.valid(VALID_ACCURACY), r.throughput(), r.seconds()));
        }
        return new SequenceResult(epochs, loop.bestEpoch(), loop.bestScore(), loop.best(), train.count(),
                valid == null ? 0 : valid.count(), loop.stoppedEarly(), config.describe());
    }

    /** Mean loss and accuracy over the validation examples (per tag for a tagger), dropout off. */
    private <I, T> Map<String, Double> validate(LabelledSequences<I, T> valid, Workspaces<I, T> workspaces, int steps) {
        double loss = 0;
        long right = 0;
        long units = 0;
        for (int from = 0; from < valid.count(); from += config.batch()) {
            int size = Math.min(config.batch(), valid.count() - from);
            int[] picked = Picker.range(from, size);
            Workspace<I, T> workspace = workspaces.of(size, steps);
            workspace.resetState();
            workspace.dropoutOff();
            loss += workspace.forward(valid.inputs().pick(picked), valid.targets().pick(picked)) * size;
            right += valid.correct(workspace.output(), picked);
            units += valid.units(picked);
        }
        Map<String, Double> scores = new LinkedHashMap<>();
        scores.put(VALID_LOSS, loss / units);
        scores.put(VALID_ACCURACY, (double) right / units);
        return scores;
    }
}
