package dev.vdrop.runtime;

/**
 * How many steps' input products {@code z_t = W x̃_t} a forward pass without targets computes at
 * once. Such a pass (prediction, evaluation, MC dropout) keeps no gates for {@code backward()}, so
 * it needs the pre-activations of a few steps at a time rather than of the whole segment: for MC
 * dropout with K = 100 rows over 35 steps at MEDIUM (2,600 gates), 5.2 MB per layer instead of 36.
 */
public final class InputChunks {
    /** Columns (steps × sequences) one chunk's product aims at: wide enough for GEMM's full speed. */
    static final int COLUMNS = 512;

    private InputChunks() {}

    /**
     * Steps per chunk: the segment's T steps cut into ⌈T·B / 512⌉ chunks (at most T) as even as
     * they come, so a segment of 512 columns or fewer is one chunk.
     *
     * @throws IllegalArgumentException unless both are positive
     */
    public static int steps(int steps, int batch) {
        if (steps <= 0 || batch <= 0) {
            throw new IllegalArgumentException("steps and batch must be positive, got " + steps + " and " + batch);
        }
        long columns = (long) steps * batch;
        int chunks = (int) Math.min(steps, (columns + COLUMNS - 1) / COLUMNS);
        return (steps + chunks - 1) / chunks;
    }
}
