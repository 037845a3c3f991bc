package dev.vdrop.runtime.internal;

/**
 * One sample's weight-drop mask M over U as its keyed stream ({@code MaskKeys}: D(D(seed,
 * id(name)), k)): element i, column by column, is 1/(1 − p) when half of draw ⌊i/2⌋ + 1 is at
 * least ⌈p · 2^32⌉ and 0 otherwise — the values {@link Dropouts#sampleKeyedPerPass} writes into a
 * matrix, computed where they are read. A product that lays U' = U ⊙ M out reads M from here, so
 * a pass of many samples keeps no matrix per sample's mask. Two streams that are equal give the
 * same mask. Made by {@link Dropouts#weightMaskStream}.
 */
record WeightMaskStream(long state, long threshold, double kept) {
    /** {@code to[at + j]} = element {@code first + j} of the mask, for j < count, as float32. */
    void fill(float[] to, int at, int count, long first) {
        Dropouts.fillStream(to, at, count, first, (float) kept, state, threshold);
    }

    /** {@code to[at + j]} = element {@code first + j} of the mask, for j < count. */
    void fill(double[] to, int at, int count, long first) {
        Dropouts.fillStream(to, at, count, first, kept, state, threshold);
    }
}
