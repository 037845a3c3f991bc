package dev.vdrop.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ProductProfileTest {
    @AfterEach
    void forget() {
        ProductProfile.reset();
    }

    @Test
    void productsAreAddedUpByKindAndShapeMostTimeFirst() {
        ProductProfile.reset();
        ProductProfile.add(ProductProfile.GEMM, false, true, 10, 20, 30, 1_000_000);
        ProductProfile.add(ProductProfile.STEP_PANELS, true, false, 650, 20, 2600, 4_000_000);
        ProductProfile.add(ProductProfile.GEMM, false, true, 10, 20, 30, 2_000_000);
        ProductProfile.add(ProductProfile.GEMM, false, false, 10, 20, 30, 500_000);

        List<ProductProfile.Entry> entries = ProductProfile.entries();
        assertEquals(3, entries.size());
        ProductProfile.Entry first = entries.get(0);
        assertEquals(ProductProfile.STEP_PANELS, first.kind());
        assertEquals("TN 650×20×2600", first.shape());
        assertEquals(1, first.calls());
        assertEquals(0.004, first.seconds(), 1e-15);
        assertEquals(2.0 * 650 * 20 * 2600, first.flops(), 0.0);
        assertEquals(2.0 * 650 * 20 * 2600 / 0.004 / 1e9, first.gflops(), 1e-9);

        ProductProfile.Entry second = entries.get(1);
        assertEquals("NT 10×20×30", second.shape());
        assertEquals(2, second.calls());
        assertEquals(0.003, second.seconds(), 1e-15);
        assertEquals(2 * 2.0 * 10 * 20 * 30, second.flops(), 0.0);
        assertEquals("NN 10×20×30", entries.get(2).shape());

        assertEquals(0.0035, ProductProfile.seconds(ProductProfile.GEMM), 1e-15);
        assertEquals(3 * 2.0 * 10 * 20 * 30, ProductProfile.flops(ProductProfile.GEMM), 0.0);
        assertEquals(0.0035, Blas.profiledSeconds(), 1e-15);
        assertEquals(3 * 2 * 10 * 20 * 30, Blas.profiledFlops());

        Blas.resetProfile();
        assertTrue(ProductProfile.entries().isEmpty());
        assertEquals(0.0, ProductProfile.seconds(ProductProfile.STEP_PANELS), 0.0);
    }
}
