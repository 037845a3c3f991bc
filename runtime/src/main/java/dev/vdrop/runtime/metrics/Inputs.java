package dev.vdrop.runtime.metrics;

import dev.vdrop.runtime.mc.ClassPrediction;
import java.util.List;
import java.util.Objects;

/** The checks every metric makes on its input before computing anything; each message names the example. */
final class Inputs {
    private Inputs() {}

    /**
     * Checks that there is at least one example and that two inputs have one entry per example.
     *
     * @return N
     */
    static int examples(int first, String firstName, int second, String secondName) {
        if (first != second) {
            throw new IllegalArgumentException("got " + first + " " + firstName + " but " + second + " " + secondName
                    + "; give one per example");
        }
        if (first == 0) {
            throw new IllegalArgumentException("no example: a metric needs N >= 1 (got 0 " + firstName + ")");
        }
        return first;
    }

    /** Checks predictions and labels: same count, N ≥ 1, one class count, every label in [0, C). */
    static int classified(List<ClassPrediction> predictions, int[] labels) {
        Objects.requireNonNull(predictions, "predictions");
        Objects.requireNonNull(labels, "labels");
        int n = examples(predictions.size(), "predictions", labels.length, "labels");
        int classes = -1;
        for (int i = 0; i < n; i++) {
            ClassPrediction p = predictions.get(i);
            if (p == null) {
                throw new IllegalArgumentException("example " + i + ": the prediction is null");
            }
            if (classes < 0) {
                classes = p.classes();
            } else if (p.classes() != classes) {
                throw new IllegalArgumentException("example " + i + ": the prediction has " + p.classes()
                        + " classes, example 0's has " + classes + "; every prediction must be over the same classes");
            }
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("example " + i + ": label " + labels[i] + " is outside [0, " + classes
                        + ")");
            }
        }
        return n;
    }

    /** Checks that no value is NaN. */
    static void notNaN(double[] values, String what) {
        for (int i = 0; i < values.length; i++) {
            if (Double.isNaN(values[i])) {
                throw new IllegalArgumentException("example " + i + ": " + what + " is NaN");
            }
        }
    }

    /** Checks that every value is finite. */
    static void finite(double[] values, String what) {
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new IllegalArgumentException("example " + i + ": " + what + " " + values[i] + " is not finite");
            }
        }
    }
}
