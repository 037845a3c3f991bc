package dev.vdrop.samples;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Cuts a series into the windows of {@code vdrop forecast}: each reads {@code window} steps up to
 * its origin o (the index of its last input value) and predicts the {@code steps} values at lead
 * times {@code lead … lead + steps − 1} after it, the targets {@code x[o + lead + j]},
 * {@code j = 0 … steps − 1} (lead 1, one step: tomorrow from the days up to today).
 *
 * <p>The features of input step {@code u} are the value input the window's {@link Scaling} gives,
 * then — unless the row features carry the calendar instead ({@code phase} false: the series has
 * dates) — {@code sin(2π·(u mod period)/period)} and {@code cos(…)}, then the row's own features
 * ({@code rowFeatures[u]}, e.g. calendar features and further input columns, if any), so a window
 * is a {@code window × (3 + k)} matrix, or {@code window × (1 + k)} without the phase. With lead 1,
 * one step and global scaling the training examples are exactly the runtime's {@code Windows}
 * (window, horizon 1, period).
 *
 * <p>Training windows have every target before the test span, one per origin from the first the
 * window allows, in time order. Test windows have one per test-span value at the first step:
 * origins {@code testStart − lead … rows − 1 − lead}, their inputs reaching back into the training
 * span as needed; a later step's target may lie past the data, and is then NaN. No test value is
 * ever an input or a target of a training window, and a test window never sees a value less than
 * {@code lead} steps before its first target.
 *
 * <p>Missing values (NaN in the series or in a row's features) drop windows, never rows: a
 * training window is dropped when any value it reads — inputs, or a target at any step — is
 * missing; a test window when an input is (a missing target is left out of that step's scores).
 * {@link Origins} counts the dropped.
 */
final class LeadTimeWindows {
    private final int window;
    private final int lead;
    private final int steps;
    private final int period;
    private final Scale scale;
    private final boolean phase;

    /** Windows with the season's phase features (a series without dates). */
    LeadTimeWindows(int window, int lead, int steps, int period, Scale scale) {
        this(window, lead, steps, period, scale, true);
    }

    /**
     * @param phase whether each step reads the season's phase as sine and cosine: true without dates,
     *     false when the row features hold the calendar
     */
    LeadTimeWindows(int window, int lead, int steps, int period, Scale scale, boolean phase) {
        if (window < 1 || lead < 1 || steps < 1 || period < 2) {
            throw new IllegalArgumentException("window, lead and steps must be ≥ 1 and period ≥ 2, got " + window + ", " + lead
                    + ", " + steps + ", " + period);
        }
        this.window = window;
        this.lead = lead;
        this.steps = steps;
        this.period = period;
        this.scale = scale;
        this.phase = phase;
    }

    /**
     * The origins of the windows kept, in time order, and how many were dropped for a missing value.
     *
     * @param kept the origins of the windows whose values are all observed
     * @param dropped how many windows touched a missing value
     */
    record Origins(int[] kept, int dropped) {
        int size() {
            return kept.length;
        }
    }

    /**
     * Windows cut and scaled: per window its inputs ({@code window × features}), its targets in the
     * network's units (one per step; NaN where the value is missing or past the data), its origin
     * and the map of its predictions back to the series' units.
     */
    record Part(double[][][] inputs, double[][] targets, int[] origins, AffineMap[] maps, int lead) {
        int size() {
            return targets.length;
        }

        /** {@return the index of each window's target at step {@code j} (from 0), possibly past the data} */
        int[] targetIndex(int j) {
            return Arrays.stream(origins).map(o -> o + lead + j).toArray();
        }

        /** {@return the index of each window's first target} */
        int[] targetIndex() {
            return targetIndex(0);
        }

        /** {@return the windows of {@code parts}, all with this lead, one part after the other} */
        static Part concat(List<Part> parts, int lead) {
            List<double[][]> inputs = new ArrayList<>();
            List<double[]> targets = new ArrayList<>();
            List<AffineMap> maps = new ArrayList<>();
            int[] origins = parts.stream().flatMapToInt(p -> Arrays.stream(p.origins())).toArray();
            for (Part p : parts) {
                if (p.lead() != lead) {
                    throw new IllegalArgumentException("a part of lead " + p.lead() + " among parts of lead " + lead);
                }
                inputs.addAll(List.of(p.inputs()));
                targets.addAll(List.of(p.targets()));
                maps.addAll(List.of(p.maps()));
            }
            return new Part(inputs.toArray(double[][][]::new), targets.toArray(double[][]::new), origins,
                    maps.toArray(AffineMap[]::new), lead);
        }
    }

    int window() {
        return window;
    }

    int lead() {
        return lead;
    }

    int steps() {
        return steps;
    }

    /** {@return the features of a window's step with {@code extra} row features: the value, the phase if read, the row's} */
    int features(int extra) {
        return (phase ? 3 : 1) + extra;
    }

    /** {@return the names of a window step's features, in order: the value, the season's phase if read, then the row's own} */
    List<String> inputNames(List<String> rowFeatures) {
        List<String> names = new ArrayList<>(phase ? List.of("value", "season_sin", "season_cos") : List.of("value"));
        names.addAll(rowFeatures);
        return names;
    }

    /** {@return the index of the target at step {@code j} (from 0) of the window with origin {@code o}} */
    int target(int o, int j) {
        return o + lead + j;
    }

    /** {@return the first origin whose window fits: the reach of the window less one, in long} */
    long firstOrigin() {
        return Scaling.reach(scale, window) - 1;
    }

    /**
     * The first index a first-step target can have, {@code firstOrigin() + lead}, in long (the
     * window and the lead may both be near {@link Integer#MAX_VALUE}).
     */
    long firstTarget() {
        return firstOrigin() + lead;
    }

    /** {@return the number of training windows a span of {@code testStart} values holds, before any is dropped} */
    long trainWindows(int testStart) {
        return Math.max(0, testStart - firstTarget() - (steps - 1));
    }

    /** Every window whose targets all lie before {@code testStart}, except those touching a missing value. */
    Origins trainOrigins(double[] x, double[][] rowFeatures, int testStart) {
        if (trainWindows(testStart) < 1) {
            throw new IllegalArgumentException("no window has all its targets before " + testStart);
        }
        return origins(x, rowFeatures, (int) firstOrigin(), testStart - lead - steps + 1, true);
    }

    /** One window per value of the test span {@code [testStart, x.length)} at the first step, except those reading a missing value. */
    Origins testOrigins(double[] x, double[][] rowFeatures, int testStart) {
        if (testStart - lead < firstOrigin()) {
            throw new IllegalArgumentException("target " + testStart + " has no full window before it");
        }
        return origins(x, rowFeatures, testStart - lead, x.length - lead, false);
    }

    /**
     * The windows whose first targets are the rows {@code first} (in time order, each with a full
     * window before it), except those reading a missing input: the origins {@code r − lead}.
     */
    Origins at(double[] x, double[][] rowFeatures, int[] first) {
        int[] kept = new int[first.length];
        int k = 0;
        for (int r : first) {
            if (r - lead < firstOrigin()) {
                throw new IllegalArgumentException("target " + r + " has no full window before it");
            }
            if (observed(x, rowFeatures, r - lead, false)) {
                kept[k++] = r - lead;
            }
        }
        return new Origins(Arrays.copyOf(kept, k), first.length - k);
    }

    /**
     * {@return the first row of the window with origin {@code o} that reads a missing value (its
     * value or a row feature), or −1 when it reads none}
     */
    int firstMissing(double[] x, double[][] rowFeatures, int o) {
        for (long u = o - firstOrigin(); u <= o; u++) {
            if (Double.isNaN(x[(int) u]) || u > o - window && rowFeatures != null && hasNaN(rowFeatures[(int) u])) {
                return (int) u;
            }
        }
        return -1;
    }

    private static boolean hasNaN(double[] row) {
        for (double f : row) {
            if (Double.isNaN(f)) {
                return true;
            }
        }
        return false;
    }

    private Origins origins(double[] x, double[][] rowFeatures, int from, int to, boolean targetsToo) {
        int n = Math.max(0, to - from);
        int[] kept = new int[n];
        int k = 0;
        for (int o = from; o < to; o++) {
            if (observed(x, rowFeatures, o, targetsToo)) {
                kept[k++] = o;
            }
        }
        return new Origins(Arrays.copyOf(kept, k), n - k);
    }

    private boolean observed(double[] x, double[][] rowFeatures, int o, boolean targetsToo) {
        for (long u = o - firstOrigin(); u <= o; u++) {
            if (Double.isNaN(x[(int) u])) {
                return false;
            }
        }
        if (rowFeatures != null) {
            for (int u = o - window + 1; u <= o; u++) {
                for (double f : rowFeatures[u]) {
                    if (Double.isNaN(f)) {
                        return false;
                    }
                }
            }
        }
        if (targetsToo) {
            for (int j = 0; j < steps; j++) {
                if (Double.isNaN(x[target(o, j)])) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * The windows with these origins, scaled.
     *
     * @param x the series, NaN where a value is missing
     * @param rowFeatures per row its own input features (each row as long), or null for none
     * @param where what to call value {@code i} in a message
     * @throws IllegalArgumentException when a value scales beyond float32's range, in which the network computes
     */
    Part examples(double[] x, double[][] rowFeatures, Origins origins, Scaling scaling, IntFunction<String> where) {
        int extra = rowFeatures == null || rowFeatures.length == 0 ? 0 : rowFeatures[0].length;
        int n = origins.size();
        double[][][] inputs = new double[n][][];
        double[][] targets = new double[n][steps];
        AffineMap[] maps = new AffineMap[n];
        for (int e = 0; e < n; e++) {
            int o = origins.kept()[e];
            double[][] rows = new double[window][features(extra)];
            int own = features(0);
            for (int s = 0; s < window; s++) {
                int u = o - window + 1 + s;
                rows[s][0] = checked(scaling.input(x, u, o), x, u, scaling, where);
                if (phase) {
                    double angle = 2 * Math.PI * (u % period) / period;
                    rows[s][1] = Math.sin(angle);
                    rows[s][2] = Math.cos(angle);
                }
                if (extra > 0) {
                    System.arraycopy(rowFeatures[u], 0, rows[s], own, extra);
                }
            }
            inputs[e] = rows;
            for (int j = 0; j < steps; j++) {
                int v = target(o, j);
                targets[e][j] = v < x.length && !Double.isNaN(x[v]) ? checked(scaling.target(x, v, o), x, v, scaling, where)
                        : Double.NaN;
            }
            maps[e] = scaling.map(x, o);
        }
        return new Part(inputs, targets, origins.kept().clone(), maps, lead);
    }

    private static double checked(double z, double[] x, int u, Scaling scaling, IntFunction<String> where) {
        if (!(Math.abs(z) <= Float.MAX_VALUE)) {
            throw new IllegalArgumentException(where.apply(u) + ": " + x[u] + " scales to " + z + " under --scale "
                    + scaling.mode().label() + " (scale " + scaling.scale() + " fitted on the training span), beyond "
                    + "float32's range (±" + Float.MAX_VALUE + ") in which the network computes");
        }
        return z;
    }
}
