package dev.vdrop.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdrop.runtime.DropoutMode;
import dev.vdrop.runtime.Mat;
import dev.vdrop.runtime.Network;
import dev.vdrop.runtime.NetworkConfig;
import dev.vdrop.runtime.RecurrentState;
import dev.vdrop.runtime.Rng;
import dev.vdrop.runtime.Workspace;
import dev.vdrop.runtime.eval.Perplexity;
import dev.vdrop.runtime.text.TokenStreams;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Perplexity as the protocol defines it, computed by {@link Perplexity} from predicted
 * probabilities, against the same quantity summed from the segments' own losses; and MC dropout
 * perplexity against its limits.
 */
class PerplexityTest {
    private static final NetworkConfig CONFIG = NetworkConfig.builder().dataType(DataType.DOUBLE).seed(4).initScale(0.5).build();

    @Test
    void standardPerplexityIsExpOfTheMeanLossOverEveryPrediction() {
        int[] ids = Harness.tokens(new Rng(1), 1, 437, 11)[0];
        TiedNetwork network = new TiedNetwork(CONFIG);
        Perplexity.Result result = Perplexity.standard(network, ids, 4, 10);
        assertEquals(4L * (437 / 4 - 1), result.predictions(), "a stream of n tokens gives n − 1 predictions");

        double nll = 0;
        Map<Integer, Workspace<int[][], int[][]>> segments = new HashMap<>();
        RecurrentState state = network.workspace(4, 1).state();
        for (TokenStreams.Batch batch : new TokenStreams(ids, 4).batches(10)) {
            Workspace<int[][], int[][]> segment = segments.computeIfAbsent(batch.steps(), t -> network.workspace(4, t));
            segment.setState(state);
            nll += segment.forward(batch.input(), batch.target()) * 4;
            state = segment.state();
        }
        assertEquals(Math.exp(nll / result.predictions()), result.perplexity(), 1e-9 * result.perplexity());
    }

    @Test
    void mcPerplexityOfAModelWithoutDropoutIsTheStandardOne() {
        int[] ids = Harness.tokens(new Rng(2), 1, 300, 11)[0];
        PlainNetwork network = new PlainNetwork(CONFIG);
        double standard = Perplexity.standard(network, ids, 3, 7).perplexity();
        double mc = Perplexity.mc(network, ids, 3, 7, 5, new Rng(3)).perplexity();
        assertEquals(standard, mc, 1e-9 * standard);
    }

    @Test
    void mcPerplexityDiffersWithDropoutAndIsRepeatableFromItsSeed() {
        int[] ids = Harness.tokens(new Rng(4), 1, 300, 11)[0];
        AwdNetwork awd = new AwdNetwork(CONFIG);
        double standard = Perplexity.standard(awd, ids, 3, 7).perplexity();
        double first = Perplexity.mc(awd, ids, 3, 7, 4, new Rng(5)).perplexity();
        double again = Perplexity.mc(awd, ids, 3, 7, 4, new Rng(5)).perplexity();
        assertEquals(first, again, 0.0);
        assertTrue(Math.abs(first - standard) > 1e-6, "masks change the predictions: " + first + " vs " + standard);
        UntiedNetwork untied = new UntiedNetwork(CONFIG);
        assertEquals(Perplexity.mc(untied, ids, 3, 7, 6, new Rng(6)).perplexity(),
                Perplexity.mc(untied, ids, 3, 7, 6, new Rng(6)).perplexity(), 0.0, "batched samples are repeatable too");
    }

    /**
     * MC perplexity against the protocol computed here: K samples, each a set of masks held for
     * the whole evaluation (per-step masks fresh at every step), embedding dropout off, the
     * plain-loop {@link ReferenceLstm} run over each stream from its first token to its last in
     * one piece (what carrying the state from segment to segment must add up to), the K
     * probabilities of each target averaged, then exp(−mean log p̄).
     *
     * <p>The masks are the only thing taken from the generated code: {@code Perplexity.mc} draws
     * them from its generator with one {@code sampleMasks(rng, MC)} per group of samples on a
     * workspace of group × streams rows (all K at once, or one at a time with weight drop, which
     * needs a mask over U per sample) and one {@code resampleStepMasks(rng)} per later segment,
     * so the same calls on a workspace of that shape from the same seed give its masks, sample k's
     * being the columns of rows k·B … k·B + B − 1. If {@code Perplexity} ever draws them
     * differently, this test must follow it (it cannot see them otherwise).
     *
     * <p>Tolerance: both sides are float64 and differ only in summation order, a few units of
     * 2^-53 per operation; over streams of ~100 steps the probabilities agree to ~1e-12
     * (relative), so log p̄ to ~1e-12 (absolute) and the perplexity to ~1e-12 (relative); they
     * agreed to 5e-16 when this was written. 1e-9 leaves a factor of 1000 over the estimate and
     * stays far below what a protocol slip moves it by: the masks of another seed move it by
     * ~1e-4 here (these untrained models predict nearly uniformly, perplexity ≈ 11).
     */
    @Test
    void mcPerplexityIsTheMeanProbabilityOfKMaskedPassesOverWholeStreams() {
        int[] ids = Harness.tokens(new Rng(21), 1, 304, 11)[0];
        assertMcMatchesReference("tied, embedding dropout, tied decoder", new TiedDecoderNetwork(CONFIG), ids, 4,
                List.of("lstm1", "lstm2"), false);
        assertMcMatchesReference("untied", new UntiedNetwork(CONFIG), ids, 5, List.of("lstm"), false);
        assertMcMatchesReference("AWD: weight drop, one sample at a time", new AwdNetwork(CONFIG), ids, 3,
                List.of("lstm1", "lstm2"), true);
        assertMcMatchesReference("per step (Zaremba)", new PerStepNetwork(CONFIG), ids, 3, List.of("lstm1", "lstm2"), false);
    }

