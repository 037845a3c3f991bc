package dev.vdrop.runtime.train;

import java.util.Locale;

/**
 * Where a run stopped being finite, for a configuration's {@link Handler} to word.
 *
 * @param epoch the epoch
 * @param batch the batch, from 1
 * @param batches the epoch's batches
 * @param learningRate the epoch's rate
 * @param what what was not finite, with its value
 */
record Divergence(int epoch, int batch, int batches, double learningRate, String what) {
    /** Turns a divergence into the exception the run throws, after any repair of the network. */
    @FunctionalInterface
    interface Handler {
        TrainingException handle(Divergence divergence, TrainingLoop<?, ?> loop);
    }

    /**
     * A handler that leaves the network with the best parameters so far when an epoch has
     * finished, and says so in the message, followed by {@code advice}.
     */
    static Handler restoringBest(String advice) {
        return (d, loop) -> {
            String kept;
            if (loop.bestEpoch() > 0) {
                loop.restoreBest();
                kept = "the network holds the best parameters so far, from epoch " + loop.bestEpoch();
            } else {
                kept = "no epoch had finished, so the network holds the diverged parameters";
            }
            return new TrainingException(String.format(Locale.ROOT,
                    "training diverged at epoch %d, batch %d of %d: %s (learning rate %s); %s. %s",
                    d.epoch(), d.batch(), d.batches(), d.what(), d.learningRate(), kept, advice));
        };
    }
}
