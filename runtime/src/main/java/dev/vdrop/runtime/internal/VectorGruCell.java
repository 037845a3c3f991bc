package dev.vdrop.runtime.internal;

import static dev.vdrop.runtime.internal.ColumnArrays.write;
import static dev.vdrop.runtime.internal.VectorGates.byColumns;
import static dev.vdrop.runtime.internal.VectorGates.scaledSum;
import static dev.vdrop.runtime.internal.VectorGates.sigmoidRows;
import static dev.vdrop.runtime.internal.VectorGates.stageDoubles;
import static dev.vdrop.runtime.internal.VectorGates.stageFloats;
import static dev.vdrop.runtime.internal.VectorGates.tanhRows;

import dev.vdrop.runtime.Mat;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link GruCell#forward} and {@link GruCell#backward} in SIMD lanes, float32 and float64 twins,
 * built as {@link VectorLstmCell} is: a step's columns are copied into this thread's
 * {@link Scratch} arrays (operand slots numbered in the order of the parameters), computed there
 * column by column (σ and tanh through {@link VectorGates}) and copied back, a step with many
 * cells split over the cores. Of zh only block n is written back forward and read backward, through
 * a view of those rows. {@link VectorKernels} checks the matrices and calls it.
 */
final class VectorGruCell {
    private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> DOUBLES = DoubleVector.SPECIES_PREFERRED;

    private VectorGruCell() {}

    /** {@link GruCell#forward}, for matrices in native buffers ({@link ColumnArrays#inBuffers}); h gives H and B. */
    static void forward(Mat z, Mat zh, Mat biasX, Mat biasH, Mat hPrev, Mat h) {
        Mat zhN = zh.rows(2 * h.rows(), h.rows());
        byColumns(h, (from, count) -> forwardFloat(z, zh, biasX, biasH, hPrev, h, zhN, from, count),
                (from, count) -> forwardDouble(z, zh, biasX, biasH, hPrev, h, zhN, from, count));
    }

    /** {@link GruCell#backward}, for matrices in native buffers ({@link ColumnArrays#inBuffers}); dy gives H and B. */
    static void backward(Mat gates, Mat zh, Mat hPrev, Mat dy, Mat dh, Mat dz, Mat dzh) {
        Mat zhN = zh.rows(2 * dy.rows(), dy.rows());
        byColumns(dy, (from, count) -> backwardFloat(gates, zhN, hPrev, dy, dh, dz, dzh, from, count),
                (from, count) -> backwardDouble(gates, zhN, hPrev, dy, dh, dz, dzh, from, count));
    }

    /** Columns [from, from + count) of a forward step; {@code zhN} is block n of zh. */
    private static void forwardFloat(Mat z, Mat zh, Mat biasX, Mat biasH, Mat hPrev, Mat h, Mat zhN, int from,
                                     int count) {
        int units = h.rows();
        // slots: 0 z (the gates on exit), 1 zh (+ b_h), 2 b_x, 3 b_h, 4 h_{t−1}, 5 h_t, 6 zh_n + b_hn
        float[][] a = stageFloats(from, count, 5, z, zh, biasX, biasH, hPrev, h, zhN);
        for (int s = 0; s < count; s++) {
            int z0 = 3 * units * s;
            // zh + b_h (in the scratch array only), r, u = σ(z + zh + b_h + b_x), n = tanh(z + b_x + r ⊙ (zh + b_h)), h
            scaledSum(a[1], z0, a[3], 0, 3 * units, 1f);
            scaledSum(a[0], z0, a[1], z0, 2 * units, 1f);
            sigmoidRows(a[0], z0, a[2], 0, 2 * units);
            resetRows(a[0], z0, units, a[1], a[6], units * s);
            tanhRows(a[0], z0 + 2 * units, a[2], 2 * units, units);
            stateRows(a[0], z0, units, a[4], a[5], units * s);
        }
        write(a[0], z, from, count);
        write(a[6], zhN, from, count);
        write(a[5], h, from, count);
    }