    private static void assertMcMatchesReference(String name, Network<int[][], int[][]> network, int[] ids, int samples,
                                                 List<String> layers, boolean oneSampleAtATime) {
        int streams = 3;
        int steps = 7;
        long seed = 31;
        double mc = Perplexity.mc(network, ids, streams, steps, samples, new Rng(seed)).perplexity();

        // the protocol's streams: B equal parts, the remainder dropped; n tokens give n − 1 predictions
        int length = ids.length / streams;
        int[][] input = new int[streams][length - 1];
        int[][] target = new int[streams][length - 1];
        for (int b = 0; b < streams; b++) {
            System.arraycopy(ids, b * length, input[b], 0, length - 1);
            System.arraycopy(ids, b * length + 1, target[b], 0, length - 1);
        }
        int segments = (length - 1 + steps - 1) / steps;
        int group = oneSampleAtATime ? 1 : samples;
        Rng rng = new Rng(seed);
        double[][] sum = new double[streams][length - 1];
        try (Workspace<int[][], int[][]> masks = network.workspace(group * streams, steps)) {
            for (int done = 0; done < samples; done += group) {
                masks.sampleMasks(rng, DropoutMode.MC);
                List<Map<String, Mat>> bySegment = new ArrayList<>();
                bySegment.add(copies(masks.masks()));
                for (int s = 1; s < segments; s++) {
                    masks.resampleStepMasks(rng);
                    bySegment.add(copies(masks.masks()));
                }
                for (int k = 0; k < group; k++) {
                    Map<String, Mat> sample = sampleMasks(bySegment, k, group * streams, streams, steps, length - 1);
                    double[][][] p = new ReferenceLstm(network.parameters(), sample, "embedding", layers, "decoder")
                            .probabilities(input);
                    for (int b = 0; b < streams; b++) {
                        for (int t = 0; t < length - 1; t++) {
                            sum[b][t] += p[b][t][target[b][t]];
                        }
                    }
                }
            }
        }
        double nll = 0;
        for (double[] stream : sum) {
            for (double total : stream) {
                nll -= Math.log(total / samples);
            }
        }
        double expected = Math.exp(nll / (streams * (length - 1)));
        assertEquals(expected, mc, 1e-9 * expected, name);
    }

    /**
     * Sample k's masks for the reference, over whole streams of {@code predictions} steps: no
     * embedding mask (embedding dropout is off in MC); a weight-drop mask as drawn; of a workspace
     * of {@code rows} rows, a per-sequence mask's columns k·B + b; a per-step mask's columns t·rows + k·B + b of each segment,
     * laid end to end (column t·B + b of the whole stream).
     */
    private static Map<String, Mat> sampleMasks(List<Map<String, Mat>> bySegment, int k, int rows, int streams, int steps,
                                                int predictions) {
        Map<String, Mat> out = new HashMap<>();
        for (Map.Entry<String, Mat> entry : bySegment.get(0).entrySet()) {
            String name = entry.getKey();
            Mat drawn = entry.getValue();
            if (name.endsWith(".E")) {
                continue;
            }
            if (name.endsWith(".U")) {
                out.put(name, drawn);
                continue;
            }
            boolean perStep = drawn.cols() == steps * rows;
            assertTrue(perStep || drawn.cols() == rows, name + ": a mask of " + drawn.shape() + " for " + rows + " rows");
            Mat mask = Mat.zeros(drawn.dataType(), drawn.rows(), perStep ? predictions * streams : streams);
            for (int b = 0; b < streams; b++) {
                if (!perStep) {
                    copyColumn(drawn, k * streams + b, mask, b);
                    continue;
                }
                for (int t = 0; t < predictions; t++) {
                    Mat segment = bySegment.get(t / steps).get(name);
                    copyColumn(segment, (t % steps) * rows + k * streams + b, mask, t * streams + b);
                }
            }
            out.put(name, mask);
        }
        return out;
    }

    private static void copyColumn(Mat from, int source, Mat to, int column) {
        for (int r = 0; r < from.rows(); r++) {
            to.set(r, column, from.get(r, source));
        }
    }

    private static Map<String, Mat> copies(Map<String, Mat> masks) {
        Map<String, Mat> out = new HashMap<>();
        masks.forEach((name, m) -> {
            Mat copy = Mat.zeros(m.dataType(), m.rows(), m.cols());
            copy.copyFrom(m);
            out.put(name, copy);
        });
        return out;
    }

    @Test
    void fewerThanOneSampleIsAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Perplexity.mc(new TiedNetwork(CONFIG), new int[100], 2, 5, 0, new Rng(1)));
        assertEquals("MC dropout needs at least 1 sample, got 0", e.getMessage());
    }
}
