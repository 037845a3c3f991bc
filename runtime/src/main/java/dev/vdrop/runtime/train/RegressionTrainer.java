package dev.vdrop.runtime.train;

import dev.vdrop.runtime.Mat;
import dev.vdrop.runtime.Network;
import dev.vdrop.runtime.Rng;
import dev.vdrop.runtime.Workspace;
import dev.vdrop.runtime.series.Examples;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Trains a generated forecaster — an {@code @Input} model with a {@code @Regression(over = LAST_STEP)}
 * head — on independent windows: each example is a window of {@code [steps][features]} inputs and
 * the values that follow it ({@code [outputs]}), as cut by {@code Windows}.
 *
 * <p>The last {@link RegressionConfig#validationFraction()} of the examples (10% by default), which
 * are taken to be in time order, are held out for validation; the rest are trained on. Each epoch
 * shuffles the training examples and reads them in mini-batches of B windows (the last one smaller
 * when B does not divide them, with a segment of its own shape). The windows are independent, so a
 * mini-batch starts from h = c = 0. A step: reset the state, sample every mask (variational masks
 * are drawn per window and held for its steps), zero the gradients, forward (the loss is the
 * Gaussian negative log-likelihood summed over the outputs and averaged over the windows),
 * backward, clip the global gradient norm (Pascanu et al. 2013), optimiser step (Adam by default,
 * with the configured weight decay). After each epoch: the validation loss with dropout off, the
 * best parameters kept, a metrics line; at the end the best parameters are put back into the network.
 *
 * <p>One seed fixes everything: the initial weights come from the network's {@code NetworkConfig},
 * and the example order and the masks from {@link RegressionConfig#seed()}, drawn from one
 * {@link Rng} in a fixed order. The same seeds give bitwise the same losses and parameters.
 *
 * <pre>{@code
 * Split split = Windows.builder().window(28).period(7).build().split(normalizer.normalize(series));
 * ForecasterNetwork net = new ForecasterNetwork(NetworkConfig.builder().seed(1).build());
 * RegressionResult result = new RegressionTrainer(RegressionConfig.builder().epochs(20).build())
 *         .train(net, split.train());
 * RegressionPrediction[][] p = McPredictor.forecast(net, split.test().inputs(), 100, new Rng(2));
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
public final class RegressionTrainer {

    private static final String VALID_LOSS = "valid_loss";
    private static final String VALID_RMSE = "valid_rmse";

    private final RegressionConfig config;

    /**
     * A trainer with the given settings.
     *
     * @param config the epochs, batch, optimiser, clipping, validation fraction and seed
     */
    public RegressionTrainer(RegressionConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /**
     * Trains on the examples' inputs and targets, which must be in time order and have one target
     * value per output of the network.
     *
     * @param network a generated forecaster ({@code @Input} … {@code @Regression})
     * @param examples the training windows, as {@code Windows} cuts them
     * @return every epoch's metrics and the best parameters, which are left in the network
     * @throws IllegalArgumentException as {@link #train(Network, double[][][], double[][])}
     * @throws TrainingException when the loss or the gradient norm stops being finite
     */
    public RegressionResult train(Network<double[][][], double[][]> network, Examples examples) {
        Objects.requireNonNull(examples, "examples");
        return train(network, examples.inputs(), examples.targets());
    }

    /**
     * Trains from the network's current parameters and leaves the best of them (by validation loss)
     * in the network.
     *
     * @param network a generated forecaster ({@code @Input} … {@code @Regression})
     * @param inputs {@code [examples][steps][features]}, every window of one length, in time order
     * @param targets {@code [examples][outputs]}, the values each window predicts
     * @return every epoch's metrics and the best parameters
     * @throws IllegalArgumentException when the arrays differ in length, the windows differ in
     *     length, a step is not as wide as the model's features or a target as wide as its outputs
     *     (both numbers named), or there are too few examples for one training and one validation
     *     example
     * @throws TrainingException when the loss or the gradient norm stops being finite; the message
     *     says the epoch and the mini-batch, and the network then holds the best parameters so far
     */
    public RegressionResult train(Network<double[][][], double[][]> network, double[][][] inputs, double[][] targets) {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(inputs, "inputs");
        Objects.requireNonNull(targets, "targets");
        return new Run(network, inputs, targets).train();
    }

    /** The state of one training run. */
    private final class Run {
        private final Network<double[][][], double[][]> network;
        private final double[][][] inputs;
        private final double[][] targets;
        private final int steps;
        private final int trainCount;
        private final int validCount;

        Run(Network<double[][][], double[][]> network, double[][][] inputs, double[][] targets) {
            this.network = network;
            this.inputs = inputs;
            this.targets = targets;
            int n = inputs.length;
            if (targets.length != n) {
                throw new IllegalArgumentException("got " + n + " input windows but " + targets.length
                        + " targets; give one target per window");
            }
            this.validCount = config.validationFraction() == 0 ? 0
                    : Math.max(1, (int) Math.floor(n * config.validationFraction()));
            this.trainCount = n - validCount;
            if (trainCount < 1) {
                throw new IllegalArgumentException("got " + n + " examples, too few to hold out " + validCount
                        + " for validation and train on the rest; give at least " + (validCount + 1) + " examples");
            }
            this.steps = inputs[0] == null ? 0 : inputs[0].length;
            for (int e = 0; e < n; e++) {
                int length = inputs[e] == null ? 0 : inputs[e].length;
                if (length != steps || length == 0) {
                    throw new IllegalArgumentException("window " + e + " has " + length + " steps but window 0 has "
                            + steps + "; every window needs the same number of steps, at least 1");
                }
                int width = targets[e] == null ? 0 : targets[e].length;
                if (width != targets[0].length) {
                    throw new IllegalArgumentException("target " + e + " has " + width + " values but target 0 has "
                            + targets[0].length + "; give one value per output of the network for every window");
                }
            }
            // the data against the model's sizes, before any work
            network.sizes().checkFeatures(inputs, "the input windows");
            network.sizes().checkOutputs(targets, "the targets");
        }

        RegressionResult train() {
            List<LoopListener> listeners = new ArrayList<>();
            if (config.progress()) {
                listeners.add(new ProgressBarListener(config.epochs(), Objective.MEAN_LOSS));
            }
            listeners.add(new MetricsLog(config.metrics(), Objective.MEAN_LOSS));
            LoopCheckpoint saver = new LoopCheckpoint(config.checkpointDir(), config.describe(), List.of());
            listeners.add(saver);
            LoopSettings settings = new LoopSettings(config.epochs(), config.learningRate(), config.clip(),
                    config.patience(), config.restoreBest(), new Selection(VALID_LOSS, false), Objective.MEAN_LOSS);
            ShuffledSequences<double[][][], double[][]> data = new ShuffledSequences<>(Picker.rows(inputs),
                    Picker.rows(targets), picked -> picked.length, trainCount, config.batch(), steps);
            Validation<double[][][], double[][]> validation = validCount == 0 ? Validation.none() : this::validate;
            TrainingLoop<double[][][], double[][]> loop = new TrainingLoop<>(network, data, validation, settings,
                    config.newOptimizer(), config.seed(), listeners, Divergence.restoringBest(
                    "Lower the learning rate or the gradient clip, check the inputs for huge values, and start again."));
            saver.run(loop, config.resumeFrom(), config.overwrite());
            List<RegressionResult.Epoch> history = new ArrayList<>();
            for (EpochRecord r : loop.history()) {
                history.add(new RegressionResult.Epoch(r.epoch(), r.learningRate(), r.train(), r.valid(VALID_LOSS),
                        r.valid(VALID_RMSE), r.throughput(), r.seconds()));
            }
            return new RegressionResult(history, loop.bestEpoch(), loop.bestScore(), loop.best(), trainCount, validCount,
                    loop.stoppedEarly(), config.describe());
        }

        /** Mean validation loss and RMSE of the held-out windows, dropout off. */
        private Map<String, Double> validate(Network<double[][][], double[][]> net,
                                             Workspaces<double[][][], double[][]> workspaces) {
            double loss = 0;
            double squares = 0;
            long values = 0;
            for (int from = trainCount; from < inputs.length; from += config.batch()) {
                int size = Math.min(config.batch(), inputs.length - from);
                double[][][] x = new double[size][][];
                double[][] y = new double[size][];
                System.arraycopy(inputs, from, x, 0, size);
                System.arraycopy(targets, from, y, 0, size);
                Workspace<double[][][], double[][]> workspace = workspaces.of(size, steps);
                workspace.resetState();
                workspace.dropoutOff();
                loss += workspace.forward(x, y) * size;
                Mat mean = workspace.output();
                for (int b = 0; b < size; b++) {
                    for (int j = 0; j < y[b].length; j++) {
                        double error = y[b][j] - mean.get(j, b);
                        squares += error * error;
                        values++;
                    }
                }
            }
            Map<String, Double> scores = new LinkedHashMap<>();
            scores.put(VALID_LOSS, loss / validCount);
            scores.put(VALID_RMSE, Math.sqrt(squares / values));
            return scores;
        }
    }
}
