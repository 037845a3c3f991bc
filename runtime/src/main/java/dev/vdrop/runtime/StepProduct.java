package dev.vdrop.runtime;

/**
 * The product of a fixed matrix with the thin matrices of a recurrence, step after step:
 * {@code C = op(A) · X + beta · C} with X a few columns wide (one per sequence). {@link #load} says
 * which A; the kernels may lay it out once for all the steps that follow.
 */
interface StepProduct {
    /** Uses {@code a} (or its transpose) from now on; the caller leaves it unchanged until the next load. */
    void load(Mat a, boolean transposed);

    /** {@code c = op(A) · x + beta · c}. */
    void multiply(Mat x, double beta, Mat c);

    /** Through BLAS on the matrix as it is: what the plain kernels run. */
    final class ThroughBlas implements StepProduct {
        private Mat a;
        private boolean transposed;

        @Override
        public void load(Mat a, boolean transposed) {
            this.a = a;
            this.transposed = transposed;
        }

        @Override
        public void multiply(Mat x, double beta, Mat c) {
            if (a == null) {
                throw new IllegalStateException("multiply before load");
            }
            Blas.gemm(transposed, false, 1, a, x, beta, c);
        }
    }
}
