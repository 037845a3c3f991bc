package dev.vdrop.runtime.internal;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * e^x in SIMD lanes, on arrays, for the vector kernels' σ, tanh and softmax: from additions,
 * multiplications, fused multiply-adds and bit shifts only. The incubator's {@code EXP} and
 * {@code TANH} are faster still, but their results depend on whether the JIT has compiled the loop
 * yet (intrinsic or Java fallback), and a run must not depend on that; IEEE +, ×, fma and bit moves
 * give the same bits either way.
 */
final class VectorExp {
    private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> DOUBLES = DoubleVector.SPECIES_PREFERRED;

    private VectorExp() {}

    /** 1.5 · 2^23: adding it rounds a float to an integer, kept in the low bits of the mantissa. */
    private static final float ROUND_F = 0x1.8p23f;
    private static final int ROUND_F_BITS = Float.floatToRawIntBits(ROUND_F);
    private static final double ROUND_D = 0x1.8p52;
    private static final long ROUND_D_BITS = Double.doubleToRawLongBits(ROUND_D);

    /**
     * x ← e^{x + shift}, lane by lane: e^v = 2^n · e^r with n = round(v / ln 2) and r = v − n ln 2
     * (ln 2 in two parts, Cody and Waite), |r| ≤ ln 2 / 2, e^r by its Taylor polynomial of degree 7
     * (truncation error below 10⁻⁸), v clamped to [−87, 88] where 2^n stays a normal float. The
     * only place the vector exp is written out: the loops around it pass arrays, never vectors, so a
     * call the JIT does not inline costs a call, not a boxed vector per lane group.
     */
    static void expRows(float[] x, int x0, int count, float shift) {
        expRows(x, x0, count, shift, null);
    }

    /**
     * {@link #expRows(float[], int, int, float)}, and the sum of the results lane by lane into
     * {@code laneSums} unless it is null (the tail's values are not in it).
     */
    static void expRows(float[] x, int x0, int count, float shift, float[] laneSums) {
        int whole = FLOATS.loopBound(count);
        expLanes(x, x0, whole, shift, laneSums);
        if (whole < count) {
            // the last few values through the same lanes, padded: a value's exp does not depend on
            // where it falls in the array, and a short row (200 units) does not pay for scalar exps
            float[] tail = Scratch.OF_THREAD.get().tailFloats;
            System.arraycopy(x, x0 + whole, tail, 0, count - whole);
            expLanes(tail, 0, tail.length, shift, null);
            System.arraycopy(tail, 0, x, x0 + whole, count - whole);
        }
    }

    /** x ← e^{x + shift} for the {@code whole} (a multiple of the lanes) values from x[x0]; their lane-wise sums into laneSums unless null. */
    private static void expLanes(float[] x, int x0, int whole, float shift, float[] laneSums) {
        // constants as vectors once, outside the loop; the clamp as compare and blend, which
        // compiles to two instructions where max and min (Java's NaN and −0 rules) take several
        FloatVector low = FloatVector.broadcast(FLOATS, -87f);
        FloatVector high = FloatVector.broadcast(FLOATS, 88f);
        FloatVector lnTwoHigh = FloatVector.broadcast(FLOATS, -0.693359375f);
        FloatVector lnTwoLow = FloatVector.broadcast(FLOATS, 2.12194440e-4f);
        FloatVector one = FloatVector.broadcast(FLOATS, 1f);
        FloatVector half = FloatVector.broadcast(FLOATS, 1f / 2);
        FloatVector sixth = FloatVector.broadcast(FLOATS, 1f / 6);
        FloatVector c4 = FloatVector.broadcast(FLOATS, 1f / 24);
        FloatVector c5 = FloatVector.broadcast(FLOATS, 1f / 120);
        FloatVector totals = FloatVector.zero(FLOATS);
        for (int j = 0; j < whole; j += FLOATS.length()) {
            FloatVector v = FloatVector.fromArray(FLOATS, x, x0 + j).add(shift);
            v = v.blend(low, v.lt(low)).blend(high, v.compare(VectorOperators.GT, high));
            FloatVector t = v.fma(1.44269504f, ROUND_F);
            FloatVector n = t.sub(ROUND_F);
            // r = v − n ln 2: the high part of ln 2 (exact in n's few bits), then the low part
            FloatVector r = n.fma(lnTwoLow, n.fma(lnTwoHigh, v));
            // Horner, each step one fused multiply-add: 1 + r(1 + r(1/2 + r(1/6 + … + r/5040)))
            FloatVector p = r.fma(1f / 5040, 1f / 720).fma(r, c5).fma(r, c4).fma(r, sixth).fma(r, half).fma(r, one).fma(r, one);
            FloatVector twoToN = ((IntVector) t.reinterpretAsInts()).sub(ROUND_F_BITS - 127)
                    .lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            FloatVector e = p.mul(twoToN);
            e.intoArray(x, x0 + j);
            totals = totals.add(e);
        }
        if (laneSums != null) {
            totals.intoArray(laneSums, 0);
        }
    }

    /** x ← e^{x + shift} in float64: the Taylor polynomial of degree 13 (error below 10⁻¹⁷), v in [−708, 709]. */
    static void expRows(double[] x, int x0, int count, double shift) {
        int whole = DOUBLES.loopBound(count);
        expLanes(x, x0, whole, shift);
        if (whole < count) {
            double[] tail = Scratch.OF_THREAD.get().tailDoubles;
            System.arraycopy(x, x0 + whole, tail, 0, count - whole);
            expLanes(tail, 0, tail.length, shift);
            System.arraycopy(tail, 0, x, x0 + whole, count - whole);
        }
    }

    private static void expLanes(double[] x, int x0, int whole, double shift) {
        DoubleVector low = DoubleVector.broadcast(DOUBLES, -708);
        DoubleVector high = DoubleVector.broadcast(DOUBLES, 709);
        DoubleVector lnTwoHigh = DoubleVector.broadcast(DOUBLES, -0.6931471803691238);
        DoubleVector lnTwoLow = DoubleVector.broadcast(DOUBLES, -1.9082149292705877e-10);
        for (int j = 0; j < whole; j += DOUBLES.length()) {
            DoubleVector v = DoubleVector.fromArray(DOUBLES, x, x0 + j).add(shift);
            v = v.blend(low, v.lt(low)).blend(high, v.compare(VectorOperators.GT, high));
            DoubleVector t = v.fma(1.4426950408889634, ROUND_D);
            DoubleVector n = t.sub(ROUND_D);
            DoubleVector r = n.fma(lnTwoLow, n.fma(lnTwoHigh, v));
            DoubleVector p = DoubleVector.broadcast(DOUBLES, 1.0 / FACTORIALS[13]);
            for (int k = 12; k >= 0; k--) {
                p = p.fma(r, DoubleVector.broadcast(DOUBLES, 1.0 / FACTORIALS[k]));
            }
            DoubleVector twoToN = ((LongVector) t.reinterpretAsLongs()).sub(ROUND_D_BITS - 1023)
                    .lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
            p.mul(twoToN).intoArray(x, x0 + j);
        }
    }

    private static final double[] FACTORIALS = factorials(13);

    private static double[] factorials(int n) {
        double[] f = new double[n + 1];
        f[0] = 1;
        for (int k = 1; k <= n; k++) {
            f[k] = f[k - 1] * k;
        }
        return f;
    }
}
