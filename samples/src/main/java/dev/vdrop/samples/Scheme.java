package dev.vdrop.samples;

import dev.vdrop.runtime.Network;
import dev.vdrop.runtime.NetworkConfig;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * The five dropout schemes of the comparison protocol (docs/protocol.md), each a generated
 * {@code moby-small} network: embedding 200, two recurrent layers of 200 units — LSTM layers, or
 * GRU layers with {@code --cell gru} ({@link MobySmallGru}, {@link MobyDickGru}) — a separate decoder
 * over the corpus's vocabulary (10,000 words on the bundled Moby-Dick), weights uniform in [−0.1, 0.1].
 * The vocabulary and the classes come from the data: each network's builder is given the
 * corpus's vocabulary size for both.
 */
enum Scheme {
    NONE(MobySmallNone.class,
            (config, words) -> MobySmallNone.builder().vocabulary(words).classes(words).config(config).build(),
            MobySmallGruNone.class,
            (config, words) -> MobySmallGruNone.builder().vocabulary(words).classes(words).config(config).build()),
    ZAREMBA(MobySmallZaremba.class,
            (config, words) -> MobySmallZaremba.builder().vocabulary(words).classes(words).config(config).build(),
            MobySmallGruZaremba.class,
            (config, words) -> MobySmallGruZaremba.builder().vocabulary(words).classes(words).config(config).build()),
    VARIATIONAL(MobyDickLmNetwork.class,
            (config, words) -> MobyDickLmNetwork.builder().vocabulary(words).classes(words).config(config).build(),
            MobyDickGruNetwork.class,
            (config, words) -> MobyDickGruNetwork.builder().vocabulary(words).classes(words).config(config).build()),
    UNTIED(MobySmallUntied.class,
            (config, words) -> MobySmallUntied.builder().vocabulary(words).classes(words).config(config).build(),
            MobySmallGruUntied.class,
            (config, words) -> MobySmallGruUntied.builder().vocabulary(words).classes(words).config(config).build()),
    AWD(MobySmallAwd.class,
            (config, words) -> MobySmallAwd.builder().vocabulary(words).classes(words).config(config).build(),
            MobySmallGruAwd.class,
            (config, words) -> MobySmallGruAwd.builder().vocabulary(words).classes(words).config(config).build());

    /** The protocol's initial weight scale. */
    static final double INIT_SCALE = 0.1;

    /** A generated network of this scheme for one cell, and how to build one for a corpus. */
    private record Twin(Class<?> networkClass, BiFunction<NetworkConfig, Integer, Network<int[][], int[][]>> factory) {}

    /** A scheme and a cell: what a checkpoint's or model file's network class says was trained. */
    record Trained(Scheme scheme, Cell cell) {}

    private final Map<Cell, Twin> twins;

    Scheme(Class<?> lstmClass, BiFunction<NetworkConfig, Integer, Network<int[][], int[][]>> lstm,
           Class<?> gruClass, BiFunction<NetworkConfig, Integer, Network<int[][], int[][]>> gru) {
        this.twins = new EnumMap<>(Map.of(Cell.LSTM, new Twin(lstmClass, lstm), Cell.GRU, new Twin(gruClass, gru)));
    }

    /** {@return the generated network class of this scheme with {@code cell} layers} */
    Class<?> networkClass(Cell cell) {
        return twins.get(cell).networkClass();
    }

    /**
     * The scheme and cell whose generated network has this class name, as a checkpoint's
     * {@code model} metadata and a model file hold it.
     *
     * @param className a network's fully qualified class name
     * @return the scheme and its cell, or empty when no scheme's network of either cell has that class
     */
    static Optional<Trained> ofNetworkClass(String className) {
        for (Scheme s : values()) {
            for (Cell c : Cell.values()) {
                if (s.networkClass(c).getName().equals(className)) {
                    return Optional.of(new Trained(s, c));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * A new float32 network of this scheme with {@code cell} layers, weights drawn from {@code seed},
     * for a corpus of {@code words} words: its vocabulary and classes.
     */
    Network<int[][], int[][]> create(Cell cell, long seed, int words) {
        return twins.get(cell).factory().apply(NetworkConfig.builder().seed(seed).initScale(INIT_SCALE).build(), words);
    }

    /** As written on the command line: {@code none}, {@code zaremba}, … */
    String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Scheme parse(String text) {
        for (Scheme s : values()) {
            if (s.label().equals(text)) {
                return s;
            }
        }
        throw new UserError("unknown scheme '" + text + "'; use one of "
                + String.join(", ", Arrays.stream(values()).map(Scheme::label).toList()));
    }
}
