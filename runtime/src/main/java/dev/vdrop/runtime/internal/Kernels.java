package dev.vdrop.runtime.internal;

import dev.vdrop.runtime.Mat;
import java.util.Optional;

/**
 * The element-wise hot loops of a training step, behind one seam: {@link PlainKernels} (Java loops
 * and ND4J calls, any JVM) or {@link VectorKernels} (SIMD through {@code jdk.incubator.vector}),
 * chosen once when the class loads.
 *
 * <p>The vector kernels need the incubator module resolved, {@code java --add-modules
 * jdk.incubator.vector …} (the samples' launcher, the benchmarks and the tests pass it); without
 * it, or with {@code -Dvdrop.kernels=plain}, the plain kernels run. Both compute the same
 * functions; the tests hold them to each other and to finite differences.
 */
interface Kernels {
    /** The kernels of this JVM. */
    Kernels CURRENT = select();

    /** What runs, for logs and benchmark reports, e.g. {@code "vector (16 × float32)"}. */
    String description();

    /** See {@link LstmCell#forward}. */
    void lstmForward(Mat z, Mat bias, Mat cPrev, Mat c, Mat tanhC, Mat h);

    /** See {@link LstmCell#backward}. */
    void lstmBackward(Mat gates, Mat tanhC, Mat cPrev, Mat dy, Mat dhNext, Mat dcNext, Mat dz);

    /** See {@link Elementwise#maskPerSequence}. */
    void maskPerSequence(Mat dst, Mat src, Mat mask);

    /** {@code dst[:, dstCol] (+)= factor · src[:, srcCol]}; see {@link Elementwise#copyColumn}. */
    void scaleColumn(Mat dst, int dstCol, Mat src, int srcCol, double factor, boolean add);

    /** See {@link Outputs#addBiasAndSoftmax(Mat, Mat, Mat)}. */
    void addBiasAndSoftmax(Mat logits, Mat bias, Mat probabilitySums);

    /** {@code dst = a ⊙ b}; see {@link Elementwise#multiply}. */
    void multiply(Mat dst, Mat a, Mat b);

    /** {@code dst += scratch ⊙ mask}, leaving the product in scratch; see {@link Elementwise#addMasked}. */
    void addMasked(Mat dst, Mat scratch, Mat mask);

    /** A new product for the steps of a recurrence; see {@link RecurrentWeights}. */
    StepProduct stepProduct();

    private static Kernels select() {
        String wanted = System.getProperty("vdrop.kernels", "auto");
        Optional<Module> vector = ModuleLayer.boot().findModule("jdk.incubator.vector");
        if (!wanted.equals("plain") && vector.isPresent()) {
            try {
                return (Kernels) Class.forName("dev.vdrop.runtime.internal.VectorKernels").getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError e) {
                if (wanted.equals("vector")) {
                    throw new IllegalStateException("-Dvdrop.kernels=vector, but the vector kernels do not load", e);
                }
                return new PlainKernels();
            }
        }
        if (wanted.equals("vector")) {
            throw new IllegalStateException("-Dvdrop.kernels=vector needs java --add-modules jdk.incubator.vector");
        }
        return new PlainKernels();
    }
}
