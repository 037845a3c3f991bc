package dev.vdrop.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vdrop.runtime.Mat;
import dev.vdrop.runtime.Rng;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * {@link Blas} against sums written out here in double precision, never against BLAS itself.
 *
 * <p>Tolerances come from the standard bound on a dot product of k terms in floating point
 * (Higham, <i>Accuracy and Stability of Numerical Algorithms</i>, §3.1): |fl(Σ a_i b_i) − Σ a_i b_i|
 * ≤ γ_k Σ |a_i b_i| with γ_k = k·u/(1 − k·u), u the unit round-off of the matrices' type (2^-24 for
 * float32, 2^-53 for float64). Whatever order the kernel sums in and however a product is split,
 * {@code C = α op(A) op(B) + β C} then lies within (k + 2)·u·(|α| Σ_p |a_ip b_pj| + |β c_ij|) of the
 * exact value (two more roundings: α's product and β's sum), which the oracle computes from the same
 * float32 or float64 inputs in double. Bugs of the kind this guards against — a wrong offset, leading
 * dimension, transposition, a k-slice lost or counted twice, β applied twice or read when 0 — move
 * an element by a whole term (|a b| ≈ 0.25 on average here) or more: far above the float64 bound
 * (at most 2102 · 2^-53 · 2 · 2100 ≈ 1e-9), and above the float32 one for all but the smallest terms.
 */
class BlasTest {
    /** Unit round-off of a matrix type. */
    static double roundOff(DataType type) {
        return type == DataType.FLOAT ? 0x1p-24 : 0x1p-53;
    }

    /**
     * Shapes (m, n, k) of C = op(A)·op(B): small (one thread), and products from 2^21
     * multiply-adds on, which {@link Blas#gemm} splits over the cores: by rows (m ≥ n), by columns
     * (n > m), and along k (k ≥ 4·max(m, n)), the second deep one larger than the first so that the
     * parts' own buffers grow; with α and β among 1 and 0 (C full of NaN: β = 0 must not read it),
     * 2 and 0.5, −0.5 and −2, 0.25 and 1.
     */
    static Stream<Arguments> products() {
        List<Arguments> all = new ArrayList<>();
        int[][] shapes = {{5, 3, 4}, {1, 7, 9}, {300, 100, 80}, {90, 310, 80}, {40, 30, 2000}, {64, 50, 2100}};
        double[][] coefficients = {{1, 0}, {2, 0.5}, {-0.5, -2}, {0.25, 1}};
        for (DataType type : List.of(DataType.FLOAT, DataType.DOUBLE)) {
            for (int[] shape : shapes) {
                for (double[] ab : coefficients) {
                    all.add(Arguments.of(type, shape[0], shape[1], shape[2], ab[0], ab[1]));
                }
            }
        }
        return all.stream();
    }

    /**
     * Every transposition of A and B; A, B and C views into larger matrices (an offset, and a
     * leading dimension greater than their rows); what lies outside C's view keeps its bits.
     */
    @ParameterizedTest(name = "{0} m={1} n={2} k={3} α={4} β={5}")
    @MethodSource("products")
    void gemmMatchesATripleLoop(DataType type, int m, int n, int k, double alpha, double beta) {
        for (boolean transA : new boolean[] {false, true}) {
            for (boolean transB : new boolean[] {false, true}) {
                Rng rng = new Rng(m * 31L + n * 7L + k);
                Mat a = view(type, transA ? k : m, transA ? m : k, rng);
                Mat b = view(type, transB ? n : k, transB ? k : n, rng);
                Mat outer = random(type, m + 3, n + 2, rng);
                Mat c = outer.rows(2, m).columns(1, n);
                if (beta == 0) {
                    c.fill(Double.NaN);
                }
                double[][] before = toArray(outer);
                double[][] aa = toArray(a);
                double[][] bb = toArray(b);
                String what = " with transA " + transA + ", transB " + transB;

                Blas.gemm(transA, transB, alpha, a, b, beta, c);

                double u = roundOff(type);
                for (int j = 0; j < n; j++) {
                    for (int i = 0; i < m; i++) {
                        double sum = 0;
                        double magnitude = 0;
                        for (int p = 0; p < k; p++) {
                            double term = (transA ? aa[p][i] : aa[i][p]) * (transB ? bb[j][p] : bb[p][j]);
                            sum += term;
                            magnitude += Math.abs(term);
                        }
                        double old = beta == 0 ? 0 : before[i + 2][j + 1];
                        double expected = alpha * sum + beta * old;
                        double bound = (k + 2) * u * (Math.abs(alpha) * magnitude + Math.abs(beta * old)) + Double.MIN_NORMAL;
                        int row = i;
                        int col = j;
                        assertEquals(expected, c.get(i, j), bound, () -> "C(" + row + ", " + col + ")" + what);
                    }
                }
                assertOutsideUntouched(before, outer, 2, m, 1, n, what);
            }
        }
    }

