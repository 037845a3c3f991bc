package dev.vdrop.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdrop.checks.WideModels.WidePerStep;
import dev.vdrop.checks.WideModels.WideTied;
import dev.vdrop.checks.WideModels.WideUntied;
import dev.vdrop.dsl.Embedding;
import dev.vdrop.dsl.Layer;
import dev.vdrop.dsl.Model;
import dev.vdrop.dsl.Softmax;
import dev.vdrop.dsl.VariationalLSTM;
import dev.vdrop.runtime.DropoutMode;
import dev.vdrop.runtime.Gradients;
import dev.vdrop.runtime.MaskKeys;
import dev.vdrop.runtime.Mat;
import dev.vdrop.runtime.NetworkConfig;
import dev.vdrop.runtime.Rng;
import dev.vdrop.runtime.Workspace;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * What the masks are: their shapes say which connections share one (a column per sequence for
 * variational masks, a column per step and sequence for Zaremba's, one matrix over U for weight
 * drop, a row per word type for embedding dropout); their values are 0 or 1/(1 − p); the kept
 * fraction lies within a 5-sigma binomial band of 1 − p; and they change from sequence to
 * sequence and from segment to segment. Masks keyed by example for MC prediction ({@link
 * MaskKeys}) have the same shapes and distribution, come from streams of their own for every
 * mask, example, sample and (per step) position, and leave embedding dropout out. {@link
 * ForwardTest} shows that the forward pass applies them as the equations say.
 */
class MaskSemanticsTest {
    private static final int BATCH = 200;
    private static final int STEPS = 3;
    private static final NetworkConfig CONFIG = NetworkConfig.builder().dataType(DataType.DOUBLE).seed(3).build();

    @Test
    void tiedMasksAreOnePerSequenceAndShapedForTheirConnection() {
        Map<String, Mat> masks = sampled(new WideTiedNetwork(CONFIG).workspace(BATCH, STEPS), 1, DropoutMode.TRAIN);
        assertEquals(Set.of("embedding.E", "lstm.x", "lstm.h", "lstm.y", "lstm.U"), masks.keySet());
        assertShape(masks.get("lstm.x"), 64, BATCH);
        assertShape(masks.get("lstm.h"), 48, BATCH);
        assertShape(masks.get("lstm.y"), 48, BATCH);
        assertShape(masks.get("lstm.U"), 4 * 48, 48);
        assertShape(masks.get("embedding.E"), 50, BATCH);
        assertColumnsDiffer(masks.get("lstm.x"), 0, 1);
        assertColumnsDiffer(masks.get("lstm.h"), 0, 1);
        assertColumnsDiffer(masks.get("embedding.E"), 0, 1);
    }

    @Test
    void untiedMasksAreOnePerGateAndEmbeddingDropoutPerBatchIsOneColumn() {
        Map<String, Mat> masks = sampled(new WideUntiedNetwork(CONFIG).workspace(BATCH, STEPS), 2, DropoutMode.TRAIN);
        assertEquals(Set.of("embedding.E", "lstm.x.i", "lstm.x.f", "lstm.x.g", "lstm.x.o",
                "lstm.h.i", "lstm.h.f", "lstm.h.g", "lstm.h.o"), masks.keySet());
        assertShape(masks.get("embedding.E"), 50, 1);
        assertFalse(equal(masks.get("lstm.x.i"), masks.get("lstm.x.f")), "each gate draws its own input mask");
        assertFalse(equal(masks.get("lstm.h.g"), masks.get("lstm.h.o")), "each gate draws its own recurrent mask");
    }

    @Test
    void perStepMasksAreFreshAtEveryStepAndNeverOnH() {
        Map<String, Mat> masks = sampled(new WidePerStepNetwork(CONFIG).workspace(BATCH, STEPS), 3, DropoutMode.TRAIN);
        assertEquals(Set.of("lstm.x", "lstm.y"), masks.keySet());
        assertShape(masks.get("lstm.x"), 64, STEPS * BATCH);
        // Column t·B + b is step t of sequence b: the same sequence at steps 0 and 1 gets different masks.
        assertColumnsDiffer(masks.get("lstm.x"), 5, BATCH + 5);
        assertColumnsDiffer(masks.get("lstm.y"), 5, 2 * BATCH + 5);
    }

