package dev.vdrop.runtime.mc;

import java.util.Objects;

/**
 * The MC-dropout prediction for one position of a classifier, from K sampled probability vectors
 * {@code p_1 … p_K} over C classes (Gal &amp; Ghahramani 2016, arXiv 1506.02142, §5; the
 * decomposition is BALD's, Houlsby et al. 2011):
 *
 * <ul>
 *   <li>{@link #mean()} {@code p̄ = (1/K) Σ_k p_k}, the average of the probabilities. It is never
 *       computed from averaged logits: {@code softmax(mean of logits)} is a different, over-confident
 *       quantity.</li>
 *   <li>{@link #predictiveEntropy()} {@code H[p̄] = −Σ_c p̄_c log p̄_c}: total uncertainty.</li>
 *   <li>{@link #expectedEntropy()} {@code (1/K) Σ_k H[p_k]}: the part the model expects even with
 *       known weights (aleatoric).</li>
 *   <li>{@link #mutualInformation()} {@code H[p̄] − (1/K) Σ_k H[p_k]}: the disagreement between
 *       passes (epistemic), the BALD score.</li>
 *   <li>{@link #variationRatio()} {@code 1 − m/K}, where m is the number of samples whose own argmax
 *       is the modal class (the class that is the argmax of the most samples): the fraction of passes
 *       that vote against the majority (Freeman 1965; Gal 2016, "Uncertainty in Deep Learning", PhD thesis). It counts votes and
 *       ignores how confident each pass is.</li>
 * </ul>
 *
 * <p>Logarithms are natural, so entropies are in nats (the maximum over C classes is {@code log C});
 * {@code 0 log 0} is taken as 0.
 *
 * <p>Each sample must be a probability vector: finite, non-negative entries summing to 1 within
 * {@value #SUM_TOLERANCE} (float softmax outputs pass). Immutable; make one with
 * {@link #of(double[][])} or, without keeping all K vectors, with {@link #accumulator(int)}.
 */
public final class ClassPrediction {
    /** How far from 1 a sample's sum may be. */
    public static final double SUM_TOLERANCE = 1e-4;

    private final double[] mean;
    private final int samples;
    private final double predictiveEntropy;
    private final double expectedEntropy;
    private final int modalVotes;

    private ClassPrediction(double[] mean, int samples, double predictiveEntropy, double expectedEntropy, int modalVotes) {
        this.mean = mean;
        this.samples = samples;
        this.predictiveEntropy = predictiveEntropy;
        this.expectedEntropy = expectedEntropy;
        this.modalVotes = modalVotes;
    }

    /**
     * Summarises K sampled probability vectors.
     *
     * @param samples the probability vectors {@code [K][C]}, one per pass
     * @return the prediction
     * @throws IllegalArgumentException when there is no sample or no class, when the samples have
     *     different lengths, or when a sample is not a probability vector
     */
    public static ClassPrediction of(double[][] samples) {
        Objects.requireNonNull(samples, "samples");
        if (samples.length == 0) {
            throw new IllegalArgumentException("an MC prediction needs at least one sample (K >= 1), got none");
        }
        if (samples[0] == null) {
            throw new IllegalArgumentException("sample 0 is null");
        }
        Accumulator accumulator = accumulator(samples[0].length);
        for (double[] sample : samples) {
            accumulator.add(sample);
        }
        return accumulator.result();
    }

    /**
     * An accumulator that summarises samples as they come, without keeping them.
     *
     * @param classes C, the length of every sample
     * @return an empty accumulator
     */
    public static Accumulator accumulator(int classes) {
        return new Accumulator(classes);
    }

    /** {@return K, the number of samples} */
    public int samples() {
        return samples;
    }

    /** {@return C, the number of classes} */
    public int classes() {
        return mean.length;
    }

    /** {@return a copy of the averaged probabilities {@code p̄}} */
    public double[] mean() {
        return mean.clone();
    }

    /**
     * The averaged probability of one class.
     *
     * @param c the class, in [0, C)
     * @return {@code p̄_c}
     */
    public double probability(int c) {
        return mean[c];
    }

    /** {@return the class with the highest averaged probability; the lowest index on ties} */
    public int argmax() {
        int best = 0;
        for (int c = 1; c < mean.length; c++) {
            if (mean[c] > mean[best]) {
                best = c;
            }
        }
        return best;
    }

    /** {@return the averaged probability of the predicted class, {@code p̄} at {@link #argmax()}: the prediction's confidence} */
    public double predictedProbability() {
        return mean[argmax()];
    }

    /** {@return {@code H[p̄] = −Σ_c p̄_c log p̄_c}, in nats} */
    public double predictiveEntropy() {
        return predictiveEntropy;
    }

