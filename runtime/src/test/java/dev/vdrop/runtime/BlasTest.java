package dev.vdrop.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;

class BlasTest {
    @ParameterizedTest
    @CsvSource({"DOUBLE,false,false", "DOUBLE,true,false", "DOUBLE,false,true", "DOUBLE,true,true",
            "FLOAT,false,false", "FLOAT,true,true"})
    void gemmOnColumnViewsMatchesATripleLoop(DataType type, boolean transA, boolean transB) {
        Rng rng = new Rng(7);
        int m = 5;
        int k = 4;
        int n = 3;
        Mat a = random(type, transA ? k : m, transA ? m : k, rng);
        // B is a column block in the middle of a wider matrix: offset and leading dimension matter.
        Mat wide = random(type, transB ? n : k, transB ? k + 3 : n + 4, rng);
        Mat b = transB ? wide.columns(2, k) : wide.columns(3, n);
        Mat cWide = random(type, m, n + 2, rng);
        Mat c = cWide.columns(1, n);
        double[][] expected = new double[m][n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int p = 0; p < k; p++) {
                    sum += (transA ? a.get(p, i) : a.get(i, p)) * (transB ? b.get(j, p) : b.get(p, j));
                }
                expected[i][j] = 2 * sum + 0.5 * c.get(i, j);
            }
        }
        double untouchedLeft = cWide.get(2, 0);
        Blas.gemm(transA, transB, 2, a, b, 0.5, c);
        double tolerance = type == DataType.DOUBLE ? 1e-12 : 1e-5;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                assertEquals(expected[i][j], c.get(i, j), tolerance, "C(" + i + "," + j + ")");
            }
        }
        assertEquals(untouchedLeft, cWide.get(2, 0), 0.0, "columns outside the view are untouched");
    }

    /**
     * Products large enough to be split over the cores, against a triple loop: by rows (m ≥ n), by
     * columns, and deep ones (k ≥ 4 · max(m, n)) by depth, whose second part adds a buffer of its
     * own (a larger product after a smaller one grows it); A and B transposed or not, B and C
     * column blocks of wider matrices, beta ≠ 0.
     */
    @ParameterizedTest
    @CsvSource({"FLOAT,300,100,80", "FLOAT,90,310,80", "FLOAT,40,30,2000", "FLOAT,64,50,2100",
            "DOUBLE,300,100,80", "DOUBLE,90,310,80", "DOUBLE,40,30,2000"})
    void largeProductsSplitOverTheCoresMatchATripleLoop(DataType type, int m, int n, int k) {
        for (boolean transA : new boolean[] {false, true}) {
            for (boolean transB : new boolean[] {false, true}) {
                Rng rng = new Rng(m + n + k);
                Mat a = random(type, transA ? k : m, transA ? m : k, rng);
                Mat wide = random(type, transB ? n : k, transB ? k + 3 : n + 4, rng);
                Mat b = transB ? wide.columns(2, k) : wide.columns(3, n);
                Mat cWide = random(type, m, n + 2, rng);
                Mat c = cWide.columns(1, n);
                double[][] expected = new double[m][n];
                for (int j = 0; j < n; j++) {
                    for (int i = 0; i < m; i++) {
                        double sum = 0;
                        for (int p = 0; p < k; p++) {
                            sum += (transA ? a.get(p, i) : a.get(i, p)) * (transB ? b.get(j, p) : b.get(p, j));
                        }
                        expected[i][j] = 0.5 * sum - 2 * c.get(i, j);
                    }
                }
                double[] outside = new double[2 * m];
                for (int i = 0; i < m; i++) {
                    outside[i] = cWide.get(i, 0);
                    outside[m + i] = cWide.get(i, n + 1);
                }
                Blas.gemm(transA, transB, 0.5, a, b, -2, c);
                // float32 products of k terms of size ≤ 1: rounding grows like √k
                double tolerance = (type == DataType.DOUBLE ? 1e-12 : 1e-6) * Math.sqrt(k);
                for (int j = 0; j < n; j++) {
                    for (int i = 0; i < m; i++) {
                        assertEquals(expected[i][j], c.get(i, j), tolerance,
                                "C(" + i + "," + j + ") with transA " + transA + ", transB " + transB);
                    }
                }
                for (int i = 0; i < m; i++) {
                    assertEquals(outside[i], cWide.get(i, 0), 0.0, "left of the view, row " + i);
                    assertEquals(outside[m + i], cWide.get(i, n + 1), 0.0, "right of the view, row " + i);
                }
            }
        }
    }

    /** y += alpha · x over large matrices (in parts over the cores) and small ones, against a loop. */
    @ParameterizedTest
    @CsvSource({"FLOAT,7,3", "DOUBLE,7,3", "FLOAT,1031,1029", "DOUBLE,1031,1029"})
    void axpyAddsEveryElement(DataType type, int rows, int cols) {
        Rng rng = new Rng(rows + cols);
        Mat x = random(type, rows, cols, rng);
        Mat y = random(type, rows, cols, rng);
        Mat before = random(type, rows, cols, rng);
        before.copyFrom(y);
        Blas.axpy(-0.25, x, y);
        double tolerance = type == DataType.DOUBLE ? 1e-15 : 1e-6;
        for (int c = 0; c < cols; c++) {
            for (int r = 0; r < rows; r++) {
                assertEquals(before.get(r, c) - 0.25 * x.get(r, c), y.get(r, c), tolerance, "(" + r + "," + c + ")");
            }
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Blas.axpy(1, x, Mat.zeros(type, rows, cols + 1)));
        assertEquals("axpy needs two contiguous matrices of one shape and type, got " + rows + " × " + cols + " " + type
                + " and " + rows + " × " + (cols + 1) + " " + type, e.getMessage());
    }

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
