package dev.vdrop.runtime.train;

import dev.vdrop.runtime.DropoutMode;
import dev.vdrop.runtime.Gradients;
import dev.vdrop.runtime.Mat;
import dev.vdrop.runtime.Network;
import dev.vdrop.runtime.Parameter;
import dev.vdrop.runtime.Rng;
import dev.vdrop.runtime.Workspace;
import dev.vdrop.runtime.checkpoint.CheckpointException;
import dev.vdrop.runtime.checkpoint.Checkpoints;
import dev.vdrop.runtime.series.Examples;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

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
 * <p>Not thread-safe: train one network per trainer at a time.
 */
public final class RegressionTrainer {

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
        private final List<Parameter> parameters;
        private final double[][][] inputs;
        private final double[][] targets;
        private final int steps;
        private final int trainCount;
        private final int validCount;
        private final Optimizer optimizer = config.newOptimizer();
        private final Map<Integer, Workspace<double[][][], double[][]>> segments = new HashMap<>();
        private final List<RegressionResult.Epoch> history = new ArrayList<>();
        private final Rng rng = new Rng(config.seed());
        private final int[] order;
        private int bestEpoch;
        private double bestValid = Double.POSITIVE_INFINITY;
        private Map<String, Mat> best = Map.of();

        Run(Network<double[][][], double[][]> network, double[][][] inputs, double[][] targets) {
            this.network = network;
            this.parameters = network.parameters();
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
            this.order = new int[trainCount];
            for (int i = 0; i < trainCount; i++) {
                order[i] = i;
            }
        }

        RegressionResult train() {
            boolean stoppedEarly = false;
            for (int epoch = 1; epoch <= config.epochs(); epoch++) {
                RegressionResult.Epoch m = epoch(epoch);
                history.add(m);
                appendMetrics(m);
                if (validCount == 0 || m.validLoss() < bestValid) {
                    bestValid = validCount == 0 ? Double.NaN : m.validLoss();
                    bestEpoch = epoch;
                    best = Checkpoints.snapshot(parameters);
                }
                if (config.patience() > 0 && epoch - bestEpoch >= config.patience() && epoch < config.epochs()) {
                    stoppedEarly = true;
                    break;
                }
            }
            restoreBest();
            segments.values().forEach(Workspace::close);
            segments.clear();
            return new RegressionResult(history, bestEpoch, bestValid, best, trainCount, validCount, stoppedEarly,
                    config.describe());
        }

        private RegressionResult.Epoch epoch(int epoch) {
            double rate = config.learningRate().at(epoch);
            shuffle();
            int batchCount = (trainCount + config.batch() - 1) / config.batch();
            long start = System.nanoTime();
            double sum = 0;
            try (ProgressBar bar = progressBar(epoch, batchCount)) {
                for (int i = 0; i < batchCount; i++) {
                    int from = i * config.batch();
                    int size = Math.min(config.batch(), trainCount - from);
                    double[][][] x = new double[size][][];
                    double[][] y = new double[size][];
                    for (int b = 0; b < size; b++) {
                        x[b] = inputs[order[from + b]];
                        y[b] = targets[order[from + b]];
                    }
                    Workspace<double[][][], double[][]> segment = segment(size);
                    segment.resetState();
                    segment.sampleMasks(rng, DropoutMode.TRAIN);
                    Gradients.zero(parameters);
                    double loss = segment.forward(x, y);
                    if (!Double.isFinite(loss)) {
                        throw diverged(epoch, i + 1, batchCount, rate, "the loss is " + loss);
                    }
                    segment.backward();
                    double norm = Gradients.globalNorm(parameters);
                    if (!Double.isFinite(norm)) {
                        throw diverged(epoch, i + 1, batchCount, rate, "the gradient norm is " + norm);
                    }
                    // clipping (Pascanu et al. 2013) as a factor of the step, not a pass over the gradients
                    optimizer.step(parameters, rate, config.clip() > 0 ? Gradients.clipScale(norm, config.clip()) : 1);
                    sum += loss * size;
                    if (bar != null) {
                        bar.step();
                        bar.setExtraMessage(String.format(Locale.ROOT, " loss %.4f", sum / (from + size)));
                    }
                }
            }
            double trainSeconds = (System.nanoTime() - start) / 1e9;
            double[] valid = validate();
            double seconds = (System.nanoTime() - start) / 1e9;
            if (validCount > 0 && !Double.isFinite(valid[0])) {
                throw diverged(epoch, batchCount, batchCount, rate, "the validation loss after the epoch is " + valid[0]);
            }
            return new RegressionResult.Epoch(epoch, rate, sum / trainCount, valid[0], valid[1], trainCount / trainSeconds,
                    seconds);
        }

