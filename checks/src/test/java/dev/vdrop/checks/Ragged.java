package dev.vdrop.checks;

import dev.vdrop.runtime.Mat;
import dev.vdrop.runtime.RecurrentState;
import dev.vdrop.runtime.Rng;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Batches of sequences of different lengths for the checks, and what the checks need to compare
 * such a batch with its sequences run one by one: the columns a ragged pass puts each step of each
 * sequence in (worked out here from the rule — longest first, ties in the batch's order, step t's
 * columns after those of the steps before — not taken from the code under test), a sequence's
 * column of a state, and a sequence's share of the batch's masks.
 */
final class Ragged {
    /** The workspace's T for {@link #LENGTHS}. */
    static final int STEPS = 7;
    /** Unsorted, with a tie, a sequence of one step, none of T steps but two: B = 5, N = 23. */
    static final int[] LENGTHS = {1, 3, 7, 7, 5};
    /** Another batch's lengths, to carry a state from (another order than {@link #LENGTHS}). */
    static final int[] FIRST = {6, 2, 7, 4, 7};
    /** Another batch's lengths, for a training step. */
    static final int[] STEP = {7, 5, 1, 6, 3};

    private Ragged() {}

    static int[][] tokens(Rng rng, int[] lengths, int vocabulary) {
        int[][] out = new int[lengths.length][];
        for (int b = 0; b < lengths.length; b++) {
            out[b] = new int[lengths[b]];
            for (int t = 0; t < lengths[b]; t++) {
                out[b][t] = (int) (rng.nextDouble() * vocabulary);
            }
        }
        return out;
    }

    static double[][][] values(Rng rng, int[] lengths, int width) {
        double[][][] out = new double[lengths.length][][];
        for (int b = 0; b < lengths.length; b++) {
            out[b] = new double[lengths[b]][width];
            for (int t = 0; t < lengths[b]; t++) {
                for (int j = 0; j < width; j++) {
                    out[b][t][j] = rng.uniform(-1, 1);
                }
            }
        }
        return out;
    }

    /**
     * columns[b][t]: the column of step t of sequence b in a pass over sequences of these lengths.
     * The sequences are put in order of length, longest first, ties in the batch's order; step t's
     * columns follow those of steps 0 … t−1 and hold the sequences longer than t in that order.
     */
    static int[][] columns(int[] lengths) {
        Integer[] order = new Integer[lengths.length];
        for (int b = 0; b < order.length; b++) {
            order[b] = b;
        }
        Arrays.sort(order, (a, b) -> Integer.compare(lengths[b], lengths[a])); // stable: ties keep the batch's order
        int longest = lengths[order[0]];
        int[][] columns = new int[lengths.length][];
        for (int b = 0; b < lengths.length; b++) {
            columns[b] = new int[lengths[b]];
        }
        int column = 0;
        for (int t = 0; t < longest; t++) {
            for (int b : order) {
                if (lengths[b] > t) {
                    columns[b][t] = column++;
                }
            }
        }
        return columns;
    }

    /** The columns of a pass of B sequences of T steps each: t·B + b. */
    static int[][] equalColumns(int batch, int steps) {
        int[][] columns = new int[batch][steps];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < steps; t++) {
                columns[b][t] = t * batch + b;
            }
        }
        return columns;
    }

    /**
     * A state of every layer with values in [−0.8, 0.8], shaped like {@code like}: h of every
     * layer, c of each layer that has one (an LSTM's; a GRU layer's c stays null).
     */
    static RecurrentState randomState(RecurrentState like, Rng rng) {
        List<Mat> h = new ArrayList<>();
        List<Mat> c = new ArrayList<>();
        for (int layer = 0; layer < like.layers(); layer++) {
            h.add(random(like.hidden(layer), rng));
            c.add(like.hasCell(layer) ? random(like.cell(layer), rng) : null);
        }
        return new RecurrentState(h, c);
    }

    private static Mat random(Mat like, Rng rng) {
        Mat m = Mat.zeros(like.dataType(), like.rows(), like.cols());
        for (int c = 0; c < m.cols(); c++) {
            for (int r = 0; r < m.rows(); r++) {
                m.set(r, c, rng.uniform(-0.8, 0.8));
            }
        }
        return m;
    }

    /** Sequence b's column of every layer's state (h, and c where a layer has one), as the state of a batch of one. */
    static RecurrentState column(RecurrentState state, int b) {
        List<Mat> h = new ArrayList<>();
        List<Mat> c = new ArrayList<>();
        for (int layer = 0; layer < state.layers(); layer++) {
            h.add(state.hidden(layer).columns(b, 1));
            c.add(state.hasCell(layer) ? state.cell(layer).columns(b, 1) : null);
        }
        return new RecurrentState(h, c);
    }

    /**
     * Gives a workspace of one sequence (sequence b of a batch of {@code batch}) that sequence's
     * masks of the batch: its column of a per-sequence mask, its columns t·B + b of a per-step mask
     * (as many steps as the single workspace has), and the shared ones whole (weight drop, embedding
     * dropout per batch).
     */
    static void copyMasks(Map<String, Mat> from, Map<String, Mat> to, int b, int batch) {
        if (!from.keySet().equals(to.keySet())) {
            throw new AssertionError("different masks: " + from.keySet() + " and " + to.keySet());
        }
        for (Map.Entry<String, Mat> e : from.entrySet()) {
            Mat source = e.getValue();
            Mat target = to.get(e.getKey());
            boolean shared = e.getKey().endsWith(".U") || source.cols() == 1;
            for (int c = 0; c < target.cols(); c++) {
                int sourceColumn = shared ? c : c * batch + b;
                for (int r = 0; r < target.rows(); r++) {
                    target.set(r, c, source.get(r, sourceColumn));
                }
            }
            if (shared && source.cols() != target.cols()) {
                throw new AssertionError(e.getKey() + ": a shared mask of " + source.shape() + " and " + target.shape());
            }
        }
    }
}
