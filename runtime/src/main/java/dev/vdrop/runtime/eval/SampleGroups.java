package dev.vdrop.runtime.eval;

import dev.vdrop.runtime.Network;
import dev.vdrop.runtime.Parameter;
import dev.vdrop.runtime.Workspace;

/**
 * How many MC samples of a model with weight drop one pass may hold. Such a pass gives each
 * sample's block of rows its own U' = U ⊙ M_k, laid out once per pass: 4H·H values per layer and
 * sample (MEDIUM, 2 × 650 units in float32: 13.5 MB a sample; SMALL, 2 × 200: 1.3 MB), and every
 * step of the pass reads all of them. A pass therefore holds at most {@link #WEIGHT_BUDGET} bytes
 * of them, counted over every layer's U (an upper bound when some layers have no weight drop), so
 * they stay in the last-level cache from step to step: 12 samples of SMALL, 1 of MEDIUM (whose
 * samples then run one per pass, as before one-pass MC existed). The budget comes from the bench:
 * with all 50 samples in one pass, MEDIUM's MC ran at 0.76× the speed of 50 passes (each step
 * streamed 676 MB of U' from memory), SMALL's at 1.2–1.6×; a probe of passes of G samples at SMALL
 * gained most of it by G = 10. The samples beyond go to further passes; with keyed masks the split
 * changes no prediction.
 */
final class SampleGroups {
    /** Bytes of per-sample recurrent weights one pass may lay out: 16 MB, about a last-level cache. */
    static final long WEIGHT_BUDGET = 16L << 20;

    private SampleGroups() {}

    /** {@return whether the network drops weights of U (each MC sample then has its own U')} */
    static boolean hasWeightDrop(Network<?, ?> network) {
        try (Workspace<?, ?> probe = network.workspace(1, 1)) {
            return probe.hasWeightDrop();
        }
    }

    /**
     * The most samples of a weight-drop model one pass may hold under {@link #WEIGHT_BUDGET}, at least 1.
     *
     * @param network the network
     * @return the samples per pass
     */
    static int perPass(Network<?, ?> network) {
        long bytes = 0;
        for (Parameter p : network.parameters()) {
            if (p.name().endsWith(".U")) {
                bytes += (long) p.value().rows() * p.value().cols() * p.value().elementBytes();
            }
        }
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, WEIGHT_BUDGET / Math.max(1, bytes)));
    }
}
