package dev.vdrop.runtime.metrics;

import dev.vdrop.runtime.mc.ClassPrediction;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The calibration of a classifier's confidence, binned for a reliability diagram, and the expected
 * calibration error (Naeini et al. 2015; Guo et al. 2017, arXiv 1706.04599, with their 15 bins).
 *
 * <p>Each example has a confidence {@code c_n = max_c p̄_c} (the MC mean probability of the predicted
 * class) and is right or wrong. The confidences fall into {@value #BINS} equal-width bins; bin i
 * ({@code i = 0 … 14}) holds {@code i/15 < c ≤ (i+1)/15}, the upper edge included, where the edges are
 * the doubles {@code i / 15.0}: a confidence equal to an edge double, such as {@code 0.6 == 9 / 15.0},
 * goes in the bin below the edge. A confidence of 0 (impossible as a max over C ≥ 1 classes, which is
 * at least 1/C; accepted by {@link #of(double[], boolean[])}) goes in bin 0. Over C classes the
 * confidence is at least 1/C, so the bins wholly below 1/C stay empty, and an example whose p̄ is
 * uniform lands in the bin whose upper edge is 1/C or just above it (C = 2: bin 7, (7/15, 8/15];
 * C = 3: bin 4, whose upper edge 5/15 is 1/3).
 *
 * <p>Per bin b with {@code n_b > 0} examples: the mean confidence {@code conf_b}, the accuracy
 * {@code acc_b} (the fraction right), and
 * <pre>{@code
 * ECE = Σ_b (n_b / N) · |acc_b − conf_b|
 * }</pre>
 * in [0, 1]; empty bins weigh nothing. Immutable.
 */
public final class Calibration {
    /** The number of equal-width confidence bins. */
    public static final int BINS = 15;

    private final List<Bin> bins;
    private final int examples;
    private final double expectedCalibrationError;

    /**
     * One bin of confidences, {@code lower < c ≤ upper}.
     *
     * @param lower the lower edge {@code i / 15.0}, excluded (bin 0 also takes a confidence of 0)
     * @param upper the upper edge {@code (i + 1) / 15.0}, included
     * @param count {@code n_b}, the examples whose confidence fell here
     * @param meanConfidence {@code conf_b}, their mean confidence; {@code NaN} when the bin is empty
     * @param accuracy {@code acc_b}, the fraction of them predicted right; {@code NaN} when the bin is
     *     empty
     */
    public record Bin(double lower, double upper, int count, double meanConfidence, double accuracy) {
        /** {@return whether no example fell in this bin} */
        public boolean isEmpty() {
            return count == 0;
        }
    }

    private Calibration(List<Bin> bins, int examples, double expectedCalibrationError) {
        this.bins = bins;
        this.examples = examples;
        this.expectedCalibrationError = expectedCalibrationError;
    }

    /**
     * Bins MC predictions by their confidence {@code max_c p̄_c}, right meaning that the argmax (lowest
     * index on ties, as {@link ClassPrediction#argmax()}) is the label. A mean probability rounded just
     * above 1 (the samples may sum to 1 within {@link ClassPrediction#SUM_TOLERANCE}) counts as 1.
     *
     * @param predictions one MC prediction per example, all over the same C classes
     * @param labels the true class of each example, in [0, C)
     * @return the calibration
     * @throws IllegalArgumentException when the lengths differ, N = 0, the predictions differ in C or
     *     a label is outside [0, C)
     */
    public static Calibration of(List<ClassPrediction> predictions, int[] labels) {
        int n = Inputs.classified(predictions, labels);
        double[] confidences = new double[n];
        boolean[] correct = new boolean[n];
        for (int i = 0; i < n; i++) {
            ClassPrediction p = predictions.get(i);
            int predicted = p.argmax();
            confidences[i] = Math.min(1, p.probability(predicted));
            correct[i] = predicted == labels[i];
        }
        return of(confidences, correct);
    }

    /**
     * Bins confidences given directly.
     *
     * @param confidences each example's confidence in its predicted class, in [0, 1]
     * @param correct whether each example's prediction is right
     * @return the calibration
     * @throws IllegalArgumentException when the lengths differ, N = 0 or a confidence is NaN or outside
     *     [0, 1]
     */
    public static Calibration of(double[] confidences, boolean[] correct) {
        Objects.requireNonNull(confidences, "confidences");
        Objects.requireNonNull(correct, "correct");
        int n = Inputs.examples(confidences.length, "confidences", correct.length, "correct flags");
        int[] counts = new int[BINS];
        int[] right = new int[BINS];
        double[] confidenceSums = new double[BINS];
        for (int i = 0; i < n; i++) {
            double c = confidences[i];
            if (!(c >= 0 && c <= 1)) {
                throw new IllegalArgumentException("example " + i + ": confidence " + c + " is not in [0, 1]");
            }
            int b = bin(c);
            counts[b]++;
            confidenceSums[b] += c;
            if (correct[i]) {
                right[b]++;
            }
        }
        List<Bin> bins = new ArrayList<>(BINS);
        double ece = 0;
        for (int b = 0; b < BINS; b++) {
            if (counts[b] == 0) {
                bins.add(new Bin(edge(b), edge(b + 1), 0, Double.NaN, Double.NaN));
                continue;
            }
            double meanConfidence = confidenceSums[b] / counts[b];
            double accuracy = (double) right[b] / counts[b];
            bins.add(new Bin(edge(b), edge(b + 1), counts[b], meanConfidence, accuracy));
            ece += (double) counts[b] / n * Math.abs(accuracy - meanConfidence);
        }
        return new Calibration(List.copyOf(bins), n, ece);
    }

    /** The edge {@code i / 15.0} between bins i − 1 and i. */
    static double edge(int i) {
        return (double) i / BINS;
    }

    /**
     * The bin of a confidence in [0, 1]: the i with {@code edge(i) < c <= edge(i + 1)}, 0 for c = 0. The
     * first guess {@code ceil(15c) − 1} can be off by one where {@code 15c} rounds onto or across an
     * integer ({@code 15 · nextUp(11 / 15.0)} is exactly 11.0); the comparisons with the edge doubles
     * settle it.
     */
    static int bin(double c) {
        int i = Math.min(BINS - 1, Math.max(0, (int) Math.ceil(c * BINS) - 1));
        while (i > 0 && c <= edge(i)) {
            i--;
        }
        while (i < BINS - 1 && c > edge(i + 1)) {
            i++;
        }
        return i;
    }

    /** {@return the {@value #BINS} bins, lowest confidence first, empty ones included} */
    public List<Bin> bins() {
        return bins;
    }

    /** {@return N, the number of examples binned} */
    public int examples() {
        return examples;
    }

    /** {@return {@code ECE = Σ_b (n_b / N) |acc_b − conf_b|}, in [0, 1]} */
    public double expectedCalibrationError() {
        return expectedCalibrationError;
    }

    @Override
    public String toString() {
        return "Calibration[N=" + examples + ", ECE=" + expectedCalibrationError + "]";
    }
}
