package dev.vdrop.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vdrop.runtime.Mat;
import dev.vdrop.runtime.Rng;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Both kernel sets against the LSTM and softmax equations written out here with {@link Math}, in
 * float32 and float64, on views with offsets and on row counts that leave a remainder after the
 * vector lanes. The surefire configuration resolves {@code jdk.incubator.vector}, so the vector
 * kernels are tested whenever the build runs.
 */
class KernelsTest {
    /** Not a multiple of any lane count: every column has a scalar remainder. */
    private static final int UNITS = 37;

    /** Each kernel set and type, on a step of 3 columns and on one of 230 (37 · 230 cells: split over the cores). */
    static Stream<Arguments> kernelsAndBatches() {
        List<Arguments> all = new ArrayList<>();
        kernels().forEach(k -> {
            for (int batch : new int[] {3, 230}) {
                Object[] args = k.get();
                all.add(Arguments.of(args[0], args[1], args[2], batch));
            }
        });
        return all.stream();
    }

    static Stream<Arguments> kernels() {
        List<Arguments> all = new ArrayList<>();
        List<Kernels> sets = new ArrayList<>(List.of(new PlainKernels()));
        if (vectorModule()) {
            sets.add(new VectorKernels());
        }
        for (Kernels k : sets) {
            all.add(Arguments.of(k, DataType.DOUBLE, 1e-13));
            all.add(Arguments.of(k, DataType.FLOAT, 2e-6));
        }
        return all.stream();
    }

    private static boolean vectorModule() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    @Test
    void theBuildTestsTheVectorKernels() {
        assertTrue(vectorModule(), "the tests' JVM should run with --add-modules jdk.incubator.vector");
        assertTrue(Kernels.CURRENT instanceof VectorKernels, Kernels.CURRENT.description());
        assertTrue(VectorMaskFill.lanesFit(), "the vector mask fill should run here, not only its scalar tail");
    }

    @ParameterizedTest
    @MethodSource("kernelsAndBatches")
    void lstmForwardFollowsTheEquations(Kernels kernels, DataType type, double tolerance, int batch) {
        Rng rng = new Rng(11);
        // z is step 1 of a 3-step buffer, c and h blocks of a (T+1)-block buffer, as in a segment
        Mat zAll = scaled(BlasTest.random(type, 4 * UNITS, 3 * batch, rng), 3);
        Mat z = zAll.columns(batch, batch);
        Mat bias = BlasTest.random(type, 4 * UNITS, 1, rng);
        Mat c = scaled(BlasTest.random(type, UNITS, 3 * batch, rng), 2);
        Mat tanhC = Mat.zeros(type, UNITS, 2 * batch).columns(batch, batch);
        Mat h = Mat.zeros(type, UNITS, 3 * batch);
        Mat zBefore = copy(z);
        kernels.lstmForward(z, bias, c.columns(batch, batch), c.columns(2 * batch, batch), tanhC, h.columns(2 * batch, batch));
        for (int s = 0; s < batch; s++) {
            for (int j = 0; j < UNITS; j++) {
                double i = sigmoid(zBefore.get(j, s) + bias.get(j, 0));
                double f = sigmoid(zBefore.get(UNITS + j, s) + bias.get(UNITS + j, 0));
                double g = Math.tanh(zBefore.get(2 * UNITS + j, s) + bias.get(2 * UNITS + j, 0));
                double o = sigmoid(zBefore.get(3 * UNITS + j, s) + bias.get(3 * UNITS + j, 0));
                double cell = f * c.get(j, batch + s) + i * g;
                String at = "(" + j + ", " + s + ")";
                assertEquals(i, z.get(j, s), tolerance, "i " + at);
                assertEquals(f, z.get(UNITS + j, s), tolerance, "f " + at);
                assertEquals(g, z.get(2 * UNITS + j, s), tolerance, "g " + at);
                assertEquals(o, z.get(3 * UNITS + j, s), tolerance, "o " + at);
                assertEquals(cell, c.get(j, 2 * batch + s), 2 * tolerance, "c " + at);
                assertEquals(Math.tanh(cell), tanhC.get(j, s), 2 * tolerance, "tanh c " + at);
                assertEquals(o * Math.tanh(cell), h.get(j, 2 * batch + s), 2 * tolerance, "h " + at);
            }
        }
        assertEquals(0, h.get(0, batch), 0, "columns outside the step are not written");
    }

