package dev.vdrop.runtime.forecast;

import dev.vdrop.runtime.mc.RegressionPrediction;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Windows cut and scaled by {@link LeadTimeWindows#examples}: per window its inputs
 * ({@code window × features}), its targets in the network's units (one per step; NaN where the
 * value is missing or past the data), its origin and the {@link AffineMap} of its predictions back
 * to the series' units. Target j (from 0) of the window with origin o is row {@code o + lead + j}.
 *
 * <p>What a trainer and {@link dev.vdrop.runtime.eval.McPredictor#forecast} take:
 * {@code trainer.train(network, train.inputs(), train.targets())}, then
 * {@code test.map(McPredictor.forecast(network, test.inputs(), k, seed))} in the series' units. The
 * array accessors return fresh copies; keep the copy rather than calling them in a loop. Immutable.
 */
public final class ScaledWindows {
    private final double[][][] inputs;
    private final double[][] targets;
    private final int[] origins;
    private final AffineMap[] maps;
    private final int lead;
    private final int steps;

    /** Takes the arrays as they are: {@link LeadTimeWindows} makes them and hands them over. */
    ScaledWindows(double[][][] inputs, double[][] targets, int[] origins, AffineMap[] maps, int lead, int steps) {
        this.inputs = inputs;
        this.targets = targets;
        this.origins = origins;
        this.maps = maps;
        this.lead = lead;
        this.steps = steps;
    }

    /**
     * The windows of several sets, one set after the other: e.g. the test windows of several
     * backtest origins, each scaled by the scaling of the model trained before it.
     *
     * @param parts at least one set, all of the same lead and steps
     * @return their windows, in order
     * @throws IllegalArgumentException when there is no set, or the sets' leads or steps differ
     */
    public static ScaledWindows concat(List<ScaledWindows> parts) {
        Objects.requireNonNull(parts, "parts");
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("concat needs at least one set of windows, got none");
        }
        ScaledWindows first = parts.get(0);
        List<double[][]> inputs = new ArrayList<>();
        List<double[]> targets = new ArrayList<>();
        List<AffineMap> maps = new ArrayList<>();
        int n = 0;
        for (ScaledWindows p : parts) {
            if (p.lead != first.lead || p.steps != first.steps) {
                throw new IllegalArgumentException("windows of lead " + p.lead + " and " + p.steps + " steps among windows "
                        + "of lead " + first.lead + " and " + first.steps + " steps; concatenate windows of one shape");
            }
            n += p.size();
        }
        int[] origins = new int[n];
        int at = 0;
        for (ScaledWindows p : parts) {
            inputs.addAll(List.of(p.inputs));
            targets.addAll(List.of(p.targets));
            maps.addAll(List.of(p.maps));
            System.arraycopy(p.origins, 0, origins, at, p.size());
            at += p.size();
        }
        return new ScaledWindows(inputs.toArray(double[][][]::new), targets.toArray(double[][]::new), origins,
                maps.toArray(AffineMap[]::new), first.lead, first.steps);
    }

    /** {@return the number of windows} */
    public int size() {
        return targets.length;
    }

    /** {@return the lead time of each window's first target: it is row {@code origin + lead}} */
    public int lead() {
        return lead;
    }

    /** {@return the number of targets of each window, one per step} */
    public int steps() {
        return steps;
    }

    /** {@return a copy of the inputs, {@code [windows][window][features]}} */
    public double[][][] inputs() {
        double[][][] copy = new double[inputs.length][][];
        for (int e = 0; e < inputs.length; e++) {
            copy[e] = copy(inputs[e]);
        }
        return copy;
    }

    /** {@return a copy of the targets in the network's units, {@code [windows][steps]}; NaN where missing or past the data} */
    public double[][] targets() {
        return copy(targets);
    }

    /** {@return a copy of the windows' origins, the rows of their last inputs} */
    public int[] origins() {
        return origins.clone();
    }

    /**
     * A window's origin.
     *
     * @param e which window, from 0
     * @return the row of its last input
     * @throws IndexOutOfBoundsException unless {@code 0 <= e < size()}
     */
    public int origin(int e) {
        return origins[e];
    }

    /**
     * A window's map back to the series' units.
     *
     * @param e which window, from 0
     * @return its map
     * @throws IndexOutOfBoundsException unless {@code 0 <= e < size()}
     */
    public AffineMap map(int e) {
        return maps[e];
    }

    /** {@return every window's map back to the series' units, in order (an unmodifiable list)} */
    public List<AffineMap> maps() {
        return List.of(maps);
    }

    /**
     * The rows of every window's target at one step.
     *
     * @param j the step, from 0 to {@code steps() − 1}
     * @return per window {@code origin + lead + j}, possibly past the data
     * @throws IllegalArgumentException when j is not a step of these windows
     */
    public int[] targetIndex(int j) {
        if (j < 0 || j >= steps) {
            throw new IllegalArgumentException("the windows have steps 0 to " + (steps - 1) + ", got " + j);
        }
        int[] out = new int[origins.length];
        for (int e = 0; e < origins.length; e++) {
            out[e] = origins[e] + lead + j;
        }
        return out;
    }

    /** {@return the row of every window's first target, {@code targetIndex(0)}} */
    public int[] targetIndex() {
        return targetIndex(0);
    }

    /**
     * Reads the windows' MC predictions in the series' units, each through its window's map.
     *
     * @param predictions per window and step, in the network's units, as
     *     {@link dev.vdrop.runtime.eval.McPredictor#forecast} gives them: {@code [windows][steps]}
     * @return per window and step, in the series' units
     * @throws IllegalArgumentException when the predictions are not one per window and step
     */
    public SeriesPrediction[][] map(RegressionPrediction[][] predictions) {
        checkShape(predictions);
        SeriesPrediction[][] out = new SeriesPrediction[predictions.length][steps];
        for (int e = 0; e < predictions.length; e++) {
            for (int j = 0; j < steps; j++) {
                out[e][j] = maps[e].map(predictions[e][j]);
            }
        }
        return out;
    }

    /** Checks that {@code predictions} hold one per window and step. */
    void checkShape(RegressionPrediction[][] predictions) {
        Objects.requireNonNull(predictions, "predictions");
        if (predictions.length != size()) {
            throw new IllegalArgumentException("got predictions for " + predictions.length + " windows, but there are "
                    + size() + "; give one row per window, in order");
        }
        for (int e = 0; e < predictions.length; e++) {
            if (predictions[e] == null || predictions[e].length != steps) {
                throw new IllegalArgumentException("window " + e + " has " + (predictions[e] == null ? "no"
                        : predictions[e].length) + " predictions, but " + steps + " steps; the network needs one output "
                        + "per step");
            }
        }
    }

    private static double[][] copy(double[][] rows) {
        double[][] copy = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            copy[i] = rows[i].clone();
        }
        return copy;
    }

    @Override
    public String toString() {
        return "ScaledWindows[" + size() + " windows, lead " + lead + ", " + steps + " step" + (steps == 1 ? "" : "s") + "]";
    }
}
