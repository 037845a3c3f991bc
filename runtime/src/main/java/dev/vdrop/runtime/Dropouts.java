package dev.vdrop.runtime;

/**
 * Samples inverted-dropout masks: each element is 0 with probability p and 1/(1 − p) otherwise,
 * so a unit keeps its expected value. Generated code asks for masks here and never draws random
 * numbers itself.
 */
public final class Dropouts {
    private Dropouts() {}

    /** Fills {@code mask} with independent Bernoulli(1 − p) / (1 − p) values, column by column. */
    public static void sample(Mat mask, double p, Rng rng) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException("a dropout probability must be in [0, 1), got " + p);
        }
        double kept = 1 / (1 - p);
        // Each 64-bit draw gives two 32-bit uniforms: u < p ⇔ bits < p · 2^32.
        long threshold = (long) Math.ceil(p * 0x1p32);
        long n = (long) mask.rows() * mask.cols();
        if (mask.isContiguous()) {
            sampleContiguous(mask, threshold, kept, rng);
            return;
        }
        for (int c = 0; c < mask.cols(); c++) {
            for (int r = 0; r < mask.rows(); r++) {
                mask.set(r, c, kept * keepBit(rng.nextLong() >>> 32, threshold));
            }
        }
    }

    /**
     * The contiguous case, in Java: element i of the mask is decided by half of draw ⌊i/2⌋ + 1,
     * the high 32 bits for even i and the low ones for odd i; kept when that half is at least
     * the threshold. Branch-free: a data-dependent branch would be mispredicted half the time.
     */
    private static void sampleContiguous(Mat mask, long threshold, double kept, Rng rng) {
        long n = (long) mask.rows() * mask.cols();
        for (long i = 0; i < n; i += 2) {
            long bits = rng.nextLong();
            mask.setLinear(i, kept * keepBit(bits >>> 32, threshold));
            if (i + 1 < n) {
                mask.setLinear(i + 1, kept * keepBit(bits & 0xffffffffL, threshold));
            }
        }
    }

    /** 1 when the 32-bit uniform {@code u} is at least the threshold (kept), else 0; both below 2^33. */
    private static int keepBit(long u, long threshold) {
        return (int) (~(u - threshold) >>> 63);
    }
}
