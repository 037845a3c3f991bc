package dev.vdrop.runtime.internal;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The unrolled inner kernels of {@link PanelProduct}: out[rows of P panels, columns n0 …] +=
 * Σ_k panel(k) · x[k, column] over a block of k, x column-major (column j at j · depth), for P = 3
 * or 1 panels and 4 or 1 columns, float32 and float64. Each sums its k in order, one fused
 * multiply-add per k into one accumulator per output vector. Written out by hand: the JIT keeps
 * every accumulator in a register only when each is a local variable.
 */
final class PanelMicroKernels {
    private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> DOUBLES = DoubleVector.SPECIES_PREFERRED;

    private PanelMicroKernels() {}

    /** out[3 panels × 4 column(s)] += panels p… of A · x, over k in [k0, k1). */
    static void panels3x4(float[] a, int p, int depth, int k0, int k1, float[] x, int n0, float[] out, int ldo, int row) {
        FloatVector c00 = FloatVector.zero(FLOATS);
        FloatVector c01 = c00, c02 = c00, c03 = c00, c10 = c00, c11 = c00, c12 = c00, c13 = c00, c20 = c00, c21 = c00, c22 = c00, c23 = c00;
        int step = FLOATS.length();
        int a0 = (p + 0) * depth * step;
        int a1 = (p + 1) * depth * step;
        int a2 = (p + 2) * depth * step;
        int x0 = (n0 + 0) * depth;
        int x1 = (n0 + 1) * depth;
        int x2 = (n0 + 2) * depth;
        int x3 = (n0 + 3) * depth;
        for (int k = k0; k < k1; k++) {
            FloatVector u0 = FloatVector.fromArray(FLOATS, a, a0 + k * step);
            FloatVector u1 = FloatVector.fromArray(FLOATS, a, a1 + k * step);
            FloatVector u2 = FloatVector.fromArray(FLOATS, a, a2 + k * step);
            FloatVector b0 = FloatVector.broadcast(FLOATS, x[x0 + k]);
            c00 = u0.fma(b0, c00);
            c10 = u1.fma(b0, c10);
            c20 = u2.fma(b0, c20);
            FloatVector b1 = FloatVector.broadcast(FLOATS, x[x1 + k]);
            c01 = u0.fma(b1, c01);
            c11 = u1.fma(b1, c11);
            c21 = u2.fma(b1, c21);
            FloatVector b2 = FloatVector.broadcast(FLOATS, x[x2 + k]);
            c02 = u0.fma(b2, c02);
            c12 = u1.fma(b2, c12);
            c22 = u2.fma(b2, c22);
            FloatVector b3 = FloatVector.broadcast(FLOATS, x[x3 + k]);
            c03 = u0.fma(b3, c03);
            c13 = u1.fma(b3, c13);
            c23 = u2.fma(b3, c23);
        }
        int o00 = (n0 + 0) * ldo + row + 0 * step;
        FloatVector.fromArray(FLOATS, out, o00).add(c00).intoArray(out, o00);
        int o10 = (n0 + 0) * ldo + row + 1 * step;
        FloatVector.fromArray(FLOATS, out, o10).add(c10).intoArray(out, o10);
        int o20 = (n0 + 0) * ldo + row + 2 * step;
        FloatVector.fromArray(FLOATS, out, o20).add(c20).intoArray(out, o20);
        int o01 = (n0 + 1) * ldo + row + 0 * step;
        FloatVector.fromArray(FLOATS, out, o01).add(c01).intoArray(out, o01);
        int o11 = (n0 + 1) * ldo + row + 1 * step;
        FloatVector.fromArray(FLOATS, out, o11).add(c11).intoArray(out, o11);
        int o21 = (n0 + 1) * ldo + row + 2 * step;
        FloatVector.fromArray(FLOATS, out, o21).add(c21).intoArray(out, o21);
        int o02 = (n0 + 2) * ldo + row + 0 * step;
        FloatVector.fromArray(FLOATS, out, o02).add(c02).intoArray(out, o02);
        int o12 = (n0 + 2) * ldo + row + 1 * step;
        FloatVector.fromArray(FLOATS, out, o12).add(c12).intoArray(out, o12);
        int o22 = (n0 + 2) * ldo + row + 2 * step;
        FloatVector.fromArray(FLOATS, out, o22).add(c22).intoArray(out, o22);
        int o03 = (n0 + 3) * ldo + row + 0 * step;
        FloatVector.fromArray(FLOATS, out, o03).add(c03).intoArray(out, o03);
        int o13 = (n0 + 3) * ldo + row + 1 * step;
        FloatVector.fromArray(FLOATS, out, o13).add(c13).intoArray(out, o13);
        int o23 = (n0 + 3) * ldo + row + 2 * step;
        FloatVector.fromArray(FLOATS, out, o23).add(c23).intoArray(out, o23);
    }

