package dev.vdrop.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vdrop.runtime.NetworkConfig;
import dev.vdrop.runtime.Workspace;
import org.junit.jupiter.api.Test;

/** Bad input to a generated network ends in an error that says what was wrong and what is expected. */
class BadInputTest {
    private final TiedNetwork network = new TiedNetwork(NetworkConfig.builder().build());

    @Test
    void tokenIdsOutOfRangeAreRefused() {
        int[][] tooLarge = {{1, 2, 11}};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> network.predict(tooLarge));
        assertEquals("token id 11 at sequence 0, step 2 is out of range; ids must be in [0, 11)", e.getMessage());
        int[][] negative = {{1, 2}, {-1, 0}};
        e = assertThrows(IllegalArgumentException.class, () -> network.workspace(2, 2).forward(negative));
        assertEquals("token id -1 at sequence 1, step 0 is out of range; ids must be in [0, 11)", e.getMessage());
        int[][] targets = {{1, 12}, {0, 0}};
        e = assertThrows(IllegalArgumentException.class, () -> network.workspace(2, 2).forward(new int[2][2], targets));
        assertEquals("token id 12 at sequence 0, step 1 is out of range; ids must be in [0, 11)", e.getMessage());
    }

    @Test
    void batchOrSequenceLengthNotPositiveIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> network.workspace(0, 5));
        assertEquals("a segment needs a positive batch and number of steps, got 0 × 5", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> network.workspace(3, -1));
        assertEquals("a segment needs a positive batch and number of steps, got 3 × -1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> network.predict(new int[0][]));
        assertEquals("a batch needs at least one sequence, got none", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> network.predict(new int[][] {{1, 2}, {}}));
        assertEquals("sequence 1 of the batch is empty; every sequence needs at least one token", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> network.workspace(2, 3).forward(new int[][] {{1}, {}}));
        assertEquals("sequence 1 of the batch is empty; every sequence needs at least one token", e.getMessage());
    }

    @Test
    void aBatchOfAnotherShapeThanTheSegmentIsRefused() {
        Workspace<int[][], int[][]> segment = network.workspace(2, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> segment.forward(new int[3][3]));
        assertEquals("this segment takes 2 sequences of 1 to 3 steps, got 3 sequences", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> segment.forward(new int[][] {{1, 2}, {1, 2, 3, 4}}));
        assertEquals("sequence 1 has 4 steps, more than the 3 this segment takes", e.getMessage());
        IllegalStateException s = assertThrows(IllegalStateException.class, segment::backward);
        assertEquals("backward() needs a forward pass with targets first", s.getMessage());
    }

    /** Targets at every step need a row per sequence, each as long as that sequence. */
    @Test
    void targetsOfOtherLengthsThanTheInputAreRefused() {
        Workspace<int[][], int[][]> segment = network.workspace(2, 3);
        int[][] tokens = {{1, 2, 3}, {4}};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> segment.forward(tokens, new int[][] {{1, 2, 3}, {4, 5}}));
        assertEquals("the targets of sequence 1 have 2 steps but its input has 1; every step needs a target", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> segment.forward(tokens, new int[][] {{1, 2, 3}}));
        assertEquals("the targets have 1 sequences but the input has 2", e.getMessage());
        Workspace<double[][][], double[][][]> values = new SequenceRegressionNetwork(NetworkConfig.builder().build())
                .workspace(2, 3);
        double[][][] inputs = {new double[2][3], new double[3][3]};
        e = assertThrows(IllegalArgumentException.class,
                () -> values.forward(inputs, new double[][][] {new double[2][2], new double[2][2]}));
        assertEquals("the targets of sequence 1 have 2 steps but its input has 3; every step needs a target", e.getMessage());
    }

    /** A batch whose sequences differ in length is no error: predict gives zeros past each one's end. */
    @Test
    void sequencesOfDifferentLengthsAreABatch() {
        org.nd4j.linalg.api.ndarray.INDArray p = network.predict(new int[][] {{1, 2}, {3}});
        assertEquals(java.util.List.of(2L, 2L, 11L), java.util.Arrays.stream(p.shape()).boxed().toList());
        double sum = 0;
        for (int k = 0; k < 11; k++) {
            sum += p.getDouble(1, 0, k);
            assertEquals(0.0, p.getDouble(1, 1, k), 0.0, "past the end of sequence 1");
        }
        assertEquals(1.0, sum, 1e-6, "the probabilities of sequence 1's only step");
    }
}
