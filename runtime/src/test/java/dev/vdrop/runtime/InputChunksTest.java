package dev.vdrop.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class InputChunksTest {
    @Test
    void aSegmentOf512ColumnsOrFewerIsOneChunk() {
        assertEquals(35, InputChunks.steps(35, 1));
        assertEquals(35, InputChunks.steps(35, 14)); // 490 columns
        assertEquals(1, InputChunks.steps(1, 512));
    }

    @Test
    void widerSegmentsGoInEvenChunksOfAbout512Columns() {
        assertEquals(18, InputChunks.steps(35, 20));  // 700 columns: 2 chunks, 18 + 17 steps
        assertEquals(5, InputChunks.steps(35, 100));  // 3,500 columns: 7 chunks of 5 steps (500 columns)
        assertEquals(4, InputChunks.steps(7, 110));   // 770 columns: 2 chunks, 4 + 3 steps
        assertEquals(1, InputChunks.steps(3, 2000));  // a chunk is at least one step
    }

    @Test
    void rejectsEmptySegments() {
        assertThrows(IllegalArgumentException.class, () -> InputChunks.steps(0, 20));
        assertThrows(IllegalArgumentException.class, () -> InputChunks.steps(35, 0));
    }
}
