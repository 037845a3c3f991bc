package dev.vdrop.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The rows {@link MaskKeys} describes, its refusals, and the mask id of its contract. */
class MaskKeysTest {
    @Test
    void samplesAreLaidOutAsKTimesBPlusB() {
        long[] examples = {40, -2, 7};
        MaskKeys keys = MaskKeys.samples(9, examples, 4, 2);
        examples[0] = 0; // copied: the caller's array may change afterwards
        assertEquals(6, keys.rows());
        long[] expectedKeys = {40, -2, 7, 40, -2, 7};
        int[] expectedSamples = {4, 4, 4, 5, 5, 5};
        for (int r = 0; r < 6; r++) {
            assertEquals(expectedKeys[r], keys.exampleKey(r), "row " + r);
            assertEquals(expectedSamples[r], keys.sample(r), "row " + r);
        }
        assertEquals(9, keys.seed());
        assertEquals(0, keys.position());
        assertFalse(keys.oneSample());
    }

    @Test
    void ofIsOneRowPerExampleOfSampleZeroAndRowsIsAnyLayout() {
        MaskKeys of = MaskKeys.of(3, new long[] {5, 6});
        assertEquals(MaskKeys.samples(3, new long[] {5, 6}, 0, 1), of);
        assertTrue(of.oneSample());
        MaskKeys rows = MaskKeys.rows(3, new long[] {6, 5, 6}, new int[] {2, 0, 1});
        assertEquals(6, rows.exampleKey(2));
        assertEquals(1, rows.sample(2));
        assertArrayEquals(new long[] {10, 11, 12}, MaskKeys.range(10, 3));
    }

    @Test
    void atPositionChangesThePositionOnly() {
        MaskKeys keys = MaskKeys.samples(1, new long[] {2, 3}, 1, 2);
        MaskKeys later = keys.atPosition(35);
        assertEquals(35, later.position());
        assertEquals(0, keys.position(), "immutable");
        assertNotEquals(keys, later);
        assertEquals(keys, later.atPosition(0));
        for (int r = 0; r < 4; r++) {
            assertEquals(keys.exampleKey(r), later.exampleKey(r));
            assertEquals(keys.sample(r), later.sample(r));
        }
    }

    @Test
    void badLayoutsAreClearErrors() {
        assertEquals("mask keys need at least one example",
                assertThrows(IllegalArgumentException.class, () -> MaskKeys.of(1, new long[0])).getMessage());
        assertEquals("a sample index must be at least 0, got -1",
                assertThrows(IllegalArgumentException.class, () -> MaskKeys.samples(1, new long[] {1}, -1, 2)).getMessage());
        assertEquals("samples 3 to 2: at least one, with int indices",
                assertThrows(IllegalArgumentException.class, () -> MaskKeys.samples(1, new long[] {1}, 3, 0)).getMessage());
        assertEquals("mask keys need a key and a sample index for each row, at least one row; got 2 keys and 1 sample indices",
                assertThrows(IllegalArgumentException.class, () -> MaskKeys.rows(1, new long[] {1, 2}, new int[] {0})).getMessage());
        assertEquals("a position in a sequence must be at least 0, got -5",
                assertThrows(IllegalArgumentException.class, () -> MaskKeys.of(1, new long[] {1}).atPosition(-5)).getMessage());
    }

    /** The published FNV-1a 64-bit test vectors (the FNV reference's test suite): "", "a", "foobar". */
    @Test
    void maskIdIsFnv1a64() {
        assertEquals(0xcbf29ce484222325L, MaskKeys.maskId(""));
        assertEquals(0xaf63dc4c8601ec8cL, MaskKeys.maskId("a"));
        assertEquals(0x85944171f73967e8L, MaskKeys.maskId("foobar"));
        assertNotEquals(MaskKeys.maskId("lstm1.x.i"), MaskKeys.maskId("lstm1.x.f"));
    }
}
