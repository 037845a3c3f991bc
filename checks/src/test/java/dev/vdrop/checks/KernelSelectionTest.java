package dev.vdrop.checks;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdrop.runtime.internal.LstmCell;
import org.junit.jupiter.api.Test;

/**
 * The checks run twice (see this module's POM): with the vector kernels, and with
 * {@code -Dvdrop.kernels=plain}. This makes sure each run tests what it says.
 */
class KernelSelectionTest {
    @Test
    void eachRunTestsTheKernelsItNames() {
        String implementation = LstmCell.implementation();
        if ("plain".equals(System.getProperty("vdrop.kernels"))) {
            assertTrue(implementation.startsWith("plain"), implementation);
        } else {
            assertTrue(implementation.startsWith("vector"), implementation);
        }
    }
}
