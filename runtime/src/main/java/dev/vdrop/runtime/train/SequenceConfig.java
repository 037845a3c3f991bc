package dev.vdrop.runtime.train;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * How a {@link SequenceTrainer} trains a sequence classifier or tagger. Immutable; make one with
 * {@link #builder()}. The defaults: 20 epochs of mini-batches of 32 sequences, Adam with learning
 * rate 10⁻³, global gradient-norm clip 5, no weight decay, the best epoch by validation loss put
 * back at the end, no early stopping, seed 1, no progress bar, no metrics file, no checkpoint.
 *
 * <pre>{@code
 * SequenceConfig config = SequenceConfig.builder().epochs(30).batch(64).selectBy(SequenceConfig.Score.ACCURACY)
 *         .patience(5).seed(7).metrics(Path.of("runs/train.jsonl")).build();
 * }</pre>
 */
public final class SequenceConfig {
    /** The validation score that chooses the best epoch and drives early stopping. */
    public enum Score {
        /** The mean cross-entropy per example (per tag for a tagger), lower is better. */
        LOSS("valid_loss", false),
        /** The fraction of examples (of tags for a tagger) whose most probable class is right, higher is better. */
        ACCURACY("valid_accuracy", true);

        private final String metric;
        private final boolean higherIsBetter;

        Score(String metric, boolean higherIsBetter) {
            this.metric = metric;
            this.higherIsBetter = higherIsBetter;
        }

        Selection selection() {
            return new Selection(metric, higherIsBetter);
        }
    }

    private final int epochs;
    private final int batch;
    private final LearningRate learningRate;
    private final String learningRateText;
    private final TrainingConfig.OptimizerKind optimizer;
    private final double clip;
    private final double weightDecay;
    private final int patience;
    private final boolean restoreBest;
    private final Score selectBy;
    private final long seed;
    private final boolean progress;
    private final Path metrics;
    private final Path checkpointDir;
    private final Path resumeFrom;
    private final boolean overwrite;

    private SequenceConfig(Builder b) {
        this.epochs = b.epochs;
        this.batch = b.batch;
        this.learningRate = b.learningRate;
        this.learningRateText = b.learningRateText;
        this.optimizer = b.optimizer;
        this.clip = b.clip;
        this.weightDecay = b.weightDecay;
        this.patience = b.patience;
        this.restoreBest = b.restoreBest;
        this.selectBy = b.selectBy;
        this.seed = b.seed;
        this.progress = b.progress;
        this.metrics = b.metrics;
        this.checkpointDir = b.checkpointDir;
        this.overwrite = b.overwrite;
        this.resumeFrom = b.resumeFrom;
    }

    /** {@return a builder with the defaults} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return the most epochs to train} */
    public int epochs() {
        return epochs;
    }

    /** {@return the sequences per mini-batch} */
    public int batch() {
        return batch;
    }

    /** {@return the learning rate per epoch} */
    public LearningRate learningRate() {
        return learningRate;
    }

    /** {@return the global gradient-norm bound, 0 for none} */
    public double clip() {
        return clip;
    }

    /** {@return the epochs without a better validation score that stop training, 0 for never} */
    public int patience() {
        return patience;
    }

    /** {@return whether the best epoch's parameters are put back into the network at the end} */
    public boolean restoreBest() {
        return restoreBest;
    }

    /** {@return the validation score that chooses the best epoch} */
    public Score selectBy() {
        return selectBy;
    }

    /** {@return the seed of the example order and the dropout masks} */
    public long seed() {
        return seed;
    }

    /** {@return whether a progress bar is drawn} */
    public boolean progress() {
        return progress;
    }

    /** {@return the metrics file (one JSON object per epoch), or null} */
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

    /** {@return a new optimiser of the configured kind, with the configured weight decay} */
    public Optimizer newOptimizer() {
        return optimizer == TrainingConfig.OptimizerKind.ADAM ? new Adam(weightDecay) : new Sgd(weightDecay);
    }

    /** {@return the settings that define a run, for reports, results and checkpoints} */
    public Map<String, String> describe() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("epochs", Integer.toString(epochs));
        out.put("batch", Integer.toString(batch));
        out.put("learning_rate", learningRateText);
        out.put("optimizer", optimizer.name().toLowerCase(Locale.ROOT));
        out.put("clip", Double.toString(clip));
        out.put("weight_decay", Double.toString(weightDecay));
        out.put("patience", Integer.toString(patience));
        out.put("restore_best", Boolean.toString(restoreBest));
        out.put("select_by", selectBy.name().toLowerCase(Locale.ROOT));
        out.put("seed", Long.toString(seed));
        return out;
    }

    @Override
    public String toString() {
        return "SequenceConfig" + describe();
    }

    /** Builds a {@link SequenceConfig}; {@link #build()} checks every setting. */
    public static final class Builder {
        private int epochs = 20;
        private int batch = 32;
        private LearningRate learningRate = LearningRate.constant(1e-3);
        private String learningRateText = "0.001";
        private Double constantRate = 1e-3; // null when a schedule is set
        private TrainingConfig.OptimizerKind optimizer = TrainingConfig.OptimizerKind.ADAM;
        private double clip = 5;
        private double weightDecay = 0;
        private int patience = 0;
        private boolean restoreBest = true;
        private Score selectBy = Score.LOSS;
        private long seed = 1;
        private boolean progress = false;
        private Path metrics;
        private Path checkpointDir;
        private boolean overwrite;
        private Path resumeFrom;

        private Builder() {}

        /**
         * Sets the most epochs to train (fewer when the patience stops training early).
         *
         * @param epochs at least 1; default 20
         * @return this builder
         */
        public Builder epochs(int epochs) {
            this.epochs = epochs;
            return this;
        }

        /**
         * Sets the sequences per mini-batch, B (the last batch of an epoch holds the rest).
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
         * Sets how many epochs without a better validation score stop training; needs validation data.
         *
         * @param patience ≥ 0 (0: never); default 0
         * @return this builder
         */
        public Builder patience(int patience) {
            this.patience = patience;
            return this;
        }

        /**
         * Sets whether the best epoch's parameters (by the validation score) are put back into the
         * network at the end; otherwise the last epoch's stay.
         *
         * @param restoreBest default true
         * @return this builder
         */
        public Builder restoreBest(boolean restoreBest) {
            this.restoreBest = restoreBest;
            return this;
        }

        /**
         * Sets the validation score that chooses the best epoch and drives early stopping.
         *
         * @param score {@link Score#LOSS} (the default) or {@link Score#ACCURACY}
         * @return this builder
         */
        public Builder selectBy(Score score) {
            this.selectBy = Objects.requireNonNull(score, "score");
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
         * epochs, on the same data) exactly as the uninterrupted run would have gone on: the same
         * shuffles, masks, parameters, best epoch, patience and history.
         *
         * @param resumeFrom the checkpoint directory, or null (the default) for a new run
         * @return this builder
         */
        public Builder resumeFrom(Path resumeFrom) {
            this.resumeFrom = resumeFrom;
            return this;
        }

        /**
         * Checks the settings and builds the configuration.
         *
         * @return the configuration
         * @throws IllegalArgumentException naming the first setting out of range
         */
        public SequenceConfig build() {
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
            if (patience < 0) {
                throw new IllegalArgumentException("patience must be ≥ 0 (0: never stop early), got " + patience);
            }
            return new SequenceConfig(this);
        }
    }
}
