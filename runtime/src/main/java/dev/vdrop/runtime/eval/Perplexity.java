package dev.vdrop.runtime.eval;

import dev.vdrop.runtime.DropoutMode;
import dev.vdrop.runtime.MaskKeys;
import dev.vdrop.runtime.Mat;
import dev.vdrop.runtime.Network;
import dev.vdrop.runtime.Rng;
import dev.vdrop.runtime.Workspace;
import dev.vdrop.runtime.text.TokenStreams;
import java.util.List;
import java.util.OptionalLong;

/**
 * Language-model perplexity over a whole split, as the comparison protocol says: the split is cut
 * into parallel streams (the remainder dropped; a stream of n tokens gives n − 1 predictions),
 * read in segments with the state carried from zero, and perplexity = exp(−mean log p).
 *
 * <p>{@link #standard} uses the standard dropout approximation (dropout off). {@link #mc} uses MC
 * dropout: sample k draws one set of masks per stream for the whole evaluation (embedding dropout
 * off; per-step masks stay fresh at every step, which is their own distribution), and the
 * probability of each token is the mean of the K predicted probabilities, p̄ = (1/K) Σ_k p_k.
 * K samples run as one batch of g·B rows (g samples at once, within a memory budget of
 * {@value #OUTPUT_BUDGET} output values); with weight drop each sample's block of rows has its
 * own U' = U ⊙ M_k, and g stays within 128 MB of those as well (see {@code SampleGroups}).
 *
 * <p>The masks are keyed ({@link MaskKeys}): stream b's key is b, sample k's index k, so sample k
 * of stream b has the masks D(D(D(seed, id(mask)), b), k) for the whole evaluation, per-step masks
 * those of the step's position in the stream, however the samples are grouped into passes. The
 * seed is the {@code Rng} argument's next draw, or a {@code long seed} the caller gives.
 *
 * <p><b>Threads.</b> Every call takes a workspace of its own and only reads the network's
 * parameters: threads may score on one trained network at once, and each gets bitwise what one
 * thread gets. {@link #mc(Network, int[], int, int, int, Rng)} draws from its {@code Rng}: give each
 * thread its own, or use the {@code long seed} call. Not on a network that is being trained.
 */
public final class Perplexity {
    /** Output elements (classes × rows × steps) one batched pass may hold: 32 M, 128 MB in float32. */
    static final long OUTPUT_BUDGET = 32L << 20;

    /**
     * @param perplexity exp(−mean log p)
     * @param predictions the number of tokens scored
     */
    public record Result(double perplexity, long predictions) {}

    private Perplexity() {}

    /**
     * Perplexity with dropout off (the standard dropout approximation).
     *
     * @param network a generated language model
     * @param ids the split's token ids
     * @param streams the parallel streams B the split is cut into (the protocol evaluates over 10)
     * @param steps the steps per segment T
     * @return the perplexity and the number of tokens scored
     * @throws IllegalArgumentException when steps is not positive, or an id is past the model's
     *     vocabulary or classes (before any work)
     */
    public static Result standard(Network<int[][], int[][]> network, int[] ids, int streams, int steps) {
        return evaluate(network, ids, streams, steps, 1, OptionalLong.empty());
    }

    /**
     * Perplexity with MC dropout: each token's probability is the mean over the samples; the
     * masks' seed is {@code rng}'s next draw.
     *
     * @param network a generated language model
     * @param ids the split's token ids
     * @param streams the parallel streams B the split is cut into
     * @param steps the steps per segment T
     * @param samples K, at least 1
     * @param rng the source of the masks' seed: one draw
     * @return the perplexity and the number of tokens scored
     * @throws IllegalArgumentException when samples or steps is not positive
     */
    public static Result mc(Network<int[][], int[][]> network, int[] ids, int streams, int steps, int samples, Rng rng) {
        checkSamples(samples);
        return mc(network, ids, streams, steps, samples, rng.nextLong());
    }

    /**
     * Perplexity with MC dropout with the masks of a given seed.
     *
     * @param network a generated language model
     * @param ids the split's token ids
     * @param streams the parallel streams B the split is cut into
     * @param steps the steps per segment T
     * @param samples K, at least 1
     * @param seed the masks' seed
     * @return the perplexity and the number of tokens scored
     * @throws IllegalArgumentException when samples or steps is not positive
     */
    public static Result mc(Network<int[][], int[][]> network, int[] ids, int streams, int steps, int samples, long seed) {
        checkSamples(samples);
        return evaluate(network, ids, streams, steps, samples, OptionalLong.of(seed));
    }

