package dev.vdrop.runtime.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The fault seam's property values (the seam itself is exercised by the samples' KillResumeTest). */
class CheckpointWriterHoldTest {
    @Test
    void unsetOrBlankIsNoHold() {
        assertNull(CheckpointWriter.Hold.parse(null));
        assertNull(CheckpointWriter.Hold.parse(" "));
    }

    @Test
    void theThreeMomentsOfASave() {
        assertEquals(new CheckpointWriter.Hold(3, CheckpointWriter.Hold.BEFORE), CheckpointWriter.Hold.parse("3:before"));
        assertEquals(new CheckpointWriter.Hold(1, 65_536), CheckpointWriter.Hold.parse("1:65536"));
        assertEquals(new CheckpointWriter.Hold(2, CheckpointWriter.Hold.AFTER), CheckpointWriter.Hold.parse("2:after"));
    }

    @Test
    void aValueWithoutItsSaveIsRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CheckpointWriter.Hold.parse("after"));
        assertEquals("vdrop.faults.holdSave must be N:before, N:BYTES or N:after, got after", e.getMessage());
    }
}