        /** Fisher–Yates over the training examples, from the run's generator. */
        private void shuffle() {
            for (int i = trainCount - 1; i > 0; i--) {
                int j = (int) (rng.nextDouble() * (i + 1));
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }

        /** Mean validation loss and RMSE with dropout off, or NaNs when nothing is held out. */
        private double[] validate() {
            if (validCount == 0) {
                return new double[] {Double.NaN, Double.NaN};
            }
            double loss = 0;
            double squares = 0;
            long values = 0;
            for (int from = trainCount; from < inputs.length; from += config.batch()) {
                int size = Math.min(config.batch(), inputs.length - from);
                double[][][] x = new double[size][][];
                double[][] y = new double[size][];
                System.arraycopy(inputs, from, x, 0, size);
                System.arraycopy(targets, from, y, 0, size);
                Workspace<double[][][], double[][]> segment = segment(size);
                segment.resetState();
                segment.dropoutOff();
                loss += segment.forward(x, y) * size;
                Mat mean = segment.output();
                for (int b = 0; b < size; b++) {
                    for (int j = 0; j < y[b].length; j++) {
                        double error = y[b][j] - mean.get(j, b);
                        squares += error * error;
                        values++;
                    }
                }
            }
            return new double[] {loss / validCount, Math.sqrt(squares / values)};
        }

        private Workspace<double[][][], double[][]> segment(int size) {
            return segments.computeIfAbsent(size, b -> network.workspace(b, steps));
        }

        private void restoreBest() {
            try {
                Checkpoints.restore(best, parameters);
            } catch (CheckpointException e) {
                throw new IllegalStateException("the best parameters no longer fit the network they were taken from: "
                        + e.getMessage(), e);
            }
        }

        private ProgressBar progressBar(int epoch, int batches) {
            if (!config.progress()) {
                return null;
            }
            return new ProgressBarBuilder().setTaskName(String.format(Locale.ROOT, "epoch %d/%d", epoch, config.epochs()))
                    .setInitialMax(batches).setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500)
                    .continuousUpdate().build();
        }

        private TrainingException diverged(int epoch, int batch, int batches, double rate, String what) {
            String kept;
            if (bestEpoch > 0) {
                restoreBest();
                kept = "the network holds the best parameters so far, from epoch " + bestEpoch;
            } else {
                kept = "no epoch had finished, so the network holds the diverged parameters";
            }
            return new TrainingException(String.format(Locale.ROOT,
                    "training diverged at epoch %d, batch %d of %d: %s (learning rate %s); %s. "
                            + "Lower the learning rate or the gradient clip, check the inputs for huge values, and start again.",
                    epoch, batch, batches, what, rate, kept));
        }

        /** One JSON object per epoch, flushed with its line, as the language-model trainer writes them. */
        private void appendMetrics(RegressionResult.Epoch m) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("epoch", m.epoch());
            line.put("learning_rate", m.learningRate());
            line.put("train_loss", m.trainLoss());
            if (validCount > 0) {
                line.put("valid_loss", m.validLoss());
                line.put("valid_rmse", m.validRmse());
            }
            line.put("train_examples_per_second", m.examplesPerSecond());
            line.put("seconds", m.seconds());
            new MetricsLog(config.metrics()).append(line);
        }
    }
}
