package dev.vdrop.runtime.internal;

import static dev.vdrop.runtime.internal.KernelsTest.copy;
import static dev.vdrop.runtime.internal.KernelsTest.scaled;
import static dev.vdrop.runtime.internal.KernelsTest.sigmoid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdrop.runtime.Mat;
import dev.vdrop.runtime.Rng;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Both kernel sets' GRU step ({@link GruCell}) against the equations written out here in float64
 * loops, in float32 and float64, for unit counts with and without a remainder after the vector
 * lanes (1, 7, 17, 64) and steps of 1, 3 and 130 columns (64 · 130 cells split over the cores),
 * every matrix a view into a larger buffer with a leading dimension larger than its rows, as
 * generated code passes them; and the backward step against central finite differences of the
 * forward one.
 */
class GruCellTest {
    /**
     * float32: a gate's argument, up to about 7 in magnitude here, is summed from four float32
     * terms (three roundings of at most 2.4e-7 each) and the vector exp is within 3e-7 relatively;
     * σ' ≤ 1/4 and tanh' ≤ 1, so a gate is within about 1e-6 of the float64 value and h, which mixes
     * n with u ⊙ (h_{t−1} − n), within about twice that: 4e-6 leaves a margin. float64: the same
     * reasoning at 2^-53 gives well below 1e-14; 1e-13 as for the LSTM. (These are bounds: with
     * 5e-7 for float32 the tests pass too.)
     */
    private static final double FLOAT_TOLERANCE = 4e-6;
    private static final double DOUBLE_TOLERANCE = 1e-13;

    static Stream<Arguments> kernelsAndShapes() {
        List<Arguments> all = new ArrayList<>();
        for (Named<Kernels> kernels : kernelSets().toList()) {
            for (DataType type : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
                double tolerance = type == DataType.FLOAT ? FLOAT_TOLERANCE : DOUBLE_TOLERANCE;
                for (int units : new int[] {1, 7, 17, 64}) {
                    for (int batch : new int[] {1, 3, 130}) {
                        all.add(Arguments.of(kernels, type, tolerance, units, batch));
                    }
                }
            }
        }
        return all.stream();
    }