    @Test
    void keptFractionIsWithinFiveSigmaOfOneMinusPAndKeptUnitsAreScaled() {
        Map<String, Mat> masks = sampled(new WideTiedNetwork(CONFIG).workspace(BATCH, STEPS), 4, DropoutMode.TRAIN);
        Map<String, Double> p = Map.of("lstm.x", 0.3, "lstm.h", 0.25, "lstm.y", 0.4, "lstm.U", 0.5, "embedding.E", 0.2);
        p.forEach((name, probability) -> assertBernoulli(name, masks.get(name), probability));
        Map<String, Mat> perStep = sampled(new WidePerStepNetwork(CONFIG).workspace(BATCH, STEPS), 5, DropoutMode.TRAIN);
        assertBernoulli("per-step lstm.x", perStep.get("lstm.x"), 0.5);
        Map<String, Mat> untied = sampled(new WideUntiedNetwork(CONFIG).workspace(BATCH, STEPS), 6, DropoutMode.TRAIN);
        assertBernoulli("untied lstm.h.f", untied.get("lstm.h.f"), 0.25);
    }

    @Test
    void masksChangeFromSegmentToSegmentAndAreRepeatableFromASeed() {
        Workspace<int[][], int[][]> segment = new WideTiedNetwork(CONFIG).workspace(BATCH, STEPS);
        Rng rng = new Rng(7);
        segment.sampleMasks(rng, DropoutMode.TRAIN);
        double[] first = Harness.flatten(segment.masks().get("lstm.h"));
        segment.sampleMasks(rng, DropoutMode.TRAIN);
        double[] second = Harness.flatten(segment.masks().get("lstm.h"));
        assertFalse(Arrays.equals(first, second), "the next segment draws new masks");
        segment.sampleMasks(new Rng(7), DropoutMode.TRAIN);
        assertTrue(Arrays.equals(first, Harness.flatten(segment.masks().get("lstm.h"))), "the same seed gives the same masks");
    }

    /**
     * MC evaluation keeps a sample's masks for the whole evaluation but Zaremba's fresh at every
     * step: {@code resampleStepMasks} draws new per-step masks (every step of the next segment
     * differs from the same step of this one) and leaves a variational model's masks as they are.
     */
    @Test
    void resamplingStepMasksDrawsNewPerStepMasksOnly() {
        Workspace<int[][], int[][]> perStep = new WidePerStepNetwork(CONFIG).workspace(BATCH, STEPS);
        Rng rng = new Rng(10);
        perStep.sampleMasks(rng, DropoutMode.MC);
        Map<String, double[]> before = flattened(perStep.masks());
        perStep.resampleStepMasks(rng);
        for (String name : before.keySet()) {
            double[] after = Harness.flatten(perStep.masks().get(name));
            int rows = perStep.masks().get(name).rows();
            for (int column = 0; column < STEPS * BATCH; column += BATCH + 1) {
                assertFalse(Arrays.equals(Arrays.copyOfRange(before.get(name), column * rows, (column + 1) * rows),
                        Arrays.copyOfRange(after, column * rows, (column + 1) * rows)), name + " column " + column + " redrawn");
            }
        }
        Workspace<int[][], int[][]> tied = new WideTiedNetwork(CONFIG).workspace(BATCH, STEPS);
        tied.sampleMasks(rng, DropoutMode.MC);
        Map<String, double[]> held = flattened(tied.masks());
        tied.resampleStepMasks(rng);
        held.forEach((name, values) -> assertTrue(Arrays.equals(values, Harness.flatten(tied.masks().get(name))),
                name + " is held"));
    }

    private static Map<String, double[]> flattened(Map<String, Mat> masks) {
        Map<String, double[]> out = new java.util.TreeMap<>();
        masks.forEach((name, m) -> out.put(name, Harness.flatten(m)));
        return out;
    }

