package dev.vdrop.runtime.train;

import dev.vdrop.runtime.Mat;
import java.util.List;
import java.util.Map;

/**
 * The outcome of {@link RegressionTrainer#train}: every epoch's metrics and the best parameters by
 * validation loss, which the trainer has already put back into the network (restore them elsewhere
 * with {@code Checkpoints.restore(bestParameters(), network.parameters())}). A resumed run's result
 * is the whole run's: its epochs start at 1, those before the checkpoint included (the checkpoint
 * carries their history).
 *
 * @param epochs metrics of every epoch of the run, in order (a resumed run's include those before the checkpoint)
 * @param bestEpoch the epoch with the lowest validation loss (the last epoch when nothing is held out)
 * @param bestValidLoss that loss, or NaN when nothing is held out
 * @param bestParameters copies of the parameters after that epoch, by name
 * @param trainExamples how many examples were trained on
 * @param validExamples how many (the last in time order) were held out for validation
 * @param stoppedEarly whether the patience ran out before the configured number of epochs
 * @param settings the configuration of the run, {@link RegressionConfig#describe()}
 */
public record RegressionResult(List<Epoch> epochs, int bestEpoch, double bestValidLoss, Map<String, Mat> bestParameters,
                               int trainExamples, int validExamples, boolean stoppedEarly, Map<String, String> settings) {
    /**
     * A result; keeps unmodifiable copies of the epochs and settings.
     *
     * @param epochs metrics of every epoch trained, in order
     * @param bestEpoch the epoch with the lowest validation loss
     * @param bestValidLoss that loss, or NaN when nothing is held out
     * @param bestParameters copies of the parameters after that epoch, by name
     * @param trainExamples how many examples were trained on
     * @param validExamples how many were held out for validation
     * @param stoppedEarly whether the patience ran out
     * @param settings the configuration of the run
     */
    public RegressionResult {
        epochs = List.copyOf(epochs);
        settings = Map.copyOf(settings);
    }

    /** {@return the last epoch's metrics} */
    public Epoch last() {
        return epochs.get(epochs.size() - 1);
    }

    /** {@return the best epoch's metrics} */
    public Epoch best() {
        return epochs.get(bestEpoch - 1);
    }

    /**
     * What one epoch measured. Losses are the model's Gaussian negative log-likelihood per example
     * (summed over outputs), in the units the targets are given in.
     *
     * @param epoch from 1
     * @param learningRate the rate used in this epoch
     * @param trainLoss mean training loss over the epoch's mini-batches, dropout on
     * @param validLoss validation loss after the epoch, dropout off; NaN when nothing is held out
     * @param validRmse root mean squared error of the predicted means on the validation examples,
     *     dropout off; NaN when nothing is held out
     * @param examplesPerSecond training throughput of the epoch
     * @param seconds wall time of the epoch, validation included
     */
    public record Epoch(int epoch, double learningRate, double trainLoss, double validLoss, double validRmse,
                        double examplesPerSecond, double seconds) {}
}
