package dev.vdrop.runtime.train;

import dev.vdrop.runtime.Mat;
import java.util.List;
import java.util.Map;

/**
 * The outcome of {@link SequenceTrainer}: every epoch's metrics and the best epoch by the chosen
 * validation score, whose parameters are in the network when {@link SequenceConfig#restoreBest()}
 * (the default); {@code bestParameters} holds them either way. A resumed run's result is the
 * whole run's: its epochs start at 1, those before the checkpoint included (the checkpoint carries
 * their history).
 *
 * @param epochs metrics of every epoch trained, in order (a resumed run's include those before the checkpoint)
 * @param bestEpoch the epoch with the best validation score (the last epoch when there is no validation data)
 * @param bestScore that score, or NaN without validation data
 * @param bestParameters copies of the parameters after that epoch, by name
 * @param trainExamples how many examples were trained on
 * @param validExamples how many were scored after every epoch
 * @param stoppedEarly whether the patience ran out before the configured number of epochs
 * @param settings the configuration of the run, {@link SequenceConfig#describe()}
 */
public record SequenceResult(List<Epoch> epochs, int bestEpoch, double bestScore, Map<String, Mat> bestParameters,
                             int trainExamples, int validExamples, boolean stoppedEarly, Map<String, String> settings) {
    /**
     * A result; keeps unmodifiable copies of the epochs and settings.
     *
     * @param epochs metrics of every epoch trained
     * @param bestEpoch the epoch with the best validation score
     * @param bestScore that score, or NaN without validation data
     * @param bestParameters copies of the parameters after that epoch, by name
     * @param trainExamples how many examples were trained on
     * @param validExamples how many were scored
     * @param stoppedEarly whether the patience ran out
     * @param settings the configuration of the run
     */
    public SequenceResult {
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
     * What one epoch measured. A classifier's loss is the cross-entropy per example; a tagger's per
     * tag, and its accuracy the fraction of tags right.
     *
     * @param epoch from 1
     * @param learningRate the rate used in this epoch
     * @param trainLoss mean training loss over the epoch, dropout on
     * @param validLoss validation loss after the epoch, dropout off; NaN without validation data
     * @param validAccuracy validation accuracy after the epoch, dropout off; NaN without validation data
     * @param throughput training examples (a tagger's tags) per second
     * @param seconds wall time of the epoch, validation included
     */
    public record Epoch(int epoch, double learningRate, double trainLoss, double validLoss, double validAccuracy,
                        double throughput, double seconds) {}
}
