package dev.vdrop.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vdrop.runtime.Mat;
import dev.vdrop.runtime.Rng;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Both step products (panels in SIMD lanes, BLAS) against the sums written out here, on views with
 * offsets and leading dimensions of their own, with row counts that leave panels part-filled,
 * batches that leave columns after the groups of four, transposed and not, for every beta the
 * generated code uses, in both of the panels' orders (they alternate from product to product); and
 * the panels are rebuilt when a new matrix is loaded.
 */
class RecurrentWeightsTest {
    static Stream<Arguments> products() {
        List<Arguments> all = new ArrayList<>();
        for (DataType type : List.of(DataType.FLOAT, DataType.DOUBLE)) {
            double tolerance = type == DataType.FLOAT ? 1e-4 : 1e-12;
            for (boolean transposed : List.of(false, true)) {
                // rows × depth of op(A), batch: part-filled panels, one to many triples, parallel and not
                for (int[] size : List.of(new int[] {37, 11, 3}, new int[] {148, 37, 7}, new int[] {800, 200, 20},
                        new int[] {650, 2600, 5}, new int[] {53, 300, 1})) {
                    for (double beta : List.of(0.0, 1.0, 0.5)) {
                        all.add(Arguments.of(new PanelProduct(0), type, tolerance, transposed, size[0], size[1], size[2], beta,
                                false));
                    }
                    // weight drop: U ⊙ M laid out in the panels
                    all.add(Arguments.of(new PanelProduct(0), type, tolerance, transposed, size[0], size[1], size[2], 1.0,
                            true));
                }
                for (boolean masked : List.of(false, true)) {
                    all.add(Arguments.of(new StepProduct.ThroughBlas(), type, tolerance, transposed, 37, 11, 3, 1.0, masked));
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest
    @MethodSource("products")
    void multipliesLikeTheSum(StepProduct product, DataType type, double tolerance, boolean transposed,
            int rows, int depth, int batch, double beta, boolean masked) {
        Rng rng = new Rng(rows * 31L + depth);
        Mat a = view(type, transposed ? depth : rows, transposed ? rows : depth, rng);
        Mat mask = masked ? view(type, a.rows(), a.cols(), rng) : null;
        Mat x = view(type, depth, batch, rng);
        Mat c = view(type, rows, batch, rng);
        Mat before = copy(c);
        product.load(a, mask, transposed);
        // twice: the panels run first to last in one product and last to first in the next
        double[][] as = BlasTest.toArray(a);
        double[][] ms = masked ? BlasTest.toArray(mask) : null;
        double[][] xs = BlasTest.toArray(x);
        double[][] old = BlasTest.toArray(before);
        for (int round = 0; round < 2; round++) {
            c.copyFrom(before);
            product.multiply(x, beta, c);
            for (int j = 0; j < batch; j++) {
                for (int i = 0; i < rows; i++) {
                    double sum = beta * old[i][j];
                    for (int k = 0; k < depth; k++) {
                        int r = transposed ? k : i;
                        int col = transposed ? i : k;
                        sum += as[r][col] * (masked ? ms[r][col] : 1) * xs[k][j];
                    }
                    int which = round;
                    int row = i;
                    int column = j;
                    assertEquals(sum, c.get(i, j), tolerance * Math.sqrt(depth),
                            () -> "product " + which + " (" + row + ", " + column + ")");
                }
            }
        }
    }

    @Test
    void aNewLoadUsesTheNewMatrix() {
        Rng rng = new Rng(5);
        for (DataType type : List.of(DataType.FLOAT, DataType.DOUBLE)) {
            StepProduct product = new PanelProduct(0);
            Mat x = view(type, 40, 4, rng);
            Mat c = Mat.zeros(type, 70, 4);
            product.load(view(type, 70, 40, rng), null, false);
            product.multiply(x, 0, c);
            Mat second = view(type, 70, 40, rng);
            product.load(second, null, false);
            product.multiply(x, 0, c);
            assertProduct(second, x, c, tolerance(type, 40), "the second matrix");
        }
    }

    /**
     * Every product on a thread lays its panels out in one shared buffer: two products used in
     * turn (which generated code never does) must each still multiply their own matrix, and one
     * on another thread must not disturb them.
     */
    @Test
    void productsTakingTurnsOnAThreadEachMultiplyTheirOwnMatrix() throws Exception {
        Rng rng = new Rng(6);
        for (DataType type : List.of(DataType.FLOAT, DataType.DOUBLE)) {
            StepProduct first = new PanelProduct(0);
            StepProduct second = new PanelProduct(0);
            Mat a1 = view(type, 70, 40, rng);
            Mat a2 = view(type, 70, 40, rng);
            Mat x = view(type, 40, 4, rng);
            first.load(a1, null, false);
            second.load(a2, null, false);
            for (int round = 0; round < 3; round++) {
                Mat c1 = Mat.zeros(type, 70, 4);
                Mat c2 = Mat.zeros(type, 70, 4);
                first.multiply(x, 0, c1);
                second.multiply(x, 0, c2);
                Thread other = new Thread(() -> {
                    StepProduct third = new PanelProduct(0);
                    third.load(view(type, 70, 40, new Rng(8)), null, false);
                    third.multiply(x, 0, Mat.zeros(type, 70, 4));
                });
                other.start();
                other.join();
                assertProduct(a1, x, c1, tolerance(type, 40), "first, round " + round);
                assertProduct(a2, x, c2, tolerance(type, 40), "second, round " + round);
            }
        }
    }

    /**
     * A matrix smaller than the panel threshold goes to BLAS: the product is the sum (the oracle),
     * and has BLAS's very bits (which is how the path it took shows).
     */
    @Test
    void smallMatricesGoToBlasWithTheSameResult() {
        Rng rng = new Rng(7);
        Mat a = view(DataType.FLOAT, 30, 20, rng);
        Mat x = view(DataType.FLOAT, 20, 3, rng);
        Mat c = Mat.zeros(DataType.FLOAT, 30, 3);
        Mat throughBlas = Mat.zeros(DataType.FLOAT, 30, 3);
        StepProduct product = new PanelProduct(30 * 20 + 1);
        product.load(a, null, false);
        product.multiply(x, 0, c);
        assertProduct(a, x, c, tolerance(DataType.FLOAT, 20), "small matrix");
        Blas.gemm(false, false, 1, a, x, 0, throughBlas);
        for (int j = 0; j < 3; j++) {
            for (int i = 0; i < 30; i++) {
                assertEquals(throughBlas.get(i, j), c.get(i, j), 0, "BLAS gives these very bits");
            }
        }
    }

    @Test
    void wideBatchesGoToBlasWithTheSameResult() {
        Rng rng = new Rng(9);
        Mat a = view(DataType.DOUBLE, 30, 20, rng);
        Mat x = view(DataType.DOUBLE, 20, PanelProduct.MAX_COLUMNS + 1, rng);
        Mat c = Mat.zeros(DataType.DOUBLE, 30, PanelProduct.MAX_COLUMNS + 1);
        StepProduct product = new PanelProduct(0);
        product.load(a, null, false);
        product.multiply(x, 0, c);
        assertProduct(a, x, c, tolerance(DataType.DOUBLE, 20), "wide batch");
    }

    /**
     * Under a weight-drop mask, BLAS multiplies U ⊙ M made whole once per load: the same product
     * twice, then a new mask on the same U, then no mask; close() frees the buffer and a later load
     * makes a new one.
     */
    @Test
    void wideBatchesUnderAMaskMultiplyTheMaskedMatrix() {
        Rng rng = new Rng(10);
        Mat a = view(DataType.DOUBLE, 30, 20, rng);
        Mat x = view(DataType.DOUBLE, 20, PanelProduct.MAX_COLUMNS + 1, rng);
        Mat c = Mat.zeros(DataType.DOUBLE, 30, x.cols());
        StepProduct product = new PanelProduct(0);
        for (int round = 0; round < 5; round++) {
            Mat mask = round == 3 ? null : view(DataType.DOUBLE, 30, 20, rng);
            product.load(a, mask, false);
            for (int repeat = 0; repeat < 2; repeat++) {
                product.multiply(x, 0, c);
                double[][] as = BlasTest.toArray(a);
                double[][] ms = mask == null ? null : BlasTest.toArray(mask);
                double[][] xs = BlasTest.toArray(x);
                for (int j = 0; j < x.cols(); j++) {
                    for (int i = 0; i < 30; i++) {
                        double sum = 0;
                        for (int k = 0; k < 20; k++) {
                            sum += as[i][k] * (ms == null ? 1 : ms[i][k]) * xs[k][j];
                        }
                        int r = round;
                        int row = i;
                        int column = j;
                        assertEquals(sum, c.get(i, j), 1e-12, () -> "round " + r + ", (" + row + ", " + column + ")");
                    }
                }
            }
            if (round == 1) {
                product.close();
            }
        }
    }

    @Test
    void refusesWhatDoesNotFit() {
        RecurrentWeights weights = new RecurrentWeights();
        Mat u = Mat.zeros(DataType.FLOAT, 8, 2);
        assertThrows(IllegalStateException.class, () -> weights.multiply(Mat.zeros(DataType.FLOAT, 2, 1), 0,
                Mat.zeros(DataType.FLOAT, 8, 1)));
        weights.load(u);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> weights.multiply(Mat.zeros(DataType.FLOAT, 3, 1), 0, Mat.zeros(DataType.FLOAT, 8, 1)));
        assertEquals(true, e.getMessage().contains("do not fit"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> weights.load(u, Mat.zeros(DataType.FLOAT, 2, 8)));
        assertEquals("a weight-drop mask of 2 × 8 FLOAT does not fit 8 × 2 FLOAT", e.getMessage());
    }

    /** c = a · x within {@code tolerance} at every element, the sum written out here. */
    private static void assertProduct(Mat a, Mat x, Mat c, double tolerance, String what) {
        double[][] as = BlasTest.toArray(a);
        double[][] xs = BlasTest.toArray(x);
        for (int j = 0; j < x.cols(); j++) {
            for (int i = 0; i < a.rows(); i++) {
                double sum = 0;
                for (int k = 0; k < a.cols(); k++) {
                    sum += as[i][k] * xs[k][j];
                }
                int row = i;
                int column = j;
                assertEquals(sum, c.get(i, j), tolerance, () -> what + " (" + row + ", " + column + ")");
            }
        }
    }

    /**
     * For a sum of {@code depth} products of values in [−1, 1]: (depth + 1)·u·depth, the standard
     * bound γ_k·Σ|a b| (see {@link BlasTest}) with Σ|a b| ≤ depth.
     */
    private static double tolerance(DataType type, int depth) {
        return (depth + 1) * BlasTest.roundOff(type) * depth;
    }

    /** A random rows × cols view into a larger buffer: offset, and a leading dimension of its own. */
    private static Mat view(DataType type, int rows, int cols, Rng rng) {
        return BlasTest.random(type, rows + 3, cols + 2, rng).rows(2, rows).columns(1, cols);
    }

    private static Mat copy(Mat m) {
        Mat copy = Mat.zeros(m.dataType(), m.rows(), m.cols());
        copy.copyFrom(m);
        return copy;
    }
}
