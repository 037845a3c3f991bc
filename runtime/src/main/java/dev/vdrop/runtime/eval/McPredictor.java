package dev.vdrop.runtime.eval;

import dev.vdrop.runtime.DropoutMode;
import dev.vdrop.runtime.Mat;
import dev.vdrop.runtime.Network;
import dev.vdrop.runtime.Parameter;
import dev.vdrop.runtime.Rng;
import dev.vdrop.runtime.Workspace;
import dev.vdrop.runtime.mc.ClassPrediction;
import dev.vdrop.runtime.mc.RegressionPrediction;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * MC-dropout prediction (Gal &amp; Ghahramani, arXiv 1506.02142): dropout stays on at test time
 * (embedding dropout off), K stochastic passes are made with fresh masks, and their predictions
 * are summarised — probabilities averaged (never logits) with predictive entropy, expected entropy
 * and mutual information for classes; mean, epistemic and aleatoric variance and intervals for
 * real values.
 *
 * <p>The K passes over B sequences run as one batch of K·B rows (row k·B + b is sample k of
 * sequence b, each row with its own masks), so K = 1 costs one plain pass; forecasts over many
 * windows are cut into passes of at most {@value #ROW_BUDGET} rows. A model with weight
 * drop runs its samples one after another instead: each sample needs its own mask over U, which a
 * batch shares.
 */
public final class McPredictor {
    /** Rows (windows × samples) one forecasting pass holds at most. */
    static final int ROW_BUDGET = 4096;

    private McPredictor() {}

    /**
     * The predictive distribution at every position of a token sequence, from a zero state.
     *
     * @param network a generated language model
     * @param tokens the sequence; position t predicts the token after {@code tokens[t]}
     * @param samples K, at least 1
     * @param rng the source of the samples' masks
     * @return one prediction per position
     * @throws IllegalArgumentException when samples is below 1 or the sequence is empty
     */
    public static List<ClassPrediction> positions(Network<int[][], int[][]> network, int[] tokens, int samples, Rng rng) {
        checkSamples(samples);
        if (tokens.length == 0) {
            throw new IllegalArgumentException("a sequence to predict from needs at least one token");
        }
        int steps = tokens.length;
        List<ClassPrediction.Accumulator> out = new ArrayList<>();
        boolean weightDrop = hasWeightDrop(network);
        for (int done = 0, g; done < samples; done += g) {
            g = groupSize(weightDrop, samples - done);
            try (Workspace<int[][], int[][]> segment = network.workspace(g, steps)) {
            segment.sampleMasks(rng, DropoutMode.MC);
            int[][] rows = new int[g][];
            for (int k = 0; k < g; k++) {
                rows[k] = tokens;
            }
            segment.forward(rows);
            Mat p = segment.output();
            double[] column = new double[p.rows()];
            for (int t = 0; t < steps; t++) {
                if (out.size() <= t) {
                    out.add(ClassPrediction.accumulator(p.rows()));
                }
                for (int k = 0; k < g; k++) {
                    for (int c = 0; c < column.length; c++) {
                        column[c] = p.get(c, t * g + k);
                    }
                    out.get(t).add(column);
                }
            }
            }
        }
        return out.stream().map(ClassPrediction.Accumulator::result).toList();
    }

    /**
     * The predictive distribution of the token after a context, from a zero state.
     *
     * @param network a generated language model
     * @param context the token ids read before the prediction, at least one
     * @param samples K, at least 1
     * @param rng the source of the samples' masks
     * @return the MC-dropout prediction of the next token
     * @throws IllegalArgumentException when samples is below 1 or the context is empty
     */
    public static ClassPrediction next(Network<int[][], int[][]> network, int[] context, int samples, Rng rng) {
        List<ClassPrediction> all = positions(network, context, samples, rng);
        return all.get(all.size() - 1);
    }

    /**
     * Forecasts from a batch of input windows with a model whose output is a Gaussian at the last
     * step: for every window and output, the K sampled means and the learned noise variance σ² =
     * exp(s) give a {@link RegressionPrediction} (its intervals are moment-matched Gaussians).
     *
     * @param network a generated forecaster with a {@code @Regression} head
     * @param inputs {@code [windows][steps][features]}
     * @param samples K, at least 1
     * @param rng the source of the samples' masks
     * @return {@code [window][output]}
     * @throws IllegalArgumentException when samples is below 1 or the network has no regression head
     */
    public static RegressionPrediction[][] forecast(Network<double[][][], double[][]> network, double[][][] inputs,
                                                    int samples, Rng rng) {
        checkSamples(samples);
        int windows = inputs.length;
        int steps = inputs[0].length;
        Mat logVariance = logVariance(network.parameters());
        int outputs = logVariance.rows();
        double[][][] means = new double[windows][outputs][samples];
        boolean weightDrop = hasWeightDrop(network);
        // Rows per pass stay within a budget: a chunk of windows, repeated for as many samples as fit.
        int chunk = Math.min(windows, ROW_BUDGET);
        Map<Integer, Workspace<double[][][], double[][]>> workspaces = new HashMap<>();
        try {
            for (int from = 0; from < windows; from += chunk) {
                int size = Math.min(chunk, windows - from);
                for (int done = 0, g; done < samples; done += g) {
                    g = weightDrop ? 1 : Math.max(1, Math.min(samples - done, ROW_BUDGET / size));
                    int rows = g * size;
                    Workspace<double[][][], double[][]> segment = workspaces.computeIfAbsent(rows, r -> network.workspace(r, steps));
                    segment.resetState();
                    segment.sampleMasks(rng, DropoutMode.MC);
                    double[][][] batch = new double[rows][][];
                    for (int k = 0; k < g; k++) {
                        System.arraycopy(inputs, from, batch, k * size, size);
                    }
                    segment.forward(batch);
                    Mat mu = segment.output();
                    for (int k = 0; k < g; k++) {
                        for (int b = 0; b < size; b++) {
                            for (int j = 0; j < outputs; j++) {
                                means[from + b][j][done + k] = mu.get(j, k * size + b);
                            }
                        }
                    }
                }
            }
        } finally {
            workspaces.values().forEach(Workspace::close);
        }
        RegressionPrediction[][] out = new RegressionPrediction[windows][outputs];
        for (int b = 0; b < windows; b++) {
            for (int j = 0; j < outputs; j++) {
                out[b][j] = RegressionPrediction.of(means[b][j], Math.exp(logVariance.get(j, 0)));
            }
        }
        return out;
    }

    /** The regression head's log-variance s (the parameter named {@code <head>.s}). */
    static Mat logVariance(List<Parameter> parameters) {
        return parameters.stream().filter(p -> p.name().endsWith(".s")).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("the network has no regression head (no log-variance parameter)"))
                .value();
    }

    private static boolean hasWeightDrop(Network<?, ?> network) {
        try (Workspace<?, ?> probe = network.workspace(1, 1)) {
            return probe.hasWeightDrop();
        }
    }

    private static int groupSize(boolean weightDrop, int remaining) {
        return weightDrop ? 1 : remaining;
    }

    private static void checkSamples(int samples) {
        if (samples < 1) {
            throw new IllegalArgumentException("MC dropout needs at least 1 sample, got " + samples);
        }
    }
}
