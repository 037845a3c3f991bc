package dev.vdrop.samples;

import dev.vdrop.runtime.Network;
import dev.vdrop.runtime.NetworkConfig;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * The five dropout schemes of the comparison protocol (docs/protocol.md), each a generated
 * {@code moby-small} network: embedding 200, two LSTM layers of 200 units, a separate decoder over
 * the corpus's vocabulary (10,000 words on the bundled Moby-Dick), weights uniform in [−0.1, 0.1].
 * The vocabulary and the classes come from the data: each network's builder is given the
 * corpus's vocabulary size for both.
 */
enum Scheme {
    NONE(MobySmallNone.class,
            (config, words) -> MobySmallNone.builder().vocabulary(words).classes(words).config(config).build()),
    ZAREMBA(MobySmallZaremba.class,
            (config, words) -> MobySmallZaremba.builder().vocabulary(words).classes(words).config(config).build()),
    VARIATIONAL(MobyDickLmNetwork.class,
            (config, words) -> MobyDickLmNetwork.builder().vocabulary(words).classes(words).config(config).build()),
    UNTIED(MobySmallUntied.class,
            (config, words) -> MobySmallUntied.builder().vocabulary(words).classes(words).config(config).build()),
    AWD(MobySmallAwd.class,
            (config, words) -> MobySmallAwd.builder().vocabulary(words).classes(words).config(config).build());

    /** The protocol's initial weight scale. */
    static final double INIT_SCALE = 0.1;

    private final Class<?> networkClass;
    private final BiFunction<NetworkConfig, Integer, Network<int[][], int[][]>> factory;

    Scheme(Class<?> networkClass, BiFunction<NetworkConfig, Integer, Network<int[][], int[][]>> factory) {
        this.networkClass = networkClass;
        this.factory = factory;
    }

    /**
     * The scheme whose generated network has this class name, as a checkpoint's {@code model}
     * metadata holds it.
     *
     * @param className a network's fully qualified class name
     * @return the scheme, or empty when no scheme's network has that class
     */
    static Optional<Scheme> ofNetworkClass(String className) {
        return Arrays.stream(values()).filter(s -> s.networkClass.getName().equals(className)).findFirst();
    }

    /**
     * A new float32 network with weights drawn from {@code seed}, for a corpus of {@code words}
     * words: its vocabulary and classes.
     */
    Network<int[][], int[][]> create(long seed, int words) {
        return factory.apply(NetworkConfig.builder().seed(seed).initScale(INIT_SCALE).build(), words);
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