    @ParameterizedTest
    @MethodSource("kernelsAndBatches")
    void lstmBackwardFollowsTheEquations(Kernels kernels, DataType type, double tolerance, int batch) {
        Rng rng = new Rng(12);
        Mat gates = BlasTest.random(type, 4 * UNITS, batch, rng);
        Mat tanhC = BlasTest.random(type, UNITS, batch, rng);
        Mat cPrev = BlasTest.random(type, UNITS, batch, rng);
        Mat dy = BlasTest.random(type, UNITS, 2 * batch, rng).columns(batch, batch);
        Mat dhNext = BlasTest.random(type, UNITS, batch, rng);
        Mat dcNext = BlasTest.random(type, UNITS, batch, rng);
        Mat dcBefore = copy(dcNext);
        Mat dz = Mat.zeros(type, 4 * UNITS, batch);
        kernels.lstmBackward(gates, tanhC, cPrev, dy, dhNext, dcNext, dz);
        for (int s = 0; s < batch; s++) {
            for (int j = 0; j < UNITS; j++) {
                double i = gates.get(j, s);
                double f = gates.get(UNITS + j, s);
                double g = gates.get(2 * UNITS + j, s);
                double o = gates.get(3 * UNITS + j, s);
                double tc = tanhC.get(j, s);
                double dh = dy.get(j, s) + dhNext.get(j, s);
                double dc = dh * o * (1 - tc * tc) + dcBefore.get(j, s);
                String at = "(" + j + ", " + s + ")";
                assertEquals(dc * f, dcNext.get(j, s), tolerance, "∂c_{t-1} " + at);
                assertEquals(dc * g * i * (1 - i), dz.get(j, s), tolerance, "∂z_i " + at);
                assertEquals(dc * cPrev.get(j, s) * f * (1 - f), dz.get(UNITS + j, s), tolerance, "∂z_f " + at);
                assertEquals(dc * i * (1 - g * g), dz.get(2 * UNITS + j, s), tolerance, "∂z_g " + at);
                assertEquals(dh * tc * o * (1 - o), dz.get(3 * UNITS + j, s), tolerance, "∂z_o " + at);
            }
        }
    }

    /**
     * Weight drop's whole-matrix products, U' = U ⊙ M and ∂U += ∂U' ⊙ M (leaving ∂U' ⊙ M behind),
     * against loops: a small matrix and one split over the cores (300 × 250, not a multiple of a
     * chunk or of the lanes).
     */
    @ParameterizedTest
    @MethodSource("kernels")
    void weightDropProductsMultiplyEveryElement(Kernels kernels, DataType type, double tolerance) {
        for (int[] shape : new int[][] {{7, 5}, {300, 250}}) {
            Rng rng = new Rng(shape[0]);
            Mat u = BlasTest.random(type, shape[0], shape[1], rng);
            Mat mask = BlasTest.random(type, shape[0], shape[1], rng);
            Mat dropped = Mat.zeros(type, shape[0], shape[1]);
            kernels.multiply(dropped, u, mask);
            Mat gradient = BlasTest.random(type, shape[0], shape[1], rng);
            Mat gradientBefore = copy(gradient);
            Mat scratch = BlasTest.random(type, shape[0], shape[1], rng);
            Mat scratchBefore = copy(scratch);
            kernels.addMasked(gradient, scratch, mask);
            for (int c = 0; c < shape[1]; c++) {
                for (int r = 0; r < shape[0]; r++) {
                    String at = "(" + r + ", " + c + ") of " + shape[0] + " × " + shape[1];
                    double product = scratchBefore.get(r, c) * mask.get(r, c);
                    assertEquals(u.get(r, c) * mask.get(r, c), dropped.get(r, c), tolerance, "U ⊙ M " + at);
                    assertEquals(product, scratch.get(r, c), tolerance, "∂U' ⊙ M " + at);
                    assertEquals(gradientBefore.get(r, c) + product, gradient.get(r, c), tolerance, "∂U " + at);
                }
            }
        }
    }