    static Stream<Named<Kernels>> kernelSets() {
        List<Named<Kernels>> sets = new ArrayList<>(List.of(Named.of("plain", new PlainKernels())));
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            sets.add(Named.of("vector", new VectorKernels()));
        }
        return sets.stream();
    }

    @ParameterizedTest(name = "{0} {1} H={3} B={4}")
    @MethodSource("kernelsAndShapes")
    void forwardFollowsTheEquations(Kernels kernels, DataType type, double tolerance, int units, int batch) {
        Rng rng = new Rng(31 + units + batch);
        Framed z = Framed.random(type, 3 * units, batch, 2, rng);
        Framed zh = Framed.random(type, 3 * units, batch, 2, rng);
        Framed biasX = Framed.random(type, 3 * units, 1, 1, rng);
        Framed biasH = Framed.random(type, 3 * units, 1, 1, rng);
        Framed hPrev = Framed.random(type, units, batch, 1.5, rng);
        Framed h = Framed.random(type, units, batch, 1, rng);
        kernels.gruForward(z.view, zh.view, biasX.view, biasH.view, hPrev.view, h.view);
        for (int s = 0; s < batch; s++) {
            for (int j = 0; j < units; j++) {
                double r = sigmoid(z.before(j, s) + biasX.before(j, 0) + zh.before(j, s) + biasH.before(j, 0));
                int ju = units + j;
                double u = sigmoid(z.before(ju, s) + biasX.before(ju, 0) + zh.before(ju, s) + biasH.before(ju, 0));
                int jn = 2 * units + j;
                double kept = zh.before(jn, s) + biasH.before(jn, 0);
                double n = Math.tanh(z.before(jn, s) + biasX.before(jn, 0) + r * kept);
                double expected = (1 - u) * n + u * hPrev.before(j, s);
                String at = "(" + j + ", " + s + ")";
                assertEquals(r, z.view.get(j, s), tolerance, "r " + at);
                assertEquals(u, z.view.get(ju, s), tolerance, "u " + at);
                assertEquals(n, z.view.get(jn, s), tolerance, "n " + at);
                assertEquals(kept, zh.view.get(jn, s), tolerance, "zh_n + b_hn " + at);
                assertEquals(zh.before(j, s), zh.view.get(j, s), 0, "zh_r is left as it was " + at);
                assertEquals(zh.before(ju, s), zh.view.get(ju, s), 0, "zh_u is left as it was " + at);
                assertEquals(expected, h.view.get(j, s), tolerance, "h " + at);
            }
        }
        for (Framed read : new Framed[] {biasX, biasH, hPrev}) {
            read.assertUnchanged();
        }
        for (Framed written : new Framed[] {z, zh, h}) {
            written.assertUnchangedAroundTheView();
        }
    }

    @ParameterizedTest(name = "{0} {1} H={3} B={4}")
    @MethodSource("kernelsAndShapes")
    void backwardFollowsTheEquations(Kernels kernels, DataType type, double tolerance, int units, int batch) {
        Rng rng = new Rng(41 + units + batch);
        Framed gates = Framed.random(type, 3 * units, batch, 1, rng);
        for (int s = 0; s < batch; s++) {
            for (int j = 0; j < 2 * units; j++) {
                gates.view.set(j, s, (gates.view.get(j, s) + 1) / 2); // r and u in (0, 1), n in (−1, 1)
            }
        }
        gates.keep();
        Framed zh = Framed.random(type, 3 * units, batch, 3, rng);
        Framed hPrev = Framed.random(type, units, batch, 1, rng);
        Framed dy = Framed.random(type, units, batch, 1, rng);
        Framed dh = Framed.random(type, units, batch, 1, rng);
        Framed dz = Framed.random(type, 3 * units, batch, 1, rng);
        Framed dzh = Framed.random(type, 3 * units, batch, 1, rng);
        kernels.gruBackward(gates.view, zh.view, hPrev.view, dy.view, dh.view, dz.view, dzh.view);
        for (int s = 0; s < batch; s++) {
            for (int j = 0; j < units; j++) {
                double r = gates.before(j, s);
                double u = gates.before(units + j, s);
                double n = gates.before(2 * units + j, s);
                double dhTotal = dy.before(j, s) + dh.before(j, s);
                double dn = dhTotal * (1 - u);
                double du = dhTotal * (hPrev.before(j, s) - n);
                double da = dn * (1 - n * n);
                double dr = da * zh.before(2 * units + j, s);
                String at = "(" + j + ", " + s + ")";
                assertEquals(dhTotal * u, dh.view.get(j, s), tolerance, "∂h ⊙ u into dh " + at);
                assertEquals(dr * r * (1 - r), dz.view.get(j, s), tolerance, "dz_r " + at);
                assertEquals(du * u * (1 - u), dz.view.get(units + j, s), tolerance, "dz_u " + at);
                assertEquals(da, dz.view.get(2 * units + j, s), tolerance, "dz_n " + at);
                assertEquals(dr * r * (1 - r), dzh.view.get(j, s), tolerance, "dzh_r " + at);
                assertEquals(du * u * (1 - u), dzh.view.get(units + j, s), tolerance, "dzh_u " + at);
                assertEquals(da * r, dzh.view.get(2 * units + j, s), tolerance, "dzh_n " + at);
            }
        }
        for (Framed read : new Framed[] {gates, zh, hPrev, dy}) {
            read.assertUnchanged();
        }
        for (Framed written : new Framed[] {dh, dz, dzh}) {
            written.assertUnchangedAroundTheView();
        }
    }

    /**
     * The backward step against central differences of L = Σ w ⊙ h_t through the forward step, in
     * float64, for every element of z (W x̃), zh (U' h̃), h_{t−1}, b_x and b_h: the backward step
     * runs with dy = w₁ and dh = w₂ (w = w₁ + w₂), so ∂L/∂z = dz, ∂L/∂zh = dzh, ∂L/∂h_{t−1} = dh on
     * exit (zh is an input of its own here, so h_{t−1} acts only directly), ∂L/∂b_x = Σ_s dz and
     * ∂L/∂b_h = Σ_s dzh.
     *
     * <p>Tolerance: with ε = 1e-5 the truncation error of a central difference is ε²/6 · |∂³L|,
     * below 1e-9 (the third derivatives of σ and tanh are at most 1/8 and 2, times factors of a few
     * units); L, a sum of at most 51 terms below 3, is rounded to about 1e-14, which the division by
     * 2ε makes 1e-9. 1e-7 leaves a margin of 100, and a wrong term (a missing factor r, u or 1 − n²)
     * is off by 1e-2 or more.
     */
    @ParameterizedTest(name = "{0} H={1}")
    @MethodSource("kernelsAndUnits")
    void backwardMatchesFiniteDifferences(Kernels kernels, int units) {
        DataType type = DataType.DOUBLE;
        int batch = 3;
        Rng rng = new Rng(51 + units);
        Operands in = Operands.random(type, units, batch, rng);
        Mat w1 = BlasTest.random(type, units, batch, rng);
        Mat w2 = BlasTest.random(type, units, batch, rng);
        Mat w = copy(w1);
        for (int s = 0; s < batch; s++) {
            for (int j = 0; j < units; j++) {
                w.set(j, s, w1.get(j, s) + w2.get(j, s));
            }
        }
        Mat gates = copy(in.z);
        Mat kept = copy(in.zh);
        kernels.gruForward(gates, kept, in.biasX, in.biasH, in.hPrev, Mat.zeros(type, units, batch));
        Mat dh = copy(w2);
        Mat dz = Mat.zeros(type, 3 * units, batch);
        Mat dzh = Mat.zeros(type, 3 * units, batch);
        kernels.gruBackward(gates, kept, in.hPrev, w1, dh, dz, dzh);
        Mat dbx = Mat.zeros(type, 3 * units, 1);
        Mat dbh = Mat.zeros(type, 3 * units, 1);
        for (int s = 0; s < batch; s++) {
            for (int i = 0; i < 3 * units; i++) {
                dbx.add(i, 0, dz.get(i, s));
                dbh.add(i, 0, dzh.get(i, s));
            }
        }
        Mat[] inputs = {in.z, in.zh, in.hPrev, in.biasX, in.biasH};
        Mat[] gradients = {dz, dzh, dh, dbx, dbh};
        String[] names = {"z", "zh", "h_{t-1}", "b_x", "b_h"};
        double epsilon = 1e-5;
        for (int k = 0; k < inputs.length; k++) {
            Mat x = inputs[k];
            for (int c = 0; c < x.cols(); c++) {
                for (int r = 0; r < x.rows(); r++) {
                    double value = x.get(r, c);
                    x.set(r, c, value + epsilon);
                    double up = in.loss(kernels, w);
                    x.set(r, c, value - epsilon);
                    double down = in.loss(kernels, w);
                    x.set(r, c, value);
                    assertEquals((up - down) / (2 * epsilon), gradients[k].get(r, c), 1e-7,
                            "∂L/∂" + names[k] + "(" + r + ", " + c + ")");
                }
            }
        }
    }

    static Stream<Arguments> kernelsAndUnits() {
        return kernelSets().flatMap(k -> Stream.of(Arguments.of(k, 7), Arguments.of(k, 17)));
    }

    /**
     * A step's width is h's forward and dy's backward, as for the LSTM: a ragged pass hands every
     * matrix as its first b_t columns, and here the other operands are wider than that (the
     * sequences that ended); their other columns are neither used nor written.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("kernelSets")
    void theStepIsAsWideAsHForwardAndDyBackward(Kernels kernels) {
        DataType type = DataType.FLOAT;
        int units = 17;
        int running = 2;
        int wider = 5;
        Rng rng = new Rng(61);
        Operands wide = Operands.random(type, units, wider, rng);
        Operands narrow = wide.firstColumns(running);
        Operands before = wide.firstColumns(wider);
        Mat h = Mat.zeros(type, units, running);
        Mat narrowH = Mat.zeros(type, units, running);
        kernels.gruForward(wide.z, wide.zh, wide.biasX, wide.biasH, wide.hPrev, h);
        kernels.gruForward(narrow.z, narrow.zh, narrow.biasX, narrow.biasH, narrow.hPrev, narrowH);
        assertSameValues(narrow.z, wide.z.columns(0, running), "the running columns' gates");
        assertSameValues(narrow.zh, wide.zh.columns(0, running), "the running columns' zh");
        assertSameValues(narrowH, h, "the running columns' h");
        int ended = wider - running;
        assertSameValues(before.z.columns(running, ended), wide.z.columns(running, ended), "z beyond B");
        assertSameValues(before.zh.columns(running, ended), wide.zh.columns(running, ended), "zh beyond B");

        Mat dy = BlasTest.random(type, units, running, rng);
        Mat dh = BlasTest.random(type, units, wider, rng);
        Mat dz = BlasTest.random(type, 3 * units, wider, rng);
        Mat dhBefore = copy(dh);
        Mat dzBefore = copy(dz);
        Mat narrowDh = copy(dh.columns(0, running));
        Mat narrowDz = Mat.zeros(type, 3 * units, running);
        kernels.gruBackward(wide.z, wide.zh, wide.hPrev, dy, dh, dz, Mat.zeros(type, 3 * units, wider));
        kernels.gruBackward(narrow.z, narrow.zh, narrow.hPrev, dy, narrowDh, narrowDz, Mat.zeros(type, 3 * units, running));
        assertSameValues(narrowDh, dh.columns(0, running), "the running columns' dh");
        assertSameValues(narrowDz, dz.columns(0, running), "the running columns' dz");
        assertSameValues(dhBefore.columns(running, ended), dh.columns(running, ended), "dh beyond B");
        assertSameValues(dzBefore.columns(running, ended), dz.columns(running, ended), "dz beyond B");
    }

    /** h_{t−1} may be h_t's own buffer: a layer that carries its state in place. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("kernelSets")
    void theStateMayBeUpdatedInPlace(Kernels kernels) {
        int units = 17;
        Operands in = Operands.random(DataType.DOUBLE, units, 3, new Rng(71));
        Operands again = in.firstColumns(3);
        Mat h = Mat.zeros(DataType.DOUBLE, units, 3);
        kernels.gruForward(in.z, in.zh, in.biasX, in.biasH, in.hPrev, h);
        kernels.gruForward(again.z, again.zh, again.biasX, again.biasH, again.hPrev, again.hPrev);
        assertSameValues(h, again.hPrev, "h_t written over h_{t-1}");
    }

    /** {@link GruCell} runs this JVM's kernels (the vector ones in the build), with its arguments in their places. */
    @Test
    void gruCellRunsTheKernelsOfThisJvm() {
        assertTrue(Kernels.CURRENT instanceof VectorKernels, Kernels.CURRENT.description());
        DataType type = DataType.FLOAT;
        int units = 17;
        int batch = 3;
        Rng rng = new Rng(81);
        Operands viaCell = Operands.random(type, units, batch, rng);
        Operands direct = viaCell.firstColumns(batch);
        Mat dy = BlasTest.random(type, units, batch, rng);
        Mat[] cellOut = {Mat.zeros(type, units, batch), copy(dy), Mat.zeros(type, 3 * units, batch),
                Mat.zeros(type, 3 * units, batch)};
        Mat[] directOut = {Mat.zeros(type, units, batch), copy(dy), Mat.zeros(type, 3 * units, batch),
                Mat.zeros(type, 3 * units, batch)};
        GruCell.forward(viaCell.z, viaCell.zh, viaCell.biasX, viaCell.biasH, viaCell.hPrev, cellOut[0]);
        GruCell.backward(viaCell.z, viaCell.zh, viaCell.hPrev, dy, cellOut[1], cellOut[2], cellOut[3]);
        Kernels.CURRENT.gruForward(direct.z, direct.zh, direct.biasX, direct.biasH, direct.hPrev, directOut[0]);
        Kernels.CURRENT.gruBackward(direct.z, direct.zh, direct.hPrev, dy, directOut[1], directOut[2], directOut[3]);
        assertSameValues(direct.z, viaCell.z, "gates");
        assertSameValues(direct.zh, viaCell.zh, "zh");
        String[] names = {"h", "dh", "dz", "dzh"};
        for (int k = 0; k < names.length; k++) {
            assertSameValues(directOut[k], cellOut[k], names[k]);
        }
    }

    /** A forward step's inputs: W x̃ and U' h̃ (3H × B, scaled by 2), b_x and b_h (3H × 1) and h_{t−1} (H × B). */
    private record Operands(Mat z, Mat zh, Mat biasX, Mat biasH, Mat hPrev) {
        static Operands random(DataType type, int units, int batch, Rng rng) {
            return new Operands(scaled(BlasTest.random(type, 3 * units, batch, rng), 2),
                    scaled(BlasTest.random(type, 3 * units, batch, rng), 2), BlasTest.random(type, 3 * units, 1, rng),
                    BlasTest.random(type, 3 * units, 1, rng), BlasTest.random(type, units, batch, rng));
        }

        /** Copies of the first {@code count} columns of each (the biases whole). */
        Operands firstColumns(int count) {
            return new Operands(copy(z.columns(0, count)), copy(zh.columns(0, count)), copy(biasX), copy(biasH),
                    copy(hPrev.columns(0, count)));
        }

        /** L = Σ w ⊙ h_t for one forward step on copies (the step overwrites z and zh). */
        double loss(Kernels kernels, Mat w) {
            Operands step = firstColumns(z.cols());
            Mat h = Mat.zeros(z.dataType(), hPrev.rows(), hPrev.cols());
            kernels.gruForward(step.z, step.zh, biasX, biasH, hPrev, h);
            double sum = 0;
            for (int s = 0; s < h.cols(); s++) {
                for (int j = 0; j < h.rows(); j++) {
                    sum += w.get(j, s) * h.get(j, s);
                }
            }
            return sum;
        }
    }

    private static void assertSameValues(Mat expected, Mat actual, String what) {
        assertEquals(expected.shape(), actual.shape(), what);
        for (int c = 0; c < expected.cols(); c++) {
            for (int r = 0; r < expected.rows(); r++) {
                assertEquals(expected.get(r, c), actual.get(r, c), 0, what + " (" + r + ", " + c + ")");
            }
        }
    }

    /**
     * A rows × cols view into a random buffer 3 rows taller and 2 columns wider (leading dimension
     * rows + 3, an offset of 2 rows and 1 column), with a copy of the whole buffer as it was.
     */
    private static final class Framed {
        final Mat whole;
        final Mat view;
        private Mat before;

        private Framed(Mat whole, Mat view) {
            this.whole = whole;
            this.view = view;
            keep();
        }

        static Framed random(DataType type, int rows, int cols, double scale, Rng rng) {
            Mat whole = scaled(BlasTest.random(type, rows + 3, cols + 2, rng), scale);
            return new Framed(whole, whole.rows(2, rows).columns(1, cols));
        }

        /** Takes the buffer as it is now as "before". */
        void keep() {
            before = copy(whole);
        }

        /** The view's element (r, c) as it was. */
        double before(int r, int c) {
            return before.get(2 + r, 1 + c);
        }

        void assertUnchanged() {
            assertSameValues(before, whole, "a matrix the kernel only reads");
        }

        void assertUnchangedAroundTheView() {
            for (int c = 0; c < whole.cols(); c++) {
                for (int r = 0; r < whole.rows(); r++) {
                    boolean inView = r >= 2 && r < 2 + view.rows() && c >= 1 && c < 1 + view.cols();
                    if (!inView) {
                        assertEquals(before.get(r, c), whole.get(r, c), 0, "outside the view, (" + r + ", " + c + ")");
                    }
                }
            }
        }
    }
}
