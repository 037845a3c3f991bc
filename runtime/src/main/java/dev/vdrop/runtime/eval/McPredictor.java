package dev.vdrop.runtime.eval;

import dev.vdrop.runtime.MaskKeys;
import dev.vdrop.runtime.Mat;
import dev.vdrop.runtime.Network;
import dev.vdrop.runtime.Parameter;
import dev.vdrop.runtime.Rng;
import dev.vdrop.runtime.mc.ClassPrediction;
import dev.vdrop.runtime.mc.RegressionPrediction;
import java.util.Arrays;
import java.util.List;

/**
 * MC-dropout prediction for every head (Gal &amp; Ghahramani, arXiv 1506.02142): dropout stays on
 * at test time (embedding dropout off), K stochastic passes are made with their own masks, and
 * their predictions are summarised — probabilities averaged (never logits) with predictive
 * entropy, expected entropy, mutual information and the variation ratio for classes
 * ({@link ClassPrediction}); mean, epistemic and aleatoric variance and intervals for real values
 * ({@link RegressionPrediction}).
 *
 * <table>
 *   <caption>Which call serves which head</caption>
 *   <tr><th>head (the generated class implements)</th><th>call</th><th>result</th></tr>
 *   <tr><td>a classifier, {@code @Softmax(over = LAST_STEP)}: {@code Network<I, int[]>}</td>
 *       <td>{@link #classify}</td><td>one {@code ClassPrediction} per example (what {@code dev.vdrop.runtime.metrics} takes)</td></tr>
 *   <tr><td>a tagger or a language model, {@code @Softmax} at every step: {@code Network<I, int[][]>}</td>
 *       <td>{@link #tag}</td><td>one per step of each example</td></tr>
 *   <tr><td>a forecaster, {@code @Regression} at the last step: {@code Network<I, double[][]>}</td>
 *       <td>{@link #forecast}</td><td>one {@code RegressionPrediction} per example and output</td></tr>
 *   <tr><td>sequence regression, {@code @Regression(over = EVERY_STEP)}: {@code Network<I, double[][][]>}</td>
 *       <td>{@link #forecastSteps}</td><td>one per step of each example and output</td></tr>
 *   <tr><td>a language model, one context</td><td>{@link #next}, {@link #positions}</td><td>the next token's, every position's</td></tr>
 * </table>
 *
 * <p>{@code I} is the network's input, {@code int[][]} token ids ({@code @Embedding}) or
 * {@code double[][][]} feature vectors ({@code @Input}), one row per example; examples may differ
 * in length. Each call comes in three shapes: with an {@code Rng} (the masks' seed is its next
 * draw, example i's key is i), with a {@code long seed} (example i's key is i), and with a seed and
 * the examples' own keys. A classifier and a tagger, for instance (example {@code McPredictor.classify};
 * {@code classifier} is a generated {@code Network<int[][], int[]>}, {@code tagger} a
 * {@code Network<int[][], int[][]>}):
 *
 * <pre>{@code
 * int[][] names = {{3, 1, 7}, {5, 2, 9, 2, 4}, {8, 1}};                // token ids, any lengths
 * List<ClassPrediction> predicted = McPredictor.classify(classifier, names, 50, 2026L);  // K = 50, seed 2026
 * ClassPrediction second = predicted.get(1);
 * int label = second.argmax();                                          // the second name's class
 * double confidence = second.predictedProbability();
 * double epistemic = second.mutualInformation();                        // nats
 * List<List<ClassPrediction>> tags = McPredictor.tag(tagger, names, 50, 2026L);  // per name, per step
 * int lastTag = tags.get(1).get(4).argmax();
 * }</pre>
 *
 * <p>(compiled and run by {@code dev.vdrop.checks.McExamplesTest}, which checks that this is its code).
 *
 * <p>The K passes over B examples run as batches of K·B rows (row k·B + b is sample k of example
 * b, each row with its own masks), so K = 1 costs one plain pass; large calls are cut into passes
 * of at most {@value #ROW_BUDGET} rows (and fewer for long sequences or many classes), each
 * workspace shape made once per call. A model with weight drop runs its samples in one pass too,
 * each sample's block of rows with its own U' = U ⊙ M_k (only the recurrent step product goes
 * sample by sample), as many samples per pass as 128 MB of those U' allow (97 of the SMALL
 * benchmark model, 9 of MEDIUM); examples of different lengths run one sample per pass, since a
 * ragged pass reorders its rows.
 *
 * <p>Masks are keyed by example ({@link MaskKeys}): sample k of an example draws its masks from
 * (seed, the example's key, k, the mask), so its prediction is the same alone or among other
 * examples, in any order, however the samples are split into passes — bit for bit where the
 * arithmetic of the passes is the same, and to float32 rounding always. The key is the example's
 * index in what the caller passes (0 for the one sequence of {@link #positions}), or a key the
 * caller gives; the seed is the {@code Rng} argument's next draw (the generator advances by one
 * draw per call), or a {@code long seed} the caller gives.
 *
 * <p><b>Threads.</b> Every call takes workspaces of its own and only reads the network's
 * parameters: threads may predict on one trained network at once, and each gets bitwise what one
 * thread gets. The calls with an {@code Rng} draw from it: give each thread its own, or use the
 * {@code long seed} calls. Not on a network that is being trained.
 */
