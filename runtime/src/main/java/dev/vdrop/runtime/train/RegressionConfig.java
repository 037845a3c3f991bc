package dev.vdrop.runtime.train;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * How a {@link RegressionTrainer} trains a forecaster on independent windows. Immutable; make one
 * with {@link #builder()}. The defaults: 30 epochs of mini-batches of 32 windows, Adam with learning
 * rate 10⁻³, global gradient-norm clip 5, no weight decay, the last 10% of the examples (in time
 * order) held out for validation, no early stopping, seed 1, no progress bar and no metrics file.
 *
 * <pre>{@code
 * RegressionConfig config = RegressionConfig.builder().epochs(20).batch(64).learningRate(3e-3)
 *         .weightDecay(1e-6).patience(5).seed(7).metrics(Path.of("runs/train.jsonl")).build();
 * }</pre>
 */
public final class RegressionConfig {
    private final int epochs;
    private final int batch;
    private final LearningRate learningRate;
    private final String learningRateText;
    private final TrainingConfig.OptimizerKind optimizer;
    private final double clip;
    private final double weightDecay;
    private final double validationFraction;
    private final int patience;
    private final long seed;
    private final boolean progress;
    private final Path metrics;
    private final Path checkpointDir;
    private final Path resumeFrom;
    private final boolean overwrite;

    private final boolean restoreBest;

    private RegressionConfig(Builder b) {
        epochs = b.epochs;
        batch = b.batch;
        learningRate = b.learningRate;
        learningRateText = b.learningRateText;
        optimizer = b.optimizer;
        clip = b.clip;
        weightDecay = b.weightDecay;
        validationFraction = b.validationFraction;
        patience = b.patience;
        seed = b.seed;
        progress = b.progress;
        metrics = b.metrics;
        restoreBest = b.restoreBest;
        checkpointDir = b.checkpointDir;
        overwrite = b.overwrite;
        resumeFrom = b.resumeFrom;
    }

    /** {@return a builder with the defaults of the class description} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return the most epochs to train (fewer when {@link #patience()} stops early)} */
    public int epochs() {
        return epochs;
    }

    /** {@return the number of windows per mini-batch, B; the last mini-batch of an epoch may be smaller} */
    public int batch() {
        return batch;
    }

    /** {@return the learning rate of each epoch} */
    public LearningRate learningRate() {
        return learningRate;
    }

    /** {@return which optimiser updates the weights: Adam unless told otherwise} */
    public TrainingConfig.OptimizerKind optimizer() {
        return optimizer;
    }

    /** {@return the maximum global gradient norm; 0 for no clipping} */
    public double clip() {
        return clip;
    }

    /** {@return the L2 weight decay λ, added to the gradient by the optimiser} */
    public double weightDecay() {
        return weightDecay;
    }

    /** {@return the fraction of the examples, the last in time order, held out for validation; 0 for none} */
    public double validationFraction() {
        return validationFraction;
    }

    /** {@return the number of epochs without a better validation loss after which training stops; 0 never stops early} */
    public int patience() {
        return patience;
    }

    /** {@return the seed of the example order and of the dropout masks (the initial weights have their own, in {@code NetworkConfig})} */
    public long seed() {
        return seed;
    }

    /** {@return whether a progress bar is drawn on standard error} */
    public boolean progress() {
        return progress;
    }

    /** {@return where per-epoch metrics are appended as JSON lines, or null} */
    public Path metrics() {
        return metrics;
    }

    /** {@return the directory of the checkpoint written after every epoch, or null} */
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

    /** {@return the checkpoint directory a run continues from, or null for a new run} */
    public Path resumeFrom() {
        return resumeFrom;
    }

    /** {@return whether the best epoch's parameters are put back into the network at the end} */
    public boolean restoreBest() {
        return restoreBest;
    }

    /** {@return a new optimiser of the configured kind, with the configured weight decay} */
    public Optimizer newOptimizer() {
        return optimizer == TrainingConfig.OptimizerKind.ADAM ? new Adam(weightDecay) : new Sgd(weightDecay);
    }

    /** {@return the settings that define a run, for reports and results} */
    public Map<String, String> describe() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("epochs", Integer.toString(epochs));
        out.put("batch", Integer.toString(batch));
        out.put("learning_rate", learningRateText);
        out.put("optimizer", optimizer.name().toLowerCase(Locale.ROOT));
        out.put("clip", Double.toString(clip));
        out.put("weight_decay", Double.toString(weightDecay));
        out.put("validation_fraction", Double.toString(validationFraction));
        out.put("patience", Integer.toString(patience));
        out.put("seed", Long.toString(seed));
        return out;
    }

    @Override
    public String toString() {
        return "RegressionConfig" + describe();
    }

    /** Builds a {@link RegressionConfig}; {@link #build()} checks every setting. */
    public static final class Builder {
        private int epochs = 30;
        private int batch = 32;
        private LearningRate learningRate = LearningRate.constant(1e-3);
        private String learningRateText = "0.001";
        private TrainingConfig.OptimizerKind optimizer = TrainingConfig.OptimizerKind.ADAM;
        private double clip = 5;
        private double weightDecay = 0;
        private double validationFraction = 0.1;
        private int patience = 0;
        private long seed = 1;
        private boolean progress = false;
        private Path metrics;
        private boolean restoreBest = true;
        private Path checkpointDir;
        private boolean overwrite;
        private Path resumeFrom;
        private Double constantRate = 1e-3; // null when a schedule is set

        private Builder() {}

        /**
         * Sets the most epochs to train (fewer when the patience stops training early).
         *
         * @param epochs at least 1; default 30
         * @return this builder
         */
        public Builder epochs(int epochs) {
            this.epochs = epochs;
            return this;
        }

        /**
         * Sets the windows per mini-batch, B.
         *
         * @param batch at least 1; default 32
         * @return this builder
         */
        public Builder batch(int batch) {
            this.batch = batch;
            return this;
        }

        /**
         * Sets one learning rate for every epoch.
         *
         * @param rate &gt; 0; default 10⁻³
         * @return this builder
         */
        public Builder learningRate(double rate) {
            this.constantRate = rate;
            this.learningRate = LearningRate.constant(rate);
            this.learningRateText = Double.toString(rate);
            return this;
        }

        /**
         * Sets a learning rate per epoch.
         *
         * @param schedule the schedule, e.g. {@link LearningRate#stepDecay}
         * @return this builder
         */
        public Builder learningRate(LearningRate schedule) {
            this.learningRate = Objects.requireNonNull(schedule, "schedule");
            this.learningRateText = "schedule";
            this.constantRate = null;
            return this;
        }

        /**
         * Sets the optimiser.
         *
         * @param optimizer Adam (the default) or SGD
         * @return this builder
         */
        public Builder optimizer(TrainingConfig.OptimizerKind optimizer) {
            this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
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
         * Sets the L2 weight decay λ, added to the gradient by the optimiser.
         *
         * @param weightDecay ≥ 0; default 0
         * @return this builder
         */
        public Builder weightDecay(double weightDecay) {
            this.weightDecay = weightDecay;
            return this;
        }

        /**
         * Sets the fraction of the examples, the last in time order, held out for validation.
         *
         * @param validationFraction in [0, 0.5]; default 0.1. With 0 nothing is held out and the last epoch's parameters are kept
         * @return this builder
         */
        public Builder validationFraction(double validationFraction) {
            this.validationFraction = validationFraction;
            return this;
        }

        /**
         * Sets how many epochs without a better validation loss stop training.
         *
         * @param patience ≥ 0 (0: never); default 0
         * @return this builder
         */
        public Builder patience(int patience) {
            this.patience = patience;
            return this;
        }

        /**
         * Sets the seed of the example order and the dropout masks (the initial weights have their own, in {@code NetworkConfig}).
         *
         * @param seed any value; default 1
         * @return this builder
         */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Sets whether a progress bar is drawn on standard error.
         *
         * @param progress default false
         * @return this builder
         */
        public Builder progress(boolean progress) {
            this.progress = progress;
            return this;
        }

        /**
         * Sets where per-epoch metrics go.
         *
         * @param metrics a file to append one JSON object per epoch to, or null (the default) for none
         * @return this builder
         */
        public Builder metrics(Path metrics) {
            this.metrics = metrics;
            return this;
        }

        /**
         * Sets where a checkpoint is written after every epoch, for {@link #resumeFrom}.
         *
         * <p>Before epoch 1 the directory is created when missing and checked (a directory nothing can
         * be created in, a path below a file, or a file system with less free space than a checkpoint
         * — about 4 tensor groups × the parameters × their bytes — is refused), then locked for the
         * run: a second run on it, in this process or another, is refused with the first one's process
         * id, and the temporaries of a killed save are removed. A new run on a directory that already
         * holds a checkpoint is refused unless {@link #overwrite} is set; a resume from it continues it.
         * Every refusal is a {@link TrainingException} before any training.
         *
         * @param checkpointDir a directory (created if missing), or null (the default) for none
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
         * Continues the run checkpointed in a directory (written with the same settings but the
         * epochs, on the same data) exactly as the uninterrupted run would have gone on.
         *
         * @param resumeFrom the checkpoint directory, or null (the default) for a new run
         * @return this builder
         */
        public Builder resumeFrom(Path resumeFrom) {
            this.resumeFrom = resumeFrom;
            return this;
        }

        /**
         * Sets whether the best epoch's parameters (by validation loss) are put back into the network at
         * the end of training; otherwise the last epoch's stay. Not part of {@code describe()}: it
         * changes no epoch of the run, only what the network holds after it.
         *
         * @param restoreBest default true
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
        public RegressionConfig build() {
            if (epochs < 1) {
                throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
            }
            if (batch < 1) {
                throw new IllegalArgumentException("batch must be at least 1, got " + batch);
            }
            if (constantRate != null && !(constantRate > 0 && Double.isFinite(constantRate))) {
                throw new IllegalArgumentException("the learning rate must be a finite number > 0, got " + constantRate);
            }
            if (!(clip >= 0) || Double.isInfinite(clip)) {
                throw new IllegalArgumentException("clip must be a finite number ≥ 0 (0 turns clipping off), got " + clip);
            }
            if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
                throw new IllegalArgumentException("weight decay must be a finite number ≥ 0, got " + weightDecay);
            }
            if (!(validationFraction >= 0 && validationFraction <= 0.5)) {
                throw new IllegalArgumentException("the validation fraction must be in [0, 0.5] (0: no validation), got "
                        + validationFraction);
            }
            if (patience < 0) {
                throw new IllegalArgumentException("patience must be ≥ 0 (0: never stop early), got " + patience);
            }
            if (patience > 0 && validationFraction == 0) {
                throw new IllegalArgumentException("early stopping (patience " + patience
                        + ") needs a validation set; set a validation fraction > 0 or patience 0");
            }
            return new RegressionConfig(this);
        }
    }
}
