package dev.vdrop.runtime.train;

import dev.vdrop.runtime.Mat;
import java.util.List;
import java.util.Map;

/**
 * The outcome of training: every epoch's metrics and the best model by validation perplexity (the
 * one a user keeps; restore it with {@code Checkpoints.restore(bestParameters(), network.parameters())}).
 *
 * <p>A resumed run's result is the whole run's: {@code epochs} starts at epoch 1 (the checkpoint
 * carries the history of the epochs before it), the best epoch may be one of those, and
 * {@link #trainedByThisCall()} are the epochs after {@code resumedAfter}.
 *
 * @param epochs metrics of every epoch of the run, in order, those before a resume included
 * @param resumedAfter the epoch of the checkpoint the run was resumed from, 0 for a run from the start
 * @param bestEpoch the epoch with the lowest validation perplexity
 * @param bestValidPerplexity that perplexity
 * @param bestParameters copies of the parameters after that epoch, by name
 */
public record TrainingResult(List<EpochMetrics> epochs, int resumedAfter, int bestEpoch, double bestValidPerplexity,
                             Map<String, Mat> bestParameters) {
    /**
     * A result; keeps an unmodifiable copy of the epochs.
     *
     * @param epochs metrics of every epoch of the run, those before a resume included
     * @param resumedAfter the epoch the run was resumed after, 0 for none
     * @param bestEpoch the epoch with the lowest validation perplexity
     * @param bestValidPerplexity that perplexity
     * @param bestParameters copies of the parameters after that epoch, by name
     * @throws IllegalArgumentException when resumedAfter is negative or more than the epochs, or the
     *     best epoch is past the last
     */
    public TrainingResult {
        epochs = List.copyOf(epochs);
        if (resumedAfter < 0 || resumedAfter > epochs.size()) {
            throw new IllegalArgumentException("resumed after epoch " + resumedAfter + " of " + epochs.size());
        }
        if (bestEpoch > epochs.size()) {
            throw new IllegalArgumentException("best epoch " + bestEpoch + " of " + epochs.size());
        }
    }

    /** {@return the last epoch's metrics} */
    public EpochMetrics last() {
        return epochs.get(epochs.size() - 1);
    }

    /** {@return the epochs this call trained: after {@code resumedAfter}; empty when the checkpoint had them all} */
    public List<EpochMetrics> trainedByThisCall() {
        return epochs.subList(resumedAfter, epochs.size());
    }
}
