package dev.vdrop.checks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vdrop.runtime.DropoutMode;
import dev.vdrop.runtime.Gradients;
import dev.vdrop.runtime.Network;
import dev.vdrop.runtime.NetworkConfig;
import dev.vdrop.runtime.Parameter;
import dev.vdrop.runtime.RecurrentState;
import dev.vdrop.runtime.Rng;
import dev.vdrop.runtime.Workspace;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Truncated BPTT hands the state on: two segments of T steps compute exactly what one segment of
 * 2T does (same tied masks, which do not depend on T). Gradients differ only where the truncation
 * cuts them, at the recurrence across the boundary; the decoder's gradient does not cross
 * it, so it must be the same. For LSTM stacks, GRU stacks (whose state is h alone) and a stack
 * of both. {@link GradientCheckTest} checks a carried-in segment's gradients
 * against finite differences with the incoming state held fixed.
 */
class CarriedStateTest {
    private static final int BATCH = 3;
    private static final int STEPS = 4;

    static Stream<Arguments> stacks() {
        NetworkConfig config = NetworkConfig.builder().dataType(DataType.DOUBLE).seed(5).initScale(0.5).build();
        return Stream.of(Arguments.of("two LSTM layers", new TwoLayersNetwork(config), 2),
                Arguments.of("two GRU layers, weight drop (AWD)", new GruAwdNetwork(config), 2),
                Arguments.of("LSTM + GRU + LSTM + GRU, tied decoder", new MixedStackNetwork(config), 1));
    }

    /**
     * Also the state at the end: h of every layer (and c of an LSTM layer) after the second half is
     * the whole segment's. The last {@code decoderParameters} parameters are the decoder's (D and
     * d, or d alone when D is the embedding's), whose gradient does not cross the boundary.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("stacks")
    void twoSegmentsOfTStepsEqualOneOf2T(String name, Network<int[][], int[][]> network, int decoderParameters) {
        Rng data = new Rng(6);
        int[][] tokens = Harness.tokens(data, BATCH, 2 * STEPS, 11);
        int[][] targets = Harness.tokens(data, BATCH, 2 * STEPS, 11);

        Workspace<int[][], int[][]> whole = network.workspace(BATCH, 2 * STEPS);
        whole.sampleMasks(new Rng(7), DropoutMode.TRAIN);
        Gradients.zero(network.parameters());
        double wholeLoss = whole.forward(tokens, targets);
        whole.backward();
        List<double[]> wholeGradients = gradients(network.parameters());
        RecurrentState wholeEnd = whole.state();

        Workspace<int[][], int[][]> half = network.workspace(BATCH, STEPS);
        half.sampleMasks(new Rng(7), DropoutMode.TRAIN);
        Gradients.zero(network.parameters());
        double first = half.forward(slice(tokens, 0), slice(targets, 0));
        half.backward();
        double second = half.forward(slice(tokens, STEPS), slice(targets, STEPS));
        half.backward();
        List<double[]> halfGradients = gradients(network.parameters());
        RecurrentState halfEnd = half.state();

        assertEquals(wholeLoss, first + second, 1e-12, name);
        int decoder = network.parameters().size() - decoderParameters;
        for (int k = decoder; k < network.parameters().size(); k++) {
            double[] a = wholeGradients.get(k);
            double[] b = halfGradients.get(k);
            for (int i = 0; i < a.length; i++) {
                assertEquals(a[i], b[i], 1e-12, name + ": " + network.parameters().get(k).name() + "[" + i + "]");
            }
        }
        for (int layer = 0; layer < wholeEnd.layers(); layer++) {
            assertEquals(wholeEnd.hasCell(layer), halfEnd.hasCell(layer));
            assertArrayEquals(Harness.flatten(wholeEnd.hidden(layer)), Harness.flatten(halfEnd.hidden(layer)), 1e-12,
                    name + ": h of layer " + layer);
            if (wholeEnd.hasCell(layer)) {
                assertArrayEquals(Harness.flatten(wholeEnd.cell(layer)), Harness.flatten(halfEnd.cell(layer)), 1e-12,
                        name + ": c of layer " + layer);
            }
        }
        whole.close();
        half.close();
    }

    static Stream<Arguments> tiedModels() {
        NetworkConfig config = NetworkConfig.builder().dataType(DataType.DOUBLE).seed(8).build();
        return Stream.of(Arguments.of("LSTM", new TiedNetwork(config)), Arguments.of("GRU", new GruTiedNetwork(config)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tiedModels")
    void resetStateStartsFromZero(String name, Network<int[][], int[][]> network) {
        int[][] tokens = Harness.tokens(new Rng(9), BATCH, STEPS, 11);
        Workspace<int[][], int[][]> segment = network.workspace(BATCH, STEPS);
        double fresh = segment.forward(tokens, tokens);
        double carried = segment.forward(tokens, tokens);
        segment.resetState();
        double again = segment.forward(tokens, tokens);
        assertEquals(fresh, again, 0.0);
        assertEquals(false, fresh == carried, "a carried state changes the loss");
    }

    private static int[][] slice(int[][] rows, int from) {
        int[][] out = new int[rows.length][STEPS];
        for (int b = 0; b < rows.length; b++) {
            System.arraycopy(rows[b], from, out[b], 0, STEPS);
        }
        return out;
    }

    private static List<double[]> gradients(List<Parameter> parameters) {
        List<double[]> out = new ArrayList<>();
        for (Parameter p : parameters) {
            out.add(Harness.flatten(p.gradient()));
        }
        return out;
    }
}
