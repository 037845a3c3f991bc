package dev.vdrop.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdrop.runtime.NetworkConfig;
import dev.vdrop.runtime.RecurrentState;
import dev.vdrop.runtime.Rng;
import dev.vdrop.runtime.Workspace;
import dev.vdrop.runtime.eval.Perplexity;
import dev.vdrop.runtime.text.TokenStreams;
import java.util.HashMap;
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

    @Test
    void fewerThanOneSampleIsAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Perplexity.mc(new TiedNetwork(CONFIG), new int[100], 2, 5, 0, new Rng(1)));
        assertEquals("MC dropout needs at least 1 sample, got 0", e.getMessage());
    }
}
