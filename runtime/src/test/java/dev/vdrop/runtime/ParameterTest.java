package dev.vdrop.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/** The lazily cleared gradient: reads as zeros after zeroing, and the first whole write may skip the clearing. */
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
}