    /** out[3 panels × 1 column(s)] += panels p… of A · x, over k in [k0, k1). */
    static void panels3x1(float[] a, int p, int depth, int k0, int k1, float[] x, int n0, float[] out, int ldo, int row) {
        FloatVector c00 = FloatVector.zero(FLOATS);
        FloatVector c10 = c00, c20 = c00;
        int step = FLOATS.length();
        int a0 = (p + 0) * depth * step;
        int a1 = (p + 1) * depth * step;
        int a2 = (p + 2) * depth * step;
        int x0 = (n0 + 0) * depth;
        for (int k = k0; k < k1; k++) {
            FloatVector u0 = FloatVector.fromArray(FLOATS, a, a0 + k * step);
            FloatVector u1 = FloatVector.fromArray(FLOATS, a, a1 + k * step);
            FloatVector u2 = FloatVector.fromArray(FLOATS, a, a2 + k * step);
            FloatVector b0 = FloatVector.broadcast(FLOATS, x[x0 + k]);
            c00 = u0.fma(b0, c00);
            c10 = u1.fma(b0, c10);
            c20 = u2.fma(b0, c20);
        }
        int o00 = (n0 + 0) * ldo + row + 0 * step;
        FloatVector.fromArray(FLOATS, out, o00).add(c00).intoArray(out, o00);
        int o10 = (n0 + 0) * ldo + row + 1 * step;
        FloatVector.fromArray(FLOATS, out, o10).add(c10).intoArray(out, o10);
        int o20 = (n0 + 0) * ldo + row + 2 * step;
        FloatVector.fromArray(FLOATS, out, o20).add(c20).intoArray(out, o20);
    }

    /** out[1 panels × 4 column(s)] += panels p… of A · x, over k in [k0, k1). */
    static void panels1x4(float[] a, int p, int depth, int k0, int k1, float[] x, int n0, float[] out, int ldo, int row) {
        FloatVector c00 = FloatVector.zero(FLOATS);
        FloatVector c01 = c00, c02 = c00, c03 = c00;
        int step = FLOATS.length();
        int a0 = (p + 0) * depth * step;
        int x0 = (n0 + 0) * depth;
        int x1 = (n0 + 1) * depth;
        int x2 = (n0 + 2) * depth;
        int x3 = (n0 + 3) * depth;
        for (int k = k0; k < k1; k++) {
            FloatVector u0 = FloatVector.fromArray(FLOATS, a, a0 + k * step);
            FloatVector b0 = FloatVector.broadcast(FLOATS, x[x0 + k]);
            c00 = u0.fma(b0, c00);
            FloatVector b1 = FloatVector.broadcast(FLOATS, x[x1 + k]);
            c01 = u0.fma(b1, c01);
            FloatVector b2 = FloatVector.broadcast(FLOATS, x[x2 + k]);
            c02 = u0.fma(b2, c02);
            FloatVector b3 = FloatVector.broadcast(FLOATS, x[x3 + k]);
            c03 = u0.fma(b3, c03);
        }
        int o00 = (n0 + 0) * ldo + row + 0 * step;
        FloatVector.fromArray(FLOATS, out, o00).add(c00).intoArray(out, o00);
        int o01 = (n0 + 1) * ldo + row + 0 * step;
        FloatVector.fromArray(FLOATS, out, o01).add(c01).intoArray(out, o01);
        int o02 = (n0 + 2) * ldo + row + 0 * step;
        FloatVector.fromArray(FLOATS, out, o02).add(c02).intoArray(out, o02);
        int o03 = (n0 + 3) * ldo + row + 0 * step;
        FloatVector.fromArray(FLOATS, out, o03).add(c03).intoArray(out, o03);
    }

    /** out[1 panels × 1 column(s)] += panels p… of A · x, over k in [k0, k1). */
    static void panels1x1(float[] a, int p, int depth, int k0, int k1, float[] x, int n0, float[] out, int ldo, int row) {
        FloatVector c00 = FloatVector.zero(FLOATS);
        int step = FLOATS.length();
        int a0 = (p + 0) * depth * step;
        int x0 = (n0 + 0) * depth;
        for (int k = k0; k < k1; k++) {
            FloatVector u0 = FloatVector.fromArray(FLOATS, a, a0 + k * step);
            FloatVector b0 = FloatVector.broadcast(FLOATS, x[x0 + k]);
            c00 = u0.fma(b0, c00);
        }
        int o00 = (n0 + 0) * ldo + row + 0 * step;
        FloatVector.fromArray(FLOATS, out, o00).add(c00).intoArray(out, o00);
    }

