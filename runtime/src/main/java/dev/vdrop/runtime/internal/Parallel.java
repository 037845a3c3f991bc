package dev.vdrop.runtime.internal;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;

/**
 * Splits kernel work over the cores, for the kernels, BLAS and the trainer's vector updates: part 0
 * runs on the caller, the others on a small team of daemon threads made on first use. The per-step
 * products of a recurrence are short, so handing a part over must cost little next to them, less
 * than an executor's futures cost: a worker spins for a short while after each part (waiting for
 * the next one of the same loop) and only then parks. OpenBLAS runs one thread per call, on this team's threads
 * ({@link Blas}); ND4J's element-wise operations have their own OpenMP threads, and idle workers
 * park at once while one of those runs ({@link #runNative}).
 *
 * <p>One caller at a time uses the team; a second caller meanwhile, or a part that splits again
 * (on a worker or on the caller's own thread), runs its parts one after another on its own thread:
 * so work shared out over the cores may call kernels that split theirs, each then on one core.
 *
 * <p>For the kernels and the runtime's trainers; not API (see the package).
 */
public final class Parallel {
    /** The cores this JVM may use. */
    public static final int THREADS = Runtime.getRuntime().availableProcessors();

    /**
     * How long an idle worker spins before it parks: well beyond the gaps inside a recurrence loop
     * (a cell update, or the caller finishing its own part late). A parked worker costs more than
     * the futex wake: Linux tends to run the woken thread on the waker's core, preempting the
     * caller. A shorter spin let workers park between the steps of a recurrence (docs/kernels.md).
     */
    private static final long SPIN_NANOS = 1_000_000;

    /** Native calls with threads of their own running now: idle workers park at once rather than spin against them. */
    private static final AtomicInteger NATIVE_CALLS = new AtomicInteger();

    private static final ReentrantLock TEAM_LOCK = new ReentrantLock();
    private static volatile Worker[] team;

    private Parallel() {}

    /**
     * Runs {@code part.accept(i)} for i in [0, parts), in parallel, and returns when all are done.
     * A part's exception or error is thrown here, once the parts on other threads have finished.
     *
     * @param parts how many parts; with one or none the caller runs them alone
     * @param part what each part does, given its index; parts must not depend on one another
     */
    public static void forEachPart(int parts, IntConsumer part) {
        if (parts <= 1 || THREADS <= 1 || Thread.currentThread() instanceof Worker || TEAM_LOCK.isHeldByCurrentThread()
                || (ONE_CORE_CALLS.get() > 0 && ONE_CORE.get()[0] > 0) || !TEAM_LOCK.tryLock()) {
            for (int i = 0; i < parts; i++) {
                part.accept(i);
            }
            return;
        }
        try {
            runOnTeam(parts, part);
        } finally {
            TEAM_LOCK.unlock();
        }
    }

    /** Per thread, how many {@link #onOneCore} calls are running on it (they may nest). */
    private static final ThreadLocal<int[]> ONE_CORE = ThreadLocal.withInitial(() -> new int[1]);

    /**
     * How many {@link #onOneCore} calls are running on any thread: while none is, {@link #forEachPart}
     * reads this field instead of the thread-local (a JVM that never calls it pays nothing more).
     */
    private static final AtomicInteger ONE_CORE_CALLS = new AtomicInteger();

    /**
     * Runs {@code work} with every {@link #forEachPart} on this thread running its parts here, one
     * after another: for a thread that has one core of its own among several such threads (a Spark
     * executor's tasks, a server's request threads). Otherwise the one that holds the team puts the
     * team's worker on a core another such thread is using (three threads on two cores). The parts
     * are the same, so the results are the same bits.
     *
     * @param work what to run
     */
    public static void onOneCore(Runnable work) {
        int[] depth = ONE_CORE.get();
        depth[0]++;
        ONE_CORE_CALLS.incrementAndGet();
        try {
            work.run();
        } finally {
            ONE_CORE_CALLS.decrementAndGet();
            depth[0]--;
        }
    }

    /** {@return whether this thread is inside {@link #onOneCore}} */
    public static boolean isOnOneCore() {
        return ONE_CORE.get()[0] > 0;
    }

    /**
     * Runs a native call that brings its own threads (ND4J's OpenMP team on a large element-wise
     * operation) with this team's idle workers parked: a worker still spinning after the last
     * parallel part would share a core with one of them and slow the whole call.
     *
     * @param call the call, run on this thread
     */
    public static void runNative(Runnable call) {
        NATIVE_CALLS.incrementAndGet();
        try {
            call.run();
        } finally {
            NATIVE_CALLS.decrementAndGet();
        }
    }

    private static void runOnTeam(int parts, IntConsumer part) {
        Worker[] workers = team();
        int stride = workers.length + 1;
        int used = Math.min(workers.length, parts - 1);
        for (int w = 0; w < used; w++) {
            workers[w].post(part, w + 1, parts, stride);
        }
        Throwable failure = null;
        try {
            for (int i = 0; i < parts; i += stride) {
                part.accept(i);
            }
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        for (int w = 0; w < used; w++) {
            Throwable other = workers[w].await();
            if (failure == null) {
                failure = other;
            }
        }
        if (failure instanceof RuntimeException r) {
            throw r;
        }
        if (failure instanceof Error e) {
            throw e;
        }
    }

    private static Worker[] team() {
        Worker[] t = team;
        if (t == null) {
            t = new Worker[THREADS - 1];
            for (int i = 0; i < t.length; i++) {
                t[i] = new Worker(i + 1);
                t[i].start();
            }
            team = t;
        }
        return t;
    }

    /** One thread of the team: runs parts index, index + stride, … of each task posted to it. */
    private static final class Worker extends Thread {
        private volatile long posted;
        private volatile long finished;
        private volatile boolean parked;
        private IntConsumer task;
        private int first;
        private int parts;
        private int stride;
        private Throwable failure;

        Worker(int number) {
            super("vdrop-kernels-" + number);
            setDaemon(true);
        }

        /** Hands a task over (the fields are published by the volatile write of {@code posted}). */
        void post(IntConsumer task, int first, int parts, int stride) {
            this.task = task;
            this.first = first;
            this.parts = parts;
            this.stride = stride;
            this.failure = null;
            posted = posted + 1;
            if (parked) {
                LockSupport.unpark(this);
            }
        }

        /** Waits for the task posted last; returns what it threw, if anything. */
        Throwable await() {
            long target = posted;
            int spins = 0;
            while (finished != target) {
                if (++spins < 1 << 16) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield();
                }
            }
            Throwable f = failure;
            task = null;
            return f;
        }

        @Override
        public void run() {
            long seen = 0;
            while (true) {
                waitFor(seen);
                seen = posted;
                try {
                    for (int i = first; i < parts; i += stride) {
                        task.accept(i);
                    }
                } catch (Throwable e) {
                    failure = e;
                }
                finished = seen;
            }
        }

        private void waitFor(long seen) {
            long start = System.nanoTime();
            int spins = 0;
            while (posted == seen) {
                if (NATIVE_CALLS.get() == 0 && ((++spins & 255) != 0 || System.nanoTime() - start < SPIN_NANOS)) {
                    Thread.onSpinWait();
                    continue;
                }
                parked = true;
                while (posted == seen) {
                    LockSupport.park(this);
                }
                parked = false;
            }
        }
    }
}