public final class McPredictor {
    /** Rows (examples × samples) one pass holds at most. */
    static final int ROW_BUDGET = 4096;

    private McPredictor() {}

    /**
     * Classifies examples with a model whose softmax is at the last step: per example, the K
     * sampled distributions summarised. The masks' seed is {@code rng}'s next draw; example i's
     * key is i.
     *
     * @param network a generated classifier ({@code @Softmax(over = LAST_STEP)})
     * @param inputs the examples, {@code [examples][steps]} ids or {@code [examples][steps][features]}
     *     values, of any lengths
     * @param samples K, at least 1
     * @param rng the source of the masks' seed: one draw
     * @param <I> the network's input type
     * @return one prediction per example, in the inputs' order (an unmodifiable list)
     * @throws IllegalArgumentException when samples is below 1, there is no example, an example is
     *     empty or does not fit the network (an id past the vocabulary, a step of another width)
     */
    public static <I> List<ClassPrediction> classify(Network<I, int[]> network, I inputs, int samples, Rng rng) {
        return classify(network, inputs, samples, rng.nextLong());
    }

    /**
     * {@link #classify(Network, Object, int, Rng)} with the masks of a given seed; example i's key is i.
     *
     * @param network a generated classifier ({@code @Softmax(over = LAST_STEP)})
     * @param inputs the examples, {@code [examples][steps]} ids or {@code [examples][steps][features]}
     *     values, of any lengths
     * @param samples K, at least 1
     * @param seed the masks' seed
     * @param <I> the network's input type
     * @return one prediction per example, in the inputs' order (an unmodifiable list)
     * @throws IllegalArgumentException as {@link #classify(Network, Object, int, long, long[])}
     */
    public static <I> List<ClassPrediction> classify(Network<I, int[]> network, I inputs, int samples, long seed) {
        return classify(network, inputs, samples, seed, MaskKeys.range(0, McInputs.of(inputs).examples()));
    }

    /**
     * {@link #classify(Network, Object, int, Rng)} with the masks of a given seed and the examples'
     * own keys: an example's prediction is the same in any batch where it has that key.
     *
     * @param network a generated classifier ({@code @Softmax(over = LAST_STEP)})
     * @param inputs the examples, {@code [examples][steps]} ids or {@code [examples][steps][features]}
     *     values, of any lengths
     * @param samples K, at least 1
     * @param seed the masks' seed
     * @param keys example i's key at i, one per example
     * @param <I> the network's input type
     * @return one prediction per example, in the inputs' order (an unmodifiable list)
     * @throws IllegalArgumentException when samples is below 1, the keys are not one per example,
     *     there is no example, an example is empty or does not fit the network
     */
    public static <I> List<ClassPrediction> classify(Network<I, int[]> network, I inputs, int samples, long seed, long[] keys) {
        McInputs<I> examples = McInputs.of(inputs);
        KeyedPasses.check(samples, keys, examples.examples());
        examples.check(network.sizes());
        int classes = classes(network);
        ClassPrediction.Accumulator[] out = new ClassPrediction.Accumulator[examples.examples()];
        Arrays.setAll(out, b -> ClassPrediction.accumulator(classes));
        double[] probabilities = new double[classes];
        KeyedPasses.run(network, examples, samples, seed, keys, false, classes, (p, layout, from, size, first, g) -> {
            for (int b = 0; b < size; b++) {
                for (int k = 0; k < g; k++) {
                    read(p, layout.column(k * size + b, 0), probabilities);
                    out[from + b].add(probabilities);
                }
            }
        });
        return Arrays.stream(out).map(ClassPrediction.Accumulator::result).toList();
    }

