package dev.vdrop.runtime.internal;

import static dev.vdrop.runtime.internal.ColumnArrays.write;
import static dev.vdrop.runtime.internal.VectorExp.expRows;
import static dev.vdrop.runtime.internal.VectorGates.byColumns;
import static dev.vdrop.runtime.internal.VectorGates.logistic;
import static dev.vdrop.runtime.internal.VectorGates.sigmoidRows;
import static dev.vdrop.runtime.internal.VectorGates.stageDoubles;
import static dev.vdrop.runtime.internal.VectorGates.stageFloats;
import static dev.vdrop.runtime.internal.VectorGates.tanhRows;

import dev.vdrop.runtime.Mat;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link LstmCell#forward} and {@link LstmCell#backward} in SIMD lanes, float32 and float64 twins:
 * a step's columns are copied into this thread's {@link Scratch} arrays, computed there column by
 * column (σ and tanh through {@link VectorGates} and {@link VectorExp}) and copied back; a step
 * with many cells splits its columns over the cores ({@link VectorGates#byColumns}).
 * {@link VectorKernels} checks the matrices and calls it.
 */
final class VectorLstmCell {
    private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> DOUBLES = DoubleVector.SPECIES_PREFERRED;

    private VectorLstmCell() {}

    /** {@link LstmCell#forward}, for matrices in native buffers ({@link ColumnArrays#inBuffers}); h gives H and B. */
    static void forward(Mat z, Mat bias, Mat cPrev, Mat c, Mat tanhC, Mat h) {
        byColumns(h, (from, count) -> lstmForwardFloat(z, bias, cPrev, c, tanhC, h, from, count),
                (from, count) -> lstmForwardDouble(z, bias, cPrev, c, tanhC, h, from, count));
    }

    /** {@link LstmCell#backward}, for matrices in native buffers ({@link ColumnArrays#inBuffers}); dy gives H and B. */
    static void backward(Mat gates, Mat tanhC, Mat cPrev, Mat dy, Mat dhNext, Mat dcNext, Mat dz) {
        byColumns(dy, (from, count) -> lstmBackwardFloat(gates, tanhC, cPrev, dy, dhNext, dcNext, dz, from, count),
                (from, count) -> lstmBackwardDouble(gates, tanhC, cPrev, dy, dhNext, dcNext, dz, from, count));
    }

    private static void lstmForwardFloat(Mat z, Mat bias, Mat cPrev, Mat c, Mat tanhC, Mat h, int from, int count) {
        int units = h.rows();
        // slots: 0 z (the gates on exit), 1 b, 2 c_{t-1}, 3 c, 4 tanh c, 5 h
        float[][] a = stageFloats(from, count, 3, z, bias, cPrev, c, tanhC, h);
        for (int s = 0; s < count; s++) {
            int z0 = 4 * units * s;
            // i, f = σ(z + b) (rows 0 … 2H), g = tanh(z + b), o = σ(z + b), in place
            sigmoidRows(a[0], z0, a[1], 0, 2 * units);
            tanhRows(a[0], z0 + 2 * units, a[1], 2 * units, units);
            sigmoidRows(a[0], z0 + 3 * units, a[1], 3 * units, units);
            cellRows(a[0], z0, units, a[2], a[3], a[4], a[5], units * s);
        }
        write(a[0], z, from, count);
        write(a[3], c, from, count);
        write(a[4], tanhC, from, count);
        write(a[5], h, from, count);
    }

    /** c = f ⊙ c_{t-1} + i ⊙ g, tanh(c), h = o ⊙ tanh(c) for the column whose gates start at z[z0]. */
    private static void cellRows(float[] z, int z0, int units, float[] cPrev, float[] c, float[] tanhC, float[] h, int at) {
        int whole = FLOATS.loopBound(units);
        for (int j = 0; j < whole; j += FLOATS.length()) {
            FloatVector cell = FloatVector.fromArray(FLOATS, z, z0 + units + j).mul(FloatVector.fromArray(FLOATS, cPrev, at + j))
                    .add(FloatVector.fromArray(FLOATS, z, z0 + j).mul(FloatVector.fromArray(FLOATS, z, z0 + 2 * units + j)));
            cell.intoArray(c, at + j);
            cell.mul(-2f).intoArray(tanhC, at + j);
        }
        for (int j = whole; j < units; j++) {
            c[at + j] = z[z0 + units + j] * cPrev[at + j] + z[z0 + j] * z[z0 + 2 * units + j];
            tanhC[at + j] = -2 * c[at + j];
        }
        expRows(tanhC, at, units, 0f);
        logistic(tanhC, at, units, 2f, -1f);
        multiply(z, z0 + 3 * units, tanhC, at, h, at, units);
    }

    /** out = x ⊙ y. */
    private static void multiply(float[] x, int x0, float[] y, int y0, float[] out, int o0, int count) {
        int whole = FLOATS.loopBound(count);
        for (int j = 0; j < whole; j += FLOATS.length()) {
            FloatVector.fromArray(FLOATS, x, x0 + j).mul(FloatVector.fromArray(FLOATS, y, y0 + j)).intoArray(out, o0 + j);
        }
        for (int j = whole; j < count; j++) {
            out[o0 + j] = x[x0 + j] * y[y0 + j];
        }
    }

    private static void lstmBackwardFloat(Mat gates, Mat tanhC, Mat cPrev, Mat dy, Mat dhNext, Mat dcNext, Mat dz, int from, int count) {
        int units = dy.rows();
        // slots: 0 gates, 1 tanh c, 2 c_{t-1}, 3 ∂y, 4 ∂h_t, 5 ∂c_t (∂c_{t-1} on exit), 6 ∂z
        float[][] a = stageFloats(from, count, 6, gates, tanhC, cPrev, dy, dhNext, dcNext, dz);
        for (int s = 0; s < count; s++) {
            cellGradientRows(a[0], 4 * units * s, units, a[1], a[2], a[3], a[4], a[5], a[6], units * s);
        }
        write(a[5], dcNext, from, count);
        write(a[6], dz, from, count);
    }

    /** {@link LstmCell#backward} for one column: gates and ∂z from g[g0], the H-row vectors from [at]. */
    private static void cellGradientRows(float[] g, int g0, int units, float[] tanhC, float[] cPrev, float[] dy,
                                         float[] dhNext, float[] dcNext, float[] dz, int at) {
        FloatVector one = FloatVector.broadcast(FLOATS, 1f);
        int whole = FLOATS.loopBound(units);
        for (int j = 0; j < whole; j += FLOATS.length()) {
            FloatVector i = FloatVector.fromArray(FLOATS, g, g0 + j);
            FloatVector f = FloatVector.fromArray(FLOATS, g, g0 + units + j);
            FloatVector gg = FloatVector.fromArray(FLOATS, g, g0 + 2 * units + j);
            FloatVector o = FloatVector.fromArray(FLOATS, g, g0 + 3 * units + j);
            FloatVector tc = FloatVector.fromArray(FLOATS, tanhC, at + j);
            FloatVector dh = FloatVector.fromArray(FLOATS, dy, at + j).add(FloatVector.fromArray(FLOATS, dhNext, at + j));
            FloatVector dc = dh.mul(o).mul(one.sub(tc.mul(tc))).add(FloatVector.fromArray(FLOATS, dcNext, at + j));
            dc.mul(f).intoArray(dcNext, at + j);
            dc.mul(gg).mul(i).mul(one.sub(i)).intoArray(dz, g0 + j);
            dc.mul(FloatVector.fromArray(FLOATS, cPrev, at + j)).mul(f).mul(one.sub(f)).intoArray(dz, g0 + units + j);
            dc.mul(i).mul(one.sub(gg.mul(gg))).intoArray(dz, g0 + 2 * units + j);
            dh.mul(tc).mul(o).mul(one.sub(o)).intoArray(dz, g0 + 3 * units + j);
        }
        for (int j = whole; j < units; j++) {
            float i = g[g0 + j];
            float f = g[g0 + units + j];
            float gg = g[g0 + 2 * units + j];
            float o = g[g0 + 3 * units + j];
            float tc = tanhC[at + j];
            float dh = dy[at + j] + dhNext[at + j];
            float dc = dh * o * (1 - tc * tc) + dcNext[at + j];
            dcNext[at + j] = dc * f;
            dz[g0 + j] = dc * gg * i * (1 - i);
            dz[g0 + units + j] = dc * cPrev[at + j] * f * (1 - f);
            dz[g0 + 2 * units + j] = dc * i * (1 - gg * gg);
            dz[g0 + 3 * units + j] = dh * tc * o * (1 - o);
        }
    }

    private static void lstmForwardDouble(Mat z, Mat bias, Mat cPrev, Mat c, Mat tanhC, Mat h, int from, int count) {
        int units = h.rows();
        // slots: 0 z (the gates on exit), 1 b, 2 c_{t-1}, 3 c, 4 tanh c, 5 h
        double[][] a = stageDoubles(from, count, 3, z, bias, cPrev, c, tanhC, h);
        for (int s = 0; s < count; s++) {
            int z0 = 4 * units * s;
            // i, f = σ(z + b) (rows 0 … 2H), g = tanh(z + b), o = σ(z + b), in place
            sigmoidRows(a[0], z0, a[1], 0, 2 * units);
            tanhRows(a[0], z0 + 2 * units, a[1], 2 * units, units);
            sigmoidRows(a[0], z0 + 3 * units, a[1], 3 * units, units);
            cellRows(a[0], z0, units, a[2], a[3], a[4], a[5], units * s);
        }
        write(a[0], z, from, count);
        write(a[3], c, from, count);
        write(a[4], tanhC, from, count);
        write(a[5], h, from, count);
    }

    private static void cellRows(double[] z, int z0, int units, double[] cPrev, double[] c, double[] tanhC, double[] h,
                                 int at) {
        int whole = DOUBLES.loopBound(units);
        for (int j = 0; j < whole; j += DOUBLES.length()) {
            DoubleVector cell = DoubleVector.fromArray(DOUBLES, z, z0 + units + j).mul(DoubleVector.fromArray(DOUBLES, cPrev, at + j))
                    .add(DoubleVector.fromArray(DOUBLES, z, z0 + j).mul(DoubleVector.fromArray(DOUBLES, z, z0 + 2 * units + j)));
            cell.intoArray(c, at + j);
            cell.mul(-2).intoArray(tanhC, at + j);
        }
        for (int j = whole; j < units; j++) {
            c[at + j] = z[z0 + units + j] * cPrev[at + j] + z[z0 + j] * z[z0 + 2 * units + j];
            tanhC[at + j] = -2 * c[at + j];
        }
        expRows(tanhC, at, units, 0);
        logistic(tanhC, at, units, 2, -1);
        multiply(z, z0 + 3 * units, tanhC, at, h, at, units);
    }

    private static void multiply(double[] x, int x0, double[] y, int y0, double[] out, int o0, int count) {
        int whole = DOUBLES.loopBound(count);
        for (int j = 0; j < whole; j += DOUBLES.length()) {
            DoubleVector.fromArray(DOUBLES, x, x0 + j).mul(DoubleVector.fromArray(DOUBLES, y, y0 + j)).intoArray(out, o0 + j);
        }
        for (int j = whole; j < count; j++) {
            out[o0 + j] = x[x0 + j] * y[y0 + j];
        }
    }

    private static void lstmBackwardDouble(Mat gates, Mat tanhC, Mat cPrev, Mat dy, Mat dhNext, Mat dcNext, Mat dz, int from, int count) {
        int units = dy.rows();
        // slots: 0 gates, 1 tanh c, 2 c_{t-1}, 3 ∂y, 4 ∂h_t, 5 ∂c_t (∂c_{t-1} on exit), 6 ∂z
        double[][] a = stageDoubles(from, count, 6, gates, tanhC, cPrev, dy, dhNext, dcNext, dz);
        for (int s = 0; s < count; s++) {
            cellGradientRows(a[0], 4 * units * s, units, a[1], a[2], a[3], a[4], a[5], a[6], units * s);
        }
        write(a[5], dcNext, from, count);
        write(a[6], dz, from, count);
    }

    private static void cellGradientRows(double[] g, int g0, int units, double[] tanhC, double[] cPrev, double[] dy,
                                         double[] dhNext, double[] dcNext, double[] dz, int at) {
        DoubleVector one = DoubleVector.broadcast(DOUBLES, 1);
        int whole = DOUBLES.loopBound(units);
        for (int j = 0; j < whole; j += DOUBLES.length()) {
            DoubleVector i = DoubleVector.fromArray(DOUBLES, g, g0 + j);
            DoubleVector f = DoubleVector.fromArray(DOUBLES, g, g0 + units + j);
            DoubleVector gg = DoubleVector.fromArray(DOUBLES, g, g0 + 2 * units + j);
            DoubleVector o = DoubleVector.fromArray(DOUBLES, g, g0 + 3 * units + j);
            DoubleVector tc = DoubleVector.fromArray(DOUBLES, tanhC, at + j);
            DoubleVector dh = DoubleVector.fromArray(DOUBLES, dy, at + j).add(DoubleVector.fromArray(DOUBLES, dhNext, at + j));
            DoubleVector dc = dh.mul(o).mul(one.sub(tc.mul(tc))).add(DoubleVector.fromArray(DOUBLES, dcNext, at + j));
            dc.mul(f).intoArray(dcNext, at + j);
            dc.mul(gg).mul(i).mul(one.sub(i)).intoArray(dz, g0 + j);
            dc.mul(DoubleVector.fromArray(DOUBLES, cPrev, at + j)).mul(f).mul(one.sub(f)).intoArray(dz, g0 + units + j);
            dc.mul(i).mul(one.sub(gg.mul(gg))).intoArray(dz, g0 + 2 * units + j);
            dh.mul(tc).mul(o).mul(one.sub(o)).intoArray(dz, g0 + 3 * units + j);
        }
        for (int j = whole; j < units; j++) {
            double i = g[g0 + j];
            double f = g[g0 + units + j];
            double gg = g[g0 + 2 * units + j];
            double o = g[g0 + 3 * units + j];
            double tc = tanhC[at + j];
            double dh = dy[at + j] + dhNext[at + j];
            double dc = dh * o * (1 - tc * tc) + dcNext[at + j];
            dcNext[at + j] = dc * f;
            dz[g0 + j] = dc * gg * i * (1 - i);
            dz[g0 + units + j] = dc * cPrev[at + j] * f * (1 - f);
            dz[g0 + 2 * units + j] = dc * i * (1 - gg * gg);
            dz[g0 + 3 * units + j] = dh * tc * o * (1 - o);
        }
    }
}
