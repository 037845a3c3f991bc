package dev.vdrop.samples;

import dev.vdrop.runtime.train.TrainingException;
import java.util.Map;

/**
 * A run whose final scores are not all finite numbers failed: it ends as a training failure (one
 * line, exit code 1, {@link Main}), before any report is written, never as a success whose report
 * holds "Infinity" beside numbers that look fine.
 */
final class FiniteScores {
    private FiniteScores() {}

    /**
     * Checks every score.
     *
     * @param run what ran, the message's start: {@code "forecast"}, {@code "scheme awd"}
     * @param scores the scores by what the message calls them, e.g. {@code "test RMSE"}, in the order to check
     * @throws TrainingException naming the first score that is NaN or infinite
     */
    static void require(String run, Map<String, Double> scores) {
        scores.forEach((what, value) -> {
            if (!Double.isFinite(value)) {
                throw new TrainingException(run + ": the " + what + " came out " + value + ", not a finite number, so the "
                        + "run failed and no report is written (the model's outputs overflowed or are not numbers)");
            }
        });
    }
}
