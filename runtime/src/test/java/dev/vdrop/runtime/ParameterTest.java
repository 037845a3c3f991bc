package dev.vdrop.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.vdrop.runtime.internal.Blas;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The lazily cleared gradient: reads as zeros after zeroing, and the first whole write may skip the
 * clearing; a gradient written by columns (an embedding's) is normed, stepped and cleared by column.
 */
class ParameterTest {
    @Test
    void aZeroedGradientReadsAsZeros() {
        Parameter p = new Parameter("w", Mat.zeros(DataType.FLOAT, 3, 2));
        p.gradient().fill(5);
        Gradients.zero(List.of(p));
        assertEquals(0, Blas.norm(p.gradient()), 0);
        assertEquals(1, p.gradientBeta(), 0, "cleared by the read above: a product must now add");
    }

    @Test
    void theFirstWholeWriteAfterZeroingOverwrites() {
        Parameter p = new Parameter("w", Mat.zeros(DataType.DOUBLE, 2, 2));
        Mat a = Mat.zeros(DataType.DOUBLE, 2, 1);
        a.fill(1);
        p.gradient().fill(7);
        Gradients.zero(List.of(p));
        // first write: β = 0, the stale 7s are overwritten; second: β = 1, it adds
        Blas.gemm(false, true, 1, a, a, p.gradientBeta(), p.gradient());
        assertEquals(1, p.gradient().get(1, 0), 0);
        Blas.gemm(false, true, 1, a, a, p.gradientBeta(), p.gradient());
        assertEquals(2, p.gradient().get(1, 0), 0);
        Gradients.zero(List.of(p));
        Gradients.sgdStep(List.of(p), 1, 0);
        assertEquals(0, p.value().get(1, 0), 0, "a step right after zeroing sees a zero gradient");
    }

    /**
     * Columns written through gradientColumns(): the norm and the SGD step agree with the dense
     * definitions computed here element by element, and zeroing clears the written columns, over
     * three passes with different words (so a column left over from the pass before would show).
     */
    @Test
    void aGradientWrittenByColumnsIsNormedSteppedAndClearedLikeADenseOne() {
        int rows = 5;
        int cols = 80;
        Parameter p = new Parameter("E", Mat.zeros(DataType.FLOAT, rows, cols));
        p.initUniform(new Rng(3), 1);
        Rng rng = new Rng(9);
        for (int pass = 0; pass < 3; pass++) {
            Gradients.zero(List.of(p));
            Mat g = p.gradientColumns();
            int[] words = {pass, 7 + pass, 7 + pass, 40 + 2 * pass};
            for (int word : words) {
                p.columnWritten(word);
                for (int r = 0; r < rows; r++) {
                    g.set(r, word, g.get(r, word) + rng.uniform(-1, 1));
                }
            }
            assertNotNull(p.gradientColumnsWritten(), "a few columns written: tracked");
            assertEquals(3, p.gradientColumnsWritten().length);
            double squares = 0;
            double[][] expected = new double[rows][cols];
            for (int c = 0; c < cols; c++) {
                for (int r = 0; r < rows; r++) {
                    double x = p.gradientBuffer().get(r, c);
                    squares += x * x;
                    expected[r][c] = p.value().get(r, c) - 0.5 * 0.25 * x;
                }
            }
            assertEquals(Math.sqrt(squares), Gradients.globalNorm(List.of(p)), 1e-6 * Math.sqrt(squares));
            Gradients.sgdStep(List.of(p), 0.5, 0, 0.25);
            for (int c = 0; c < cols; c++) {
                for (int r = 0; r < rows; r++) {
                    assertEquals(expected[r][c], p.value().get(r, c), 1e-6, "(" + r + ", " + c + ") after pass " + pass);
                }
            }
        }
        Gradients.zero(List.of(p));
        assertEquals(0, Blas.norm(p.gradientBuffer()), 0, "zeroing cleared the written columns in the buffer itself");
        assertEquals(0, Gradients.globalNorm(List.of(p)), 0);
    }

    /** Once a dense writer had the buffer (a tied decoder's product, an optimiser), every column counts again. */
    @Test
    void aDenseWriteEndsTheColumnTracking() {
        Parameter p = new Parameter("E", Mat.zeros(DataType.DOUBLE, 3, 40));
        Gradients.zero(List.of(p));
        p.gradientColumns();
        p.columnWritten(2);
        p.gradientColumns().set(0, 2, 3);
        p.gradient().set(1, 30, 4);
        assertNull(p.gradientColumnsWritten());
        assertEquals(5, Gradients.globalNorm(List.of(p)), 1e-12);
        Gradients.zero(List.of(p));
        p.gradientColumns().set(0, 5, 12);
        p.columnWritten(5);
        assertEquals(12, Gradients.globalNorm(List.of(p)), 1e-12, "the stale (1, 30) and (0, 2) were cleared");
    }

    /** A pass that writes most columns makes zeroing a whole clear again; the result is the same. */
    @Test
    void manyWrittenColumnsAreClearedWhole() {
        Parameter p = new Parameter("E", Mat.zeros(DataType.FLOAT, 2, 16));
        Gradients.zero(List.of(p));
        Mat g = p.gradientColumns();
        for (int c = 0; c < 16; c++) {
            p.columnWritten(c);
            g.set(1, c, 1);
        }
        assertEquals(4, Gradients.globalNorm(List.of(p)), 1e-6);
        Gradients.zero(List.of(p));
        assertNull(p.gradientColumnsWritten(), "left to the lazy clear");
        assertEquals(0, Blas.norm(p.gradient()), 0);
    }
}