    /**
     * For the column whose gates start at z[z0] (r in block r): z_n ← z_n + r ⊙ (zh_n + b_hn), with
     * zh_n + b_hn from {@code recurrent}[z0 + 2H], which it also copies to {@code kept}[at].
     */
    private static void resetRows(float[] z, int z0, int units, float[] recurrent, float[] kept, int at) {
        int n0 = z0 + 2 * units;
        int whole = FLOATS.loopBound(units);
        for (int j = 0; j < whole; j += FLOATS.length()) {
            FloatVector zhN = FloatVector.fromArray(FLOATS, recurrent, n0 + j);
            zhN.intoArray(kept, at + j);
            FloatVector.fromArray(FLOATS, z, z0 + j).mul(zhN).add(FloatVector.fromArray(FLOATS, z, n0 + j)).intoArray(z, n0 + j);
        }
        for (int j = whole; j < units; j++) {
            kept[at + j] = recurrent[n0 + j];
            z[n0 + j] = z[z0 + j] * recurrent[n0 + j] + z[n0 + j];
        }
    }

    /** h_t = n + u ⊙ (h_{t−1} − n), that is (1 − u) ⊙ n + u ⊙ h_{t−1}, for the column whose gates start at z[z0]. */
    private static void stateRows(float[] z, int z0, int units, float[] hPrev, float[] h, int at) {
        int whole = FLOATS.loopBound(units);
        for (int j = 0; j < whole; j += FLOATS.length()) {
            FloatVector n = FloatVector.fromArray(FLOATS, z, z0 + 2 * units + j);
            FloatVector u = FloatVector.fromArray(FLOATS, z, z0 + units + j);
            FloatVector.fromArray(FLOATS, hPrev, at + j).sub(n).mul(u).add(n).intoArray(h, at + j);
        }
        for (int j = whole; j < units; j++) {
            float n = z[z0 + 2 * units + j];
            h[at + j] = (hPrev[at + j] - n) * z[z0 + units + j] + n;
        }
    }

    /** Columns [from, from + count) of a backward step; {@code zhN} is block n of zh. */
    private static void backwardFloat(Mat gates, Mat zhN, Mat hPrev, Mat dy, Mat dh, Mat dz, Mat dzh, int from,
                                      int count) {
        int units = dy.rows();
        // slots: 0 gates, 1 zh_n + b_hn, 2 h_{t−1}, 3 ∂y, 4 ∂h_t (∂h ⊙ u on exit), 5 dz, 6 dzh
        float[][] a = stageFloats(from, count, 5, gates, zhN, hPrev, dy, dh, dz, dzh);
        for (int s = 0; s < count; s++) {
            gradientRows(a, units, s);
        }
        write(a[4], dh, from, count);
        write(a[5], dz, from, count);
        write(a[6], dzh, from, count);
    }