    /** out[3 panels × 4 column(s)] += panels p… of A · x, over k in [k0, k1). */
    static void panels3x4(double[] a, int p, int depth, int k0, int k1, double[] x, int n0, double[] out, int ldo, int row) {
        DoubleVector c00 = DoubleVector.zero(DOUBLES);
        DoubleVector c01 = c00, c02 = c00, c03 = c00, c10 = c00, c11 = c00, c12 = c00, c13 = c00, c20 = c00, c21 = c00, c22 = c00, c23 = c00;
        int step = DOUBLES.length();
        int a0 = (p + 0) * depth * step;
        int a1 = (p + 1) * depth * step;
        int a2 = (p + 2) * depth * step;
        int x0 = (n0 + 0) * depth;
        int x1 = (n0 + 1) * depth;
        int x2 = (n0 + 2) * depth;
        int x3 = (n0 + 3) * depth;
        for (int k = k0; k < k1; k++) {
            DoubleVector u0 = DoubleVector.fromArray(DOUBLES, a, a0 + k * step);
            DoubleVector u1 = DoubleVector.fromArray(DOUBLES, a, a1 + k * step);
            DoubleVector u2 = DoubleVector.fromArray(DOUBLES, a, a2 + k * step);
            DoubleVector b0 = DoubleVector.broadcast(DOUBLES, x[x0 + k]);
            c00 = u0.fma(b0, c00);
            c10 = u1.fma(b0, c10);
            c20 = u2.fma(b0, c20);
            DoubleVector b1 = DoubleVector.broadcast(DOUBLES, x[x1 + k]);
            c01 = u0.fma(b1, c01);
            c11 = u1.fma(b1, c11);
            c21 = u2.fma(b1, c21);
            DoubleVector b2 = DoubleVector.broadcast(DOUBLES, x[x2 + k]);
            c02 = u0.fma(b2, c02);
            c12 = u1.fma(b2, c12);
            c22 = u2.fma(b2, c22);
            DoubleVector b3 = DoubleVector.broadcast(DOUBLES, x[x3 + k]);
            c03 = u0.fma(b3, c03);
            c13 = u1.fma(b3, c13);
            c23 = u2.fma(b3, c23);
        }
        int o00 = (n0 + 0) * ldo + row + 0 * step;
        DoubleVector.fromArray(DOUBLES, out, o00).add(c00).intoArray(out, o00);
        int o10 = (n0 + 0) * ldo + row + 1 * step;
        DoubleVector.fromArray(DOUBLES, out, o10).add(c10).intoArray(out, o10);
        int o20 = (n0 + 0) * ldo + row + 2 * step;
        DoubleVector.fromArray(DOUBLES, out, o20).add(c20).intoArray(out, o20);
        int o01 = (n0 + 1) * ldo + row + 0 * step;
        DoubleVector.fromArray(DOUBLES, out, o01).add(c01).intoArray(out, o01);
        int o11 = (n0 + 1) * ldo + row + 1 * step;
        DoubleVector.fromArray(DOUBLES, out, o11).add(c11).intoArray(out, o11);
        int o21 = (n0 + 1) * ldo + row + 2 * step;
        DoubleVector.fromArray(DOUBLES, out, o21).add(c21).intoArray(out, o21);
        int o02 = (n0 + 2) * ldo + row + 0 * step;
        DoubleVector.fromArray(DOUBLES, out, o02).add(c02).intoArray(out, o02);
        int o12 = (n0 + 2) * ldo + row + 1 * step;
        DoubleVector.fromArray(DOUBLES, out, o12).add(c12).intoArray(out, o12);
        int o22 = (n0 + 2) * ldo + row + 2 * step;
        DoubleVector.fromArray(DOUBLES, out, o22).add(c22).intoArray(out, o22);
        int o03 = (n0 + 3) * ldo + row + 0 * step;
        DoubleVector.fromArray(DOUBLES, out, o03).add(c03).intoArray(out, o03);
        int o13 = (n0 + 3) * ldo + row + 1 * step;
        DoubleVector.fromArray(DOUBLES, out, o13).add(c13).intoArray(out, o13);
        int o23 = (n0 + 3) * ldo + row + 2 * step;
        DoubleVector.fromArray(DOUBLES, out, o23).add(c23).intoArray(out, o23);
    }

