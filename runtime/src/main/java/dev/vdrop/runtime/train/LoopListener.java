package dev.vdrop.runtime.train;

/**
 * Hears the training loop's progress: the progress bar, the metrics log, the checkpoint. Called
 * in this order: {@link #epochStarted}, {@link #batchFinished} after every optimiser step,
 * {@link #epochFinished} after validation and the best-epoch update (so a checkpoint holds the
 * epoch's best), {@link #runFinished} once, also when training throws.
 */
interface LoopListener {
    /** The epoch starts with this many batches. */
    default void epochStarted(int epoch, int batches) {}

    /** A batch's step is done; the loss is summed over the epoch's sequences so far and divided by the units. */
    default void batchFinished(double lossSum, long units, double seconds) {}

    /** The epoch is done and scored; {@code loop} holds the run's state after it. */
    default void epochFinished(EpochRecord epoch, TrainingLoop<?, ?> loop) {}

    /** The run ends, normally or not. */
    default void runFinished() {}
}
