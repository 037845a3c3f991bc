package dev.vdrop.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdrop.runtime.VectorSupport;
import org.junit.jupiter.api.Test;

/**
 * The checks run twice (see this module's POM): with the vector kernels, and with
 * {@code -Dvdrop.kernels=plain}. This makes sure each run tests what it says.
 */
class KernelSelectionTest {
    @Test
    void eachRunTestsTheKernelsItNames() {
        String implementation = VectorSupport.description();
        boolean plain = "plain".equals(System.getProperty("vdrop.kernels"));
        assertTrue(implementation.startsWith(plain ? "plain" : "vector"), implementation);
        assertEquals(!plain, VectorSupport.enabled(), implementation);
    }
}