    private static void checkSamples(int samples) {
        if (samples < 1) {
            throw new IllegalArgumentException("MC dropout needs at least 1 sample, got " + samples);
        }
    }

    /** Perplexity with dropout off (no seed) or MC dropout with the masks of the seed. */
    private static Result evaluate(Network<int[][], int[][]> network, int[] ids, int streams, int steps, int samples,
                                   OptionalLong seed) {
        if (steps <= 0) {
            throw new IllegalArgumentException("segments need a positive number of steps, got " + steps);
        }
        network.sizes().checkTokens(ids, "the evaluated split");
        TokenStreams data = new TokenStreams(ids, streams);
        List<TokenStreams.Batch> segments = data.batches(steps);
        int predictionsPerStream = data.streamLength() - 1;
        double[][] sum = new double[streams][predictionsPerStream];
        int group = groupSize(network, streams, steps, samples, seed.isPresent());
        long[] streamKeys = MaskKeys.range(0, streams);
        // One workspace per group size, reused: native buffers are freed only when collected.
        java.util.Map<Integer, Workspace<int[][], int[][]>> workspaces = new java.util.HashMap<>();
        for (int done = 0; done < samples; done += group) {
            int g = Math.min(group, samples - done);
            int rows = g * streams;
            Workspace<int[][], int[][]> segment = workspaces.computeIfAbsent(rows, r -> network.workspace(r, steps));
            segment.resetState();
            MaskKeys keys = seed.isPresent() ? MaskKeys.samples(seed.getAsLong(), streamKeys, done, g) : null;
            if (keys == null) {
                segment.dropoutOff();
            } else {
                segment.sampleMasks(keys, DropoutMode.MC);
            }
            int offset = 0;
            for (TokenStreams.Batch batch : segments) {
                if (keys != null && offset > 0 && segment.hasStepMasks()) {
                    // per-step masks at the segment's steps in the stream; the others are drawn the same again
                    segment.sampleMasks(keys.atPosition(offset), DropoutMode.MC);
                }
                segment.forward(padded(batch.input(), g, steps));
                Mat p = segment.output();
                for (int t = 0; t < batch.steps(); t++) {
                    for (int k = 0; k < g; k++) {
                        for (int b = 0; b < streams; b++) {
                            sum[b][offset + t] += p.get(batch.target()[b][t], t * rows + k * streams + b);
                        }
                    }
                }
                offset += batch.steps();
            }
        }
        workspaces.values().forEach(Workspace::close);
        double nll = 0;
        for (double[] stream : sum) {
            for (double s : stream) {
                nll -= Math.log(s / samples);
            }
        }
        long predictions = (long) streams * predictionsPerStream;
        return new Result(Math.exp(nll / predictions), predictions);
    }

    /**
     * Samples per batched pass: as many as the output budget allows (1 for the standard
     * approximation), and with weight drop no more than the budget of their own U' allows.
     */
    static int groupSize(Network<int[][], int[][]> network, int streams, int steps, int samples, boolean mc) {
        if (!mc) {
            return 1;
        }
        boolean weightDrop;
        long classes;
        try (Workspace<int[][], int[][]> probe = network.workspace(1, 1)) {
            weightDrop = probe.hasWeightDrop();
            classes = probe.output().rows();
        }
        long perSample = classes * streams * steps;
        int group = (int) Math.max(1, Math.min(samples, OUTPUT_BUDGET / perSample));
        return weightDrop ? Math.min(group, SampleGroups.perPass(network)) : group;
    }

    /** The input repeated for g samples (row k·B + b is stream b), padded to {@code steps} with token 0. */
    static int[][] padded(int[][] input, int g, int steps) {
        int streams = input.length;
        int[][] out = new int[g * streams][steps];
        for (int k = 0; k < g; k++) {
            for (int b = 0; b < streams; b++) {
                System.arraycopy(input[b], 0, out[k * streams + b], 0, input[b].length);
            }
        }
        return out;
    }
}
