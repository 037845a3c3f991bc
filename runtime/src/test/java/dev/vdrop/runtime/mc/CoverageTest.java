package dev.vdrop.runtime.mc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CoverageTest {
    @Test
    void countsTruthsInsideClosedIntervals() {
        List<Interval> intervals = List.of(new Interval(0, 1), new Interval(0, 1), new Interval(-2, -1), new Interval(5, 5));
        // 0.5 inside; 1 on the upper end counts; 0 is outside [-2, -1]; 5 is inside the point [5, 5].
        Coverage c = Coverage.of(new double[] {0.5, 1, 0, 5}, intervals);
        assertEquals(3, c.inside());
        assertEquals(4, c.trials());
        assertEquals(0.75, c.fraction(), 0);
    }

    @Test
    void fiveSigmaBand() {
        // σ = sqrt(0.95 · 0.05 / 10,000) = sqrt(4.75e-6) = 0.0021794; 5σ = 0.0108972.
        Interval band = Coverage.fiveSigmaBand(10_000, 0.95);
        assertEquals(0.95 - 0.0108972, band.lo(), 1e-7);
        assertEquals(0.95 + 0.0108972, band.hi(), 1e-7);
        // σ = sqrt(0.8 · 0.2 / 20,000) = sqrt(8e-6) = 0.0028284; 5σ = 0.0141421.
        Interval b80 = Coverage.fiveSigmaBand(20_000, 0.8);
        assertEquals(0.8 - 0.0141421, b80.lo(), 1e-7);
        assertEquals(0.8 + 0.0141421, b80.hi(), 1e-7);
        // Few trials: clipped to [0, 1].
        Interval wide = Coverage.fiveSigmaBand(1, 0.5);
        assertEquals(0, wide.lo(), 0);
        assertEquals(1, wide.hi(), 0);
    }

    @Test
    void consistentWithUsesTheBand() {
        // 10,000 trials at 0.95: the band is [0.93910, 0.96090].
        assertTrue(Coverage.of(9_400, 10_000).consistentWith(0.95));
        assertTrue(Coverage.of(9_600, 10_000).consistentWith(0.95));
        assertFalse(Coverage.of(9_380, 10_000).consistentWith(0.95));
        assertFalse(Coverage.of(9_620, 10_000).consistentWith(0.95));
    }

    @Test
    void rejectsBadInput() {
        assertEquals("got 2 truths but 1 intervals; give one interval per truth",
                assertThrows(IllegalArgumentException.class,
                        () -> Coverage.of(new double[] {1, 2}, List.of(new Interval(0, 1)))).getMessage());
        assertEquals("truth 0 is NaN",
                assertThrows(IllegalArgumentException.class,
                        () -> Coverage.of(new double[] {Double.NaN}, List.of(new Interval(0, 1)))).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Coverage.of(new double[0], List.of()));
        assertThrows(IllegalArgumentException.class, () -> Coverage.of(5, 4));
        assertThrows(IllegalArgumentException.class, () -> Coverage.fiveSigmaBand(0, 0.9));
        assertThrows(IllegalArgumentException.class, () -> Coverage.fiveSigmaBand(10, 1));
        assertEquals("an interval needs lo <= hi, got [1.0, 0.0]",
                assertThrows(IllegalArgumentException.class, () -> new Interval(1, 0)).getMessage());
    }
}