    @Test
    void mcModeLeavesEmbeddingDropoutOut() {
        WideTiedNetwork network = new WideTiedNetwork(CONFIG);
        Workspace<int[][], int[][]> segment = network.workspace(2, STEPS);
        int[][] tokens = Harness.tokens(new Rng(8), 2, STEPS, 50);
        segment.sampleMasks(new Rng(9), DropoutMode.MC);
        segment.forward(tokens);
        Map<String, Mat> withoutEmbedding = new java.util.HashMap<>(segment.masks());
        withoutEmbedding.remove("embedding.E");
        double[][][] reference = new ReferenceLstm(network.parameters(), withoutEmbedding, "embedding",
                java.util.List.of("lstm"), "decoder").probabilities(tokens);
        for (int b = 0; b < 2; b++) {
            for (int t = 0; t < STEPS; t++) {
                for (int k = 0; k < 50; k++) {
                    assertEquals(reference[b][t][k], segment.output().get(k, t * 2 + b), 1e-10);
                }
            }
        }
    }

    @Test
    void aDroppedWordGetsNoGradientFromAnyOfItsOccurrences() {
        WideUntiedNetwork network = new WideUntiedNetwork(CONFIG);
        Workspace<int[][], int[][]> segment = network.workspace(4, 6);
        segment.sampleMasks(new Rng(10), DropoutMode.TRAIN);
        Mat mask = segment.masks().get("embedding.E");
        int dropped = -1;
        int kept = -1;
        for (int w = 0; w < 50; w++) {
            if (mask.get(w, 0) == 0 && dropped < 0) {
                dropped = w;
            } else if (mask.get(w, 0) != 0 && kept < 0) {
                kept = w;
            }
        }
        assertTrue(dropped >= 0 && kept >= 0, "with p = 0.2 over 50 words some are dropped and some kept");
        int[][] tokens = new int[4][6];
        for (int b = 0; b < 4; b++) {
            for (int t = 0; t < 6; t++) {
                tokens[b][t] = (b + t) % 2 == 0 ? dropped : kept;
            }
        }
        Gradients.zero(network.parameters());
        segment.forward(tokens, Harness.tokens(new Rng(11), 4, 6, 50));
        segment.backward();
        Mat gradient = network.parameters().get(0).gradient();
        double droppedNorm = 0;
        double keptNorm = 0;
        for (int j = 0; j < 64; j++) {
            droppedNorm += Math.abs(gradient.get(j, dropped));
            keptNorm += Math.abs(gradient.get(j, kept));
        }
        assertEquals(0.0, droppedNorm, 0.0, "word " + dropped + " is dropped in the whole mini-batch");
        assertTrue(keptNorm > 0, "word " + kept + " is kept and learns");
    }

    // ---------------------------------------------------------------------------------------------
    // Masks keyed by example (MaskKeys), for MC prediction

    /**
     * Keyed MC masks are the training masks' shapes, but embedding dropout, and each is Bernoulli:
     * the kept fraction within 4σ of 1 − p (a sampler with the right rate fails one time in
     * 16,000 per mask).
     */
    @Test
    void keyedMasksAreShapedAsTrainingsAndBernoulli() {
        // weight drop: the rows of a pass are of one sample
        Map<String, Mat> tied = keyed(new WideTiedNetwork(CONFIG).workspace(BATCH, STEPS), MaskKeys.of(12, MaskKeys.range(0, BATCH)));
        assertEquals(Set.of("embedding.E", "lstm.x", "lstm.h", "lstm.y", "lstm.U"), tied.keySet());
        assertShape(tied.get("lstm.x"), 64, BATCH);
        assertShape(tied.get("lstm.U"), 4 * 48, 48);
        Map<String, Double> p = Map.of("lstm.x", 0.3, "lstm.h", 0.25, "lstm.y", 0.4, "lstm.U", 0.5);
        p.forEach((name, probability) -> assertBernoulli("keyed " + name, tied.get(name), probability, 4));
        MaskKeys keys = MaskKeys.samples(12, MaskKeys.range(0, BATCH / 4), 0, 4);
        Map<String, Mat> perStep = keyed(new WidePerStepNetwork(CONFIG).workspace(BATCH, STEPS), keys);
        assertShape(perStep.get("lstm.x"), 64, STEPS * BATCH);
        assertBernoulli("keyed per-step lstm.x", perStep.get("lstm.x"), 0.5, 4);
        Map<String, Mat> untied = keyed(new WideUntiedNetwork(CONFIG).workspace(BATCH, STEPS), keys);
        assertBernoulli("keyed untied lstm.h.f", untied.get("lstm.h.f"), 0.25, 4);
    }

