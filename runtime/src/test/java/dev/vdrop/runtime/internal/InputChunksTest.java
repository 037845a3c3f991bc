package dev.vdrop.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InputChunksTest {
    @AfterEach
    void clearProperty() {
        System.clearProperty(InputChunks.ELEMENTS_PROPERTY);
    }

    @Test
    void aSegmentWithinTheBudgetIsOneChunk() {
        assertEquals(35, InputChunks.steps(35, 100, 800));   // SMALL MC K = 100: 2,800,000 elements
        assertEquals(35, InputChunks.steps(35, 20, 2600));   // MEDIUM training batch: 1,820,000
        assertEquals(1, InputChunks.steps(1, 1, 1));
    }

    @Test
    void widerSegmentsGoInEvenChunksWithinTheBudget() {
        assertEquals(12, InputChunks.steps(35, 100, 2600));  // MEDIUM MC K = 100: 9,100,000 elements, 3 chunks 12 + 12 + 11
        assertEquals(9, InputChunks.steps(35, 100, 4000));   // 14,000,000 = 3.3 budgets: 4 chunks, 9 + 9 + 9 + 8
    }

    @Test
    void theBudgetComesFromTheSystemProperty() {
        System.setProperty(InputChunks.ELEMENTS_PROPERTY, "770");
        assertEquals(2, InputChunks.steps(7, 110, 4));       // 3,080 elements: 4 chunks, 2 + 2 + 2 + 1 steps
        System.setProperty(InputChunks.ELEMENTS_PROPERTY, "1540");
        assertEquals(4, InputChunks.steps(7, 110, 4));       // 2 chunks: 4 + 3 steps
        System.setProperty(InputChunks.ELEMENTS_PROPERTY, "1");
        assertEquals(1, InputChunks.steps(7, 110, 4));       // a chunk is at least one step
        System.setProperty(InputChunks.ELEMENTS_PROPERTY, "0");
        assertThrows(IllegalArgumentException.class, () -> InputChunks.steps(7, 110, 4));
        System.setProperty(InputChunks.ELEMENTS_PROPERTY, "lots");
        assertThrows(IllegalArgumentException.class, () -> InputChunks.steps(7, 110, 4));
    }

    @Test
    void rejectsEmptySegments() {
        assertThrows(IllegalArgumentException.class, () -> InputChunks.steps(0, 20, 8));
        assertThrows(IllegalArgumentException.class, () -> InputChunks.steps(35, 0, 8));
        assertThrows(IllegalArgumentException.class, () -> InputChunks.steps(35, 20, 0));
    }
}