    /** out[3 panels × 1 column(s)] += panels p… of A · x, over k in [k0, k1). */
    static void panels3x1(double[] a, int p, int depth, int k0, int k1, double[] x, int n0, double[] out, int ldo, int row) {
        DoubleVector c00 = DoubleVector.zero(DOUBLES);
        DoubleVector c10 = c00, c20 = c00;
        int step = DOUBLES.length();
        int a0 = (p + 0) * depth * step;
        int a1 = (p + 1) * depth * step;
        int a2 = (p + 2) * depth * step;
        int x0 = (n0 + 0) * depth;
        for (int k = k0; k < k1; k++) {
            DoubleVector u0 = DoubleVector.fromArray(DOUBLES, a, a0 + k * step);
            DoubleVector u1 = DoubleVector.fromArray(DOUBLES, a, a1 + k * step);
            DoubleVector u2 = DoubleVector.fromArray(DOUBLES, a, a2 + k * step);
            DoubleVector b0 = DoubleVector.broadcast(DOUBLES, x[x0 + k]);
            c00 = u0.fma(b0, c00);
            c10 = u1.fma(b0, c10);
            c20 = u2.fma(b0, c20);
        }
        int o00 = (n0 + 0) * ldo + row + 0 * step;
        DoubleVector.fromArray(DOUBLES, out, o00).add(c00).intoArray(out, o00);
        int o10 = (n0 + 0) * ldo + row + 1 * step;
        DoubleVector.fromArray(DOUBLES, out, o10).add(c10).intoArray(out, o10);
        int o20 = (n0 + 0) * ldo + row + 2 * step;
        DoubleVector.fromArray(DOUBLES, out, o20).add(c20).intoArray(out, o20);
    }

    /** out[1 panels × 4 column(s)] += panels p… of A · x, over k in [k0, k1). */
    static void panels1x4(double[] a, int p, int depth, int k0, int k1, double[] x, int n0, double[] out, int ldo, int row) {
        DoubleVector c00 = DoubleVector.zero(DOUBLES);
        DoubleVector c01 = c00, c02 = c00, c03 = c00;
        int step = DOUBLES.length();
        int a0 = (p + 0) * depth * step;
        int x0 = (n0 + 0) * depth;
        int x1 = (n0 + 1) * depth;
        int x2 = (n0 + 2) * depth;
        int x3 = (n0 + 3) * depth;
        for (int k = k0; k < k1; k++) {
            DoubleVector u0 = DoubleVector.fromArray(DOUBLES, a, a0 + k * step);
            DoubleVector b0 = DoubleVector.broadcast(DOUBLES, x[x0 + k]);
            c00 = u0.fma(b0, c00);
            DoubleVector b1 = DoubleVector.broadcast(DOUBLES, x[x1 + k]);
            c01 = u0.fma(b1, c01);
            DoubleVector b2 = DoubleVector.broadcast(DOUBLES, x[x2 + k]);
            c02 = u0.fma(b2, c02);
            DoubleVector b3 = DoubleVector.broadcast(DOUBLES, x[x3 + k]);
            c03 = u0.fma(b3, c03);
        }
        int o00 = (n0 + 0) * ldo + row + 0 * step;
        DoubleVector.fromArray(DOUBLES, out, o00).add(c00).intoArray(out, o00);
        int o01 = (n0 + 1) * ldo + row + 0 * step;
        DoubleVector.fromArray(DOUBLES, out, o01).add(c01).intoArray(out, o01);
        int o02 = (n0 + 2) * ldo + row + 0 * step;
        DoubleVector.fromArray(DOUBLES, out, o02).add(c02).intoArray(out, o02);
        int o03 = (n0 + 3) * ldo + row + 0 * step;
        DoubleVector.fromArray(DOUBLES, out, o03).add(c03).intoArray(out, o03);
    }

    /** out[1 panels × 1 column(s)] += panels p… of A · x, over k in [k0, k1). */
    static void panels1x1(double[] a, int p, int depth, int k0, int k1, double[] x, int n0, double[] out, int ldo, int row) {
        DoubleVector c00 = DoubleVector.zero(DOUBLES);
        int step = DOUBLES.length();
        int a0 = (p + 0) * depth * step;
        int x0 = (n0 + 0) * depth;
        for (int k = k0; k < k1; k++) {
            DoubleVector u0 = DoubleVector.fromArray(DOUBLES, a, a0 + k * step);
            DoubleVector b0 = DoubleVector.broadcast(DOUBLES, x[x0 + k]);
            c00 = u0.fma(b0, c00);
        }
        int o00 = (n0 + 0) * ldo + row + 0 * step;
        DoubleVector.fromArray(DOUBLES, out, o00).add(c00).intoArray(out, o00);
    }
}
