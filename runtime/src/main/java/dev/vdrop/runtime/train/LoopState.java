package dev.vdrop.runtime.train;

import dev.vdrop.runtime.Mat;
import java.util.List;
import java.util.Map;

/**
 * The state of a run after an epoch: what an exact resume needs.
 *
 * @param epoch the last finished epoch
 * @param rngState the run's generator, which draws the shuffles and the masks
 * @param order the examples' order the last shuffle left (empty for token streams)
 * @param parameters the network's parameters by name
 * @param optimizer the optimiser's buffers by name
 * @param bestEpoch the best epoch so far (0 before any); the patience used is {@code epoch − bestEpoch}
 * @param bestScore its validation score
 * @param best its parameters by name
 * @param history every finished epoch
 */
record LoopState(int epoch, long rngState, int[] order, Map<String, Mat> parameters, Map<String, Mat> optimizer, int bestEpoch,
                 double bestScore, Map<String, Mat> best, List<EpochRecord> history) {
    /** Keeps copies of the order and the history. */
    LoopState {
        order = order.clone();
        history = List.copyOf(history);
    }
}
