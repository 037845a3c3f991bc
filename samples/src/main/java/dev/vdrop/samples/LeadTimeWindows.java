package dev.vdrop.samples;

/**
 * Cuts a standardised series into windows that predict one value {@code lead} steps after their
 * end: the input of the example for target index {@code t} is the {@code window} steps
 * {@code [t − lead + 1 − window, t − lead + 1)}, so its last observed value is {@code x[t − lead]}
 * (lead 1: tomorrow from the days up to today).
 *
 * <p>The features of step {@code u} are those of the runtime's {@code Windows}: the value
 * {@code x[u]}, then {@code sin(2π·(u mod period)/period)} and {@code cos(…)}. With lead 1 the
 * training examples are exactly {@code Windows}' (window, horizon 1, period). {@code Windows} reads
 * a horizon as a block of the next H values; the forecast command needs one value at lead time H
 * for every test-span value, hence this class.
 *
 * <p>Training examples have every target before the test span, one per target index from the first
 * the window allows, in time order. Test examples have one per test-span value, in order, their
 * windows reaching back into the training span as needed; no test value is ever an input of a
 * training example's target, and a test window never sees a value less than {@code lead} steps
 * before its target.
 */
final class LeadTimeWindows {
    private final int window;
    private final int lead;
    private final int period;

    LeadTimeWindows(int window, int lead, int period) {
        if (window < 1 || lead < 1 || period < 2) {
            throw new IllegalArgumentException("window and lead must be ≥ 1 and period ≥ 2, got " + window + ", " + lead
                    + ", " + period);
        }
        this.window = window;
        this.lead = lead;
        this.period = period;
    }

    /** Examples for the target indices {@code [from, to)}. */
    record Part(double[][][] inputs, double[][] targets, int[] targetIndex) {
        int size() {
            return targets.length;
        }
    }

    /**
     * The first target index a window fits before: {@code window + lead − 1}, in long (both may be
     * near {@link Integer#MAX_VALUE}).
     */
    long firstTarget() {
        return (long) window + lead - 1;
    }

    int window() {
        return window;
    }

    /** Every example whose target lies before {@code testStart}. */
    Part train(double[] series, int testStart) {
        if (firstTarget() >= testStart) {
            throw new IllegalArgumentException("no target before " + testStart + " has a full window before it");
        }
        return examples(series, (int) firstTarget(), testStart);
    }

    /** One example per value of the test span {@code [testStart, series.length)}. */
    Part test(double[] series, int testStart) {
        return examples(series, testStart, series.length);
    }

    private Part examples(double[] series, int from, int to) {
        if (from < firstTarget()) {
            throw new IllegalArgumentException("target " + from + " has no full window before it");
        }
        int n = Math.max(0, to - from);
        double[][][] inputs = new double[n][][];
        double[][] targets = new double[n][];
        int[] index = new int[n];
        for (int e = 0; e < n; e++) {
            int t = from + e;
            inputs[e] = features(series, t - lead + 1);
            targets[e] = new double[] {series[t]};
            index[e] = t;
        }
        return new Part(inputs, targets, index);
    }

    /** The features of the {@code window} steps {@code [end − window, end)}. */
    private double[][] features(double[] series, int end) {
        double[][] steps = new double[window][3];
        for (int s = 0; s < window; s++) {
            int u = end - window + s;
            double angle = 2 * Math.PI * (u % period) / period;
            steps[s][0] = series[u];
            steps[s][1] = Math.sin(angle);
            steps[s][2] = Math.cos(angle);
        }
        return steps;
    }
}
