package dev.vdrop.runtime.internal;

import static dev.vdrop.runtime.internal.ColumnArrays.inBuffers;

import dev.vdrop.runtime.Mat;
import dev.vdrop.runtime.Rng;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The kernels in SIMD lanes through {@code jdk.incubator.vector}. Each call copies the columns it
 * works on from the native buffers into per-thread Java arrays ({@link Scratch}; one bulk copy per
 * contiguous block, {@link ColumnArrays}), computes there, and copies the results back: on arrays
 * the JIT compiles every vector operation to instructions, where on direct byte buffers JDK 17 now
 * and then falls back to boxing each vector, a heap object per operation. Each loop is a small
 * method of its own with one exp at most, for the same reason. Loaded by {@link Kernels} only when
 * the module is present.
 *
 * <p>This class decides, call by call, whether the vector loops can run (matrices in int-indexed
 * native buffers, float32 where a kernel has no float64 twin) and hands everything else to
 * {@link PlainKernels}. The loops are in {@link VectorLstmCell} and {@link VectorGruCell} (what the
 * two cells share in {@link VectorGates}), {@link VectorSoftmax}, {@link VectorElementwise},
 * {@link VectorMaskFill} (the dropout masks' draws) and, for the step products,
 * {@link PanelProduct}; the exp they share in {@link VectorExp}.
 */
final class VectorKernels implements Kernels {
    private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> DOUBLES = DoubleVector.SPECIES_PREFERRED;

    private final PlainKernels plain = new PlainKernels();

    /**
     * Runs every kernel once, on small matrices in both precisions, before any real work: the first
     * run loads the vector classes and fills the vector API's caches that the JIT folds into
     * constants. Compiled before that, JDK 17's C2 now and then leaves vector operations as calls to
     * their boxed fallbacks, which allocate on every operation and run at a fraction of the speed.
     */
    VectorKernels() {
        synchronized (VectorKernels.class) {
            if (!warmedUp) {
                warmedUp = true;
                warmUp(DataType.FLOAT);
                warmUp(DataType.DOUBLE);
            }
        }
    }

    private static boolean warmedUp;

    private void warmUp(DataType type) {
        int units = FLOATS.length() + 3;
        int batch = 5;
        Rng rng = new Rng(1);
        Mat z = random(type, 4 * units, batch, rng);
        Mat bias = random(type, 4 * units, 1, rng);
        Mat cPrev = random(type, units, batch, rng);
        Mat c = Mat.zeros(type, units, batch);
        Mat tanhC = Mat.zeros(type, units, batch);
        Mat h = Mat.zeros(type, units, batch);
        lstmForward(z, bias, cPrev, c, tanhC, h);
        Mat dz = Mat.zeros(type, 4 * units, batch);
        lstmBackward(z, tanhC, cPrev, random(type, units, batch, rng), random(type, units, batch, rng), c, dz);
        // the GRU on row blocks of the LSTM's matrices (strided views), with a buffer of its own for dzh
        Mat gates = z.rows(0, 3 * units);
        Mat zh = random(type, 3 * units, batch, rng);
        Mat dzh = Mat.zeros(type, 3 * units, batch);
        gruForward(gates, zh, bias.rows(0, 3 * units), bias.rows(units, 3 * units), cPrev, h);
        gruBackward(gates, zh, cPrev, tanhC, c, dz.rows(0, 3 * units), dzh);
        maskPerSequence(h, h, random(type, units, 1, rng));
        scaleColumn(h, 0, cPrev, 1, 0.5, true);
        scaleColumn(h, 1, cPrev, 0, 0.5, false);
        Mat sums = Mat.zeros(type, 4 * units, 1);
        addBiasAndSoftmax(z, bias, sums);
        multiply(c, cPrev, h);
        addMasked(h, tanhC, cPrev);
        fillMask(new float[4 * units], 1, 4 * units - 1, 1, 2f, 1, 1L << 31);
        StepProduct product = new PanelProduct(0);
        for (boolean transposed : new boolean[] {false, true}) {
            try (Mat u = random(type, 4 * units, 4 * units, rng)) {
                product.load(u, u, transposed);
                product.multiply(dz, 1, z);
            }
        }
        product.close();
        for (Mat m : new Mat[] {z, bias, cPrev, c, tanhC, h, dz, zh, dzh, sums}) {
            m.close();
        }
    }

    private static Mat random(DataType type, int rows, int cols, Rng rng) {
        Mat m = Mat.zeros(type, rows, cols);
        for (int j = 0; j < cols; j++) {
            for (int i = 0; i < rows; i++) {
                m.set(i, j, rng.uniform(-1, 1));
            }
        }
        return m;
    }

    @Override
    public void lstmForward(Mat z, Mat bias, Mat cPrev, Mat c, Mat tanhC, Mat h) {
        if (!inBuffers(z, bias, cPrev, c, tanhC, h)) {
            plain.lstmForward(z, bias, cPrev, c, tanhC, h);
            return;
        }
        VectorLstmCell.forward(z, bias, cPrev, c, tanhC, h);
    }

    @Override
    public void lstmBackward(Mat gates, Mat tanhC, Mat cPrev, Mat dy, Mat dhNext, Mat dcNext, Mat dz) {
        if (!inBuffers(gates, tanhC, cPrev, dy, dhNext, dcNext, dz)) {
            plain.lstmBackward(gates, tanhC, cPrev, dy, dhNext, dcNext, dz);
            return;
        }
        VectorLstmCell.backward(gates, tanhC, cPrev, dy, dhNext, dcNext, dz);
    }

    @Override
    public void gruForward(Mat z, Mat zh, Mat biasX, Mat biasH, Mat hPrev, Mat h) {
        if (!inBuffers(z, zh, biasX, biasH, hPrev, h)) {
            plain.gruForward(z, zh, biasX, biasH, hPrev, h);
            return;
        }
        VectorGruCell.forward(z, zh, biasX, biasH, hPrev, h);
    }

    @Override
    public void gruBackward(Mat gates, Mat zh, Mat hPrev, Mat dy, Mat dh, Mat dz, Mat dzh) {
        if (!inBuffers(gates, zh, hPrev, dy, dh, dz, dzh)) {
            plain.gruBackward(gates, zh, hPrev, dy, dh, dz, dzh);
            return;
        }
        VectorGruCell.backward(gates, zh, hPrev, dy, dh, dz, dzh);
    }

    @Override
    public void addBiasAndSoftmax(Mat logits, Mat bias, Mat probabilitySums) {
        if (!inBuffers(logits, bias) || logits.dataType() != DataType.FLOAT) {
            plain.addBiasAndSoftmax(logits, bias, probabilitySums);
            return;
        }
        VectorSoftmax.addBiasAndSoftmax(logits, bias, probabilitySums);
    }

    @Override
    public void maskPerSequence(Mat dst, Mat src, Mat mask) {
        if (!inBuffers(dst, src, mask) || dst.dataType() != DataType.FLOAT) {
            plain.maskPerSequence(dst, src, mask);
            return;
        }
        VectorElementwise.maskPerSequence(dst, src, mask);
    }

    @Override
    public void scaleColumn(Mat dst, int dstCol, Mat src, int srcCol, double factor, boolean add) {
        if (!inBuffers(dst, src) || dst.dataType() != DataType.FLOAT) {
            plain.scaleColumn(dst, dstCol, src, srcCol, factor, add);
            return;
        }
        VectorElementwise.scaleColumn(dst, dstCol, src, srcCol, factor, add);
    }

    @Override
    public void multiply(Mat dst, Mat a, Mat b) {
        if (!wholeFloats(dst, a, b)) {
            plain.multiply(dst, a, b);
            return;
        }
        VectorElementwise.multiply(dst, a, b);
    }

    @Override
    public void addMasked(Mat dst, Mat scratch, Mat mask) {
        if (!wholeFloats(dst, scratch, mask)) {
            plain.addMasked(dst, scratch, mask);
            return;
        }
        VectorElementwise.addMasked(dst, scratch, mask);
    }

    /** float32 matrices of one shape, each contiguous in a native buffer. */
    private static boolean wholeFloats(Mat dst, Mat a, Mat b) {
        PlainKernels.checkSameShape(dst, a, b);
        return dst.dataType() == DataType.FLOAT && a.dataType() == DataType.FLOAT && b.dataType() == DataType.FLOAT
                && dst.isContiguous() && a.isContiguous() && b.isContiguous() && inBuffers(dst, a, b);
    }

    @Override
    public void fillMask(float[] to, int at, int count, long first, float kept, long state, long threshold) {
        VectorMaskFill.fill(to, at, count, first, kept, state, threshold);
    }

    @Override
    public StepProduct stepProduct() {
        return new PanelProduct(PanelProduct.DEFAULT_MINIMUM_SIZE);
    }

    @Override
    public StepProduct ownStepProduct() {
        return new PanelProduct(PanelProduct.DEFAULT_MINIMUM_SIZE, true);
    }

    @Override
    public boolean vectorized() {
        return true;
    }

    @Override
    public String description() {
        return "vector (" + FLOATS.length() + " × float32 / " + DOUBLES.length() + " × float64 lanes, jdk.incubator.vector)";
    }
}
