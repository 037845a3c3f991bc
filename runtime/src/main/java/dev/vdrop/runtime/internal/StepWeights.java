package dev.vdrop.runtime.internal;

import dev.vdrop.runtime.Mat;

/**
 * The recurrent weights as the steps of a layer's forward pass multiply by them, {@code z_t +=
 * U' h̃_{t-1}}: one U' for every row ({@link RecurrentWeights}), or one per MC sample's block of
 * rows ({@link SampleWeights}).
 *
 * <p>For generated code; not API (see the package).
 */
public interface StepWeights {
    /**
     * {@code c = U' · x + beta · c}, with the U' of each column's row.
     *
     * @param x H × n
     * @param beta the factor of c's old values (0: c is overwritten)
     * @param c 4H × n, written
     * @throws IllegalArgumentException when the shapes or data types do not fit
     * @throws IllegalStateException before the first load
     */
    void multiply(Mat x, double beta, Mat c);
}
