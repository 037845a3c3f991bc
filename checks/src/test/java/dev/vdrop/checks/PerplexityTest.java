package dev.vdrop.checks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdrop.runtime.DropoutMode;
import dev.vdrop.runtime.MaskKeys;
import dev.vdrop.runtime.Mat;
import dev.vdrop.runtime.Network;
import dev.vdrop.runtime.NetworkConfig;
import dev.vdrop.runtime.RecurrentState;
import dev.vdrop.runtime.Rng;
import dev.vdrop.runtime.Workspace;
import dev.vdrop.runtime.eval.Perplexity;
import dev.vdrop.runtime.text.TokenStreams;
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
        assertEquals(first, Perplexity.mc(awd, ids, 3, 7, 4, new Rng(5).nextLong()).perplexity(), 0.0,
                "the masks' seed is the generator's next draw");
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
     * <p>The masks are the only thing taken from the generated code, drawn as {@code Perplexity}
     * documents them ({@link MaskKeys}): the seed is the generator's first draw, sample k of
     * stream b has key b and sample index k, and here each is drawn alone, on a workspace of one
     * row over the whole stream (position 0). {@code Perplexity.mc} draws them on workspaces of
     * K·B rows (one sample at a time with weight drop) segment by segment, per-step masks at each
     * segment's position: keyed masks must not tell the difference. A U mask is one per sample,
     * the same for every stream.
     *
     * <p>Tolerance: both sides are float64 and differ only in summation order, a few units of
     * 2^-53 per operation; over streams of ~100 steps the probabilities agree to ~1e-12
     * (relative), so log p̄ to ~1e-12 (absolute) and the perplexity to ~1e-12 (relative); they
     * agreed to 3.3e-16 (per step) and exactly (the others) with keyed masks. 1e-9 leaves a factor
     * of 1000 over the estimate and stays far below what a protocol slip moves it by: the masks of
     * the next seed move it by 3.9e-3 to 1.3e-2 here, 3.5e-4 to 1.1e-3 relative (these untrained
     * models predict nearly uniformly, perplexity ≈ 11).
     */
    @Test
    void mcPerplexityIsTheMeanProbabilityOfKMaskedPassesOverWholeStreams() {
        int[] ids = Harness.tokens(new Rng(21), 1, 304, 11)[0];
        assertMcMatchesReference("tied, embedding dropout, tied decoder", new TiedDecoderNetwork(CONFIG), ids, 4,
                List.of("lstm1", "lstm2"));
        assertMcMatchesReference("untied", new UntiedNetwork(CONFIG), ids, 5, List.of("lstm"));
        assertMcMatchesReference("AWD: weight drop, one sample at a time", new AwdNetwork(CONFIG), ids, 3,
                List.of("lstm1", "lstm2"));
        assertMcMatchesReference("per step (Zaremba)", new PerStepNetwork(CONFIG), ids, 3, List.of("lstm1", "lstm2"));
    }

    private static void assertMcMatchesReference(String name, Network<int[][], int[][]> network, int[] ids, int samples,
                                                 List<String> layers) {
        int streams = 3;
        int steps = 7;
        long seed = 31;
        double mc = Perplexity.mc(network, ids, streams, steps, samples, new Rng(seed)).perplexity();

        // the protocol's streams: B equal parts, the remainder dropped; n tokens give n − 1 predictions
        int length = ids.length / streams;
        int predictions = length - 1;
        int[][] input = new int[streams][predictions];
        int[][] target = new int[streams][predictions];
        for (int b = 0; b < streams; b++) {
            System.arraycopy(ids, b * length, input[b], 0, predictions);
            System.arraycopy(ids, b * length + 1, target[b], 0, predictions);
        }
        long maskSeed = new Rng(seed).nextLong();
        double[][] sum = new double[streams][predictions];
        try (Workspace<int[][], int[][]> oneStream = network.workspace(1, predictions)) {
            for (int k = 0; k < samples; k++) {
                Map<String, Mat> sample = new HashMap<>();
                for (int b = 0; b < streams; b++) {
                    oneStream.sampleMasks(MaskKeys.samples(maskSeed, new long[] {b}, k, 1), DropoutMode.MC);
                    addStream(name, oneStream.masks(), b, streams, predictions, sample);
                }
                double[][][] p = new ReferenceLstm(network.parameters(), sample, "embedding", layers, "decoder")
                        .probabilities(input);
                for (int b = 0; b < streams; b++) {
                    for (int t = 0; t < predictions; t++) {
                        sum[b][t] += p[b][t][target[b][t]];
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
        double expected = Math.exp(nll / (streams * predictions));
        assertEquals(expected, mc, 1e-9 * expected, name);
    }

    /**
     * Adds stream b's masks, drawn on a workspace of one row over the whole stream, to a sample's
     * masks over every stream as the reference reads them: no embedding mask (embedding dropout is
     * off in MC); a weight-drop mask as drawn, which every stream must share; a per-sequence
     * mask's column as column b; a per-step mask's column t as column t·B + b.
     */
    private static void addStream(String model, Map<String, Mat> drawn, int b, int streams, int predictions,
                                  Map<String, Mat> sample) {
        for (Map.Entry<String, Mat> entry : drawn.entrySet()) {
            String name = entry.getKey();
            Mat mask = entry.getValue();
            if (name.endsWith(".E")) {
                continue;
            }
            if (name.endsWith(".U")) {
                if (b == 0) {
                    sample.put(name, copy(mask));
                } else {
                    assertArrayEquals(Harness.flatten(sample.get(name)), Harness.flatten(mask),
                            model + ": " + name + " is one mask per sample, whatever the stream");
                }
                continue;
            }
            boolean perStep = mask.cols() == predictions;
            assertTrue(perStep || mask.cols() == 1, name + ": a mask of " + mask.shape() + " for one row");
            Mat all = sample.computeIfAbsent(name,
                    n -> Mat.zeros(mask.dataType(), mask.rows(), perStep ? predictions * streams : streams));
            if (perStep) {
                for (int t = 0; t < predictions; t++) {
                    copyColumn(mask, t, all, t * streams + b);
                }
            } else {
                copyColumn(mask, 0, all, b);
            }
        }
    }

    private static Mat copy(Mat m) {
        Mat copy = Mat.zeros(m.dataType(), m.rows(), m.cols());
        copy.copyFrom(m);
        return copy;
    }

    private static void copyColumn(Mat from, int source, Mat to, int column) {
        for (int r = 0; r < from.rows(); r++) {
            to.set(r, column, from.get(r, source));
        }
    }

    @Test
    void fewerThanOneSampleIsAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Perplexity.mc(new TiedNetwork(CONFIG), new int[100], 2, 5, 0, new Rng(1)));
        assertEquals("MC dropout needs at least 1 sample, got 0", e.getMessage());
    }
}