    /**
     * Every mask draws from its own streams (keyed by its name): the four gates' masks differ, and
     * so do two examples' columns and two samples' columns of one example.
     */
    @Test
    void keyedMasksDifferByGateExampleAndSample() {
        MaskKeys keys = MaskKeys.samples(13, new long[] {0, 1}, 0, 2);
        Map<String, Mat> untied = keyed(new WideUntiedNetwork(CONFIG).workspace(4, STEPS), keys);
        for (String connection : new String[] {"lstm.x", "lstm.h"}) {
            for (String a : new String[] {"i", "f", "g", "o"}) {
                for (String b : new String[] {"i", "f", "g", "o"}) {
                    if (!a.equals(b)) {
                        assertFalse(equal(untied.get(connection + "." + a), untied.get(connection + "." + b)),
                                connection + "." + a + " and ." + b + " are drawn from streams of their own");
                    }
                }
            }
            Mat mask = untied.get(connection + ".i");
            assertColumnsDiffer(mask, 0, 1); // examples 0 and 1, sample 0
            assertColumnsDiffer(mask, 0, 2); // example 0, samples 0 and 1
        }
    }

    /**
     * Per-step masks are keyed by the step's position in the sequence: step t + 1 of a workspace at
     * position 20 is step t of one at position 21, and a later position leaves the variational
     * masks as they were.
     */
    @Test
    void keyedStepMasksFollowThePositionAndVariationalOnesIgnoreIt() {
        MaskKeys keys = MaskKeys.samples(14, new long[] {4, 9}, 3, 2);
        Workspace<int[][], int[][]> perStep = new WidePerStepNetwork(CONFIG).workspace(4, STEPS);
        Map<String, double[]> at20 = flattened(keyed(perStep, keys.atPosition(20)));
        Map<String, Mat> at21 = keyed(perStep, keys.atPosition(21));
        for (String name : at20.keySet()) {
            int rows = at21.get(name).rows();
            for (int t = 0; t + 1 < STEPS; t++) {
                for (int r = 0; r < 4; r++) {
                    int later = ((t + 1) * 4 + r) * rows;
                    assertTrue(Arrays.equals(Arrays.copyOfRange(at20.get(name), later, later + rows),
                                    Arrays.copyOfRange(Harness.flatten(at21.get(name)), (t * 4 + r) * rows, (t * 4 + r + 1) * rows)),
                            name + ": step " + (21 + t) + " of row " + r);
                }
            }
            assertColumnsDiffer(at21.get(name), 0, 4); // steps 21 and 22 of one row
        }
        Workspace<int[][], int[][]> tied = new WideTiedNetwork(CONFIG).workspace(4, STEPS);
        Map<String, double[]> first = flattened(keyed(tied, MaskKeys.of(15, MaskKeys.range(0, 4))));
        Map<String, double[]> later = flattened(keyed(tied, MaskKeys.of(15, MaskKeys.range(0, 4)).atPosition(35)));
        first.remove("embedding.E");
        first.forEach((name, values) -> assertTrue(Arrays.equals(values, later.get(name)), name + " ignores the position"));
    }

    /**
     * A layer's keyed masks do not depend on the other layers: {@code lower}'s masks are the same
     * bits in a model with another layer below it (drawn first, in sequence, it would shift every
     * draw after it).
     */
    @Test
    void addingALayerChangesNoOtherLayersKeyedMasks() {
        MaskKeys keys = MaskKeys.samples(16, new long[] {2, 5, 8}, 1, 2);
        Map<String, Mat> one = keyed(new KeyedOneLayerNetwork(CONFIG).workspace(6, STEPS), keys);
        Map<String, Mat> two = keyed(new KeyedLayerBelowNetwork(CONFIG).workspace(6, STEPS), keys);
        assertTrue(two.containsKey("below.x"));
        for (String name : new String[] {"lower.x", "lower.h"}) {
            assertTrue(equal(one.get(name), two.get(name)), name + " is the same with a layer below it");
        }
    }

