package dev.vdrop.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;

class MatTest {
    /**
     * zero() and fill() on column blocks of a wider matrix, small ones (bulk copies of zeros, more
     * rows than one copy holds) and large ones (one native call): the block changes, its neighbours
     * do not.
     */
    @ParameterizedTest
    @CsvSource({"FLOAT,1500,3", "DOUBLE,1500,3", "FLOAT,700,100", "DOUBLE,700,100"})
    void zeroAndFillChangeTheBlockAlone(DataType type, int rows, int cols) {
        Mat wide = random(type, rows, cols + 2, new Rng(rows + cols));
        Mat before = random(type, rows, cols + 2, new Rng(1));
        before.copyFrom(wide);
        Mat block = wide.columns(1, cols);
        block.zero();
        check(wide, before, 0, rows, cols);
        block.fill(0.25);
        check(wide, before, 0.25, rows, cols);
    }

    private static void check(Mat wide, Mat before, double inside, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            assertEquals(before.get(r, 0), wide.get(r, 0), 0.0, "left of the block, row " + r);
            assertEquals(before.get(r, cols + 1), wide.get(r, cols + 1), 0.0, "right of the block, row " + r);
            for (int c = 1; c <= cols; c++) {
                assertEquals(inside, wide.get(r, c), 0.0, "(" + r + ", " + c + ")");
            }
        }
    }

    private static Mat random(DataType type, int rows, int cols, Rng rng) {
        Mat m = Mat.zeros(type, rows, cols);
        for (int c = 0; c < cols; c++) {
            for (int r = 0; r < rows; r++) {
                m.set(r, c, rng.uniform(-1, 1));
            }
        }
        return m;
    }
}
