package dev.vdrop.runtime;

import dev.vdrop.runtime.internal.Parallel;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * How many cores a network's kernels use. By default a large product, softmax or cell update is
 * split over every core of the JVM ({@link Runtime#availableProcessors()}), one caller at a time:
 * right for one training run or one MC pass. When several threads run networks at once, each with
 * a core of its own (the tasks of a Spark executor, a server's request threads), each should keep
 * its kernels on its own thread, or they compete for the cores the others are using:
 * <pre>{@code
 * RegressionPrediction[][] p = KernelThreads.onOneCore(() -> McPredictor.forecast(network, windows, 100, seed));
 * }</pre>
 * The work is split into the same parts either way and only run one after another, so the results
 * are the same bits.
 */
public final class KernelThreads {
    private KernelThreads() {}

    /**
     * Runs {@code work} with every kernel it calls on the calling thread alone.
     *
     * @param work what to run
     * @param <T> what it gives
     * @return what {@code work} gave
     */
    public static <T> T onOneCore(Supplier<T> work) {
        Objects.requireNonNull(work, "work");
        Object[] result = new Object[1];
        Parallel.onOneCore(() -> result[0] = work.get());
        @SuppressWarnings("unchecked")
        T t = (T) result[0];
        return t;
    }

    /**
     * Runs {@code work} with every kernel it calls on the calling thread alone.
     *
     * @param work what to run
     */
    public static void onOneCore(Runnable work) {
        Objects.requireNonNull(work, "work");
        Parallel.onOneCore(work);
    }

    /** {@return whether the calling thread is inside {@link #onOneCore}: its kernels run on it alone} */
    public static boolean isOnOneCore() {
        return Parallel.isOnOneCore();
    }
}
