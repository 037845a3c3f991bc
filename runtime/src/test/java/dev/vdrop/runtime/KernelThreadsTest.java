package dev.vdrop.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vdrop.runtime.internal.Blas;
import dev.vdrop.runtime.internal.Parallel;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * {@link KernelThreads#onOneCore}: the kernels' parts run on the calling thread, the results are
 * the same bits as when the parts are shared out over the cores, and the setting ends with the call.
 */
class KernelThreadsTest {
    @Test
    void theTeamTakesPartsOutsideAndNoneInside() {
        assumeTrue(Parallel.THREADS > 1, "a machine of one core shares nothing out");
        Set<Thread> outside = ConcurrentHashMap.newKeySet();
        // retried: another test class may hold the team for a moment (then the parts run here)
        for (int attempt = 0; attempt < 50 && outside.size() < 2; attempt++) {
            outside.clear();
            Parallel.forEachPart(8, part -> outside.add(Thread.currentThread()));
        }
        assertTrue(outside.size() >= 2, "the team shares the parts out: " + outside);
        Set<Thread> inside = ConcurrentHashMap.newKeySet();
        KernelThreads.onOneCore(() -> Parallel.forEachPart(8, part -> inside.add(Thread.currentThread())));
        assertEquals(Set.of(Thread.currentThread()), inside);
    }

    @Test
    void aProductSplitOverTheCoresGivesTheSameBitsOnOneCore() {
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            // large enough to be split: by rows, and by depth (k ≥ 4·max(m, n))
            for (int[] shape : new int[][] {{300, 120, 160}, {40, 30, 2000}}) {
                int m = shape[0];
                int n = shape[1];
                int k = shape[2];
                Mat a = random(type, m, k, 1);
                Mat b = random(type, k, n, 2);
                Mat shared = Mat.zeros(type, m, n);
                Mat alone = Mat.zeros(type, m, n);
                Blas.gemm(false, false, 1, a, b, 0, shared);
                KernelThreads.onOneCore(() -> Blas.gemm(false, false, 1, a, b, 0, alone));
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        assertEquals(shared.get(i, j), alone.get(i, j), 0.0, type + " " + m + "×" + n + "×" + k
                                + " at " + i + "," + j);
                    }
                }
            }
        }
    }

    @Test
    void theSettingEndsWithTheCallAlsoWhenItThrowsAndNests() {
        assertFalse(KernelThreads.isOnOneCore());
        String inner = KernelThreads.onOneCore(() -> {
            KernelThreads.onOneCore(() -> assertTrue(KernelThreads.isOnOneCore()));
            assertTrue(KernelThreads.isOnOneCore(), "still inside the outer call");
            return "done";
        });
        assertEquals("done", inner);
        assertFalse(KernelThreads.isOnOneCore());
        assertThrows(IllegalStateException.class, () -> KernelThreads.onOneCore(() -> {
            throw new IllegalStateException("work failed");
        }));
        assertFalse(KernelThreads.isOnOneCore(), "reset after the exception");
        AtomicBoolean otherThreadOnOneCore = new AtomicBoolean(true);
        Thread other = new Thread(() -> otherThreadOnOneCore.set(KernelThreads.isOnOneCore()));
        KernelThreads.onOneCore(() -> {
            other.start();
            try {
                other.join();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        assertFalse(otherThreadOnOneCore.get(), "the setting is the calling thread's only");
    }

    private static Mat random(DataType type, int rows, int cols, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Mat m = Mat.zeros(type, rows, cols);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                m.set(i, j, random.nextDouble(-1, 1));
            }
        }
        return m;
    }
}
