package dev.vdrop.runtime.metrics;

import dev.vdrop.runtime.mc.ClassPrediction;
import java.util.List;

/**
 * Metrics of a classifier over N examples, each from its MC mean distribution {@code p̄} (a
 * {@link ClassPrediction}) and its true label y. Every method checks its input first: the same
 * number of predictions and labels, N ≥ 1, every prediction over the same C classes, every label in
 * [0, C); the {@link IllegalArgumentException} names the example and the values.
 *
 * <ul>
 *   <li>{@link #accuracy}: {@code (1/N) Σ_n 1[argmax p̄_n = y_n]}, the argmax taking the lowest class
 *       index on ties ({@link ClassPrediction#argmax()}): a tie between the label and a lower class
 *       counts as wrong.</li>
 *   <li>{@link #negativeLogLikelihood}: {@code −(1/N) Σ_n log max(p̄_n[y_n], 1e-12)} in nats; the
 *       floor {@value #PROBABILITY_FLOOR} keeps a single p̄[y] = 0 (possible when every pass gave the
 *       label a float probability of exactly 0) from making the mean +∞: such an example contributes
 *       {@code −log 1e-12 ≈ 27.63} nats.</li>
 *   <li>{@link #brierScore}: {@code (1/N) Σ_n Σ_c (p̄_n,c − 1[c = y_n])²}, the multi-class sum form
 *       (Brier 1950), in [0, 2]: 0 for certain right predictions, 2 for certain wrong ones.</li>
 *   <li>{@link #accuracyAtCoverage}: the accuracy on the most certain x of the examples by
 *       predictive entropy.</li>
 *   <li>{@link #correct} and {@link #wrong}, {@link #predictiveEntropies} and
 *       {@link #mutualInformations}: the inputs of {@link Auroc}, {@link Calibration} and
 *       {@link SelectivePrediction}.</li>
 * </ul>
 *
 * <p>{@link ClassificationSummary#of} computes these and the calibration, error-detection and
 * selective-prediction metrics in one call.
 */
public final class ClassificationMetrics {
    /** The smallest probability the negative log-likelihood takes the log of. */
    public static final double PROBABILITY_FLOOR = 1e-12;

    private ClassificationMetrics() {}

    /**
     * Whether each prediction is right: its argmax (lowest index on ties) is its label.
     *
     * @param predictions one MC prediction per example
     * @param labels the true classes
     * @return one flag per example
     * @throws IllegalArgumentException on bad input (see the class comment)
     */
    public static boolean[] correct(List<ClassPrediction> predictions, int[] labels) {
        int n = Inputs.classified(predictions, labels);
        boolean[] correct = new boolean[n];
        for (int i = 0; i < n; i++) {
            correct[i] = predictions.get(i).argmax() == labels[i];
        }
        return correct;
    }

    /**
     * The accuracy {@code (1/N) Σ_n 1[argmax p̄_n = y_n]}, ties of the argmax to the lowest index.
     *
     * @param predictions one MC prediction per example
     * @param labels the true classes
     * @return the accuracy, in [0, 1]
     * @throws IllegalArgumentException on bad input (see the class comment)
     */
    public static double accuracy(List<ClassPrediction> predictions, int[] labels) {
        boolean[] correct = correct(predictions, labels);
        int right = 0;
        for (boolean c : correct) {
            if (c) {
                right++;
            }
        }
        return (double) right / correct.length;
    }

    /**
     * The negative log-likelihood {@code −(1/N) Σ_n log max(p̄_n[y_n], 1e-12)}, in nats.
     *
     * @param predictions one MC prediction per example
     * @param labels the true classes
     * @return the mean negative log-likelihood, in [0, −log 1e-12]
     * @throws IllegalArgumentException on bad input (see the class comment)
     */
    public static double negativeLogLikelihood(List<ClassPrediction> predictions, int[] labels) {
        int n = Inputs.classified(predictions, labels);
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum -= Math.log(Math.max(PROBABILITY_FLOOR, predictions.get(i).probability(labels[i])));
        }
        return sum / n;
    }

    /**
     * The Brier score in its multi-class sum form {@code (1/N) Σ_n Σ_c (p̄_n,c − 1[c = y_n])²}.
     *
     * @param predictions one MC prediction per example
     * @param labels the true classes
     * @return the Brier score, in [0, 2]
     * @throws IllegalArgumentException on bad input (see the class comment)
     */
    public static double brierScore(List<ClassPrediction> predictions, int[] labels) {
        int n = Inputs.classified(predictions, labels);
        double sum = 0;
        for (int i = 0; i < n; i++) {
            ClassPrediction p = predictions.get(i);
            for (int c = 0; c < p.classes(); c++) {
                double d = p.probability(c) - (c == labels[i] ? 1 : 0);
                sum += d * d;
            }
        }
        return sum / n;
    }

    /**
     * The accuracy on the most certain examples: the {@code ceil(x · N)} of lowest predictive entropy,
     * equal entropies in index order (see {@link SelectivePrediction}).
     *
     * @param predictions one MC prediction per example
     * @param labels the true classes
     * @param coverage x in (0, 1], e.g. 0.5, 0.8, 0.9
     * @return the accuracy on the kept examples, in [0, 1]
     * @throws IllegalArgumentException on bad input (see the class comment) or a coverage outside (0, 1]
     */
    public static double accuracyAtCoverage(List<ClassPrediction> predictions, int[] labels, double coverage) {
        boolean[] correct = correct(predictions, labels);
        return SelectivePrediction.accuracyAtCoverage(predictiveEntropies(predictions), correct, coverage);
    }

    /**
     * Each example's predictive entropy {@code H[p̄]}, the score {@link ClassificationSummary} uses for
     * error detection and selective prediction.
     *
     * @param predictions the MC predictions
     * @return one entropy per prediction, in nats
     */
    public static double[] predictiveEntropies(List<ClassPrediction> predictions) {
        return predictions.stream().mapToDouble(ClassPrediction::predictiveEntropy).toArray();
    }

    /**
     * Each example's mutual information {@code H[p̄] − E_k H[p_k]}.
     *
     * @param predictions the MC predictions
     * @return one mutual information per prediction, in nats
     */
    public static double[] mutualInformations(List<ClassPrediction> predictions) {
        return predictions.stream().mapToDouble(ClassPrediction::mutualInformation).toArray();
    }

    /**
     * Whether each prediction is wrong: the positives of error detection ({@link Auroc}).
     *
     * @param predictions one MC prediction per example
     * @param labels the true classes
     * @return one flag per example, the negation of {@link #correct}
     * @throws IllegalArgumentException on bad input (see the class comment)
     */
    public static boolean[] wrong(List<ClassPrediction> predictions, int[] labels) {
        boolean[] wrong = correct(predictions, labels);
        for (int i = 0; i < wrong.length; i++) {
            wrong[i] = !wrong[i];
        }
        return wrong;
    }
}
