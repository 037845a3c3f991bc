package dev.vdrop.runtime.internal;

import static dev.vdrop.runtime.internal.ColumnArrays.read;
import static dev.vdrop.runtime.internal.VectorExp.expRows;

import dev.vdrop.runtime.Mat;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * What the recurrent cells' vector kernels ({@link VectorLstmCell}, {@link VectorGruCell}) share:
 * the split of a step's columns over the cores, the copy of a step's operands into scratch arrays,
 * and σ and tanh of x + b on rows of those arrays (through {@link VectorExp}), float32 and float64
 * twins.
 */
final class VectorGates {
    private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> DOUBLES = DoubleVector.SPECIES_PREFERRED;

    /** Cells per step from which a step's cell update splits its columns over the cores. */
    private static final int CELL_PARALLEL_WORK = 1 << 13;

    private VectorGates() {}

    /** Columns [from, from + count) of a step: every column's cells depend on that column only. */
    interface ColumnRange {
        void run(int from, int count);
    }

    /**
     * Runs a step's columns through {@code floats} or {@code doubles}, by the type of {@code cells},
     * split over the cores when the step has many cells.
     *
     * @param cells the H × B matrix whose shape is the step's: H units, B columns
     */
    static void byColumns(Mat cells, ColumnRange floats, ColumnRange doubles) {
        ColumnRange range = cells.dataType() == DataType.FLOAT ? floats : doubles;
        int cols = cells.cols();
        int parts = (long) cells.rows() * cols >= CELL_PARALLEL_WORK ? Math.min(Parallel.THREADS, cols) : 1;
        if (parts <= 1) {
            range.run(0, cols);
            return;
        }
        Parallel.forEachPart(parts, part -> {
            int from = (int) ((long) cols * part / parts);
            int to = (int) ((long) cols * (part + 1) / parts);
            range.run(from, to - from);
        });
    }

    /**
     * A step's operands in this thread's {@link Scratch} arrays, operand k in slot k: the first
     * {@code reads} copied in (columns [from, from + count), column after column, or the whole of a
     * one-column matrix: a bias, or an operand of a one-column step, where the two are the same),
     * the others only sized, for results the caller writes back.
     *
     * @return the arrays, in the order of the operands
     */
    static float[][] stageFloats(int from, int count, int reads, Mat... operands) {
        Scratch scratch = Scratch.OF_THREAD.get();
        float[][] arrays = new float[operands.length][];
        for (int k = 0; k < operands.length; k++) {
            Mat m = operands[k];
            boolean whole = m.cols() == 1;
            arrays[k] = scratch.floats(k, m.rows() * (whole ? 1 : count));
            if (k < reads && whole) {
                read(m, arrays[k]);
            } else if (k < reads) {
                read(m, from, count, arrays[k]);
            }
        }
        return arrays;
    }

    /** {@link #stageFloats} in float64. */
    static double[][] stageDoubles(int from, int count, int reads, Mat... operands) {
        Scratch scratch = Scratch.OF_THREAD.get();
        double[][] arrays = new double[operands.length][];
        for (int k = 0; k < operands.length; k++) {
            Mat m = operands[k];
            boolean whole = m.cols() == 1;
            arrays[k] = scratch.doubles(k, m.rows() * (whole ? 1 : count));
            if (k < reads && whole) {
                read(m, arrays[k]);
            } else if (k < reads) {
                read(m, from, count, arrays[k]);
            }
        }
        return arrays;
    }

    /** x ← σ(x + b) for {@code count} elements from x[x0] and b[b0]: σ(v) = 1 / (1 + e^{−v}). */
    static void sigmoidRows(float[] x, int x0, float[] b, int b0, int count) {
        scaledSum(x, x0, b, b0, count, -1f);
        expRows(x, x0, count, 0f);
        logistic(x, x0, count, 1f, 0f);
    }

    /** x ← tanh(x + b): tanh(v) = 2 / (1 + e^{−2v}) − 1. */
    static void tanhRows(float[] x, int x0, float[] b, int b0, int count) {
        scaledSum(x, x0, b, b0, count, -2f);
        expRows(x, x0, count, 0f);
        logistic(x, x0, count, 2f, -1f);
    }

    /** x ← factor · (x + b). */
    static void scaledSum(float[] x, int x0, float[] b, int b0, int count, float factor) {
        int whole = FLOATS.loopBound(count);
        for (int j = 0; j < whole; j += FLOATS.length()) {
            FloatVector.fromArray(FLOATS, x, x0 + j).add(FloatVector.fromArray(FLOATS, b, b0 + j)).mul(factor)
                    .intoArray(x, x0 + j);
        }
        for (int j = whole; j < count; j++) {
            x[x0 + j] = factor * (x[x0 + j] + b[b0 + j]);
        }
    }

    /** x ← a / (1 + x) + c. */
    static void logistic(float[] x, int x0, int count, float a, float c) {
        FloatVector one = FloatVector.broadcast(FLOATS, 1f);
        FloatVector numerator = FloatVector.broadcast(FLOATS, a);
        int whole = FLOATS.loopBound(count);
        for (int j = 0; j < whole; j += FLOATS.length()) {
            numerator.div(FloatVector.fromArray(FLOATS, x, x0 + j).add(one)).add(c).intoArray(x, x0 + j);
        }
        for (int j = whole; j < count; j++) {
            x[x0 + j] = a / (1 + x[x0 + j]) + c;
        }
    }

    static void sigmoidRows(double[] x, int x0, double[] b, int b0, int count) {
        scaledSum(x, x0, b, b0, count, -1);
        expRows(x, x0, count, 0);
        logistic(x, x0, count, 1, 0);
    }

    static void tanhRows(double[] x, int x0, double[] b, int b0, int count) {
        scaledSum(x, x0, b, b0, count, -2);
        expRows(x, x0, count, 0);
        logistic(x, x0, count, 2, -1);
    }

    static void scaledSum(double[] x, int x0, double[] b, int b0, int count, double factor) {
        int whole = DOUBLES.loopBound(count);
        for (int j = 0; j < whole; j += DOUBLES.length()) {
            DoubleVector.fromArray(DOUBLES, x, x0 + j).add(DoubleVector.fromArray(DOUBLES, b, b0 + j)).mul(factor)
                    .intoArray(x, x0 + j);
        }
        for (int j = whole; j < count; j++) {
            x[x0 + j] = factor * (x[x0 + j] + b[b0 + j]);
        }
    }

    static void logistic(double[] x, int x0, int count, double a, double c) {
        DoubleVector one = DoubleVector.broadcast(DOUBLES, 1);
        DoubleVector numerator = DoubleVector.broadcast(DOUBLES, a);
        int whole = DOUBLES.loopBound(count);
        for (int j = 0; j < whole; j += DOUBLES.length()) {
            numerator.div(DoubleVector.fromArray(DOUBLES, x, x0 + j).add(one)).add(c).intoArray(x, x0 + j);
        }
        for (int j = whole; j < count; j++) {
            x[x0 + j] = a / (1 + x[x0 + j]) + c;
        }
    }
}