    /**
     * The predictive distribution at every step of every example, with a model whose softmax is at
     * every step: a tagger, or a language model over whole sequences (step t then predicts the
     * token after step t's). Each example from a zero state, with its own length. The masks' seed
     * is {@code rng}'s next draw; example i's key is i.
     *
     * @param network a generated tagger or language model ({@code @Softmax} at every step)
     * @param inputs the examples, {@code [examples][steps]} ids or {@code [examples][steps][features]}
     *     values, of any lengths
     * @param samples K, at least 1
     * @param rng the source of the masks' seed: one draw
     * @param <I> the network's input type
     * @return per example, in the inputs' order, one prediction per step (unmodifiable lists)
     * @throws IllegalArgumentException as {@link #tag(Network, Object, int, long, long[])}
     */
    public static <I> List<List<ClassPrediction>> tag(Network<I, int[][]> network, I inputs, int samples, Rng rng) {
        return tag(network, inputs, samples, rng.nextLong());
    }

    /**
     * {@link #tag(Network, Object, int, Rng)} with the masks of a given seed; example i's key is i.
     *
     * @param network a generated tagger or language model ({@code @Softmax} at every step)
     * @param inputs the examples, {@code [examples][steps]} ids or {@code [examples][steps][features]}
     *     values, of any lengths
     * @param samples K, at least 1
     * @param seed the masks' seed
     * @param <I> the network's input type
     * @return per example, in the inputs' order, one prediction per step (unmodifiable lists)
     * @throws IllegalArgumentException as {@link #tag(Network, Object, int, long, long[])}
     */
    public static <I> List<List<ClassPrediction>> tag(Network<I, int[][]> network, I inputs, int samples, long seed) {
        return tag(network, inputs, samples, seed, MaskKeys.range(0, McInputs.of(inputs).examples()));
    }

    /**
     * {@link #tag(Network, Object, int, Rng)} with the masks of a given seed and the examples' own
     * keys: an example's predictions are the same in any batch where it has that key.
     *
     * @param network a generated tagger or language model ({@code @Softmax} at every step)
     * @param inputs the examples, {@code [examples][steps]} ids or {@code [examples][steps][features]}
     *     values, of any lengths
     * @param samples K, at least 1
     * @param seed the masks' seed
     * @param keys example i's key at i, one per example
     * @param <I> the network's input type
     * @return per example, in the inputs' order, one prediction per step (unmodifiable lists)
     * @throws IllegalArgumentException when samples is below 1, the keys are not one per example,
     *     there is no example, an example is empty or does not fit the network
     */
    public static <I> List<List<ClassPrediction>> tag(Network<I, int[][]> network, I inputs, int samples, long seed, long[] keys) {
        McInputs<I> examples = McInputs.of(inputs);
        KeyedPasses.check(samples, keys, examples.examples());
        examples.check(network.sizes());
        return perStep(network, examples, samples, seed, keys);
    }

