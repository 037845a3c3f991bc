package dev.vdrop.runtime.internal;

import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * A float32 dropout mask from its SplitMix64 stream in SIMD lanes: the values of
 * {@link Dropouts#fillStream(float[], int, int, long, float, long, long)}, bit for bit, one vector
 * of draws at a time.
 *
 * <p>Element i of the stream is kept when half of draw ⌊i/2⌋ + 1 (the high half for even i) is at
 * least the threshold. A vector of L draws d, d + 1, …, d + L − 1 is SplitMix64's counter
 * z = state + (d + lane) · γ through its output function, lane by lane (64-bit multiplies: one
 * instruction with AVX-512DQ). Rotating each draw by 32 bits puts its high half in the lower
 * 32-bit lane of the pair when the lanes are read as 2L ints (little-endian), so the ints are
 * elements 2d − 2, …, in order. Each is compared, unsigned, with the threshold (as signed, with
 * the sign bit flipped on both sides) and becomes {@code kept} or 0.
 *
 * <p>A stream of draws is written as a vector only where the ints and the floats have as many
 * lanes and the platform is little-endian; the rest (an odd first element, the tail, a threshold
 * of 2^32) goes to the scalar loop.
 */
final class VectorMaskFill {
    private static final VectorSpecies<Long> LONGS = LongVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;
    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;
    /** Whether the lanes line up: 2 ints and 2 floats per long, low half first. */
    private static final boolean LANES_FIT = INTS.length() == 2 * LONGS.length()
            && FLOATS.length() == INTS.length() && ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
    /** lane · γ: added to the counter of a vector's first draw, the counters of its lanes. */
    private static final LongVector LANE_GAMMAS = LongVector.fromArray(LONGS, laneGammas(), 0);

    private VectorMaskFill() {
    }

    /** Whether this JVM's lanes line up for the vector loop (else every call is the scalar loop). */
    static boolean lanesFit() {
        return LANES_FIT;
    }

    private static long[] laneGammas() {
        long[] gammas = new long[LONGS.length()];
        for (int lane = 0; lane < gammas.length; lane++) {
            gammas[lane] = lane * GOLDEN_GAMMA;
        }
        return gammas;
    }

    /** See {@link Dropouts#fillStream(float[], int, int, long, float, long, long)}. */
    static void fill(float[] to, int at, int count, long first, float kept, long state, long threshold) {
        int step = FLOATS.length();
        if (!LANES_FIT || threshold > 0xffffffffL || count < step + 1) {
            Dropouts.fillStreamScalar(to, at, count, first, kept, state, threshold);
            return;
        }
        int j = 0;
        if ((first & 1) != 0) {
            Dropouts.fillStreamScalar(to, at, 1, first, kept, state, threshold);
            j = 1;
        }
        long draw = ((first + j) >>> 1) + 1;
        IntVector bar = IntVector.broadcast(INTS, (int) threshold ^ Integer.MIN_VALUE);
        FloatVector keptLanes = FloatVector.broadcast(FLOATS, kept);
        FloatVector zeros = FloatVector.zero(FLOATS);
        for (; j + step <= count; j += step, draw += LONGS.length()) {
            IntVector halves = draws(state, draw).lanewise(VectorOperators.ROR, 32).reinterpretAsInts();
            VectorMask<Integer> keep = halves.lanewise(VectorOperators.XOR, Integer.MIN_VALUE)
                    .compare(VectorOperators.GE, bar);
            zeros.blend(keptLanes, keep.cast(FLOATS)).intoArray(to, at + j);
        }
        Dropouts.fillStreamScalar(to, at + j, count - j, first + j, kept, state, threshold);
    }

    /** Draws d, d + 1, … of the stream at {@code state}, one per lane: {@code Rng.drawAt(state, d + lane)}. */
    private static LongVector draws(long state, long d) {
        LongVector z = LANE_GAMMAS.add(state + d * GOLDEN_GAMMA);
        z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 30)).mul(0xbf58476d1ce4e5b9L);
        z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 27)).mul(0x94d049bb133111ebL);
        return z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 31));
    }
}
