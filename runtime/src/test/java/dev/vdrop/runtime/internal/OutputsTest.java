package dev.vdrop.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vdrop.runtime.Mat;
import dev.vdrop.runtime.Rng;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

class OutputsTest {
    /** The native softmax of large matrices against a softmax written here, column by column. */
    @Test
    void nativeSoftmaxWithBiasMatchesTheDefinition() {
        Rng rng = new Rng(3);
        Mat logits = BlasTest.random(DataType.DOUBLE, 300, 40, rng);
        logits.scale(20);
        Mat bias = BlasTest.random(DataType.DOUBLE, 300, 1, rng);
        double[][] expected = new double[40][300];
        for (int c = 0; c < 40; c++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int r = 0; r < 300; r++) {
                max = Math.max(max, logits.get(r, c) + bias.get(r, 0));
            }
            double sum = 0;
            for (int r = 0; r < 300; r++) {
                sum += Math.exp(logits.get(r, c) + bias.get(r, 0) - max);
            }
            for (int r = 0; r < 300; r++) {
                expected[c][r] = Math.exp(logits.get(r, c) + bias.get(r, 0) - max) / sum;
            }
        }
        Outputs.addBiasAndSoftmax(logits, bias);
        for (int c = 0; c < 40; c++) {
            for (int r = 0; r < 300; r++) {
                assertEquals(expected[c][r], logits.get(r, c), 1e-14, "(" + r + ", " + c + ")");
            }
        }
    }

    @Test
    void nativeColumnSumsMatchALoop() {
        Mat src = BlasTest.random(DataType.DOUBLE, 100, 80, new Rng(4));
        Mat dst = Mat.zeros(DataType.DOUBLE, 100, 1);
        dst.fill(1);
        Elementwise.addColumnSums(dst, src);
        for (int r = 0; r < 100; r++) {
            double sum = 1;
            for (int c = 0; c < 80; c++) {
                sum += src.get(r, c);
            }
            assertEquals(sum, dst.get(r, 0), 1e-12);
        }
    }

    @Test
    void fastTanhAgreesWithMathTanhEverywhere() {
        for (double x = -30; x <= 30; x += 0.001) {
            assertEquals(Math.tanh(x), Elementwise.tanh(x), 4e-16, "x = " + x);
        }
        assertEquals(1.0, Elementwise.tanh(1e6), 0.0);
        assertEquals(-1.0, Elementwise.tanh(-1e6), 0.0);
        assertEquals(1e-9, Elementwise.tanh(1e-9), 1e-24 + 4e-16);
    }
}
