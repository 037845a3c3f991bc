package dev.vdrop.runtime.internal;

import dev.vdrop.runtime.Mat;

/**
 * The element-wise hot loops of a training step, behind one seam: {@link PlainKernels} (Java loops
 * and ND4J calls, any JVM) or {@link VectorKernels} (SIMD through {@code jdk.incubator.vector}),
 * chosen once when the class loads ({@link KernelSelection}).
 *
 * <p>The vector kernels need the incubator module resolved, {@code java --add-modules
 * jdk.incubator.vector …} (the samples' launcher, the benchmarks and the tests pass it); without
 * it the plain kernels run and say so once, with {@code -Dvdrop.kernels=plain} they run on purpose
 * and silently. Both compute the same functions; the tests hold them to each other and to finite
 * differences.
 */
interface Kernels {
    /** The kernels of this JVM. */
    Kernels CURRENT = KernelSelection.ofJvm();

    /** What runs, for logs and benchmark reports, e.g. {@code "vector (16 × float32 / 8 × float64 lanes, jdk.incubator.vector)"}. */
    String description();

    /** Whether these are the SIMD kernels ({@link VectorKernels}). */
    boolean vectorized();

    /** See {@link LstmCell#forward}. */
    void lstmForward(Mat z, Mat bias, Mat cPrev, Mat c, Mat tanhC, Mat h);

    /** See {@link LstmCell#backward}. */
    void lstmBackward(Mat gates, Mat tanhC, Mat cPrev, Mat dy, Mat dhNext, Mat dcNext, Mat dz);

    /** See {@link GruCell#forward}. */
    void gruForward(Mat z, Mat zh, Mat biasX, Mat biasH, Mat hPrev, Mat h);

    /** See {@link GruCell#backward}. */
    void gruBackward(Mat gates, Mat zh, Mat hPrev, Mat dy, Mat dh, Mat dz, Mat dzh);

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

    /**
     * {@code to[at + j] = kept · keep(first + j)} for j < count: elements of a dropout mask's
     * stream; see {@link Dropouts#fillStream(float[], int, int, long, float, long, long)}.
     */
    void fillMask(float[] to, int at, int count, long first, float kept, long state, long threshold);

    /** A new product for the steps of a recurrence; see {@link RecurrentWeights}. */
    StepProduct stepProduct();

    /**
     * A new product that keeps its layout of the matrix to itself: several of them take turns at
     * every step (one per MC sample's U'; see {@link SampleWeights}) without laying out again.
     */
    StepProduct ownStepProduct();
}