    @Model
    abstract static class KeyedOneLayer {
        @Embedding(vocabulary = 50, size = 64) Layer embedding;
        @VariationalLSTM(units = 48, input = 0.3, recurrent = 0.25) Layer lower;
        @Softmax(classes = 50) Layer decoder;
    }

    @Model
    abstract static class KeyedLayerBelow {
        @Embedding(vocabulary = 50, size = 64) Layer embedding;
        @VariationalLSTM(units = 64, input = 0.3, recurrent = 0.25) Layer below;
        @VariationalLSTM(units = 48, input = 0.3, recurrent = 0.25) Layer lower;
        @Softmax(classes = 50) Layer decoder;
    }

    /**
     * Keyed MC leaves embedding dropout out, even in a workspace that trained with it just before:
     * the forward pass is the reference LSTM's with the keyed LSTM masks and no embedding mask.
     */
    @Test
    void keyedMcLeavesEmbeddingDropoutOutAfterTraining() {
        WideTiedNetwork network = new WideTiedNetwork(CONFIG);
        Workspace<int[][], int[][]> segment = network.workspace(2, STEPS);
        int[][] tokens = Harness.tokens(new Rng(8), 2, STEPS, 50);
        segment.sampleMasks(new Rng(9), DropoutMode.TRAIN);
        segment.sampleMasks(MaskKeys.of(17, new long[] {0, 1}), DropoutMode.MC);
        segment.forward(tokens);
        Map<String, Mat> withoutEmbedding = new java.util.HashMap<>(segment.masks());
        withoutEmbedding.remove("embedding.E");
        double[][][] reference = new ReferenceLstm(network.parameters(), withoutEmbedding, "embedding",
                java.util.List.of("lstm"), "decoder").probabilities(tokens);
        for (int b = 0; b < 2; b++) {
            for (int t = 0; t < STEPS; t++) {
                for (int k = 0; k < 50; k++) {
                    assertEquals(reference[b][t][k], segment.output().get(k, t * 2 + b), 1e-10);
                }
            }
        }
    }

    @Test
    void keyedSamplingRefusesTrainingAndKeysOfAnotherBatch() {
        Workspace<int[][], int[][]> segment = new WideTiedNetwork(CONFIG).workspace(2, STEPS);
        IllegalArgumentException train = assertThrows(IllegalArgumentException.class,
                () -> segment.sampleMasks(MaskKeys.of(1, new long[] {0, 1}), DropoutMode.TRAIN));
        assertTrue(train.getMessage().startsWith("keyed masks are for prediction"), train.getMessage());
        IllegalArgumentException rows = assertThrows(IllegalArgumentException.class,
                () -> segment.sampleMasks(MaskKeys.of(1, new long[] {0, 1, 2}), DropoutMode.MC));
        assertEquals("the mask keys are for 3 rows, the workspace has 2", rows.getMessage());
        // weight drop: rows of several samples must be blocks of equal size, each of one sample
        segment.sampleMasks(MaskKeys.samples(1, new long[] {0}, 0, 2), DropoutMode.MC);
        Workspace<int[][], int[][]> three = new WideTiedNetwork(CONFIG).workspace(3, STEPS);
        double[] before = Harness.flatten(three.masks().get("lstm.x"));
        assertThrows(IllegalArgumentException.class,
                () -> three.sampleMasks(MaskKeys.rows(1, new long[] {0, 0, 1}, new int[] {0, 1, 1}), DropoutMode.MC));
        assertTrue(Arrays.equals(before, Harness.flatten(three.masks().get("lstm.x"))),
                "weight drop refuses rows of samples 0, 1, 1 (no equal blocks) before drawing anything");
    }

    // ---------------------------------------------------------------------------------------------
    // The GRU's masks: the same semantics, three gates (r, u, n)

    private static final String[] GRU_GATES = {"r", "u", "n"};

