package dev.vdrop.processor;

import com.google.testing.compile.Compilation;
import dev.vdrop.runtime.DropoutMode;
import dev.vdrop.runtime.Mat;
import dev.vdrop.runtime.Network;
import dev.vdrop.runtime.NetworkConfig;
import dev.vdrop.runtime.Parameter;
import dev.vdrop.runtime.Rng;
import dev.vdrop.runtime.Workspace;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.tools.JavaFileObject;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The classes of a compile-testing {@link Compilation}, loaded beside the runtime, and a fixed
 * run of one of its networks: float64, one seed for the parameters, one for the masks, one
 * segment with targets (forward, backward), then the same input without targets and through
 * {@code predict}. Two networks of the same {@link ModelKind} that differ only in names give the
 * same {@link Outcome} bit for bit.
 */
final class GeneratedNetworks extends ClassLoader {
    static final int BATCH = 3;
    static final int STEPS = 4;

    private final Map<String, byte[]> classes = new HashMap<>();

    GeneratedNetworks(Compilation compilation) {
        super(GeneratedNetworks.class.getClassLoader());
        for (JavaFileObject file : compilation.generatedFiles()) {
            if (file.getKind() != JavaFileObject.Kind.CLASS) {
                continue;
            }
            String path = file.toUri().getPath();
            String name = path.substring(path.indexOf("/CLASS_OUTPUT/") + "/CLASS_OUTPUT/".length(),
                    path.length() - ".class".length()).replace('/', '.');
            try (InputStream in = file.openInputStream()) {
                classes.put(name, in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        byte[] bytes = classes.get(name);
        if (bytes == null) {
            throw new ClassNotFoundException(name);
        }
        return defineClass(name, bytes, 0, bytes.length);
    }

    /**
     * What a run computed.
     *
     * @param loss the loss of the forward pass with targets
     * @param gradients every parameter's gradient after backward, in the order of parameters()
     * @param inputGradient ∂L/∂x of the first LSTM's input
     * @param output the output of a forward pass without targets
     * @param predicted what predict() returns
     */
    record Outcome(double loss, List<double[]> gradients, double[] inputGradient, double[] output, double[] predicted) {}

    @SuppressWarnings({"unchecked", "rawtypes"})
    Outcome run(String networkClass, ModelKind kind) throws ReflectiveOperationException {
        NetworkConfig config = NetworkConfig.builder().dataType(DataType.DOUBLE).seed(7).build();
        Network network = create(loadClass(networkClass), config, kind);
        Rng data = new Rng(3);
        Object input = kind.input() == ModelKind.Input.TOKENS
                ? ids(data, BATCH, STEPS, ModelKind.VOCABULARY) : values(data, BATCH, STEPS, ModelKind.FEATURES);
        Object targets = switch (kind.head()) {
            case SOFTMAX_EVERY_STEP -> ids(data, BATCH, STEPS, kind.outputs());
            case SOFTMAX_LAST_STEP -> ids(data, 1, BATCH, kind.outputs())[0];
            case REGRESSION_EVERY_STEP -> values(data, BATCH, STEPS, kind.outputs());
            case REGRESSION_LAST_STEP -> values(data, 1, BATCH, kind.outputs())[0];
        };
        try (Workspace workspace = network.workspace(BATCH, STEPS)) {
            workspace.sampleMasks(new Rng(5), DropoutMode.TRAIN);
            double loss = workspace.forward(input, targets);
            workspace.backward();
            List<double[]> gradients = new ArrayList<>();
            for (Object p : network.parameters()) {
                gradients.add(flatten(((Parameter) p).gradient()));
            }
            double[] inputGradient = flatten(workspace.inputGradient());
            workspace.forward(input);
            double[] output = flatten(workspace.output());
            double[] predicted = network.predict(input).dup().data().asDouble();
            return new Outcome(loss, gradients, inputGradient, output, predicted);
        }
    }

    /**
     * The network, through its constructor when every size is written, else through its builder,
     * given each size it asks for (a tied decoder's classes are the vocabulary: it asks for none).
     */
    private static Network<?, ?> create(Class<?> network, NetworkConfig config, ModelKind kind)
            throws ReflectiveOperationException {
        try {
            return (Network<?, ?>) network.getConstructor(NetworkConfig.class).newInstance(config);
        } catch (NoSuchMethodException sizesFromTheData) {
            Object builder = network.getMethod("builder").invoke(null);
            Map<String, Integer> sizes = Map.of("vocabulary", ModelKind.VOCABULARY, "features", ModelKind.FEATURES,
                    "classes", kind.outputs(), "outputs", kind.outputs());
            for (Map.Entry<String, Integer> size : sizes.entrySet()) {
                try {
                    builder.getClass().getMethod(size.getKey(), int.class).invoke(builder, size.getValue());
                } catch (NoSuchMethodException declared) {
                    // written in the annotation
                }
            }
            builder.getClass().getMethod("config", NetworkConfig.class).invoke(builder, config);
            return (Network<?, ?>) builder.getClass().getMethod("build").invoke(builder);
        }
    }

    /** {@code [rows][cols]} ids in [0, range). */
    private static int[][] ids(Rng rng, int rows, int cols, int range) {
        int[][] out = new int[rows][cols];
        for (int[] row : out) {
            for (int j = 0; j < cols; j++) {
                row[j] = (int) (rng.nextDouble() * range);
            }
        }
        return out;
    }

    /** {@code [rows][cols][width]} values in [−1, 1). */
    private static double[][][] values(Rng rng, int rows, int cols, int width) {
        double[][][] out = new double[rows][cols][width];
        for (double[][] row : out) {
            for (double[] cell : row) {
                for (int j = 0; j < width; j++) {
                    cell[j] = rng.uniform(-1, 1);
                }
            }
        }
        return out;
    }

    private static double[] flatten(Mat m) {
        double[] out = new double[m.rows() * m.cols()];
        for (int c = 0; c < m.cols(); c++) {
            for (int r = 0; r < m.rows(); r++) {
                out[c * m.rows() + r] = m.get(r, c);
            }
        }
        return out;
    }
}