    /** {@link GruCell#backward} for column s of the arrays {@code a} that {@link #backwardFloat} staged. */
    private static void gradientRows(float[][] a, int units, int s) {
        float[] gates = a[0];
        float[] kept = a[1];
        float[] hPrev = a[2];
        float[] dy = a[3];
        float[] dh = a[4];
        float[] dz = a[5];
        float[] dzh = a[6];
        int g0 = 3 * units * s;
        int at = units * s;
        int whole = FLOATS.loopBound(units);
        FloatVector one = FloatVector.broadcast(FLOATS, 1f);
        for (int j = 0; j < whole; j += FLOATS.length()) {
            FloatVector total = FloatVector.fromArray(FLOATS, dy, at + j).add(FloatVector.fromArray(FLOATS, dh, at + j));
            FloatVector r = FloatVector.fromArray(FLOATS, gates, g0 + j);
            FloatVector u = FloatVector.fromArray(FLOATS, gates, g0 + units + j);
            FloatVector n = FloatVector.fromArray(FLOATS, gates, g0 + 2 * units + j);
            FloatVector da = total.mul(one.sub(u)).mul(one.sub(n.mul(n)));
            FloatVector dr = da.mul(FloatVector.fromArray(FLOATS, kept, at + j)).mul(r).mul(one.sub(r));
            FloatVector du = total.mul(FloatVector.fromArray(FLOATS, hPrev, at + j).sub(n)).mul(u).mul(one.sub(u));
            total.mul(u).intoArray(dh, at + j);
            dr.intoArray(dz, g0 + j);
            du.intoArray(dz, g0 + units + j);
            da.intoArray(dz, g0 + 2 * units + j);
            dr.intoArray(dzh, g0 + j);
            du.intoArray(dzh, g0 + units + j);
            da.mul(r).intoArray(dzh, g0 + 2 * units + j);
        }
        for (int j = whole; j < units; j++) {
            float total = dy[at + j] + dh[at + j];
            float r = gates[g0 + j];
            float u = gates[g0 + units + j];
            float n = gates[g0 + 2 * units + j];
            float da = total * (1 - u) * (1 - n * n);
            float dr = da * kept[at + j] * r * (1 - r);
            float du = total * (hPrev[at + j] - n) * u * (1 - u);
            dh[at + j] = total * u;
            dz[g0 + j] = dr;
            dz[g0 + units + j] = du;
            dz[g0 + 2 * units + j] = da;
            dzh[g0 + j] = dr;
            dzh[g0 + units + j] = du;
            dzh[g0 + 2 * units + j] = da * r;
        }
    }

    private static void forwardDouble(Mat z, Mat zh, Mat biasX, Mat biasH, Mat hPrev, Mat h, Mat zhN, int from,
                                      int count) {
        int units = h.rows();
        // slots: 0 z (the gates on exit), 1 zh (+ b_h), 2 b_x, 3 b_h, 4 h_{t−1}, 5 h_t, 6 zh_n + b_hn
        double[][] a = stageDoubles(from, count, 5, z, zh, biasX, biasH, hPrev, h, zhN);
        for (int s = 0; s < count; s++) {
            int z0 = 3 * units * s;
            // zh + b_h (in the scratch array only), r, u = σ(z + zh + b_h + b_x), n = tanh(z + b_x + r ⊙ (zh + b_h)), h
            scaledSum(a[1], z0, a[3], 0, 3 * units, 1);
            scaledSum(a[0], z0, a[1], z0, 2 * units, 1);
            sigmoidRows(a[0], z0, a[2], 0, 2 * units);
            resetRows(a[0], z0, units, a[1], a[6], units * s);
            tanhRows(a[0], z0 + 2 * units, a[2], 2 * units, units);
            stateRows(a[0], z0, units, a[4], a[5], units * s);
        }
        write(a[0], z, from, count);
        write(a[6], zhN, from, count);
        write(a[5], h, from, count);
    }

    private static void resetRows(double[] z, int z0, int units, double[] recurrent, double[] kept, int at) {
        int n0 = z0 + 2 * units;
        int whole = DOUBLES.loopBound(units);
        for (int j = 0; j < whole; j += DOUBLES.length()) {
            DoubleVector zhN = DoubleVector.fromArray(DOUBLES, recurrent, n0 + j);
            zhN.intoArray(kept, at + j);
            DoubleVector.fromArray(DOUBLES, z, z0 + j).mul(zhN).add(DoubleVector.fromArray(DOUBLES, z, n0 + j)).intoArray(z, n0 + j);
        }
        for (int j = whole; j < units; j++) {
            kept[at + j] = recurrent[n0 + j];
            z[n0 + j] = z[z0 + j] * recurrent[n0 + j] + z[n0 + j];
        }
    }

