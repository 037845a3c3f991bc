package dev.vdrop.runtime.train;

import java.util.Map;

/**
 * What one epoch of the loop measured, before a configuration turns it into its public record.
 *
 * @param epoch from 1
 * @param learningRate the epoch's rate
 * @param train the training measure ({@link Objective}), dropout on
 * @param validation the validation scores by name, dropout off; empty when nothing is held out
 * @param throughput training units per second
 * @param seconds wall time, validation included
 */
record EpochRecord(int epoch, double learningRate, double train, Map<String, Double> validation, double throughput,
                   double seconds) {
    EpochRecord {
        validation = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(validation));
    }

    /** {@return a validation score, NaN when it was not measured} */
    double valid(String name) {
        return validation.getOrDefault(name, Double.NaN);
    }
}
