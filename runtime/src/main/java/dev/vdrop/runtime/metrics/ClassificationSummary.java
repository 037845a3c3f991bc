package dev.vdrop.runtime.metrics;

import dev.vdrop.runtime.mc.ClassPrediction;
import java.util.List;
import java.util.Objects;

/**
 * Every classification metric of N MC predictions at once: an immutable value. The definitions are
 * those of {@link ClassificationMetrics}, {@link Calibration}, {@link Auroc} and
 * {@link SelectivePrediction}; in short, with {@code p̄_n} the MC mean distribution of example n and
 * {@code y_n} its label:
 *
 * @param examples N
 * @param accuracy {@code (1/N) Σ 1[argmax p̄_n = y_n]}, argmax ties to the lowest index
 * @param negativeLogLikelihood {@code −(1/N) Σ log max(p̄_n[y_n], 1e-12)}, in nats
 * @param brierScore {@code (1/N) Σ_n Σ_c (p̄_n,c − 1[c = y_n])²}, in [0, 2]
 * @param calibration the 15 confidence bins; {@code calibration.expectedCalibrationError()} is the ECE
 * @param aurocEntropy the AUROC of the predictive entropy {@code H[p̄_n]} as a detector of wrong
 *     predictions; {@code NaN} when every prediction is right or every one wrong
 * @param aurocMutualInformation the same for the mutual information (BALD score)
 * @param accuracyAt50 the accuracy on the {@code ceil(0.5 N)} examples of lowest predictive entropy
 *     (ties in index order)
 * @param accuracyAt80 the same on {@code ceil(0.8 N)}
 * @param accuracyAt90 the same on {@code ceil(0.9 N)}
 */
public record ClassificationSummary(int examples, double accuracy, double negativeLogLikelihood, double brierScore,
                                    Calibration calibration, double aurocEntropy, double aurocMutualInformation,
                                    double accuracyAt50, double accuracyAt80, double accuracyAt90) {
    /**
     * Checks that the calibration is there.
     *
     * @param examples N
     * @param accuracy the accuracy
     * @param negativeLogLikelihood the mean negative log-likelihood, in nats
     * @param brierScore the Brier score
     * @param calibration the calibration bins and ECE, not null
     * @param aurocEntropy the AUROC of the predictive entropy
     * @param aurocMutualInformation the AUROC of the mutual information
     * @param accuracyAt50 the accuracy at coverage 0.5
     * @param accuracyAt80 the accuracy at coverage 0.8
     * @param accuracyAt90 the accuracy at coverage 0.9
     * @throws NullPointerException when {@code calibration} is null
     */
    public ClassificationSummary {
        Objects.requireNonNull(calibration, "calibration");
    }

    /**
     * Computes every metric.
     *
     * @param predictions one MC prediction per example, all over the same C classes
     * @param labels the true class of each example, in [0, C)
     * @return the summary
     * @throws IllegalArgumentException when the lengths differ, N = 0, the predictions differ in C or a
     *     label is outside [0, C); the message names the example
     */
    public static ClassificationSummary of(List<ClassPrediction> predictions, int[] labels) {
        boolean[] correct = ClassificationMetrics.correct(predictions, labels);
        boolean[] wrong = ClassificationMetrics.wrong(predictions, labels);
        double[] entropies = ClassificationMetrics.predictiveEntropies(predictions);
        double[] mutualInformations = ClassificationMetrics.mutualInformations(predictions);
        return new ClassificationSummary(correct.length,
                ClassificationMetrics.accuracy(predictions, labels),
                ClassificationMetrics.negativeLogLikelihood(predictions, labels),
                ClassificationMetrics.brierScore(predictions, labels),
                Calibration.of(predictions, labels),
                Auroc.of(entropies, wrong),
                Auroc.of(mutualInformations, wrong),
                SelectivePrediction.accuracyAtCoverage(entropies, correct, 0.5),
                SelectivePrediction.accuracyAtCoverage(entropies, correct, 0.8),
                SelectivePrediction.accuracyAtCoverage(entropies, correct, 0.9));
    }

    /** {@return the expected calibration error of {@link #calibration()}} */
    public double expectedCalibrationError() {
        return calibration.expectedCalibrationError();
    }
}
