package dev.vdrop.runtime.series;

import java.util.Objects;

/**
 * Cuts a standardised series into supervised examples for an LSTM forecaster: the inputs are
 * {@code window} consecutive steps, each with {@link #features()} features, and the target is the
 * next {@code horizon} values.
 *
 * <p>Features of step {@code t}, in this order: the series value {@code x[t]}; then, when
 * {@code period > 0}, the seasonal phase {@code sin(2π·(t mod period)/period)} and
 * {@code cos(2π·(t mod period)/period)}, where {@code t} is the index in the series (for daily
 * births, period 7: the day of the week, up to a constant rotation that the model absorbs).
 *
 * <p>{@link #split(double[])} makes the split used by the samples: the last 20% of the rows, from
 * {@link #testStart(int)} on, is the test span. Training examples are every window (stride 1) whose
 * targets all lie before the test span, so no training example sees a test value. Test examples
 * predict every test-span value exactly once: their targets are consecutive blocks of
 * {@code horizon} values from the start of the test span (the last block is shorter when the test
 * span's length is not a multiple of the horizon), and their inputs are the {@code window} values just
 * before each block, which may reach back into the training span.
 *
 * <p>Built with {@link #builder()}; {@code window} is required, {@code horizon} defaults to 1 and
 * {@code period} to 0 (no phase features); all are checked in {@link Builder#build()}.
 */
public final class Windows {
    private final int window;
    private final int horizon;
    private final int period;

    private Windows(int window, int horizon, int period) {
        this.window = window;
        this.horizon = horizon;
        this.period = period;
    }

    /** {@return a builder with no window yet, horizon 1 and period 0} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return the number of input steps per example} */
    public int window() {
        return window;
    }

    /** {@return the number of values predicted per example} */
    public int horizon() {
        return horizon;
    }

    /** {@return the length of the season encoded as phase features, or 0 for none} */
    public int period() {
        return period;
    }

    /** {@return the number of features per input step: 1, or 3 with phase features (value, sin, cos)} */
    public int features() {
        return period > 0 ? 3 : 1;
    }

    /**
     * Where the test span of a series of {@code rows} values starts: {@code ⌊0.8 · rows⌋}, so the test
     * span is the last 20% (rounded up) and the training span the first 80% (rounded down).
     *
     * @param rows the length of the series, ≥ 0
     * @return the first index of the test span
     * @throws IllegalArgumentException when rows is negative
     */
    public static int testStart(int rows) {
        if (rows < 0) {
            throw new IllegalArgumentException("a series cannot have " + rows + " rows");
        }
        return (int) (rows * 4L / 5);
    }

    /**
     * Splits a standardised series into training and test examples, as the class description says.
     *
     * @param series the whole series, already standardised (fit the {@link Normalizer} on
     *     {@code [0, testStart(series.length))} only)
     * @return the training and test examples
     * @throws IllegalArgumentException when a value is not finite or beyond float32's range, or when
     *     the training span is too short for one training example
     */
    public Split split(double[] series) {
        Objects.requireNonNull(series, "series");
        for (int i = 0; i < series.length; i++) {
            if (!Double.isFinite(series[i])) {
                throw new IllegalArgumentException("value " + i + " of the series is " + series[i]
                        + "; windows need finite values");
            }
            if (Math.abs(series[i]) > Float.MAX_VALUE) {
                throw new IllegalArgumentException("value " + i + " of the series is " + series[i] + ", beyond float32's "
                        + "range (±" + Float.MAX_VALUE + ") in which the network computes; standardise the series first");
            }
        }
        int n = series.length;
        int testStart = testStart(n);
        long trainCount = (long) testStart - window - horizon + 1;
        if (trainCount < 1) {
            throw new IllegalArgumentException("a series of " + n + " values has a training span of " + testStart
                    + " (the first 80%), too short for one training example of window " + window + " + horizon "
                    + horizon + "; it needs a training span of at least " + ((long) window + horizon) + " values");
        }
        int[] trainTargets = new int[(int) trainCount];
        for (int e = 0; e < trainCount; e++) {
            trainTargets[e] = e + window;
        }
        int testCount = (int) (((long) n - testStart + horizon - 1) / horizon);
        int[] testTargets = new int[testCount];
        for (int e = 0; e < testCount; e++) {
            testTargets[e] = testStart + e * horizon;
        }
        return new Split(examples(series, trainTargets, testStart), examples(series, testTargets, n), testStart, n);
    }

    /** One example per target start; targets are cut at {@code targetLimit}. */
    private Examples examples(double[] series, int[] targetStarts, int targetLimit) {
        double[][][] inputs = new double[targetStarts.length][][];
        double[][] targets = new double[targetStarts.length][];
        for (int e = 0; e < targetStarts.length; e++) {
            int t = targetStarts[e];
            inputs[e] = inputs(series, t);
            double[] target = new double[Math.min(horizon, targetLimit - t)];
            System.arraycopy(series, t, target, 0, target.length);
            targets[e] = target;
        }
        return new Examples(inputs, targets, targetStarts);
    }

    /** The features of the {@code window} steps {@code [end − window, end)}. */
    double[][] inputs(double[] series, int end) {
        double[][] steps = new double[window][features()];
        for (int s = 0; s < window; s++) {
            int t = end - window + s;
            steps[s][0] = series[t];
            if (period > 0) {
                double angle = 2 * Math.PI * (t % period) / period;
                steps[s][1] = Math.sin(angle);
                steps[s][2] = Math.cos(angle);
            }
        }
        return steps;
    }

    @Override
    public String toString() {
        return "Windows[window=" + window + ", horizon=" + horizon + ", period=" + period + "]";
    }

    /** Settings of {@link Windows}; {@link #build()} checks them. */
    public static final class Builder {
        private int window;
        private int horizon = 1;
        private int period;

        private Builder() {}

        /**
         * Sets the window, required.
         *
         * @param window the steps of input per example, at least 1
         * @return this builder
         */
        public Builder window(int window) {
            this.window = window;
            return this;
        }

        /**
         * Sets the horizon.
         *
         * @param horizon the values predicted per example, at least 1; default 1
         * @return this builder
         */
        public Builder horizon(int horizon) {
            this.horizon = horizon;
            return this;
        }

        /**
         * Sets the season encoded as phase features.
         *
         * @param period the season's length, at least 2, or 0 for none; default 0
         * @return this builder
         */
        public Builder period(int period) {
            this.period = period;
            return this;
        }

        /**
         * Checks the settings and makes the {@link Windows}.
         *
         * @return the windows
         * @throws IllegalArgumentException when the window is missing or below 1, the horizon is below
         *     1, or the period is negative or 1
         */
        public Windows build() {
            if (window < 1) {
                throw new IllegalArgumentException(window == 0
                        ? "window is required: set the number of input steps per example with window(n), n >= 1"
                        : "window must be at least 1, got " + window);
            }
            if (horizon < 1) {
                throw new IllegalArgumentException("horizon must be at least 1, got " + horizon);
            }
            if (period < 0 || period == 1) {
                throw new IllegalArgumentException("period must be 0 (no phase features) or the season's length >= 2"
                        + " (e.g. 7 for the day of the week), got " + period);
            }
            return new Windows(window, horizon, period);
        }
    }
}
