package dev.vdrop.runtime.eval;

import dev.vdrop.runtime.Network;
import dev.vdrop.runtime.Parameter;
import dev.vdrop.runtime.Workspace;

/**
 * How many MC samples of a model with weight drop one pass may hold. Such a pass gives each
 * sample's block of rows its own U' = U ⊙ M_k, laid out once per pass: 4H·H values per layer and
 * sample (MEDIUM, 2 × 650 units in float32: 13.5 MB a sample; SMALL, 2 × 200: 1.3 MB), all held at
 * once. The pass carries each sample's block through the steps on one core with its U' in that
 * core's cache, so more samples per pass cost memory, not speed: a pass holds at most
 * {@link #WEIGHT_BUDGET} bytes of them, counted over every layer's U (an upper bound when some
 * layers have no weight drop): 97 samples of SMALL, 9 of MEDIUM. The samples beyond go to further
 * passes; with keyed masks the split changes no prediction. The bench (K = 50 in one pass against
 * 50 passes, docs/performance.md) measured the one pass faster at both sizes since the recurrence
 * runs sample by sample; step by step, when every step read every sample's U', MEDIUM's ran at
 * 0.77× and the budget was 16 MB.
 */
final class SampleGroups {
    /** Bytes of per-sample recurrent weights one pass may lay out: 128 MB of the heap. */
    static final long WEIGHT_BUDGET = 128L << 20;

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
