package dev.vdrop.runtime.train;

/**
 * Which validation score chooses the best epoch and drives early stopping.
 *
 * @param metric the score's name, as the {@link Validation} returns it
 * @param higherIsBetter true for accuracy, false for a loss or perplexity
 */
record Selection(String metric, boolean higherIsBetter) {
    /** {@return the value no score beats: the starting point of the best so far} */
    double worst() {
        return higherIsBetter ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }

    /** {@return whether {@code score} is strictly better than {@code best}} */
    boolean improves(double score, double best) {
        return higherIsBetter ? score > best : score < best;
    }
}