    /**
     * A tied GRU layer has one mask per sequence on each connection (a column per sequence, so the
     * same at every step: {@link ForwardTest} shows it applied at each), shaped for it, and one mask
     * over U' = U ⊙ M of 3H × H for the whole pass, drawn anew for the next pass.
     */
    @Test
    void gruTiedMasksAreOnePerSequenceAndTheWeightDropMaskOnePerPass() {
        Workspace<int[][], int[][]> workspace = new WideGruTiedNetwork(CONFIG).workspace(BATCH, STEPS);
        Map<String, Mat> masks = sampled(workspace, 21, DropoutMode.TRAIN);
        assertEquals(Set.of("embedding.E", "gru.x", "gru.h", "gru.y", "gru.U"), masks.keySet());
        assertShape(masks.get("gru.x"), 64, BATCH);
        assertShape(masks.get("gru.h"), 48, BATCH);
        assertShape(masks.get("gru.y"), 48, BATCH);
        assertShape(masks.get("gru.U"), 3 * 48, 48);
        assertShape(masks.get("embedding.E"), 50, BATCH);
        assertColumnsDiffer(masks.get("gru.x"), 0, 1);
        assertColumnsDiffer(masks.get("gru.h"), 0, 1);
        assertColumnsDiffer(masks.get("gru.y"), 0, 1);
        double[] weightMask = Harness.flatten(masks.get("gru.U"));
        workspace.sampleMasks(new Rng(22), DropoutMode.TRAIN);
        assertFalse(Arrays.equals(weightMask, Harness.flatten(workspace.masks().get("gru.U"))),
                "the next pass draws a new mask over U");
        workspace.sampleMasks(new Rng(21), DropoutMode.TRAIN);
        assertTrue(Arrays.equals(weightMask, Harness.flatten(workspace.masks().get("gru.U"))), "the same seed, the same mask");
    }

    /** Untied: a mask per gate on x and on h, each its own (the three differ pairwise), none on y here. */
    @Test
    void gruUntiedMasksAreOnePerGate() {
        Map<String, Mat> masks = sampled(new WideGruUntiedNetwork(CONFIG).workspace(BATCH, STEPS), 23, DropoutMode.TRAIN);
        assertEquals(Set.of("embedding.E", "gru.x.r", "gru.x.u", "gru.x.n", "gru.h.r", "gru.h.u", "gru.h.n"), masks.keySet());
        assertShape(masks.get("embedding.E"), 50, 1);
        assertDistinctPerGate(masks, "untied");
        for (String gate : GRU_GATES) {
            assertShape(masks.get("gru.x." + gate), 64, BATCH);
            assertShape(masks.get("gru.h." + gate), 48, BATCH);
        }
    }

    /** Per step (Zaremba): x and y only, never h, a column per step and sequence, fresh at every step. */
    @Test
    void gruPerStepMasksAreFreshAtEveryStepAndNeverOnH() {
        Map<String, Mat> masks = sampled(new WideGruPerStepNetwork(CONFIG).workspace(BATCH, STEPS), 24, DropoutMode.TRAIN);
        assertEquals(Set.of("gru.x", "gru.y"), masks.keySet());
        assertShape(masks.get("gru.x"), 64, STEPS * BATCH);
        assertShape(masks.get("gru.y"), 48, STEPS * BATCH);
        assertColumnsDiffer(masks.get("gru.x"), 5, BATCH + 5);
        assertColumnsDiffer(masks.get("gru.y"), 5, 2 * BATCH + 5);
    }

