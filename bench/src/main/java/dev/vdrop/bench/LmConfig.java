package dev.vdrop.bench;

import dev.vdrop.runtime.Network;
import dev.vdrop.runtime.NetworkConfig;
import java.util.Locale;

/**
 * A benchmark configuration of issue 6: vocabulary 10,000, batch 20, BPTT 35, an embedding of
 * {@code embedding} and two LSTM layers of {@code units}, and the GEMM FLOPs of its training step
 * and its forward pass counted analytically.
 */
record LmConfig(String name, int embedding, int units) {
    static final int VOCABULARY = 10_000;
    static final int BATCH = 20;
    static final int STEPS = 35;
    static final int LAYERS = 2;

    static final LmConfig SMALL = new LmConfig("small", 200, 200);
    static final LmConfig MEDIUM = new LmConfig("medium", 650, 650);

    static LmConfig of(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "small" -> SMALL;
            case "medium" -> MEDIUM;
            default -> throw new IllegalArgumentException("unknown config '" + name + "': use small or medium");
        };
    }

    /** The generated vdrop network of this configuration ({@link BenchModels}). */
    Network<int[][], int[][]> vdropNetwork() {
        NetworkConfig config = NetworkConfig.builder().seed(1).initScale(0.1).build();
        return name.equals("small") ? new SmallLm(config) : new MediumLm(config);
    }

    String describe() {
        return String.format(Locale.ROOT, "embedding %d, %d × %d units, vocabulary %,d, batch %d, BPTT %d",
                embedding, LAYERS, units, VOCABULARY, BATCH, STEPS);
    }

    private int inputOf(int layer) {
        return layer == 0 ? embedding : units;
    }

    /**
     * GEMM FLOPs (2·m·n·k per product) of one forward pass over {@code rows} sequences of
     * {@code steps} tokens: per layer the input term W·X̃ over every step at once (4H × I × TB) and
     * the recurrent term U'·h at every step (4H × H × B, T times), then the decoder D·Y (V × H × TB).
     */
    long forwardFlops(int rows, int steps) {
        long tb = (long) rows * steps;
        long h = units;
        long flops = 0;
        for (int l = 0; l < LAYERS; l++) {
            flops += 2 * 4 * h * inputOf(l) * tb; // Z = W X̃
            flops += 2 * 4 * h * h * tb;          // z_t += U' h_{t-1}, T steps of B columns
        }
        flops += 2L * VOCABULARY * h * tb;       // A = D Y
        return flops;
    }

    /**
     * GEMM FLOPs of one backward pass: the decoder's ∂D = ∂A Yᵀ and ∂Y = Dᵀ ∂A, and per layer
     * ∂h_{t-1} = U'ᵀ ∂z_t at steps T−1 … 1, ∂W = ∂Z X̃ᵀ, ∂U' = ∂Z H̃ᵀ and ∂X = Wᵀ ∂Z (the bottom
     * layer's ∂X feeds the embedding gradient).
     */
    long backwardFlops(int rows, int steps) {
        long tb = (long) rows * steps;
        long h = units;
        long flops = 2 * 2L * VOCABULARY * h * tb; // ∂D, ∂Y
        for (int l = 0; l < LAYERS; l++) {
            flops += 2 * 4 * h * h * rows * (long) (steps - 1); // ∂h_{t-1}
            flops += 2 * 4 * h * inputOf(l) * tb;               // ∂W
            flops += 2 * 4 * h * h * tb;                        // ∂U'
            flops += 2 * 4 * h * inputOf(l) * tb;               // ∂X
        }
        return flops;
    }

    /** Analytic GEMM FLOPs per token of a training step (forward + backward). */
    double trainFlopsPerToken() {
        return (double) (forwardFlops(BATCH, STEPS) + backwardFlops(BATCH, STEPS)) / (BATCH * STEPS);
    }

    /** Analytic GEMM FLOPs per token of a forward pass (evaluation, MC samples). */
    double forwardFlopsPerToken() {
        return (double) forwardFlops(BATCH, STEPS) / (BATCH * STEPS);
    }
}