    /** {@return {@code E_k[H[p_k]] = (1/K) Σ_k H[p_k]}, in nats} */
    public double expectedEntropy() {
        return expectedEntropy;
    }

    /**
     * The mutual information {@code H[p̄] − E_k[H[p_k]]}, in nats. It is ≥ 0 because the entropy is
     * concave; rounding can make the difference slightly negative (a few ulps, e.g. when all samples
     * are equal), and such a negative difference is returned as 0.
     *
     * @return the mutual information, ≥ 0
     */
    public double mutualInformation() {
        return Math.max(0, predictiveEntropy - expectedEntropy);
    }

    /**
     * The variation ratio {@code 1 − m/K}: each sample votes for its own argmax (the lowest index on
     * ties, as {@link #argmax()}), and m is the number of votes of the class with the most. It is 0 when
     * every pass picks the same class and at most {@code 1 − 1/C} (votes spread evenly); with K = 1 it
     * is 0. Which class is modal when two tie does not matter: m is the same.
     *
     * @return the variation ratio, in {@code [0, 1 − 1/C]}
     */
    public double variationRatio() {
        return 1 - (double) modalVotes / samples;
    }

    /** {@code −Σ p log p} in nats, with {@code 0 log 0 = 0}. */
    static double entropy(double[] p) {
        double h = 0;
        for (double pc : p) {
            if (pc > 0) {
                h -= pc * Math.log(pc);
            }
        }
        return h;
    }

    @Override
    public String toString() {
        return "ClassPrediction[K=" + samples + ", C=" + mean.length + ", argmax=" + argmax() + ", predictiveEntropy="
                + predictiveEntropy + ", mutualInformation=" + mutualInformation() + ", variationRatio=" + variationRatio() + "]";
    }

    /**
     * Adds samples one at a time, keeping only the running sums and each class's count of votes
     * (samples whose argmax it is: {@code 2C + 1} numbers), for when K
     * passes over a large output are too many to hold. Mutable and not thread-safe;
     * {@link #result()} may be called at any point and adding may go on afterwards.
     */
    public static final class Accumulator {
        private final double[] sum;
        private final int[] votes;
        private double entropySum;
        private int count;

        private Accumulator(int classes) {
            if (classes < 1) {
                throw new IllegalArgumentException("an MC prediction needs at least one class, got " + classes);
            }
            this.sum = new double[classes];
            this.votes = new int[classes];
        }

        /**
         * Adds one pass's probability vector.
         *
         * @param probabilities the pass's probabilities over the classes
         * @return this accumulator
         * @throws IllegalArgumentException when it is not a probability vector over this accumulator's
         *     classes; the accumulator is then unchanged
         */
        public Accumulator add(double[] probabilities) {
            if (probabilities == null) {
                throw new IllegalArgumentException("sample " + count + " is null");
            }
            if (probabilities.length != sum.length) {
                throw new IllegalArgumentException("sample " + count + " has " + probabilities.length + " probabilities; expected one per class, "
                        + sum.length);
            }
            double total = 0;
            int vote = 0;
            for (int c = 0; c < probabilities.length; c++) {
                double p = probabilities[c];
                if (!(p >= 0) || Double.isInfinite(p)) {
                    throw new IllegalArgumentException("sample " + count + ", class " + c + ": " + p
                            + " is not a probability; pass softmax outputs, not logits");
                }
                total += p;
                if (p > probabilities[vote]) {
                    vote = c;
                }
            }
            if (Math.abs(total - 1) > SUM_TOLERANCE) {
                throw new IllegalArgumentException("sample " + count + " sums to " + total + ", not 1 (tolerance " + SUM_TOLERANCE
                        + "); pass softmax outputs, not logits");
            }
            for (int c = 0; c < probabilities.length; c++) {
                sum[c] += probabilities[c];
            }
            entropySum += entropy(probabilities);
            votes[vote]++;
            count++;
            return this;
        }

        /** {@return the number of samples added so far} */
        public int samples() {
            return count;
        }

        /**
         * The prediction from the samples added so far.
         *
         * @return the prediction
         * @throws IllegalStateException when no sample has been added
         */
        public ClassPrediction result() {
            if (count == 0) {
                throw new IllegalStateException("no sample added yet: an MC prediction needs at least one (K >= 1)");
            }
            double[] mean = new double[sum.length];
            for (int c = 0; c < mean.length; c++) {
                mean[c] = sum[c] / count;
            }
            int modalVotes = 0;
            for (int v : votes) {
                modalVotes = Math.max(modalVotes, v);
            }
            return new ClassPrediction(mean, count, entropy(mean), entropySum / count, modalVotes);
        }
    }
}
