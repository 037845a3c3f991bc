package dev.vdrop.bench;

import java.util.Locale;

/**
 * The classifier group's model and data: SMALL's sizes (embedding 200, 2 × 200 units, vocabulary
 * 10,000) with a softmax over {@link #CLASSES} classes at each sequence's last step, trained on
 * {@link #BATCHES} batches of {@link #ROWS} sequences whose lengths are uniform in
 * [{@link #SHORTEST}, {@link #LONGEST}], unsorted, with synthetic ids and labels. The lengths come
 * from a 32-bit linear congruential generator that the PyTorch reference
 * ({@code classifier_lengths} in {@code bench/reference/vdrop_reference.py}) runs too, so both
 * train on batches of the same shapes.
 */
final class ClassifierConfig {
    static final int VOCABULARY = 10_000;
    static final int CLASSES = 20;
    static final int ROWS = 20;
    static final int SHORTEST = 20;
    static final int LONGEST = 300;
    static final int BATCHES = 8;
    static final long LENGTH_SEED = 300;

    private ClassifierConfig() {}

    /**
     * The sequence lengths, batch after batch: x ← (1664525 x + 1013904223) mod 2³² from
     * x = {@link #LENGTH_SEED}, length = {@link #SHORTEST} + (x ≫ 8) mod ({@link #LONGEST} −
     * {@link #SHORTEST} + 1). The first three are 82, 166 and 181.
     *
     * @return {@code [BATCHES][ROWS]} lengths
     */
    static int[][] lengths() {
        long x = LENGTH_SEED;
        long span = LONGEST - SHORTEST + 1;
        int[][] out = new int[BATCHES][ROWS];
        for (int[] batch : out) {
            for (int b = 0; b < ROWS; b++) {
                x = (1664525L * x + 1013904223L) & 0xFFFF_FFFFL;
                batch[b] = SHORTEST + (int) ((x >>> 8) % span);
            }
        }
        return out;
    }

    static String describe() {
        return String.format(Locale.ROOT, "embedding 200, 2 × 200 units, vocabulary %,d, %d classes at the last step; "
                + "%d batches of %d sequences of %d..%d steps (unsorted)", VOCABULARY, CLASSES, BATCHES, ROWS,
                SHORTEST, LONGEST);
    }
}
