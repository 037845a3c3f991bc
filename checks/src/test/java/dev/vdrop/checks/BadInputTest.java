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
        e = assertThrows(IllegalArgumentException.class, () -> network.predict(new int[][] {{1, 2}, {3}}));
        assertEquals("sequence 1 has 1 tokens but sequence 0 has 2; the sequences of a batch must have one length",
                e.getMessage());
    }

    @Test
    void aBatchOfAnotherShapeThanTheSegmentIsRefused() {
        Workspace<int[][], int[][]> segment = network.workspace(2, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> segment.forward(new int[3][3]));
        assertEquals("this segment takes 2 sequences of 3 steps, got 3 of 3", e.getMessage());
        IllegalStateException s = assertThrows(IllegalStateException.class, segment::backward);
        assertEquals("backward() needs a forward pass with targets first", s.getMessage());
    }
}
