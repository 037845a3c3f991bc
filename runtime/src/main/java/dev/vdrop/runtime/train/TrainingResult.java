package dev.vdrop.runtime.train;

import dev.vdrop.runtime.Mat;
import java.util.List;
import java.util.Map;

/**
 * The outcome of training: every epoch's metrics and the best model by validation perplexity (the
 * one a user keeps; restore it with {@code Checkpoints.restore(bestParameters(), network.parameters())}).
 *
 * @param epochs metrics of every epoch this call trained (a resumed run starts after the checkpoint)
 * @param bestEpoch the epoch with the lowest validation perplexity
 * @param bestValidPerplexity that perplexity
 * @param bestParameters copies of the parameters after that epoch, by name
 */
public record TrainingResult(List<EpochMetrics> epochs, int bestEpoch, double bestValidPerplexity,
                             Map<String, Mat> bestParameters) {
    /**
     * A result; keeps an unmodifiable copy of the epochs.
     *
     * @param epochs metrics of every epoch this call trained
     * @param bestEpoch the epoch with the lowest validation perplexity
     * @param bestValidPerplexity that perplexity
     * @param bestParameters copies of the parameters after that epoch, by name
     */
    public TrainingResult {
        epochs = List.copyOf(epochs);
    }

    /** {@return the last epoch's metrics} */
    public EpochMetrics last() {
        return epochs.get(epochs.size() - 1);
    }
}
