package dev.vdrop.runtime.metrics;

import java.util.Arrays;
import java.util.Objects;

/**
 * The area under the ROC curve of a score as a detector of positives, for uncertainty as a detector
 * of wrong predictions (Hendrycks &amp; Gimpel 2017, arXiv 1610.02136): positives are the wrong
 * predictions, the score is an uncertainty such as the predictive entropy or the mutual information,
 * and a higher score should mean "more likely wrong".
 *
 * <p>It is computed in the Mann–Whitney form, the probability that a random positive scores higher
 * than a random negative, ties counted one half:
 * <pre>{@code
 * AUROC = (1 / (P · Q)) Σ_{i positive} Σ_{j negative} ( 1[s_i > s_j] + ½ · 1[s_i = s_j] )
 * }</pre>
 * with P positives and Q negatives, by sorting: O(N log N) time, O(N) memory. 1 is a perfect
 * detector, 0.5 a useless one (or every score equal), 0 a perfectly inverted one. It is undefined
 * when P = 0 or Q = 0 (every prediction right, or every one wrong) and is then {@code NaN}.
 */
public final class Auroc {
    private Auroc() {}

    /**
     * The AUROC of {@code scores} as a detector of {@code positives}.
     *
     * @param scores one score per example, higher meaning "more likely positive"; ±∞ are allowed,
     *     NaN is not
     * @param positives whether each example is a positive (for error detection: whether its
     *     prediction is wrong)
     * @return the AUROC in [0, 1], or {@code NaN} when there is no positive or no negative
     * @throws IllegalArgumentException when the lengths differ, N = 0 or a score is NaN
     */
    public static double of(double[] scores, boolean[] positives) {
        Objects.requireNonNull(scores, "scores");
        Objects.requireNonNull(positives, "positives");
        int n = Inputs.examples(scores.length, "scores", positives.length, "positive flags");
        Inputs.notNaN(scores, "the score");
        int p = 0;
        for (boolean positive : positives) {
            if (positive) {
                p++;
            }
        }
        int q = n - p;
        if (p == 0 || q == 0) {
            return Double.NaN;
        }
        double[] pos = new double[p];
        double[] neg = new double[q];
        for (int i = 0, a = 0, b = 0; i < n; i++) {
            if (positives[i]) {
                pos[a++] = scores[i];
            } else {
                neg[b++] = scores[i];
            }
        }
        Arrays.sort(pos);
        Arrays.sort(neg);
        // Walk both sorted lists a group of equal scores at a time: each positive of the group beats
        // every negative below it and ties with the group's negatives. (-0.0 and 0.0 are equal here and
        // adjacent after sorting.)
        double wins = 0;
        int a = 0;
        int b = 0;
        while (a < p) {
            double v = b < q ? Math.min(pos[a], neg[b]) : pos[a];
            int below = b;
            int groupPos = 0;
            while (a < p && pos[a] == v) {
                a++;
                groupPos++;
            }
            int groupNeg = 0;
            while (b < q && neg[b] == v) {
                b++;
                groupNeg++;
            }
            wins += groupPos * (below + 0.5 * groupNeg);
        }
        return wins / ((double) p * q);
    }
}
