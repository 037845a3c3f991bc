package dev.vdrop.runtime.internal;

import dev.vdrop.runtime.Mat;

/**
 * The product of a fixed matrix with the thin matrices of a recurrence, step after step:
 * {@code C = op(A) · X + beta · C} with X a few columns wide (one per sequence). {@link #load} says
 * which A; the kernels may lay it out once for all the steps that follow.
 */
interface StepProduct extends AutoCloseable {
    /**
     * Uses {@code a ⊙ mask} (or its transpose; {@code a} alone when the mask is null) from now on;
     * the caller leaves both unchanged until the next load.
     */
    void load(Mat a, Mat mask, boolean transposed);

    /**
     * Uses {@code a ⊙ M} (not transposed) from now on, M one sample's weight-drop mask read from
     * its stream while A is laid out; the caller leaves {@code a} unchanged until the next load.
     */
    void loadSample(Mat a, WeightMaskStream mask);

    /** {@code c = op(A) · x + beta · c}. */
    void multiply(Mat x, double beta, Mat c);

    /** Frees what the product holds besides the matrices it was given. */
    @Override
    void close();

    /** Through BLAS on the matrix as it is: what the plain kernels run. */
    final class ThroughBlas implements StepProduct {
        private final MaskedWeights a = new MaskedWeights();
        private boolean transposed;

        @Override
        public void load(Mat a, Mat mask, boolean transposed) {
            this.a.set(a, mask);
            this.transposed = transposed;
        }

        @Override
        public void loadSample(Mat a, WeightMaskStream mask) {
            this.a.set(a, mask);
            this.transposed = false;
        }

        @Override
        public void multiply(Mat x, double beta, Mat c) {
            if (a.source() == null) {
                throw new IllegalStateException("multiply before load");
            }
            Blas.gemm(transposed, false, 1, a.whole(), x, beta, c);
        }

        @Override
        public void close() {
            a.close();
        }
    }
}
