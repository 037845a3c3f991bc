package dev.vdrop.runtime.train;

import dev.vdrop.runtime.Network;
import java.util.Map;

/**
 * Scores the network on held-out data after every epoch, dropout off: the part of the loop that
 * differs between heads (perplexity, loss and accuracy, loss and RMSE).
 *
 * @param <I> the network's input
 * @param <T> the network's targets
 */
interface Validation<I, T> {
    /** No held-out data: every epoch counts as the best so far and the last one is kept. */
    static <I, T> Validation<I, T> none() {
        return (network, workspaces) -> Map.of();
    }

    /**
     * The scores by name, in the order the metrics log writes them; empty when nothing is held out.
     *
     * @param network the network after the epoch
     * @param workspaces the run's workspaces, to reuse
     * @return the scores
     */
    Map<String, Double> score(Network<I, T> network, Workspaces<I, T> workspaces);
}