    /** k = 0: C = β·C, and 0 (not NaN) for β = 0 on a C of NaN. */
    @ParameterizedTest
    @CsvSource({"FLOAT", "DOUBLE"})
    void anEmptyProductScalesCOrClearsIt(DataType type) {
        Rng rng = new Rng(3);
        Mat a = Mat.zeros(type, 4, 0);
        Mat b = Mat.zeros(type, 0, 3);
        Mat c = view(type, 4, 3, rng);
        double[][] old = toArray(c);
        Blas.gemm(false, false, 1, a, b, 0.5, c);
        for (int j = 0; j < 3; j++) {
            for (int i = 0; i < 4; i++) {
                assertEquals(0.5 * old[i][j], c.get(i, j), 0.0, "β·C at (" + i + ", " + j + ")");
            }
        }
        c.fill(Double.NaN);
        Blas.gemm(false, false, 1, a, b, 0, c);
        for (int j = 0; j < 3; j++) {
            for (int i = 0; i < 4; i++) {
                assertEquals(0.0, c.get(i, j), 0.0, "cleared at (" + i + ", " + j + ")");
            }
        }
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

    /**
     * y += α·x over small matrices and large ones (in parts over the cores), against a loop: each
     * element is within 2u·(|y| + |α x|) of the exact sum (one rounding for the product, one for
     * the sum, or one for a fused multiply-add).
     */
    @ParameterizedTest
    @CsvSource({"FLOAT,7,3", "DOUBLE,7,3", "FLOAT,1031,1029", "DOUBLE,1031,1029"})
    void axpyAddsEveryElement(DataType type, int rows, int cols) {
        Rng rng = new Rng(rows + cols);
        Mat x = random(type, rows, cols, rng);
        Mat y = random(type, rows, cols, rng);
        double[][] xs = toArray(x);
        double[][] before = toArray(y);
        Blas.axpy(-0.25, x, y);
        double u = roundOff(type);
        for (int c = 0; c < cols; c++) {
            for (int r = 0; r < rows; r++) {
                double expected = before[r][c] - 0.25 * xs[r][c];
                double bound = 2 * u * (Math.abs(before[r][c]) + Math.abs(0.25 * xs[r][c]));
                int row = r;
                int col = c;
                assertEquals(expected, y.get(r, c), bound, () -> "(" + row + "," + col + ")");
            }
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Blas.axpy(1, x, Mat.zeros(type, rows, cols + 1)));
        assertEquals("axpy needs two contiguous matrices of one shape and type, got " + rows + " × " + cols + " " + type
                + " and " + rows + " × " + (cols + 1) + " " + type, e.getMessage());
    }

    /**
     * y[:, c] += α·x[:, c] for the listed columns, in any order, on views with leading dimensions
     * of their own (x's and y's differ); the other columns, and what lies outside y's view, keep
     * their bits.
     */
    @ParameterizedTest
    @CsvSource({"FLOAT", "DOUBLE"})
    void axpyColumnsAddsTheListedColumnsOnly(DataType type) {
        Rng rng = new Rng(11);
        int rows = 37;
        int cols = 12;
        Mat x = view(type, rows, cols, rng);
        Mat outer = random(type, rows + 5, cols + 4, rng);
        Mat y = outer.rows(1, rows).columns(3, cols);
        double[][] xs = toArray(x);
        double[][] before = toArray(outer);
        int[] listed = {7, 0, 11, 3};
        Blas.axpyColumns(1.5, x, y, listed);
        double u = roundOff(type);
        for (int c = 0; c < cols; c++) {
            boolean added = List.of(7, 0, 11, 3).contains(c);
            for (int r = 0; r < rows; r++) {
                double old = before[r + 1][c + 3];
                if (added) {
                    double bound = 2 * u * (Math.abs(old) + Math.abs(1.5 * xs[r][c]));
                    assertEquals(old + 1.5 * xs[r][c], y.get(r, c), bound, "listed column " + c + ", row " + r);
                } else {
                    assertEquals(old, y.get(r, c), 0.0, "column " + c + " is not listed, row " + r);
                }
            }
        }
        assertOutsideUntouched(before, outer, 1, rows, 3, cols, "");
    }

    /**
     * Σ x² over the listed columns of a view (offset, leading dimension greater than its rows),
     * and nothing from the others, against the sum of the squares here (exact in double for
     * float32 values). A column left out or counted twice moves it by ~rows/3 ≈ 18, a relative 0.3.
     */
    @ParameterizedTest
    @CsvSource({"FLOAT", "DOUBLE"})
    void sumOfSquaresOfColumnsSumsTheListedColumnsOnly(DataType type) {
        Rng rng = new Rng(12);
        int rows = 53;
        Mat m = view(type, rows, 20, rng);
        double[][] values = toArray(m);
        int[] listed = {19, 2, 8};
        double expected = 0;
        for (int c : listed) {
            for (int r = 0; r < rows; r++) {
                expected += values[r][c] * values[r][c];
            }
        }
        // OpenBLAS's dsdot may round each float32 product to float32 before its double sum (we see
        // ~6e-9 relative): u of the matrix type per term, plus the double sum's own n·2^-53
        double n = rows * listed.length;
        assertEquals(expected, Blas.sumOfSquaresOfColumns(m, listed), (roundOff(type) + (n + 1) * 0x1p-53) * expected);
        assertEquals(0.0, Blas.sumOfSquaresOfColumns(m, new int[0]), 0.0, "no columns, no sum");
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
     * Row sums added into a column (bias gradients) against a loop: A a block of a larger matrix
     * (offset, leading dimension greater than its rows), y not zero; large ones in parts over the
     * cores; a wider A after a narrow one needs more ones. Bound: a sum of cols + 1 terms.
     */
    @ParameterizedTest
    @CsvSource({"FLOAT,37,5", "FLOAT,300,900", "DOUBLE,37,5", "DOUBLE,300,900", "FLOAT,1100,1000"})
    void rowSumsAreAddedToTheColumn(DataType type, int rows, int cols) {
        Rng rng = new Rng(cols);
        Mat a = view(type, rows, cols, rng);
        Mat y = random(type, rows, 1, rng);
        double[][] values = toArray(a);
        double[] expected = new double[rows];
        double[] magnitude = new double[rows];
        for (int r = 0; r < rows; r++) {
            expected[r] = y.get(r, 0);
            magnitude[r] = Math.abs(y.get(r, 0));
            for (int c = 0; c < cols; c++) {
                expected[r] += values[r][c];
                magnitude[r] += Math.abs(values[r][c]);
            }
        }
        Blas.addRowSums(y, a);
        double u = roundOff(type);
        for (int r = 0; r < rows; r++) {
            assertEquals(expected[r], y.get(r, 0), (cols + 1) * u * magnitude[r], "row " + r);
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

    /** A random rows × cols view into a larger buffer: an offset, and a leading dimension of rows + 3. */
    static Mat view(DataType type, int rows, int cols, Rng rng) {
        return random(type, rows + 3, cols + 2, rng).rows(2, rows).columns(1, cols);
    }

    static double[][] toArray(Mat m) {
        double[][] out = new double[m.rows()][m.cols()];
        for (int c = 0; c < m.cols(); c++) {
            for (int r = 0; r < m.rows(); r++) {
                out[r][c] = m.get(r, c);
            }
        }
        return out;
    }

    /** Every element of {@code outer} outside rows [r0, r0 + rows) × columns [c0, c0 + cols) has its old bits. */
    private static void assertOutsideUntouched(double[][] before, Mat outer, int r0, int rows, int c0, int cols, String what) {
        for (int c = 0; c < outer.cols(); c++) {
            for (int r = 0; r < outer.rows(); r++) {
                boolean inside = r >= r0 && r < r0 + rows && c >= c0 && c < c0 + cols;
                if (!inside) {
                    int row = r;
                    int col = c;
                    assertEquals(before[r][c], outer.get(r, c), 0.0, () -> "outside the view at (" + row + ", " + col + ")" + what);
                }
            }
        }
    }
}
