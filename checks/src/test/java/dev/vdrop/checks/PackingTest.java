package dev.vdrop.checks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdrop.runtime.Mat;
import dev.vdrop.runtime.internal.Packing;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The layout of a pass ({@code Packing}) for one worked example, lengths 1, 3, 7, 7, 5 in a
 * workspace of 7 steps, against numbers worked out by hand: the order 2, 3, 4, 1, 0 (longest
 * first, the tie in the batch's order), b_t = 5, 4, 4, 3, 3, 2, 2 sequences still running at each
 * step, off_t = 0, 5, 9, 13, 16, 19, 21, N = 23; and that a batch of T steps each is the equal
 * layout, handed back as it is.
 */
class PackingTest {
    private final Packing equal = Packing.equal(5, 7);
    private final Packing ragged = equal.next(new int[] {1, 3, 7, 7, 5});

    @Test
    void aRaggedBatchIsSortedLongestFirstAndEachStepHoldsTheSequencesStillRunning() {
        assertTrue(ragged.ragged());
        assertEquals(7, ragged.steps());
        assertEquals(23, ragged.columns());
        assertArrayEquals(new int[] {2, 3, 4, 1, 0}, IntStream.range(0, 5).map(ragged::row).toArray());
        assertArrayEquals(new int[] {5, 4, 4, 3, 3, 2, 2}, IntStream.range(0, 7).map(ragged::width).toArray());
        assertArrayEquals(new int[] {0, 5, 9, 13, 16, 19, 21, 23}, IntStream.rangeClosed(0, 7).map(ragged::offset).toArray());
        // sequence 4 (5 steps, third longest) at step 4: off_4 + 2; its last step is that one
        assertEquals(18, ragged.column(4, 4));
        assertEquals(18, ragged.lastColumn(4));
        assertEquals(4, ragged.lastColumn(0), "the one-step sequence ends at step 0, the last of the five: column 4");
        int[][] columns = Ragged.columns(new int[] {1, 3, 7, 7, 5});
        for (int b = 0; b < 5; b++) {
            for (int t = 0; t < ragged.length(b); t++) {
                assertEquals(columns[b][t], ragged.column(b, t), "sequence " + b + ", step " + t);
            }
        }
    }

    @Test
    void sequencesOfTheWorkspacesStepsAreTheEqualLayoutAsItIs() {
        assertSame(equal, equal.next(new int[] {7, 7, 7, 7, 7}));
        assertSame(equal, ragged.next(new int[] {7, 7, 7, 7, 7}));
        assertFalse(equal.ragged());
        assertEquals(35, equal.columns());
        assertEquals(3 * 5 + 2, equal.column(2, 3));
        Packing shorter = equal.next(new int[] {6, 6, 6, 6, 6});
        assertTrue(shorter.ragged(), "all of one length but shorter than T: a pass of 6 steps");
        assertEquals(30, shorter.columns());
        try (Mat m = Mat.zeros(DataType.DOUBLE, 3, 35)) {
            assertSame(m, equal.columnsOf(m));
            assertSame(m, equal.running(m, 4));
            assertEquals(23, ragged.columnsOf(m).cols());
            assertEquals(2, ragged.running(m.columns(0, 5), 6).cols());
            Mat[] steps = ragged.steps(m);
            assertEquals(7, steps.length);
            assertEquals(16 * 3, steps[4].offset(), "step 4 starts at column 16");
            assertEquals(3, steps[4].cols());
        }
    }

    @Test
    void lengthsThatDoNotFitTheWorkspaceAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> equal.next(new int[] {1, 8, 1, 1, 1}));
        assertEquals("sequence 1 has 8 steps; this workspace takes 1 to 7", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> equal.next(new int[] {1, 1}));
        assertEquals("a pass of this workspace has 5 sequences, got 2", e.getMessage());
    }
}
