package dev.vdrop.runtime;

import dev.vdrop.runtime.internal.KernelSelection;

/**
 * Whether this JVM runs vdrop's SIMD kernels. A network's element-wise work (the LSTM gates and
 * cell, the softmax, applying dropout masks, embedding lookups) and its recurrent step products
 * run in vector lanes through {@code jdk.incubator.vector} when the JVM resolves that module, and
 * as scalar Java otherwise: the same functions, more slowly.
 *
 * <p>The module is an incubator module, so the JVM resolves it only when asked:
 * {@code java --add-modules jdk.incubator.vector …}. Under Maven, {@code exec:java} runs inside
 * Maven's own JVM, so the option goes into {@code MAVEN_OPTS} or the project's
 * {@code .mvn/jvm.config}; tests run in surefire's JVM, so it goes into the plugin's
 * {@code <argLine>}. The JVM prints {@code WARNING: Using incubator modules: jdk.incubator.vector}
 * at start-up when it took effect.
 *
 * <p>The system property {@value #KERNELS_PROPERTY} chooses: {@code auto} (the default) the
 * vector kernels when the module is there; {@code vector} the vector kernels or an error;
 * {@code plain} the scalar ones. When {@code auto} falls back to the scalar kernels, vdrop logs
 * one warning per JVM, at the first use of a kernel, that says why and how to fix it: at
 * {@link System.Logger.Level#WARNING WARNING} through the {@link System.Logger} named after this
 * class (by default java.util.logging's console handler prints it on stderr). {@code plain}
 * chooses the scalar kernels on purpose, without the warning.
 *
 * <p>The choice is made once per JVM; asking here makes it if no kernel has run yet.
 */
public final class VectorSupport {
    /** The system property that chooses the kernels: {@code auto}, {@code vector} or {@code plain}. */
    public static final String KERNELS_PROPERTY = "vdrop.kernels";

    private VectorSupport() {}

    /**
     * Whether this JVM runs the SIMD kernels.
     *
     * @return true when the vector kernels run, false when the scalar ones do
     */
    public static boolean enabled() {
        return KernelSelection.vectorized();
    }

    /**
     * Which kernels run, in words, for logs and reports: e.g. {@code "vector (16 × float32 / 8 ×
     * float64 lanes, jdk.incubator.vector)"}, or a text starting with {@code "plain"} for the scalar
     * ones.
     *
     * @return the kernels, in words
     */
    public static String description() {
        return KernelSelection.description();
    }
}
