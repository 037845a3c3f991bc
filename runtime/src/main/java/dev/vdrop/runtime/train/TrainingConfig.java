package dev.vdrop.runtime.train;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How a language model is trained. Immutable; make one with {@link #builder()}, whose defaults are
 * the comparison protocol of DESIGN.md: 20 streams, BPTT 35, SGD with learning rate 1.0 divided by
 * 1.2 per epoch from epoch 7, global gradient-norm clip 5, no weight decay, evaluation over 10
 * streams.
 */
public final class TrainingConfig {
    /** Which optimiser updates the weights. */
    public enum OptimizerKind { SGD, ADAM }

    private final int epochs;
    private final int batch;
    private final int steps;
    private final double learningRate;
    private final double decayFactor;
    private final int decayFrom;
    private final double clip;
    private final double weightDecay;
    private final OptimizerKind optimizer;
    private final long seed;
    private final int evalStreams;
    private final boolean progress;
    private final Path metrics;
    private final Path checkpointDir;

    private TrainingConfig(Builder b) {
        epochs = b.epochs;
        batch = b.batch;
        steps = b.steps;
        learningRate = b.learningRate;
        decayFactor = b.decayFactor;
        decayFrom = b.decayFrom;
        clip = b.clip;
        weightDecay = b.weightDecay;
        optimizer = b.optimizer;
        seed = b.seed;
        evalStreams = b.evalStreams;
        progress = b.progress;
        metrics = b.metrics;
        checkpointDir = b.checkpointDir;
    }

    public static Builder builder() {
        return new Builder();
    }

    public int epochs() {
        return epochs;
    }

    /** Parallel streams per mini-batch, B. */
    public int batch() {
        return batch;
    }

    /** Steps per segment (BPTT length), T. */
    public int steps() {
        return steps;
    }

    /** The schedule: {@link LearningRate#stepDecay}. */
    public LearningRate learningRate() {
        return LearningRate.stepDecay(learningRate, decayFactor, decayFrom);
    }

    /** Maximum global gradient norm; 0 for no clipping. */
    public double clip() {
        return clip;
    }

    public double weightDecay() {
        return weightDecay;
    }

    public long seed() {
        return seed;
    }

    public int evalStreams() {
        return evalStreams;
    }

    public boolean progress() {
        return progress;
    }

    /** Where per-epoch metrics are appended as JSON lines, or null. */
    public Path metrics() {
        return metrics;
    }

    /** Where the checkpoint is written after every epoch, or null. */
    public Path checkpointDir() {
        return checkpointDir;
    }

    /** A new optimiser of the configured kind. */
    public Optimizer newOptimizer() {
        return optimizer == OptimizerKind.ADAM ? new Adam(weightDecay) : new Sgd(weightDecay);
    }

    /** The settings that define a run, for checkpoints and results. */
    public Map<String, String> describe() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("epochs", Integer.toString(epochs));
        out.put("batch", Integer.toString(batch));
        out.put("steps", Integer.toString(steps));
        out.put("learning_rate", Double.toString(learningRate));
        out.put("decay_factor", Double.toString(decayFactor));
        out.put("decay_from", Integer.toString(decayFrom));
        out.put("clip", Double.toString(clip));
        out.put("weight_decay", Double.toString(weightDecay));
        out.put("optimizer", optimizer.name().toLowerCase(java.util.Locale.ROOT));
        out.put("seed", Long.toString(seed));
        out.put("eval_streams", Integer.toString(evalStreams));
        return out;
    }

    /** Builds a {@link TrainingConfig}; {@link #build()} checks every setting. */
    public static final class Builder {
        private int epochs = 20;
        private int batch = 20;
        private int steps = 35;
        private double learningRate = 1.0;
        private double decayFactor = 1.2;
        private int decayFrom = 7;
        private double clip = 5;
        private double weightDecay = 0;
        private OptimizerKind optimizer = OptimizerKind.SGD;
        private long seed = 1;
        private int evalStreams = 10;
        private boolean progress = true;
        private Path metrics;
        private Path checkpointDir;

        private Builder() {}

        public Builder epochs(int epochs) {
            this.epochs = epochs;
            return this;
        }

        public Builder batch(int batch) {
            this.batch = batch;
            return this;
        }

        public Builder steps(int steps) {
            this.steps = steps;
            return this;
        }

        /** Learning rate {@code initial}, divided by {@code factor} per epoch after epoch {@code from}. */
        public Builder learningRate(double initial, double factor, int from) {
            this.learningRate = initial;
            this.decayFactor = factor;
            this.decayFrom = from;
            return this;
        }

        public Builder clip(double clip) {
            this.clip = clip;
            return this;
        }

        public Builder weightDecay(double weightDecay) {
            this.weightDecay = weightDecay;
            return this;
        }

        public Builder optimizer(OptimizerKind optimizer) {
            this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder evalStreams(int evalStreams) {
            this.evalStreams = evalStreams;
            return this;
        }

        public Builder progress(boolean progress) {
            this.progress = progress;
            return this;
        }

        public Builder metrics(Path metrics) {
            this.metrics = metrics;
            return this;
        }

        public Builder checkpointDir(Path checkpointDir) {
            this.checkpointDir = checkpointDir;
            return this;
        }

        /** @throws IllegalArgumentException naming the first setting out of range */
        public TrainingConfig build() {
            positive("epochs", epochs);
            positive("batch", batch);
            positive("steps", steps);
            positive("evalStreams", evalStreams);
            LearningRate.stepDecay(learningRate, decayFactor, decayFrom);
            if (!(clip >= 0)) {
                throw new IllegalArgumentException("clip must be ≥ 0 (0 turns clipping off), got " + clip);
            }
            if (!(weightDecay >= 0)) {
                throw new IllegalArgumentException("weight decay must be ≥ 0, got " + weightDecay);
            }
            return new TrainingConfig(this);
        }

        private static void positive(String name, int value) {
            if (value <= 0) {
                throw new IllegalArgumentException(name + " must be positive, got " + value);
            }
        }
    }
}
