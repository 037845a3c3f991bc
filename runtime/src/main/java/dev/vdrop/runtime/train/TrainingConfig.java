package dev.vdrop.runtime.train;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How a language model is trained. Immutable; make one with {@link #builder()}, whose defaults are
 * the comparison protocol (docs/protocol.md in the repository): 20 streams, BPTT 35, SGD with
 * learning rate 1.0 divided by 1.2 per epoch after epoch 7, global gradient-norm clip 5, no weight
 * decay, evaluation over 10 streams.
 */
public final class TrainingConfig {
    /** Which optimiser updates the weights. */
    public enum OptimizerKind {
        /** Stochastic gradient descent, {@link Sgd}. */
        SGD,
        /** Adam (Kingma &amp; Ba 2015), {@link Adam}. */
        ADAM
    }

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
    private final boolean overwrite;

    private final boolean restoreBest;

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
        restoreBest = b.restoreBest;
        checkpointDir = b.checkpointDir;
        overwrite = b.overwrite;
    }

    /** {@return a builder with the defaults of the class description} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return the number of epochs} */
    public int epochs() {
        return epochs;
    }

    /** {@return the number of parallel streams per mini-batch, B} */
    public int batch() {
        return batch;
    }

    /** {@return the number of steps per segment (BPTT length), T} */
    public int steps() {
        return steps;
    }

    /** {@return the schedule: {@link LearningRate#stepDecay}} */
    public LearningRate learningRate() {
        return LearningRate.stepDecay(learningRate, decayFactor, decayFrom);
    }

    /** {@return the maximum global gradient norm; 0 for no clipping} */
    public double clip() {
        return clip;
    }

    /** {@return the L2 weight decay λ, added to the gradient by the optimiser} */
    public double weightDecay() {
        return weightDecay;
    }

    /** {@return the seed of the masks and of the trainer's random state} */
    public long seed() {
        return seed;
    }

    /** {@return the number of parallel streams of the validation perplexity} */
    public int evalStreams() {
        return evalStreams;
    }

    /** {@return whether a progress bar is drawn} */
    public boolean progress() {
        return progress;
    }

    /** {@return where per-epoch metrics are appended as JSON lines, or null} */
    public Path metrics() {
        return metrics;
    }

    /** {@return where the checkpoint is written after every epoch, or null} */
    public Path checkpointDir() {
        return checkpointDir;
    }

    /**
     * {@return whether a new run may replace the checkpoint already in {@link #checkpointDir()}; without it
     * such a run is refused before any work}
     */
    public boolean overwrite() {
        return overwrite;
    }

    /** {@return whether the best epoch's parameters are put back into the network at the end} */
    public boolean restoreBest() {
        return restoreBest;
    }

    /** {@return a new optimiser of the configured kind} */
    public Optimizer newOptimizer() {
        return optimizer == OptimizerKind.ADAM ? new Adam(weightDecay) : new Sgd(weightDecay);
    }

    /** {@return the settings that define a run, for checkpoints and results} */
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
        private boolean restoreBest = false;
        private Path checkpointDir;
        private boolean overwrite;

        private Builder() {}

        /**
         * Sets the number of epochs.
         *
         * @param epochs at least 1; default 20
         * @return this builder
         */
        public Builder epochs(int epochs) {
            this.epochs = epochs;
            return this;
        }

        /**
         * Sets the parallel streams per mini-batch, B.
         *
         * @param batch at least 1; default 20
         * @return this builder
         */
        public Builder batch(int batch) {
            this.batch = batch;
            return this;
        }

        /**
         * Sets the steps per segment (the BPTT length), T.
         *
         * @param steps at least 1; default 35
         * @return this builder
         */
        public Builder steps(int steps) {
            this.steps = steps;
            return this;
        }

        /**
         * Sets the learning rate: {@code initial}, divided by {@code factor} for every epoch after
         * epoch {@code from} ({@link LearningRate#stepDecay}).
         *
         * @param initial the rate of the first epochs, &gt; 0; default 1
         * @param factor the divisor per epoch, ≥ 1; default 1.2
         * @param from the last epoch at the initial rate, ≥ 0; default 7
         * @return this builder
         */
        public Builder learningRate(double initial, double factor, int from) {
            this.learningRate = initial;
            this.decayFactor = factor;
            this.decayFrom = from;
            return this;
        }

        /**
         * Sets the maximum global gradient norm.
         *
         * @param clip ≥ 0 (0 turns clipping off); default 5
         * @return this builder
         */
        public Builder clip(double clip) {
            this.clip = clip;
            return this;
        }

        /**
         * Sets the L2 weight decay λ.
         *
         * @param weightDecay ≥ 0; default 0
         * @return this builder
         */
        public Builder weightDecay(double weightDecay) {
            this.weightDecay = weightDecay;
            return this;
        }

        /**
         * Sets the optimiser.
         *
         * @param optimizer SGD (the default) or Adam
         * @return this builder
         */
        public Builder optimizer(OptimizerKind optimizer) {
            this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
            return this;
        }

        /**
         * Sets the seed of the masks and of the trainer's random state (the initial weights have their own, in {@code NetworkConfig}).
         *
         * @param seed any value; default 1
         * @return this builder
         */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Sets the parallel streams of the validation perplexity after each epoch.
         *
         * @param evalStreams at least 1; default 10
         * @return this builder
         */
        public Builder evalStreams(int evalStreams) {
            this.evalStreams = evalStreams;
            return this;
        }

        /**
         * Sets whether a progress bar (loss, perplexity, tokens/s) is drawn.
         *
         * @param progress default true
         * @return this builder
         */
        public Builder progress(boolean progress) {
            this.progress = progress;
            return this;
        }

        /**
         * Sets where per-epoch metrics go.
         *
         * @param metrics a file to append one JSON line per epoch to, or null (the default) for none
         * @return this builder
         */
        public Builder metrics(Path metrics) {
            this.metrics = metrics;
            return this;
        }

        /**
         * Sets where a checkpoint is written after every epoch.
         *
         * <p>Before epoch 1 the directory is created when missing and checked (a directory nothing can
         * be created in, a path below a file, or a file system with less free space than a checkpoint
         * — about 4 tensor groups × the parameters × their bytes — is refused), then locked for the
         * run: a second run on it, in this process or another, is refused with the first one's process
         * id, and the temporaries of a killed save are removed. A new run on a directory that already
         * holds a checkpoint is refused unless {@link #overwrite} is set; a resume from it continues it.
         * Every refusal is a {@link TrainingException} before any training.
         *
         * @param checkpointDir a directory, or null (the default) for no checkpoints
         * @return this builder
         */
        public Builder checkpointDir(Path checkpointDir) {
            this.checkpointDir = checkpointDir;
            return this;
        }

        /**
         * Sets whether a new run (not a resume) may replace a checkpoint already in the checkpoint
         * directory, which is otherwise refused before any work with a message saying to resume it
         * or to overwrite it. Not part of {@code describe()}: it changes no epoch of the run.
         *
         * @param overwrite default false
         * @return this builder
         */
        public Builder overwrite(boolean overwrite) {
            this.overwrite = overwrite;
            return this;
        }

        /**
         * Sets whether the best epoch's parameters (by validation perplexity) are put back into the network at
         * the end of training; otherwise the last epoch's stay. Not part of {@code describe()}: it
         * changes no epoch of the run, only what the network holds after it.
         *
         * @param restoreBest default false
         * @return this builder
         */
        public Builder restoreBest(boolean restoreBest) {
            this.restoreBest = restoreBest;
            return this;
        }

        /**
         * Checks the settings and builds the configuration.
         *
         * @return the configuration
         * @throws IllegalArgumentException naming the first setting out of range
         */
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
