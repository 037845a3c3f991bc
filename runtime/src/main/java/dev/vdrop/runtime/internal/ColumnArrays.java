package dev.vdrop.runtime.internal;

import dev.vdrop.runtime.Mat;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

/**
 * Copies between a matrix's columns (any leading dimension) and a Java array holding them one
 * after another, for the vector kernels, which compute on arrays ({@link VectorKernels} says why):
 * one bulk copy per contiguous block, one per column otherwise.
 */
final class ColumnArrays {
    private ColumnArrays() {}

    /** Whether every matrix lies in a native buffer that {@link Mat#bytes()} can reach (int-indexed). */
    static boolean inBuffers(Mat... mats) {
        for (Mat m : mats) {
            if (m.bytes() == null) {
                return false;
            }
        }
        return true;
    }

    /** All of m into {@code to}, column after column. */
    static void read(Mat m, float[] to) {
        read(m, 0, m.cols(), to);
    }

    /** Columns [from, from + count) of m into {@code to}, column after column. */
    static void read(Mat m, int from, int count, float[] to) {
        FloatBuffer buffer = m.floats();
        if (m.isContiguous() || count == 1) {
            buffer.get(m.index(0, from), to, 0, m.rows() * count);
            return;
        }
        for (int c = 0; c < count; c++) {
            buffer.get(m.index(0, from + c), to, c * m.rows(), m.rows());
        }
    }

    /** {@code from}, column after column, into columns [at, at + count) of m. */
    static void write(float[] from, Mat m, int at, int count) {
        FloatBuffer buffer = m.floats();
        if (m.isContiguous() || count == 1) {
            buffer.put(m.index(0, at), from, 0, m.rows() * count);
            return;
        }
        for (int c = 0; c < count; c++) {
            buffer.put(m.index(0, at + c), from, c * m.rows(), m.rows());
        }
    }

    /** All of m into {@code to}, column after column. */
    static void read(Mat m, double[] to) {
        read(m, 0, m.cols(), to);
    }

    /** Columns [from, from + count) of m into {@code to}, column after column. */
    static void read(Mat m, int from, int count, double[] to) {
        DoubleBuffer buffer = m.doubles();
        if (m.isContiguous() || count == 1) {
            buffer.get(m.index(0, from), to, 0, m.rows() * count);
            return;
        }
        for (int c = 0; c < count; c++) {
            buffer.get(m.index(0, from + c), to, c * m.rows(), m.rows());
        }
    }

    /** {@code from}, column after column, into columns [at, at + count) of m. */
    static void write(double[] from, Mat m, int at, int count) {
        DoubleBuffer buffer = m.doubles();
        if (m.isContiguous() || count == 1) {
            buffer.put(m.index(0, at), from, 0, m.rows() * count);
            return;
        }
        for (int c = 0; c < count; c++) {
            buffer.put(m.index(0, at + c), from, c * m.rows(), m.rows());
        }
    }
}
