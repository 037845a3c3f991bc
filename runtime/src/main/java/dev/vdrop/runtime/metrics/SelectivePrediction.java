package dev.vdrop.runtime.metrics;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Arrays;
import java.util.Objects;

/**
 * Selective prediction: the accuracy on the examples the model is most certain of, the rest
 * abstained on (El-Yaniv &amp; Wiener 2010; Geifman &amp; El-Yaniv 2017, arXiv 1705.08500).
 *
 * <p>At coverage x in (0, 1], the examples are ordered by an uncertainty score ascending (for
 * {@link ClassificationMetrics} the predictive entropy), equal scores in the order of the examples'
 * indices (a stable sort), and the first {@code m = ceil(x · N)} are kept:
 * <pre>{@code
 * accuracy@x = (1/m) Σ_{kept n} 1[prediction n is right]
 * }</pre>
 * x is read as its shortest decimal ({@link Double#toString(double)}), so {@code 0.7 · 10} is exactly
 * 7, not the 7.000000000000001 of binary floating point, and m is never 0. At x = 1 it is the plain
 * accuracy.
 */
public final class SelectivePrediction {
    private SelectivePrediction() {}

    /**
     * The accuracy on the {@code ceil(coverage · N)} examples with the lowest uncertainty.
     *
     * @param uncertainties one score per example, lower meaning more certain; ±∞ allowed, NaN not
     * @param correct whether each example's prediction is right
     * @param coverage x, the fraction kept, in (0, 1]
     * @return the accuracy on the kept examples, in [0, 1]
     * @throws IllegalArgumentException when the lengths differ, N = 0, a score is NaN or the coverage
     *     is not in (0, 1]
     */
    public static double accuracyAtCoverage(double[] uncertainties, boolean[] correct, double coverage) {
        Objects.requireNonNull(uncertainties, "uncertainties");
        Objects.requireNonNull(correct, "correct");
        int n = Inputs.examples(uncertainties.length, "uncertainties", correct.length, "correct flags");
        Inputs.notNaN(uncertainties, "the uncertainty");
        int kept = kept(n, coverage);
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        // Arrays.sort on objects is a stable merge sort: equal scores keep the index order.
        Arrays.sort(order, (i, j) -> Double.compare(uncertainties[i], uncertainties[j]));
        int right = 0;
        for (int k = 0; k < kept; k++) {
            if (correct[order[k]]) {
                right++;
            }
        }
        return (double) right / kept;
    }

    /**
     * The number of examples kept at a coverage: {@code ceil(coverage · n)} with the coverage read as
     * its shortest decimal.
     *
     * @param n N ≥ 1
     * @param coverage x in (0, 1]
     * @return m in [1, n]
     * @throws IllegalArgumentException when the coverage is not in (0, 1]
     */
    public static int kept(int n, double coverage) {
        if (!(coverage > 0 && coverage <= 1)) {
            throw new IllegalArgumentException("coverage " + coverage + " is not in (0, 1]");
        }
        return BigDecimal.valueOf(coverage).multiply(BigDecimal.valueOf(n)).setScale(0, RoundingMode.CEILING)
                .intValueExact();
    }
}
