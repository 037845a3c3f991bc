package dev.vdrop.runtime;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/**
 * Splits memory-bound element-wise work (the softmax over a segment's columns) over the cores: part
 * 0 runs on the caller, the others on a small pool of daemon threads made on first use. BLAS
 * has its own threads; the two never run at once, as each call waits for its parts.
 */
final class Parallel {
    /** The cores this JVM may use. */
    static final int THREADS = Runtime.getRuntime().availableProcessors();

    private static volatile ExecutorService pool;

    private Parallel() {}

    /** Runs {@code part.accept(i)} for i in [0, parts), in parallel, and returns when all are done. */
    static void forEachPart(int parts, IntConsumer part) {
        if (parts <= 1) {
            part.accept(0);
            return;
        }
        Future<?>[] others = new Future<?>[parts - 1];
        for (int i = 1; i < parts; i++) {
            int index = i;
            others[i - 1] = pool().submit(() -> part.accept(index));
        }
        RuntimeException failure = null;
        try {
            part.accept(0);
        } catch (RuntimeException e) {
            failure = e;
        }
        for (Future<?> other : others) {
            try {
                other.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for a parallel part", e);
            } catch (java.util.concurrent.ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static ExecutorService pool() {
        ExecutorService p = pool;
        if (p == null) {
            synchronized (Parallel.class) {
                p = pool;
                if (p == null) {
                    p = Executors.newFixedThreadPool(Math.max(1, THREADS - 1), runnable -> {
                        Thread t = new Thread(runnable, "vdrop-kernels");
                        t.setDaemon(true);
                        return t;
                    });
                    pool = p;
                }
            }
        }
        return p;
    }
}
