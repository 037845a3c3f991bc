package dev.vdrop.bench;

import dev.vdrop.runtime.Network;
import dev.vdrop.runtime.NetworkConfig;
import java.util.Locale;

/**
 * A benchmark configuration of issue 6: vocabulary 10,000, batch 20, BPTT 35, an embedding of
 * {@code embedding} and two recurrent layers of {@code units} of one {@link Cell} — LSTM, or the
 * GRU twin of issue 20 — and the GEMM FLOPs of its training step and its forward pass counted
 * analytically.
 */
record LmConfig(String name, Cell cell, int embedding, int units) {
    static final int VOCABULARY = 10_000;
    static final int BATCH = 20;
    static final int STEPS = 35;
    static final int LAYERS = 2;

    static final LmConfig SMALL = new LmConfig("small", Cell.LSTM, 200, 200);
    static final LmConfig MEDIUM = new LmConfig("medium", Cell.LSTM, 650, 650);
    static final LmConfig SMALL_GRU = new LmConfig("small", Cell.GRU, 200, 200);
    static final LmConfig MEDIUM_GRU = new LmConfig("medium", Cell.GRU, 650, 650);
    /** Every configuration, in the report's order. */
    static final java.util.List<LmConfig> ALL = java.util.List.of(SMALL, MEDIUM, SMALL_GRU, MEDIUM_GRU);

    /** The recurrent cell of a configuration's two layers, and its gate blocks: W is gates·H × I, U gates·H × H. */
    enum Cell {
        LSTM("lstm", 4),
        GRU("gru", 3);

        private final String option;
        private final int gates;

        Cell(String option, int gates) {
            this.option = option;
            this.gates = gates;
        }

        /** {@return {@code lstm} or {@code gru}: the value of {@code --cell} here and in the PyTorch reference} */
        String option() {
            return option;
        }

        /** {@return 4 for the LSTM (i, f, g, o), 3 for the GRU (r, u, n)} */
        int gates() {
            return gates;
        }

        static Cell of(String option) {
            return switch (option.toLowerCase(Locale.ROOT)) {
                case "lstm" -> LSTM;
                case "gru" -> GRU;
                default -> throw new IllegalArgumentException("unknown cell '" + option + "': use lstm or gru");
            };
        }
    }

    static LmConfig of(String name) {
        return of(name, Cell.LSTM);
    }

    static LmConfig of(String name, Cell cell) {
        boolean small = switch (name.toLowerCase(Locale.ROOT)) {
            case "small" -> true;
            case "medium" -> false;
            default -> throw new IllegalArgumentException("unknown config '" + name + "': use small or medium");
        };
        return cell == Cell.LSTM ? (small ? SMALL : MEDIUM) : (small ? SMALL_GRU : MEDIUM_GRU);
    }

    /**
     * {@return the name of the configuration's result files and JSON entries: {@code small}, {@code medium}
     * for the LSTM (as before the GRU), {@code small-gru}, {@code medium-gru} for the GRU}
     */
    String key() {
        return cell == Cell.LSTM ? name : name + "-" + cell.option();
    }

    /** {@return the table's title: {@code SMALL}, {@code MEDIUM GRU}} */
    String title() {
        return name.toUpperCase(Locale.ROOT) + (cell == Cell.LSTM ? "" : " " + cell.name());
    }

    /** The generated vdrop network of this configuration ({@link BenchModels}). */
    Network<int[][], int[][]> vdropNetwork() {
        NetworkConfig config = NetworkConfig.builder().seed(1).initScale(0.1).build();
        boolean small = name.equals("small");
        if (cell == Cell.GRU) {
            return small ? new SmallGruLm(config) : new MediumGruLm(config);
        }
        return small ? new SmallLm(config) : new MediumLm(config);
    }

    String describe() {
        return String.format(Locale.ROOT, "embedding %d, %d × %d %s units, vocabulary %,d, batch %d, BPTT %d",
                embedding, LAYERS, units, cell.name(), VOCABULARY, BATCH, STEPS);
    }

    private int inputOf(int layer) {
        return layer == 0 ? embedding : units;
    }

    /**
     * GEMM FLOPs (2·m·n·k per product) of one forward pass over {@code rows} sequences of
     * {@code steps} tokens: per layer the input term W·X̃ over every step at once (gH × I × TB, g
     * the cell's gate blocks: 4 for the LSTM, 3 for the GRU) and the recurrent term U'·h at every
     * step (gH × H × B, T times; the GRU's reset gate multiplies the n block's product afterwards, no
     * product of its own), then the decoder D·Y (V × H × TB).
     */
    long forwardFlops(int rows, int steps) {
        long tb = (long) rows * steps;
        long h = units;
        long g = cell.gates();
        long flops = 0;
        for (int l = 0; l < LAYERS; l++) {
            flops += 2 * g * h * inputOf(l) * tb; // Z = W X̃
            flops += 2 * g * h * h * tb;          // z_t += U' h_{t-1}, T steps of B columns
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
        long g = cell.gates();
        long flops = 2 * 2L * VOCABULARY * h * tb; // ∂D, ∂Y
        for (int l = 0; l < LAYERS; l++) {
            flops += 2 * g * h * h * rows * (long) (steps - 1); // ∂h_{t-1}
            flops += 2 * g * h * inputOf(l) * tb;               // ∂W
            flops += 2 * g * h * h * tb;                        // ∂U'
            flops += 2 * g * h * inputOf(l) * tb;               // ∂X
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
