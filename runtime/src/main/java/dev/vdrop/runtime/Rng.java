package dev.vdrop.runtime;

/**
 * vdrop's seeded random source: SplitMix64 (Steele, Lea &amp; Flood, "Fast splittable
 * pseudorandom number generators", OOPSLA 2014). Its whole state is one {@code long}, so a
 * checkpoint can store it and a resumed run draws exactly the numbers an uninterrupted one would.
 * Not thread-safe: give each thread its own, {@link #split() split} from one seed.
 */
public final class Rng {
    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;
    private long state;

    public Rng(long seed) {
        this.state = seed;
    }

    /** The current state; {@code new Rng(state())} continues the same sequence. */
    public long state() {
        return state;
    }

    public long nextLong() {
        return mix(state += GOLDEN_GAMMA);
    }

    /**
     * Draw k (1, 2, …) of a generator whose state is {@code state}: what the k-th {@link #nextLong()}
     * from there returns. SplitMix64 is a counter, so draws far apart need not be made in order.
     */
    public static long drawAt(long state, long k) {
        return mix(state + k * GOLDEN_GAMMA);
    }

    /** Skips {@code draws} draws, as if {@link #nextLong()} had been called that many times. */
    public void skip(long draws) {
        state += draws * GOLDEN_GAMMA;
    }

    /** SplitMix64's output function. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, 1), 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [lo, hi). */
    public double uniform(double lo, double hi) {
        return lo + (hi - lo) * nextDouble();
    }

    /** An independent generator seeded from this one. */
    public Rng split() {
        return new Rng(nextLong());
    }
}