    private static <I> List<List<ClassPrediction>> perStep(Network<I, int[][]> network, McInputs<I> examples, int samples, long seed,
                                                  long[] keys) {
        int classes = classes(network);
        ClassPrediction.Accumulator[][] out = new ClassPrediction.Accumulator[examples.examples()][];
        for (int b = 0; b < out.length; b++) {
            out[b] = new ClassPrediction.Accumulator[examples.length(b)];
            Arrays.setAll(out[b], t -> ClassPrediction.accumulator(classes));
        }
        double[] probabilities = new double[classes];
        KeyedPasses.run(network, examples, samples, seed, keys, true, classes, (p, layout, from, size, first, g) -> {
            for (int b = 0; b < size; b++) {
                for (int k = 0; k < g; k++) {
                    for (int t = 0; t < out[from + b].length; t++) {
                        read(p, layout.column(k * size + b, t), probabilities);
                        out[from + b][t].add(probabilities);
                    }
                }
            }
        });
        return Arrays.stream(out).map(steps -> Arrays.stream(steps).map(ClassPrediction.Accumulator::result).toList()).toList();
    }

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
     * same seed where it has that key ({@link #tag} of one sequence).
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
        KeyedPasses.check(samples, new long[] {key}, 1);
        if (tokens.length == 0) {
            throw new IllegalArgumentException("a sequence to predict from needs at least one token");
        }
        network.sizes().checkInputTokens(tokens, "the sequence");
        return perStep(network, McInputs.of(new int[][] {tokens}), samples, seed, new long[] {key}).get(0);
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
     * Forecasts from a batch of inputs with a model whose output is a Gaussian at the last step:
     * for every example and output, the K sampled means and the learned noise variance σ² =
     * exp(s) give a {@link RegressionPrediction} (its intervals are moment-matched Gaussians). The
     * masks' seed is {@code rng}'s next draw; example i's key is i.
     *
     * @param network a generated forecaster with a {@code @Regression} head at the last step
     * @param inputs the windows, {@code [windows][steps][features]} (or {@code [windows][steps]}
     *     token ids), of any lengths
     * @param samples K, at least 1
     * @param rng the source of the masks' seed: one draw
     * @param <I> the network's input type
     * @return {@code [window][output]}
     * @throws IllegalArgumentException when samples is below 1 or the network has no regression head
     */
    public static <I> RegressionPrediction[][] forecast(Network<I, double[][]> network, I inputs, int samples, Rng rng) {
        return forecast(network, inputs, samples, rng.nextLong());
    }

    /**
     * {@link #forecast(Network, Object, int, Rng)} with the masks of a given seed; window i's key is i.
     *
     * @param network a generated forecaster with a {@code @Regression} head at the last step
     * @param inputs the windows, {@code [windows][steps][features]} (or {@code [windows][steps]}
     *     token ids), of any lengths
     * @param samples K, at least 1
     * @param seed the masks' seed
     * @param <I> the network's input type
     * @return {@code [window][output]}
     * @throws IllegalArgumentException when samples is below 1 or the network has no regression head
     */
    public static <I> RegressionPrediction[][] forecast(Network<I, double[][]> network, I inputs, int samples, long seed) {
        return forecast(network, inputs, samples, seed, MaskKeys.range(0, McInputs.of(inputs).examples()));
    }

    /**
     * {@link #forecast(Network, Object, int, Rng)} with the masks of a given seed and the windows'
     * own keys: a window's forecast is the same in any batch where it has that key.
     *
     * @param network a generated forecaster with a {@code @Regression} head at the last step
     * @param inputs the windows, {@code [windows][steps][features]} (or {@code [windows][steps]}
     *     token ids), of any lengths
     * @param samples K, at least 1
     * @param seed the masks' seed
     * @param keys window i's example key at i, one per window
     * @param <I> the network's input type
     * @return {@code [window][output]}
     * @throws IllegalArgumentException when samples is below 1, the keys are not one per window,
     *     a window does not fit the network, or the network has no regression head
     */
    public static <I> RegressionPrediction[][] forecast(Network<I, double[][]> network, I inputs, int samples, long seed,
                                                        long[] keys) {
        McInputs<I> windows = McInputs.of(inputs);
        KeyedPasses.check(samples, keys, windows.examples());
        windows.check(network.sizes());
        Mat logVariance = logVariance(network.parameters());
        int outputs = logVariance.rows();
        double[][][] means = new double[windows.examples()][outputs][samples];
        KeyedPasses.run(network, windows, samples, seed, keys, false, outputs, (mu, layout, from, size, first, g) -> {
            for (int k = 0; k < g; k++) {
                for (int b = 0; b < size; b++) {
                    int column = layout.column(k * size + b, 0);
                    for (int j = 0; j < outputs; j++) {
                        means[from + b][j][first + k] = mu.get(j, column);
                    }
                }
            }
        });
        RegressionPrediction[][] out = new RegressionPrediction[windows.examples()][outputs];
        for (int b = 0; b < out.length; b++) {
            for (int j = 0; j < outputs; j++) {
                out[b][j] = RegressionPrediction.of(means[b][j], Math.exp(logVariance.get(j, 0)));
            }
        }
        return out;
    }

    /**
     * Forecasts at every step of every example with a model whose output is a Gaussian at every
     * step (sequence regression): per example, step and output, a {@link RegressionPrediction} from
     * the K sampled means and the learned noise variance σ² = exp(s). Each example from a zero
     * state, with its own length. The masks' seed is {@code rng}'s next draw; example i's key is i.
     *
     * @param network a generated model with a {@code @Regression(over = EVERY_STEP)} head
     * @param inputs the examples, {@code [examples][steps][features]} (or {@code [examples][steps]}
     *     token ids), of any lengths
     * @param samples K, at least 1
     * @param rng the source of the masks' seed: one draw
     * @param <I> the network's input type
     * @return {@code [example][step][output]}, each example's row as long as the example
     * @throws IllegalArgumentException as {@link #forecastSteps(Network, Object, int, long, long[])}
     */
    public static <I> RegressionPrediction[][][] forecastSteps(Network<I, double[][][]> network, I inputs, int samples, Rng rng) {
        return forecastSteps(network, inputs, samples, rng.nextLong());
    }

    /**
     * {@link #forecastSteps(Network, Object, int, Rng)} with the masks of a given seed; example i's key is i.
     *
     * @param network a generated model with a {@code @Regression(over = EVERY_STEP)} head
     * @param inputs the examples, {@code [examples][steps][features]} (or {@code [examples][steps]}
     *     token ids), of any lengths
     * @param samples K, at least 1
     * @param seed the masks' seed
     * @param <I> the network's input type
     * @return {@code [example][step][output]}, each example's row as long as the example
     * @throws IllegalArgumentException as {@link #forecastSteps(Network, Object, int, long, long[])}
     */
    public static <I> RegressionPrediction[][][] forecastSteps(Network<I, double[][][]> network, I inputs, int samples, long seed) {
        return forecastSteps(network, inputs, samples, seed, MaskKeys.range(0, McInputs.of(inputs).examples()));
    }

    /**
     * {@link #forecastSteps(Network, Object, int, Rng)} with the masks of a given seed and the
     * examples' own keys: an example's forecasts are the same in any batch where it has that key.
     *
     * @param network a generated model with a {@code @Regression(over = EVERY_STEP)} head
     * @param inputs the examples, {@code [examples][steps][features]} (or {@code [examples][steps]}
     *     token ids), of any lengths
     * @param samples K, at least 1
     * @param seed the masks' seed
     * @param keys example i's key at i, one per example
     * @param <I> the network's input type
     * @return {@code [example][step][output]}, each example's row as long as the example
     * @throws IllegalArgumentException when samples is below 1, the keys are not one per example,
     *     an example does not fit the network, or the network has no regression head
     */
    public static <I> RegressionPrediction[][][] forecastSteps(Network<I, double[][][]> network, I inputs, int samples,
                                                               long seed, long[] keys) {
        McInputs<I> examples = McInputs.of(inputs);
        KeyedPasses.check(samples, keys, examples.examples());
        examples.check(network.sizes());
        Mat logVariance = logVariance(network.parameters());
        int outputs = logVariance.rows();
        double[][][][] means = new double[examples.examples()][][][];
        for (int b = 0; b < means.length; b++) {
            means[b] = new double[examples.length(b)][outputs][samples];
        }
        KeyedPasses.run(network, examples, samples, seed, keys, true, outputs, (mu, layout, from, size, first, g) -> {
            for (int k = 0; k < g; k++) {
                for (int b = 0; b < size; b++) {
                    for (int t = 0; t < means[from + b].length; t++) {
                        int column = layout.column(k * size + b, t);
                        for (int j = 0; j < outputs; j++) {
                            means[from + b][t][j][first + k] = mu.get(j, column);
                        }
                    }
                }
            }
        });
        RegressionPrediction[][][] out = new RegressionPrediction[means.length][][];
        for (int b = 0; b < out.length; b++) {
            out[b] = new RegressionPrediction[means[b].length][outputs];
            for (int t = 0; t < out[b].length; t++) {
                for (int j = 0; j < outputs; j++) {
                    out[b][t][j] = RegressionPrediction.of(means[b][t][j], Math.exp(logVariance.get(j, 0)));
                }
            }
        }
        return out;
    }

    /** The classes of a softmax head. */
    private static int classes(Network<?, ?> network) {
        return network.sizes().classes().orElseThrow(() -> new IllegalArgumentException(
                "the network has no softmax head: it predicts values, not classes (use forecast)"));
    }

    /** Copies one column of a pass's probabilities. */
    private static void read(Mat p, int column, double[] into) {
        for (int c = 0; c < into.length; c++) {
            into[c] = p.get(c, column);
        }
    }

    /** The regression head's log-variance s (the parameter named {@code <head>.s}). */
    static Mat logVariance(List<Parameter> parameters) {
        return parameters.stream().filter(p -> p.name().endsWith(".s")).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("the network has no regression head (no log-variance parameter)"))
                .value();
    }
}
