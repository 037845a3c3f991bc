package dev.vdrop.runtime.eval;

import dev.vdrop.runtime.DropoutMode;
import dev.vdrop.runtime.MaskKeys;
import dev.vdrop.runtime.Mat;
import dev.vdrop.runtime.Network;
import dev.vdrop.runtime.Workspace;
import dev.vdrop.runtime.internal.Packing;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The K stochastic passes of MC prediction over B examples, for every head: the examples are cut
 * into chunks and each chunk's samples into passes, pass by pass as rows k·size + b (sample
 * {@code first + k} of the chunk's example b) with the masks of {@link MaskKeys#samples} —
 * keyed by the seed, each example's key and the sample index, so how the work is cut changes no
 * example's masks. Each pass's output goes to a {@link Reader}; an example's samples reach it in
 * the order of their index.
 *
 * <p>What a pass holds: at most {@link McPredictor#ROW_BUDGET} rows, at most
 * {@link #COLUMN_BUDGET} rows × steps (the workspace's buffers grow with both), and at most
 * {@link #OUTPUT_BUDGET} output values; with weight drop at most {@link SampleGroups#perPass}
 * samples, and one when the examples differ in length (a pass of several weight-drop samples
 * needs equal lengths). One workspace per number of rows serves every pass of the call (its
 * steps are the longest example's), so later chunks reuse it and the weight-drop layouts it keeps.
 */
final class KeyedPasses {
    /** Rows × steps one pass holds at most: 64 steps of {@link McPredictor#ROW_BUDGET} rows. */
    static final long COLUMN_BUDGET = 1L << 18;
    /** Output values (classes or outputs × predictions) one pass holds at most: 32 Mi. */
    static final long OUTPUT_BUDGET = 1L << 25;

    private KeyedPasses() {}

    /** Where a pass's predictions are: the column of a row's step. */
    interface Layout {
        /**
         * The output column of a row's step.
         *
         * @param row the pass's row, k·size + b
         * @param step a step of that row's example, or 0 for a head at the last step
         * @return its column of the output
         */
        int column(int row, int step);
    }

    /** Reads one pass's output. */
    interface Reader {
        /**
         * Reads the predictions of a pass over examples {@code [from, from + size)}, samples
         * {@code [first, first + samples)}: row k·size + b is sample first + k of example from + b.
         *
         * @param output the pass's output, classes (or outputs) × columns, valid during the call
         * @param layout where each row's predictions are
         * @param from the first example
         * @param size the examples
         * @param first the first sample
         * @param samples the samples
         */
        void read(Mat output, Layout layout, int from, int size, int first, int samples);
    }

    /**
     * Runs K passes in MC mode over every example.
     *
     * @param network the network
     * @param inputs the examples, checked
     * @param samples K, at least 1
     * @param seed the masks' seed
     * @param keys example b's key at b, one per example
     * @param everyStep whether the head predicts at every step (else at the last)
     * @param outputs the rows of the output: classes or outputs
     * @param reader what reads each pass
     * @param <I> the input type
     */
    static <I> void run(Network<I, ?> network, McInputs<I> inputs, int samples, long seed, long[] keys, boolean everyStep,
                        int outputs, Reader reader) {
        int examples = inputs.examples();
        int steps = inputs.longest();
        boolean ragged = inputs.ragged();
        int perPass = SampleGroups.hasWeightDrop(network) ? (ragged ? 1 : SampleGroups.perPass(network)) : samples;
        int rowBudget = rowsPerPass(steps, everyStep, outputs);
        int chunk = Math.min(examples, rowBudget);
        Map<Integer, Workspace<I, ?>> workspaces = new HashMap<>();
        try {
            for (int from = 0; from < examples; from += chunk) {
                int size = Math.min(chunk, examples - from);
                long[] chunkKeys = Arrays.copyOfRange(keys, from, from + size);
                for (int done = 0, g; done < samples; done += g) {
                    g = Math.max(1, Math.min(Math.min(samples - done, perPass), rowBudget / size));
                    int rows = g * size;
                    Workspace<I, ?> workspace = workspaces.computeIfAbsent(rows, r -> network.workspace(r, steps));
                    workspace.resetState();
                    workspace.sampleMasks(MaskKeys.samples(seed, chunkKeys, done, g), DropoutMode.MC);
                    workspace.forward(inputs.repeated(from, size, g));
                    Layout layout = everyStep ? packed(rows, steps, inputs.repeatedLengths(from, size, g)) : (row, t) -> row;
                    reader.read(workspace.output(), layout, from, size, done, g);
                }
            }
        } finally {
            workspaces.values().forEach(Workspace::close);
        }
    }

    /**
     * The most rows a pass may hold: {@link McPredictor#ROW_BUDGET}, fewer when rows × steps
     * would pass {@link #COLUMN_BUDGET} or the output values {@link #OUTPUT_BUDGET}; at least 1.
     *
     * @param steps the workspace's steps, the longest example's
     * @param everyStep whether each row predicts at every step (else once)
     * @param outputs the classes or outputs of a prediction
     * @return the rows
     */
    static int rowsPerPass(int steps, boolean everyStep, int outputs) {
        long predictionsPerRow = everyStep ? steps : 1;
        long byColumns = COLUMN_BUDGET / steps;
        long byOutput = OUTPUT_BUDGET / (Math.max(1, outputs) * predictionsPerRow);
        return (int) Math.max(1, Math.min(McPredictor.ROW_BUDGET, Math.min(byColumns, byOutput)));
    }

    /** The columns of a head at every step: the workspace's packed layout of these lengths. */
    private static Layout packed(int rows, int steps, int[] lengths) {
        Packing packing = Packing.equal(rows, steps).next(lengths);
        return packing::column;
    }

    /**
     * Checks K and the keys.
     *
     * @param samples K
     * @param keys the keys
     * @param examples the examples
     * @throws IllegalArgumentException when K is below 1 or the keys are not one per example
     */
    static void check(int samples, long[] keys, int examples) {
        if (samples < 1) {
            throw new IllegalArgumentException("MC dropout needs at least 1 sample, got " + samples);
        }
        if (keys.length != examples) {
            throw new IllegalArgumentException("one key per example: " + keys.length + " keys for " + examples + " examples");
        }
    }
}
