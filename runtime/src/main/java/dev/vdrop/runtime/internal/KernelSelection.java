package dev.vdrop.runtime.internal;

import dev.vdrop.runtime.VectorSupport;
import java.lang.reflect.InvocationTargetException;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * How {@link Kernels#CURRENT} is chosen, once per JVM, and what is said about it. The system
 * property {@value VectorSupport#KERNELS_PROPERTY} decides:
 * <ul>
 *   <li>{@code auto} (the default): the vector kernels when the JVM resolves
 *       {@code jdk.incubator.vector} and they load; otherwise the plain ones, and a warning, once,
 *       that says why and how to get the vector kernels ({@link #moduleMissing()});
 *   <li>{@code vector}: the vector kernels or an {@link IllegalStateException};
 *   <li>{@code plain}: the plain kernels, on purpose, without a warning.
 * </ul>
 * The warning goes to {@link System.Logger} at {@code WARNING}, through the logger named after
 * {@link VectorSupport}: a library should not write to the console itself, and through
 * System.Logger it lands wherever the application sends its logs (by default java.util.logging's
 * console handler, which prints warnings on stderr; SLF4J or Log4j with their System.Logger
 * bridges), and can be silenced there too.
 *
 * <p>Not API: the public methods are for {@link VectorSupport} and {@link LstmCell}.
 */
public final class KernelSelection {
    private static final String MODULE = "jdk.incubator.vector";
    private static final String VECTOR_KERNELS = "dev.vdrop.runtime.internal.VectorKernels";

    /** The JVM's selection, whose warning goes to {@link #log}. */
    private static final KernelSelection OF_JVM = new KernelSelection(KernelSelection::log);

    private final Consumer<String> warnings;
    private final AtomicBoolean warned = new AtomicBoolean();

    /** @param warnings where the fallback warning goes, at most once */
    KernelSelection(Consumer<String> warnings) {
        this.warnings = warnings;
    }

    /**
     * Whether this JVM runs the vector kernels (SIMD through {@code jdk.incubator.vector}).
     *
     * @return true for the vector kernels, false for the plain ones
     */
    public static boolean vectorized() {
        return Kernels.CURRENT.vectorized();
    }

    /**
     * What this JVM runs, e.g. {@code "vector (16 × float32 / 8 × float64 lanes, jdk.incubator.vector)"}.
     *
     * @return the kernels, in words
     */
    public static String description() {
        return Kernels.CURRENT.description();
    }

    /** The kernels for this JVM: its system property, its boot layer's modules, the logger. */
    static Kernels ofJvm() {
        return OF_JVM.select(System.getProperty(VectorSupport.KERNELS_PROPERTY, "auto"),
                ModuleLayer.boot().findModule(MODULE).isPresent(),
                () -> (Kernels) Class.forName(VECTOR_KERNELS).getDeclaredConstructor().newInstance());
    }

    /**
     * Chooses the kernels (see the class comment).
     *
     * @param wanted the value of {@value VectorSupport#KERNELS_PROPERTY}
     * @param moduleResolved whether the JVM resolved {@code jdk.incubator.vector}
     * @param vectorKernels makes the vector kernels; called only when the module is resolved
     * @throws IllegalArgumentException when {@code wanted} is none of auto, vector and plain
     * @throws IllegalStateException when {@code wanted} is vector and the vector kernels cannot run
     */
    Kernels select(String wanted, boolean moduleResolved, Callable<Kernels> vectorKernels) {
        switch (wanted) {
            case "plain":
                return new PlainKernels();
            case "vector":
            case "auto":
                break;
            default:
                throw new IllegalArgumentException("-D" + VectorSupport.KERNELS_PROPERTY
                        + " must be auto, vector or plain, got '" + wanted + "'");
        }
        boolean required = wanted.equals("vector");
        if (!moduleResolved) {
            if (required) {
                throw new IllegalStateException("-D" + VectorSupport.KERNELS_PROPERTY
                        + "=vector needs java --add-modules " + MODULE);
            }
            warnOnce(moduleMissing());
            return new PlainKernels();
        }
        try {
            return vectorKernels.call();
        } catch (Exception | LinkageError e) {
            Throwable cause = e instanceof InvocationTargetException && e.getCause() != null ? e.getCause() : e;
            if (required) {
                throw new IllegalStateException("-D" + VectorSupport.KERNELS_PROPERTY
                        + "=vector, but the vector kernels do not load", cause);
            }
            warnOnce(loadFailed(cause));
            return new PlainKernels();
        }
    }

    /** The warning when the JVM was started without the module: what runs, what it costs, the fix. */
    static String moduleMissing() {
        return "vdrop runs its scalar Java kernels because this JVM was started without the incubator vector"
                + " module (" + MODULE + "): the LSTM steps, the softmax and the recurrent step products run"
                + " without SIMD, and training is slower. To run the vector kernels, add --add-modules " + MODULE
                + " to the java command; for mvn exec:java, which runs inside Maven's own JVM, set"
                + " MAVEN_OPTS=\"--add-modules " + MODULE + "\" or put that option in the project's"
                + " .mvn/jvm.config; for tests, add it to the <argLine> of maven-surefire-plugin. To choose the"
                + " scalar kernels on purpose, without this message, set -D" + VectorSupport.KERNELS_PROPERTY
                + "=plain.";
    }

    /** The warning when the module is there but the vector kernels did not load. */
    static String loadFailed(Throwable cause) {
        return "vdrop runs its scalar Java kernels because its vector kernels did not load (" + cause
                + "): the LSTM steps, the softmax and the recurrent step products run without SIMD, and"
                + " training is slower. -D" + VectorSupport.KERNELS_PROPERTY + "=vector makes this an error;"
                + " -D" + VectorSupport.KERNELS_PROPERTY + "=plain chooses the scalar kernels without this message.";
    }

    private void warnOnce(String message) {
        if (warned.compareAndSet(false, true)) {
            warnings.accept(message);
        }
    }

    /** Logs at WARNING through the System.Logger named after {@link VectorSupport}. */
    static void log(String message) {
        System.getLogger(VectorSupport.class.getName()).log(System.Logger.Level.WARNING, message);
    }
}
