package dev.vdrop.runtime.train;

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
}
