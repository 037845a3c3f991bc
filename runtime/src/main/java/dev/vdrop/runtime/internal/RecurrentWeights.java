package dev.vdrop.runtime.internal;

import dev.vdrop.runtime.Mat;

/**
 * The recurrent weights U' of one LSTM layer, for the products every step of a segment makes with
 * them: {@code z_t += U' h̃_{t-1}} forward and {@code ∂h_{t-1} = U'ᵀ ∂z_t} backward. These are thin
 * (one column per sequence), so a general GEMM spends much of its time re-reading and repacking
 * U' at every step; with the vector kernels, {@link #load} copies U' (or U'ᵀ) once per pass into
 * SIMD-lane panels and each step streams through them on every core. The plain kernels call BLAS.
 *
 * <p>Generated networks hold one per layer. Not thread-safe: one segment's pass at a time.
 *
 * <p>For generated code; not API (see the package).
 */
public final class RecurrentWeights implements AutoCloseable {
    private final StepProduct product = Kernels.CURRENT.stepProduct();

    /** Products of this JVM's kernels (SIMD panels or BLAS); nothing is loaded yet. */
    public RecurrentWeights() {}

    /**
     * Uses {@code u} (4H × H) for the products that follow, until the next load; {@code u} must not change meanwhile.
     *
     * @param u the recurrent weights U
     */
    public void load(Mat u) {
        load(u, null);
    }

    /**
     * Uses U' = {@code u ⊙ mask} (weight drop; {@code u} alone when the mask is null) for the
     * products that follow: the panels apply the mask while they lay U out, so U' is never stored
     * whole unless BLAS runs the products.
     *
     * @param u the recurrent weights U (4H × H); unchanged until the next load
     * @param mask the weight-drop mask M of U's shape, or null; unchanged until the next load
     * @throws IllegalArgumentException when the mask's shape or data type differs from {@code u}'s
     */
    public void load(Mat u, Mat mask) {
        product.load(u, mask, false);
    }

    /**
     * Uses {@code uᵀ} (H × 4H) for the products that follow, until the next load.
     *
     * @param u the recurrent weights U (4H × H); unchanged until the next load
     */
    public void loadTransposed(Mat u) {
        loadTransposed(u, null);
    }

    /**
     * Uses U'ᵀ = {@code (u ⊙ mask)ᵀ} for the products that follow; see {@link #load(Mat, Mat)}.
     *
     * @param u the recurrent weights U (4H × H); unchanged until the next load
     * @param mask the weight-drop mask M of U's shape, or null; unchanged until the next load
     * @throws IllegalArgumentException when the mask's shape or data type differs from {@code u}'s
     */
    public void loadTransposed(Mat u, Mat mask) {
        product.load(u, mask, true);
    }

    /** Frees the buffer of U' that products through BLAS needed, if any; the object stays usable. */
    @Override
    public void close() {
        product.close();
    }

    /**
     * {@code c = U' · x + beta · c} (or {@code U'ᵀ · x + beta · c} after {@link #loadTransposed}).
     *
     * @param x H × B (4H × B after loadTransposed)
     * @param beta the factor of c's old values (0: c is overwritten)
     * @param c 4H × B (H × B after loadTransposed), written
     * @throws IllegalArgumentException when the shapes or data types do not fit
     * @throws IllegalStateException before the first load
     */
    public void multiply(Mat x, double beta, Mat c) {
        product.multiply(x, beta, c);
    }
}
