package dev.vdrop.runtime.series;

/**
 * Supervised examples cut from a series by {@link Windows}: inputs {@code [examples][window][features]},
 * targets {@code [examples][≤ horizon]}, and for each example the index in the series of its first
 * target value (target {@code j} of example {@code e} is {@code series[targetIndex()[e] + j]}).
 *
 * <p>Every target has {@code horizon} values except, in a test set, possibly the last one, which is
 * cut at the end of the series. The accessors return fresh copies; keep the copy rather than calling
 * them in a loop.
 */
public final class Examples {
    private final double[][][] inputs;
    private final double[][] targets;
    private final int[] targetIndex;

    Examples(double[][][] inputs, double[][] targets, int[] targetIndex) {
        this.inputs = inputs;
        this.targets = targets;
        this.targetIndex = targetIndex.clone();
    }

    /** {@return the number of examples} */
    public int size() {
        return targets.length;
    }

    /** {@return a copy of the inputs, {@code [examples][window][features]}} */
    public double[][][] inputs() {
        double[][][] copy = new double[inputs.length][][];
        for (int e = 0; e < inputs.length; e++) {
            copy[e] = copy(inputs[e]);
        }
        return copy;
    }

    /** {@return a copy of the targets, {@code [examples][horizon]} (the last may be shorter; see the class)} */
    public double[][] targets() {
        return copy(targets);
    }

    /** {@return a copy of the series index of each example's first target value} */
    public int[] targetIndex() {
        return targetIndex.clone();
    }

    /** {@return the number of target values over all examples} */
    public int targetCount() {
        int count = 0;
        for (double[] target : targets) {
            count += target.length;
        }
        return count;
    }

    private static double[][] copy(double[][] rows) {
        double[][] copy = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            copy[i] = rows[i].clone();
        }
        return copy;
    }
}
