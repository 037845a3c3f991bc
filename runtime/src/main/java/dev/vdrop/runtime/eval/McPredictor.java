package dev.vdrop.runtime.eval;

import dev.vdrop.runtime.DropoutMode;
import dev.vdrop.runtime.MaskKeys;
import dev.vdrop.runtime.Mat;
import dev.vdrop.runtime.Network;
import dev.vdrop.runtime.Parameter;
import dev.vdrop.runtime.Rng;
import dev.vdrop.runtime.Workspace;
import dev.vdrop.runtime.mc.ClassPrediction;
import dev.vdrop.runtime.mc.RegressionPrediction;
import java.util.ArrayList;
import java.util.Arrays;
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
 * windows are cut into passes of at most {@value #ROW_BUDGET} rows. A model with weight drop runs
 * its samples in one pass too, each sample's block of rows with its own U' = U ⊙ M_k (only the
 * recurrent step product goes sample by sample), as many samples per pass as 128 MB of those U'
 * allow (97 of the SMALL benchmark model, 9 of MEDIUM); forecast windows of different lengths
 * run one sample per pass, since a ragged pass reorders its rows.
 *
 * <p>Masks are keyed by example ({@link MaskKeys}): sample k of an example draws its masks from
 * (seed, the example's key, k, the mask), so its prediction is the same alone or among other
 * examples, in any order, however the samples are split into passes — bit for bit where the
 * arithmetic of the passes is the same, and to float32 rounding always. The key is the example's
 * index in what the caller passes (0 for the one sequence of {@link #positions}), or a key the
 * caller gives; the seed is the {@code Rng} argument's next draw (the generator advances by one
 * draw per call), or a {@code long seed} the caller gives.
 */
public final class McPredictor {
    /** Rows (windows × samples) one forecasting pass holds at most. */
    static final int ROW_BUDGET = 4096;

    private McPredictor() {}

    /**
     * The predictive distribution at every position of a token sequence, from a zero state; the
     * masks' seed is {@code rng}'s next draw, the sequence's key 0.
     *
     * @param network a generated language model
     * @param tokens the sequence; position t predicts the token after {@code tokens[t]}
     * @param samples K, at least 1
     * @param rng the source of the masks' seed: one draw
     * @return one prediction per position
     * @throws IllegalArgumentException when samples is below 1 or the sequence is empty
     */
    public static List<ClassPrediction> positions(Network<int[][], int[][]> network, int[] tokens, int samples, Rng rng) {
        return positions(network, tokens, samples, rng.nextLong(), 0);
    }

    /**
     * The predictive distribution at every position of a token sequence, from a zero state, with
     * the masks of a given seed and example key: the same as this sequence's in any batch of the
     * same seed where it has that key.
     *
     * @param network a generated language model
     * @param tokens the sequence; position t predicts the token after {@code tokens[t]}
     * @param samples K, at least 1
     * @param seed the masks' seed
     * @param key the sequence's example key
     * @return one prediction per position
     * @throws IllegalArgumentException when samples is below 1 or the sequence is empty
     */
    public static List<ClassPrediction> positions(Network<int[][], int[][]> network, int[] tokens, int samples, long seed,
                                                  long key) {
        checkSamples(samples);
        if (tokens.length == 0) {
            throw new IllegalArgumentException("a sequence to predict from needs at least one token");
        }
        network.sizes().checkInputTokens(tokens, "the sequence");
        int steps = tokens.length;
        List<ClassPrediction.Accumulator> out = new ArrayList<>();
        int perPass = SampleGroups.hasWeightDrop(network) ? SampleGroups.perPass(network) : samples;
        for (int done = 0, g; done < samples; done += g) {
            g = Math.min(perPass, samples - done);
            try (Workspace<int[][], int[][]> segment = network.workspace(g, steps)) {
            segment.sampleMasks(MaskKeys.samples(seed, new long[] {key}, done, g), DropoutMode.MC);
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
     * The predictive distribution of the token after a context, from a zero state; the masks'
     * seed is {@code rng}'s next draw, the context's key 0.
     *
     * @param network a generated language model
     * @param context the token ids read before the prediction, at least one
     * @param samples K, at least 1
     * @param rng the source of the masks' seed: one draw
     * @return the MC-dropout prediction of the next token
     * @throws IllegalArgumentException when samples is below 1 or the context is empty
     */
    public static ClassPrediction next(Network<int[][], int[][]> network, int[] context, int samples, Rng rng) {
        return next(network, context, samples, rng.nextLong(), 0);
    }

    /**
     * The predictive distribution of the token after a context, from a zero state, with the masks
     * of a given seed and example key.
     *
     * @param network a generated language model
     * @param context the token ids read before the prediction, at least one
     * @param samples K, at least 1
     * @param seed the masks' seed
     * @param key the context's example key
     * @return the MC-dropout prediction of the next token
     * @throws IllegalArgumentException when samples is below 1 or the context is empty
     */
    public static ClassPrediction next(Network<int[][], int[][]> network, int[] context, int samples, long seed, long key) {
        List<ClassPrediction> all = positions(network, context, samples, seed, key);
        return all.get(all.size() - 1);
    }

    /**
     * Forecasts from a batch of input windows with a model whose output is a Gaussian at the last
     * step: for every window and output, the K sampled means and the learned noise variance σ² =
     * exp(s) give a {@link RegressionPrediction} (its intervals are moment-matched Gaussians). The
     * masks' seed is {@code rng}'s next draw; window i's key is i.
     *
     * @param network a generated forecaster with a {@code @Regression} head
     * @param inputs {@code [windows][steps][features]}
     * @param samples K, at least 1
     * @param rng the source of the masks' seed: one draw
     * @return {@code [window][output]}
     * @throws IllegalArgumentException when samples is below 1 or the network has no regression head
     */
    public static RegressionPrediction[][] forecast(Network<double[][][], double[][]> network, double[][][] inputs,
                                                    int samples, Rng rng) {
        return forecast(network, inputs, samples, rng.nextLong());
    }

    /**
     * {@link #forecast(Network, double[][][], int, Rng)} with the masks of a given seed; window
     * i's key is i.
     *
     * @param network a generated forecaster with a {@code @Regression} head
     * @param inputs {@code [windows][steps][features]}
     * @param samples K, at least 1
     * @param seed the masks' seed
     * @return {@code [window][output]}
     * @throws IllegalArgumentException when samples is below 1 or the network has no regression head
     */
    public static RegressionPrediction[][] forecast(Network<double[][][], double[][]> network, double[][][] inputs,
                                                    int samples, long seed) {
        return forecast(network, inputs, samples, seed, MaskKeys.range(0, inputs.length));
    }

    /**
     * {@link #forecast(Network, double[][][], int, Rng)} with the masks of a given seed and the
     * windows' own keys: a window's forecast is the same in any batch where it has that key.
     *
     * @param network a generated forecaster with a {@code @Regression} head
     * @param inputs {@code [windows][steps][features]}
     * @param samples K, at least 1
     * @param seed the masks' seed
     * @param keys window i's example key at i, one per window
     * @return {@code [window][output]}
     * @throws IllegalArgumentException when samples is below 1, the keys are not one per window,
     *     or the network has no regression head
     */
    public static RegressionPrediction[][] forecast(Network<double[][][], double[][]> network, double[][][] inputs,
                                                    int samples, long seed, long[] keys) {
        checkSamples(samples);
        if (keys.length != inputs.length) {
            throw new IllegalArgumentException("one key per window: " + keys.length + " keys for " + inputs.length + " windows");
        }
        network.sizes().checkFeatures(inputs, "the windows");
        int windows = inputs.length;
        int steps = inputs[0].length;
        Mat logVariance = logVariance(network.parameters());
        int outputs = logVariance.rows();
        double[][][] means = new double[windows][outputs][samples];
        // With weight drop, samples per pass stay within the budget of their U'; one per pass when the
        // windows differ in length (each sample's rows must be a block of the pass's columns).
        int perPass = SampleGroups.hasWeightDrop(network) ? (ragged(inputs) ? 1 : SampleGroups.perPass(network)) : samples;
        // Rows per pass stay within a budget: a chunk of windows, repeated for as many samples as fit.
        int chunk = Math.min(windows, ROW_BUDGET);
        Map<Integer, Workspace<double[][][], double[][]>> workspaces = new HashMap<>();
        try {
            for (int from = 0; from < windows; from += chunk) {
                int size = Math.min(chunk, windows - from);
                long[] chunkKeys = Arrays.copyOfRange(keys, from, from + size);
                for (int done = 0, g; done < samples; done += g) {
                    g = Math.max(1, Math.min(Math.min(samples - done, perPass), ROW_BUDGET / size));
                    int rows = g * size;
                    Workspace<double[][][], double[][]> segment = workspaces.computeIfAbsent(rows, r -> network.workspace(r, steps));
                    segment.resetState();
                    segment.sampleMasks(MaskKeys.samples(seed, chunkKeys, done, g), DropoutMode.MC);
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

    /** Whether the windows differ in length. */
    private static boolean ragged(double[][][] inputs) {
        for (double[][] window : inputs) {
            if (window.length != inputs[0].length) {
                return true;
            }
        }
        return false;
    }

    private static void checkSamples(int samples) {
        if (samples < 1) {
            throw new IllegalArgumentException("MC dropout needs at least 1 sample, got " + samples);
        }
    }
}
