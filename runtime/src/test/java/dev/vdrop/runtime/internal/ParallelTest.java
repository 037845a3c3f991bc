package dev.vdrop.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * The kernels' thread team: every part runs exactly once, also when a part splits its own work
 * again (work shared out over the cores calling kernels that share theirs out), and a part's
 * exception reaches the caller.
 */
class ParallelTest {
    @Test
    void everyPartRunsOnce() {
        AtomicIntegerArray runs = new AtomicIntegerArray(37);
        Parallel.forEachPart(37, runs::incrementAndGet);
        for (int i = 0; i < 37; i++) {
            assertEquals(1, runs.get(i), "part " + i);
        }
    }

    /**
     * Nested calls run on the thread of the part that makes them. A nested call on the caller's
     * thread used to hand its parts to workers still busy with the outer call's parts, which then
     * ran some parts twice or not at all; repeated, as it depended on timing.
     */
    @RepeatedTest(20)
    void aPartThatSplitsAgainRunsEveryInnerPartOnce() {
        int outer = 2 * Parallel.THREADS;
        int inner = 5;
        AtomicIntegerArray runs = new AtomicIntegerArray(outer * inner);
        Parallel.forEachPart(outer, o -> {
            Parallel.forEachPart(inner, i -> runs.incrementAndGet(o * inner + i));
            // some work after the nested call, while the other parts still run
            double sink = 0;
            for (int k = 0; k < 20_000; k++) {
                sink += Math.sqrt(k + o);
            }
            if (sink < 0) {
                throw new AssertionError();
            }
        });
        for (int k = 0; k < outer * inner; k++) {
            assertEquals(1, runs.get(k), "outer part " + k / inner + ", inner part " + k % inner);
        }
        // the team still works afterwards
        everyPartRunsOnce();
    }

    @Test
    void aPartsExceptionReachesTheCaller() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Parallel.forEachPart(4, part -> {
            if (part == 3) {
                throw new IllegalStateException("part 3");
            }
        }));
        assertEquals("part 3", e.getMessage());
    }
}
