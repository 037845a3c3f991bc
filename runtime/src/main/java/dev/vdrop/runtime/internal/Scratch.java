package dev.vdrop.runtime.internal;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;

/**
 * One thread's scratch arrays for the vector kernels, grown on demand and kept: the kernels copy
 * the columns they work on out of the native buffers into these, compute there and copy back
 * ({@link VectorKernels} says why).
 *
 * <p>Slots, one array of each kind (float32, float64) per slot:
 * <ul>
 *   <li>operand slots 0 to {@link #OPERANDS} − 1, for an element-wise kernel: each numbers the
 *       arrays it holds 0, 1, 2, … in the order it takes them (the cells' kernels in the order of
 *       their parameters);
 *   <li>the panel product's two, {@link #panelFloats} and {@link #panelMaskFloats} (and their
 *       float64 twins). The mask's array is the last operand slot: the panel product and the
 *       element-wise kernels never run inside one another on one thread, so they never need it at
 *       the same time, and sharing it keeps one array fewer per thread.
 * </ul>
 * A kernel that calls another kernel holding scratch arrays must not use the slots that one uses;
 * none does today (the exp's tail has arrays of its own, {@link #tailFloats}).
 */
final class Scratch {
    /** This thread's arrays. */
    static final ThreadLocal<Scratch> OF_THREAD = ThreadLocal.withInitial(Scratch::new);

    /** Operand slots an element-wise kernel may use: 0 to {@code OPERANDS − 1}. */
    static final int OPERANDS = 7;
    /** The panel product's column(s) of op(A) while it packs, and its share of C while it multiplies. */
    private static final int PANEL = OPERANDS;
    /** The panel product's mask values while it packs: the last operand slot (see the class comment). */
    private static final int PANEL_MASK = OPERANDS - 1;

    private final float[][] floats = new float[OPERANDS + 1][0];
    private final double[][] doubles = new double[OPERANDS + 1][0];
    /** The last, part-filled lane group of an exp, padded to a whole one ({@link VectorExp}). */
    final float[] tailFloats = new float[FloatVector.SPECIES_PREFERRED.length()];
    final double[] tailDoubles = new double[DoubleVector.SPECIES_PREFERRED.length()];

    /** The float32 array of slot {@code slot}, at least {@code size} long (contents undefined). */
    float[] floats(int slot, int size) {
        if (floats[slot].length < size) {
            floats[slot] = new float[size];
        }
        return floats[slot];
    }

    /** The float64 array of slot {@code slot}, at least {@code size} long (contents undefined). */
    double[] doubles(int slot, int size) {
        if (doubles[slot].length < size) {
            doubles[slot] = new double[size];
        }
        return doubles[slot];
    }

    /** The panel product's float32 array, at least {@code size} long. */
    float[] panelFloats(int size) {
        return floats(PANEL, size);
    }

    /** The panel product's float64 array, at least {@code size} long. */
    double[] panelDoubles(int size) {
        return doubles(PANEL, size);
    }

    /** The panel product's float32 array for mask values, at least {@code size} long. */
    float[] panelMaskFloats(int size) {
        return floats(PANEL_MASK, size);
    }

    /** The panel product's float64 array for mask values, at least {@code size} long. */
    double[] panelMaskDoubles(int size) {
        return doubles(PANEL_MASK, size);
    }
}