    /**
     * Every GRU mask is Bernoulli: values 0 or 1/(1 − p), the kept count within 5σ of n(1 − p)
     * (σ = √(n p (1 − p)) for the mask's n values; a right sampler fails one time in 1.7 million
     * per mask).
     */
    @Test
    void gruKeptFractionsAreWithinFiveSigmaOfOneMinusP() {
        Map<String, Mat> tied = sampled(new WideGruTiedNetwork(CONFIG).workspace(BATCH, STEPS), 25, DropoutMode.TRAIN);
        Map.of("gru.x", 0.3, "gru.h", 0.25, "gru.y", 0.4, "gru.U", 0.5, "embedding.E", 0.2)
                .forEach((name, p) -> assertBernoulli("GRU " + name, tied.get(name), p));
        Map<String, Mat> untied = sampled(new WideGruUntiedNetwork(CONFIG).workspace(BATCH, STEPS), 26, DropoutMode.TRAIN);
        for (String gate : GRU_GATES) {
            assertBernoulli("GRU untied gru.x." + gate, untied.get("gru.x." + gate), 0.3);
            assertBernoulli("GRU untied gru.h." + gate, untied.get("gru.h." + gate), 0.25);
        }
        Map<String, Mat> perStep = sampled(new WideGruPerStepNetwork(CONFIG).workspace(BATCH, STEPS), 27, DropoutMode.TRAIN);
        assertBernoulli("GRU per-step gru.x", perStep.get("gru.x"), 0.5);
        assertBernoulli("GRU per-step gru.y", perStep.get("gru.y"), 0.5);
    }

    /** MC: a GRU's per-step masks are redrawn by {@code resampleStepMasks}, a tied GRU's are held. */
    @Test
    void gruStepMasksAreResampledAndTiedOnesHeld() {
        Workspace<int[][], int[][]> perStep = new WideGruPerStepNetwork(CONFIG).workspace(BATCH, STEPS);
        Rng rng = new Rng(28);
        perStep.sampleMasks(rng, DropoutMode.MC);
        Map<String, double[]> before = flattened(perStep.masks());
        perStep.resampleStepMasks(rng);
        before.forEach((name, values) -> assertFalse(Arrays.equals(values, Harness.flatten(perStep.masks().get(name))),
                name + " redrawn"));
        Workspace<int[][], int[][]> tied = new WideGruTiedNetwork(CONFIG).workspace(BATCH, STEPS);
        tied.sampleMasks(rng, DropoutMode.MC);
        Map<String, double[]> held = flattened(tied.masks());
        tied.resampleStepMasks(rng);
        held.forEach((name, values) -> assertTrue(Arrays.equals(values, Harness.flatten(tied.masks().get(name))),
                name + " is held"));
    }

    /**
     * Keyed GRU masks: the training masks' shapes but embedding dropout, Bernoulli within 4σ (as
     * the LSTM's), a weight-drop mask of 3H × H, and each drawn from streams of its own: the gates'
     * masks differ, and so do two examples' and two samples' columns.
     */
    @Test
    void gruKeyedMasksAreShapedAsTrainingsBernoulliAndDistinct() {
        Map<String, Mat> tied = keyed(new WideGruTiedNetwork(CONFIG).workspace(BATCH, STEPS), MaskKeys.of(29, MaskKeys.range(0, BATCH)));
        assertEquals(Set.of("embedding.E", "gru.x", "gru.h", "gru.y", "gru.U"), tied.keySet());
        assertShape(tied.get("gru.x"), 64, BATCH);
        assertShape(tied.get("gru.U"), 3 * 48, 48);
        Map.of("gru.x", 0.3, "gru.h", 0.25, "gru.y", 0.4, "gru.U", 0.5)
                .forEach((name, p) -> assertBernoulli("keyed GRU " + name, tied.get(name), p, 4));
        MaskKeys keys = MaskKeys.samples(30, MaskKeys.range(0, BATCH / 4), 0, 4);
        Map<String, Mat> perStep = keyed(new WideGruPerStepNetwork(CONFIG).workspace(BATCH, STEPS), keys);
        assertShape(perStep.get("gru.x"), 64, STEPS * BATCH);
        assertBernoulli("keyed GRU per-step gru.x", perStep.get("gru.x"), 0.5, 4);
        Map<String, Mat> untied = keyed(new WideGruUntiedNetwork(CONFIG).workspace(4, STEPS),
                MaskKeys.samples(31, new long[] {0, 1}, 0, 2));
        assertDistinctPerGate(untied, "keyed untied");
        for (String name : new String[] {"gru.x.r", "gru.h.n"}) {
            assertColumnsDiffer(untied.get(name), 0, 1); // examples 0 and 1, sample 0
            assertColumnsDiffer(untied.get(name), 0, 2); // example 0, samples 0 and 1
        }
    }

