package dev.vdrop.samples;

import dev.vdrop.runtime.Network;
import dev.vdrop.runtime.NetworkConfig;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Function;

/**
 * The five dropout schemes of the comparison protocol (docs/protocol.md), each a generated
 * {@code moby-small} network: embedding 200, two LSTM layers of 200 units, a separate decoder over
 * 10,000 words, weights uniform in [−0.1, 0.1].
 */
enum Scheme {
    NONE(MobySmallNone::new),
    ZAREMBA(MobySmallZaremba::new),
    VARIATIONAL(MobyDickLmNetwork::new),
    UNTIED(MobySmallUntied::new),
    AWD(MobySmallAwd::new);

    /** The protocol's initial weight scale. */
    static final double INIT_SCALE = 0.1;

    private final Function<NetworkConfig, Network<int[][], int[][]>> factory;

    Scheme(Function<NetworkConfig, Network<int[][], int[][]>> factory) {
        this.factory = factory;
    }

    /** A new float32 network with weights drawn from {@code seed}. */
    Network<int[][], int[][]> create(long seed) {
        return factory.apply(NetworkConfig.builder().seed(seed).initScale(INIT_SCALE).build());
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
