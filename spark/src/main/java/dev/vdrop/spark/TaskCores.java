package dev.vdrop.spark;

import dev.vdrop.runtime.KernelThreads;
import java.util.function.Supplier;
import org.apache.spark.TaskContext;

/**
 * A task's kernels on the cores Spark gave the task. An executor runs as many tasks at once as it
 * has cores for ({@code spark.executor.cores}, or N in {@code local[N]}), each given
 * {@code spark.task.cpus} of them (1 by default); the runtime's kernels would otherwise share each
 * task's work out over every core of the JVM, so that two tasks of {@code local[2]} ran three
 * threads on two cores. A task given fewer cores than the JVM has runs its kernels on its own
 * thread ({@link KernelThreads#onOneCore}); one given all of them, or code outside a task, shares
 * them out as usual. The results are the same bits either way.
 */
final class TaskCores {
    private TaskCores() {}

    /** {@return what {@code work} gives, its kernels on the task's cores} */
    static <T> T run(Supplier<T> work) {
        return onOneCore() ? KernelThreads.onOneCore(work) : work.get();
    }

    /** {@return whether the calling task has fewer cores than this JVM, so its kernels stay on its thread} */
    static boolean onOneCore() {
        TaskContext task = TaskContext.get();
        return task != null && task.cpus() < Runtime.getRuntime().availableProcessors();
    }
}
