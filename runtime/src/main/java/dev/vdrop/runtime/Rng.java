package dev.vdrop.runtime;

/**
 * vdrop's seeded random source: SplitMix64 (Steele, Lea &amp; Flood, "Fast splittable
 * pseudorandom number generators", OOPSLA 2014). Its whole state is one {@code long}, so a
 * checkpoint can store it and a resumed run draws exactly the numbers an uninterrupted one would.
 * Not thread-safe: every draw changes its one {@code long}, so threads that share one draw in an
 * order that changes from run to run (and may lose draws). Give each thread its own,
 * {@link #split() split} from one seed, or use the calls that take a {@code long} seed
 * ({@code McPredictor}, {@code Perplexity}), which keep no generator between calls.
 */
public final class Rng {
    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;
    private long state;

    /**
     * A generator whose sequence is fixed by its seed.
     *
     * @param seed the initial state
     */
    public Rng(long seed) {
        this.state = seed;
    }

    /** {@return the current state; {@code new Rng(state())} continues the same sequence} */
    public long state() {
        return state;
    }

    /** {@return the next 64 random bits} */
    public long nextLong() {
        return mix(state += GOLDEN_GAMMA);
    }

    /**
     * Draw k (1, 2, …) of a generator whose state is {@code state}: what the k-th {@link #nextLong()}
     * from there returns. SplitMix64 is a counter, so draws far apart need not be made in order.
     *
     * @param state a generator's {@link #state()}
     * @param k which draw, from 1
     * @return the k-th draw from that state
     */
    public static long drawAt(long state, long k) {
        return mix(state + k * GOLDEN_GAMMA);
    }

    /**
     * Skips draws, as if {@link #nextLong()} had been called that many times.
     *
     * @param draws the number of draws to skip
     */
    public void skip(long draws) {
        state += draws * GOLDEN_GAMMA;
    }

    /** SplitMix64's output function. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** {@return a uniform draw in [0, 1), from 53 random bits} */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /**
     * A uniform draw in an interval.
     *
     * @param lo the lower bound, included
     * @param hi the upper bound, excluded
     * @return a draw uniform in [lo, hi)
     */
    public double uniform(double lo, double hi) {
        return lo + (hi - lo) * nextDouble();
    }

    /** {@return an independent generator seeded from this one} */
    public Rng split() {
        return new Rng(nextLong());
    }
}