    private static void stateRows(double[] z, int z0, int units, double[] hPrev, double[] h, int at) {
        int whole = DOUBLES.loopBound(units);
        for (int j = 0; j < whole; j += DOUBLES.length()) {
            DoubleVector n = DoubleVector.fromArray(DOUBLES, z, z0 + 2 * units + j);
            DoubleVector u = DoubleVector.fromArray(DOUBLES, z, z0 + units + j);
            DoubleVector.fromArray(DOUBLES, hPrev, at + j).sub(n).mul(u).add(n).intoArray(h, at + j);
        }
        for (int j = whole; j < units; j++) {
            double n = z[z0 + 2 * units + j];
            h[at + j] = (hPrev[at + j] - n) * z[z0 + units + j] + n;
        }
    }

    private static void backwardDouble(Mat gates, Mat zhN, Mat hPrev, Mat dy, Mat dh, Mat dz, Mat dzh, int from,
                                       int count) {
        int units = dy.rows();
        // slots: 0 gates, 1 zh_n + b_hn, 2 h_{t−1}, 3 ∂y, 4 ∂h_t (∂h ⊙ u on exit), 5 dz, 6 dzh
        double[][] a = stageDoubles(from, count, 5, gates, zhN, hPrev, dy, dh, dz, dzh);
        for (int s = 0; s < count; s++) {
            gradientRows(a, units, s);
        }
        write(a[4], dh, from, count);
        write(a[5], dz, from, count);
        write(a[6], dzh, from, count);
    }

    private static void gradientRows(double[][] a, int units, int s) {
        double[] gates = a[0];
        double[] kept = a[1];
        double[] hPrev = a[2];
        double[] dy = a[3];
        double[] dh = a[4];
        double[] dz = a[5];
        double[] dzh = a[6];
        int g0 = 3 * units * s;
        int at = units * s;
        int whole = DOUBLES.loopBound(units);
        DoubleVector one = DoubleVector.broadcast(DOUBLES, 1);
        for (int j = 0; j < whole; j += DOUBLES.length()) {
            DoubleVector total = DoubleVector.fromArray(DOUBLES, dy, at + j).add(DoubleVector.fromArray(DOUBLES, dh, at + j));
            DoubleVector r = DoubleVector.fromArray(DOUBLES, gates, g0 + j);
            DoubleVector u = DoubleVector.fromArray(DOUBLES, gates, g0 + units + j);
            DoubleVector n = DoubleVector.fromArray(DOUBLES, gates, g0 + 2 * units + j);
            DoubleVector da = total.mul(one.sub(u)).mul(one.sub(n.mul(n)));
            DoubleVector dr = da.mul(DoubleVector.fromArray(DOUBLES, kept, at + j)).mul(r).mul(one.sub(r));
            DoubleVector du = total.mul(DoubleVector.fromArray(DOUBLES, hPrev, at + j).sub(n)).mul(u).mul(one.sub(u));
            total.mul(u).intoArray(dh, at + j);
            dr.intoArray(dz, g0 + j);
            du.intoArray(dz, g0 + units + j);
            da.intoArray(dz, g0 + 2 * units + j);
            dr.intoArray(dzh, g0 + j);
            du.intoArray(dzh, g0 + units + j);
            da.mul(r).intoArray(dzh, g0 + 2 * units + j);
        }
        for (int j = whole; j < units; j++) {
            double total = dy[at + j] + dh[at + j];
            double r = gates[g0 + j];
            double u = gates[g0 + units + j];
            double n = gates[g0 + 2 * units + j];
            double da = total * (1 - u) * (1 - n * n);
            double dr = da * kept[at + j] * r * (1 - r);
            double du = total * (hPrev[at + j] - n) * u * (1 - u);
            dh[at + j] = total * u;
            dz[g0 + j] = dr;
            dz[g0 + units + j] = du;
            dz[g0 + 2 * units + j] = da;
            dzh[g0 + j] = dr;
            dzh[g0 + units + j] = du;
            dzh[g0 + 2 * units + j] = da * r;
        }
    }
}