    /** Large enough to be split over the cores (rows × columns ≥ 2^16), with a remainder of rows. */
    @ParameterizedTest
    @MethodSource("kernels")
    void softmaxWithBiasAndProbabilitySums(Kernels kernels, DataType type, double tolerance) {
        Rng rng = new Rng(13);
        int rows = 1_003;
        int cols = 70;
        Mat logits = scaled(BlasTest.random(type, rows, cols, rng), 30);
        Mat bias = BlasTest.random(type, rows, 1, rng);
        Mat sums = BlasTest.random(type, rows, 1, rng);
        Mat before = copy(logits);
        Mat sumsBefore = copy(sums);
        kernels.addBiasAndSoftmax(logits, bias, sums);
        double[] expectedSums = new double[rows];
        for (int c = 0; c < cols; c++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int r = 0; r < rows; r++) {
                max = Math.max(max, before.get(r, c) + bias.get(r, 0));
            }
            double total = 0;
            for (int r = 0; r < rows; r++) {
                total += Math.exp(before.get(r, c) + bias.get(r, 0) - max);
            }
            for (int r = 0; r < rows; r++) {
                double p = Math.exp(before.get(r, c) + bias.get(r, 0) - max) / total;
                expectedSums[r] += p;
                assertEquals(p, logits.get(r, c), tolerance * Math.max(p, 1e-3), "p(" + r + ", " + c + ")");
            }
        }
        for (int r = 0; r < rows; r++) {
            assertEquals(sumsBefore.get(r, 0) + expectedSums[r], sums.get(r, 0), tolerance * cols, "Σp " + r);
        }
    }

    /** One mask column per sequence, applied to every step's column of that sequence; in place and not. */
    @ParameterizedTest
    @MethodSource("kernels")
    void perSequenceMasksFollowTheColumns(Kernels kernels, DataType type, double tolerance) {
        Rng rng = new Rng(23);
        int batch = 3;
        for (int steps : new int[] {2, 700}) {
            Mat src = BlasTest.random(type, UNITS, batch * steps, rng);
            Mat mask = BlasTest.random(type, UNITS, batch, rng);
            Mat dst = Mat.zeros(type, UNITS, batch * steps);
            Mat inPlace = copy(src);
            kernels.maskPerSequence(dst, src, mask);
            kernels.maskPerSequence(inPlace, inPlace, mask);
            for (int c = 0; c < batch * steps; c++) {
                for (int r = 0; r < UNITS; r++) {
                    double expected = src.get(r, c) * mask.get(r, c % batch);
                    assertEquals(expected, dst.get(r, c), tolerance, steps + " steps, (" + r + ", " + c + ")");
                    assertEquals(expected, inPlace.get(r, c), tolerance, "in place, " + steps + " steps, (" + r + ", " + c + ")");
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void columnsAreCopiedAndAddedScaled(Kernels kernels, DataType type, double tolerance) {
        Rng rng = new Rng(22);
        Mat src = BlasTest.random(type, UNITS, 5, rng);
        Mat dst = BlasTest.random(type, UNITS, 4, rng);
        Mat before = copy(dst);
        kernels.scaleColumn(dst, 1, src, 3, 1.25, false);
        kernels.scaleColumn(dst, 2, src, 4, -0.5, true);
        for (int r = 0; r < UNITS; r++) {
            assertEquals(1.25 * src.get(r, 3), dst.get(r, 1), tolerance, "copied, row " + r);
            assertEquals(before.get(r, 2) - 0.5 * src.get(r, 4), dst.get(r, 2), tolerance, "added, row " + r);
            assertEquals(before.get(r, 0), dst.get(r, 0), 0, "untouched, row " + r);
        }
    }

    /** The vector exp against Math.exp: within a few units in the last place, over the whole range. */
    /**
     * Mask elements from their stream, against the contract written out here: element i is
     * kept/(1 − p) when half of {@code Rng.drawAt(state, ⌊i/2⌋ + 1)} (the high half for even i) is
     * at least the threshold. Odd and even first elements, counts around the lane counts, thresholds
     * from 0 (all kept) to 2^32 (none), and nothing written outside the range.
     */
    @ParameterizedTest
    @MethodSource("kernels")
    void maskElementsFollowTheirStream(Kernels kernels, DataType type, double tolerance) {
        assumeTrue(type == DataType.FLOAT, "float32 masks only: one case per kernel set");
        Rng rng = new Rng(23);
        long[] thresholds = {0, 1, 1L << 31, (long) Math.ceil(0.65 * 0x1p32), 0xffffffffL, 1L << 32};
        int[] counts = {0, 1, 2, 15, 16, 17, 31, 32, 33, 100, 257};
        long[] firsts = {0, 1, 2, 3, 1001, 160_000L * 49 + 7};
        float kept = 1 / 0.35f;
        for (long threshold : thresholds) {
            for (int count : counts) {
                for (long first : firsts) {
                    long state = rng.nextLong();
                    float[] to = new float[count + 5];
                    java.util.Arrays.fill(to, -1f);
                    kernels.fillMask(to, 2, count, first, kept, state, threshold);
                    for (int j = 0; j < to.length; j++) {
                        float expected = -1f;
                        if (j >= 2 && j < 2 + count) {
                            long i = first + j - 2;
                            long bits = Rng.drawAt(state, i / 2 + 1);
                            long half = i % 2 == 0 ? bits >>> 32 : bits & 0xffffffffL;
                            expected = half >= threshold ? kept : 0f;
                        }
                        assertEquals(expected, to[j], 0, "threshold " + threshold + ", count " + count
                                + ", first " + first + ", element " + j);
                    }
                }
            }
        }
    }

    @Test
    void vectorExpIsAccurate() {
        assumeTrue(vectorModule());
        Rng rng = new Rng(14);
        int n = 100_003;
        float[] xf = new float[n];
        double[] xd = new double[n];
        for (int k = 0; k < n; k++) {
            xf[k] = (float) rng.uniform(-87, 88);
            xd[k] = rng.uniform(-700, 700);
        }
        float[] ef = xf.clone();
        double[] ed = xd.clone();
        VectorExp.expRows(ef, 0, n, 0f);
        VectorExp.expRows(ed, 0, n, 0);
        double worstFloat = 0;
        double worstDouble = 0;
        for (int k = 0; k < n; k++) {
            worstFloat = Math.max(worstFloat, Math.abs(ef[k] - Math.exp(xf[k])) / Math.exp(xf[k]));
            worstDouble = Math.max(worstDouble, Math.abs(ed[k] - Math.exp(xd[k])) / Math.exp(xd[k]));
        }
        assertTrue(worstFloat < 3e-7, "float32 relative error " + worstFloat);
        assertTrue(worstDouble < 1e-15, "float64 relative error " + worstDouble);
    }

    /**
     * Beyond the range a float's 2^n covers, the vector exp clamps the argument (to [−87, 88] in
     * float32, [−708, 709] in float64) rather than wrap its exponent bits, and NaN stays NaN; every
     * lane of a whole vector of such values, and the scalar tail, alike.
     */
    @Test
    void vectorExpClampsOutsideTheRangeOfTheExponent() {
        assumeTrue(vectorModule());
        float[] inputs = {-1e4f, -200f, -87.5f, 88.5f, 200f, Float.NaN, Float.NEGATIVE_INFINITY, 0f};
        for (int copies : new int[] {1, 16, 33}) {
            float[] xf = new float[inputs.length * copies];
            double[] xd = new double[xf.length];
            for (int k = 0; k < xf.length; k++) {
                xf[k] = inputs[k % inputs.length];
                xd[k] = xf[k] * 8.0;
            }
            VectorExp.expRows(xf, 0, xf.length, 0f);
            VectorExp.expRows(xd, 0, xd.length, 0);
            for (int k = 0; k < xf.length; k++) {
                float in = inputs[k % inputs.length];
                String at = "input " + in + " at " + k + " of " + xf.length;
                if (Float.isNaN(in)) {
                    assertTrue(Float.isNaN(xf[k]) && Double.isNaN(xd[k]), at);
                    continue;
                }
                double clampedF = Math.min(88, Math.max(-87, in));
                double clampedD = Math.min(709, Math.max(-708, in * 8.0));
                assertEquals(1, xf[k] / Math.exp(clampedF), 3e-7, at);
                assertEquals(1, xd[k] / Math.exp(clampedD), 1e-15, at);
            }
        }
    }

    /**
     * A value's exp does not depend on where it falls: in a whole lane group or in the part-filled
     * last one (rows of 200 or 650 units leave 8 or 10 values over), the bits are the same.
     */
    @Test
    void vectorExpGivesTheSameBitsAtEveryPosition() {
        assumeTrue(vectorModule());
        Rng rng = new Rng(11);
        for (int count : new int[] {7, 37, 200, 650}) {
            float[] values = new float[count];
            double[] doubles = new double[count];
            for (int k = 0; k < count; k++) {
                values[k] = (float) rng.uniform(-20, 20);
                doubles[k] = values[k];
            }
            float[] xf = values.clone();
            double[] xd = doubles.clone();
            VectorExp.expRows(xf, 0, count, 0.25f);
            VectorExp.expRows(xd, 0, count, 0.25);
            // each value again, now first in an array of 64: always inside a whole lane group
            for (int k = 0; k < count; k++) {
                float[] alone = new float[64];
                double[] aloneD = new double[64];
                java.util.Arrays.fill(alone, values[k]);
                java.util.Arrays.fill(aloneD, doubles[k]);
                VectorExp.expRows(alone, 0, 64, 0.25f);
                VectorExp.expRows(aloneD, 0, 64, 0.25);
                String at = "value " + values[k] + " at " + k + " of " + count;
                assertEquals(Float.floatToRawIntBits(alone[0]), Float.floatToRawIntBits(xf[k]), at);
                assertEquals(Double.doubleToRawLongBits(aloneD[0]), Double.doubleToRawLongBits(xd[k]), at);
            }
        }
    }

    /**
     * A run must not depend on the JIT: the first call (interpreted, the incubator's Java fallback)
     * and a call after thousands (compiled to SIMD) give the same bits: softmax, the LSTM and the
     * GRU forward (the steps with an exp).
     */
    @Test
    void vectorKernelsGiveTheSameBitsBeforeAndAfterCompilation() {
        assumeTrue(vectorModule());
        Kernels kernels = new VectorKernels();
        Rng rng = new Rng(15);
        Mat logits = scaled(BlasTest.random(DataType.FLOAT, 4 * 32, 4, rng), 20);
        Mat bias = BlasTest.random(DataType.FLOAT, 4 * 32, 1, rng);
        Mat z = scaled(BlasTest.random(DataType.FLOAT, 4 * 32, 2, rng), 4);
        Mat cPrev = BlasTest.random(DataType.FLOAT, 32, 2, rng);
        float[] first = run(kernels, logits, bias, z, cPrev);
        for (int n = 0; n < 20_000; n++) {
            run(kernels, logits, bias, z, cPrev);
        }
        float[] later = run(kernels, logits, bias, z, cPrev);
        for (int k = 0; k < first.length; k++) {
            assertEquals(Float.floatToRawIntBits(first[k]), Float.floatToRawIntBits(later[k]), "element " + k);
        }
    }

    private static float[] run(Kernels kernels, Mat logits, Mat bias, Mat z, Mat cPrev) {
        Mat p = copy(logits);
        kernels.addBiasAndSoftmax(p, bias, null);
        Mat gates = copy(z);
        Mat c = Mat.zeros(DataType.FLOAT, 32, 2);
        Mat tanhC = Mat.zeros(DataType.FLOAT, 32, 2);
        Mat h = Mat.zeros(DataType.FLOAT, 32, 2);
        kernels.lstmForward(gates, bias, cPrev, c, tanhC, h);
        // the GRU on the first 3 · 32 rows: z as W x̃, the logits' first two columns as U' h̃, the bias's rows as b_x and b_h
        Mat gruGates = copy(z.rows(0, 3 * 32));
        Mat zh = copy(logits.rows(0, 3 * 32).columns(0, 2));
        Mat gruH = Mat.zeros(DataType.FLOAT, 32, 2);
        kernels.gruForward(gruGates, zh, bias.rows(0, 3 * 32), bias.rows(32, 3 * 32), cPrev, gruH);
        List<Mat> outputs = List.of(p, gates, c, tanhC, h, gruGates, zh, gruH);
        float[] all = new float[outputs.stream().mapToInt(m -> m.rows() * m.cols()).sum()];
        int k = 0;
        for (Mat m : outputs) {
            for (int col = 0; col < m.cols(); col++) {
                for (int r = 0; r < m.rows(); r++) {
                    all[k++] = (float) m.get(r, col);
                }
            }
        }
        return all;
    }

    static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    static Mat scaled(Mat m, double factor) {
        m.scale(factor);
        return m;
    }

    static Mat copy(Mat m) {
        Mat out = Mat.zeros(m.dataType(), m.rows(), m.cols());
        out.copyFrom(m);
        return out;
    }
}