    /**
     * Keyed MC leaves a GRU model's embedding dropout out after training: the pass is
     * {@link ReferenceGru}'s with the keyed GRU masks (the weight-drop mask included) and no
     * embedding mask. Bound 1e-12 as ForwardTest's.
     */
    @Test
    void gruKeyedMcLeavesEmbeddingDropoutOutAfterTraining() {
        WideGruTiedNetwork network = new WideGruTiedNetwork(CONFIG);
        Workspace<int[][], int[][]> segment = network.workspace(2, STEPS);
        int[][] tokens = Harness.tokens(new Rng(32), 2, STEPS, 50);
        segment.sampleMasks(new Rng(33), DropoutMode.TRAIN);
        segment.sampleMasks(MaskKeys.of(34, new long[] {0, 1}), DropoutMode.MC);
        segment.forward(tokens);
        Map<String, Mat> withoutEmbedding = new java.util.HashMap<>(segment.masks());
        withoutEmbedding.remove("embedding.E");
        double[][][] reference = new ReferenceGru(network.parameters(), withoutEmbedding, "embedding", java.util.List.of("gru"),
                "decoder").run(tokens).outputs();
        for (int b = 0; b < 2; b++) {
            for (int t = 0; t < STEPS; t++) {
                for (int k = 0; k < 50; k++) {
                    assertEquals(reference[b][t][k], segment.output().get(k, t * 2 + b), 1e-12);
                }
            }
        }
    }

    /** The three gates' masks of each connection differ pairwise. */
    private static void assertDistinctPerGate(Map<String, Mat> masks, String what) {
        for (String connection : new String[] {"gru.x", "gru.h"}) {
            for (String a : GRU_GATES) {
                for (String b : GRU_GATES) {
                    if (!a.equals(b)) {
                        assertFalse(equal(masks.get(connection + "." + a), masks.get(connection + "." + b)),
                                what + ": " + connection + "." + a + " and ." + b + " are drawn each its own");
                    }
                }
            }
        }
    }

    private static Map<String, Mat> keyed(Workspace<int[][], int[][]> segment, MaskKeys keys) {
        segment.sampleMasks(keys, DropoutMode.MC);
        return segment.masks();
    }

    private static Map<String, Mat> sampled(Workspace<int[][], int[][]> segment, long seed, DropoutMode mode) {
        segment.sampleMasks(new Rng(seed), mode);
        return segment.masks();
    }

    private static void assertShape(Mat m, int rows, int cols) {
        assertEquals(rows + " × " + cols, m.rows() + " × " + m.cols());
    }

    private static void assertColumnsDiffer(Mat m, int a, int b) {
        boolean differ = false;
        for (int r = 0; r < m.rows(); r++) {
            differ |= m.get(r, a) != m.get(r, b);
        }
        assertTrue(differ, "columns " + a + " and " + b + " hold different masks");
    }

    private static boolean equal(Mat a, Mat b) {
        return Arrays.equals(Harness.flatten(a), Harness.flatten(b));
    }

    private static void assertBernoulli(String name, Mat mask, double p) {
        assertBernoulli(name, mask, p, 5);
    }

    /** Every value is 0 or 1/(1 − p), and the kept count is within {@code sigmas}·σ of n(1 − p). */
    private static void assertBernoulli(String name, Mat mask, double p, int sigmas) {
        long n = (long) mask.rows() * mask.cols();
        long kept = 0;
        double scale = 1 / (1 - p);
        for (double v : Harness.flatten(mask)) {
            if (v != 0) {
                assertEquals(scale, v, 1e-12, name + ": kept units are scaled by 1/(1 − p)");
                kept++;
            }
        }
        double mean = n * (1 - p);
        double sigma = Math.sqrt(n * p * (1 - p));
        assertTrue(Math.abs(kept - mean) <= sigmas * sigma,
                String.format("%s: kept %d of %d, expected %.0f ± %.0f (%dσ)", name, kept, n, mean, sigmas * sigma, sigmas));
        assertNotEquals(0, kept);
    }
}
