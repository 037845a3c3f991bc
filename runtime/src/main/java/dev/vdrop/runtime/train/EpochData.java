package dev.vdrop.runtime.train;

import dev.vdrop.runtime.Rng;
import java.util.List;

/**
 * What the training loop reads in one epoch: the part of the loop that differs between token
 * streams (a fixed order, state carried from batch to batch) and independent sequences (shuffled
 * every epoch, state from zero).
 *
 * @param <I> the network's input
 * @param <T> the network's targets
 */
interface EpochData<I, T> {
    /**
     * The epoch's batches, in training order. Called once at the start of every epoch, before any
     * mask is drawn: a shuffle draws from {@code rng} here, so the order of the draws is fixed.
     *
     * @param rng the run's generator
     * @return the batches
     */
    List<Batch<I, T>> epoch(Rng rng);

    /**
     * {@return whether the state a batch ends in is where the next one starts (truncated
     * back-propagation through time over parallel streams) rather than zero}
     */
    boolean carriesState();

    /** {@return the shuffle's state, the order the last epoch read the examples in; empty when nothing is shuffled} */
    default int[] order() {
        return new int[0];
    }

    /**
     * Continues from a saved shuffle state, as {@link #order()} returned it.
     *
     * @param saved the order
     * @throws IllegalArgumentException when it does not fit the data
     */
    default void restoreOrder(int[] saved) {
        if (saved.length != 0) {
            throw new IllegalArgumentException("the checkpoint holds an order of " + saved.length
                    + " examples, but this data is not shuffled");
        }
    }
}
