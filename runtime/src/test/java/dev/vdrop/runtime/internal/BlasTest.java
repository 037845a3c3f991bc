package dev.vdrop.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vdrop.runtime.Mat;
import dev.vdrop.runtime.Rng;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;

class BlasTest {
    @ParameterizedTest
    @CsvSource({"DOUBLE", "FLOAT"})
    void wrongShapesAreRejected(DataType type) {
        Mat a = Mat.zeros(type, 2, 3);
        Mat b = Mat.zeros(type, 4, 2);
        Mat c = Mat.zeros(type, 2, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Blas.gemm(false, false, 1, a, b, 0, c));
        assertEquals("gemm shapes do not fit: op(A) 2 × 3, op(B) 4 × 2, C 2 × 2", e.getMessage());
    }

    /** The norm of matrices small and large (summed in parts over the cores) against a sum in Java. */
    @ParameterizedTest
    @CsvSource({"FLOAT,7,3", "DOUBLE,7,3", "FLOAT,1031,1029", "DOUBLE,1031,1029"})
    void normIsTheRootOfTheSumOfSquares(DataType type, int rows, int cols) {
        Mat m = random(type, rows, cols, new Rng(rows));
        double squares = 0;
        for (int c = 0; c < cols; c++) {
            for (int r = 0; r < rows; r++) {
                squares += m.get(r, c) * m.get(r, c);
            }
        }
        // OpenBLAS's dsdot kernel sums in blocks that do not keep every bit of the double sum
        double relative = type == DataType.FLOAT ? 1e-9 : 1e-12;
        assertEquals(Math.sqrt(squares), Blas.norm(m), relative * Math.sqrt(squares));
    }

    /**
     * Row sums added into a column (bias gradients) against a loop: A a column block of a wider
     * matrix (offset and leading dimension), y not zero; a wider A after a narrow one needs more ones.
     */
    @ParameterizedTest
    @CsvSource({"FLOAT,37,5", "FLOAT,300,900", "DOUBLE,37,5", "DOUBLE,300,900"})
    void rowSumsAreAddedToTheColumn(DataType type, int rows, int cols) {
        Rng rng = new Rng(cols);
        Mat wide = random(type, rows, cols + 7, rng);
        Mat a = wide.columns(3, cols);
        Mat y = random(type, rows, 1, rng);
        double[] expected = new double[rows];
        for (int r = 0; r < rows; r++) {
            expected[r] = y.get(r, 0);
            for (int c = 0; c < cols; c++) {
                expected[r] += a.get(r, c);
            }
        }
        Blas.addRowSums(y, a);
        double tolerance = (type == DataType.FLOAT ? 1e-5 : 1e-12) * Math.sqrt(cols);
        for (int r = 0; r < rows; r++) {
            assertEquals(expected[r], y.get(r, 0), tolerance, "row " + r);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Blas.addRowSums(Mat.zeros(type, rows + 1, 1), a));
        assertEquals("row sums of " + rows + " × " + cols + " " + type + " do not fit into " + (rows + 1) + " × 1 " + type,
                e.getMessage());
    }

    static Mat random(DataType type, int rows, int cols, Rng rng) {
        Mat m = Mat.zeros(type, rows, cols);
        for (int c = 0; c < cols; c++) {
            for (int r = 0; r < rows; r++) {
                m.set(r, c, rng.uniform(-1, 1));
            }
        }
        return m;
    }
}
