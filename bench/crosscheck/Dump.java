package dev.vdrop.samples;

import dev.vdrop.runtime.DropoutMode;
import dev.vdrop.runtime.Gradients;
import dev.vdrop.runtime.Mat;
import dev.vdrop.runtime.Network;
import dev.vdrop.runtime.NetworkConfig;
import dev.vdrop.runtime.Parameter;
import dev.vdrop.runtime.Rng;
import dev.vdrop.runtime.Workspace;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;

/**
 * One training pass of the samples' awd model ({@code MobySmallAwd} or {@code MobySmallGruAwd}, 1,000
 * words, 4 × 12 tokens), written out for {@code cross.py}: the parameters, the training masks, the
 * batch, the loss and every gradient, each matrix as float64 little-endian row-major
 * {@code NAME.bin} with its shape in {@code shapes.txt}.
 *
 * <pre>java … dev.vdrop.samples.Dump lstm|gru DIR</pre>
 *
 * In package {@code dev.vdrop.samples} because the samples' models are package-private; run.sh
 * compiles it against the samples' jar.
 */
public final class Dump {
    static final int WORDS = 1000;
    static final int BATCH = 4;
    static final int STEPS = 12;

    public static void main(String[] args) throws IOException {
        String cell = args[0];
        Path dir = Path.of(args[1]);
        Files.createDirectories(dir);
        Files.deleteIfExists(dir.resolve("shapes.txt"));
        Network<int[][], int[][]> network = awd(cell);
        Workspace<int[][], int[][]> workspace = network.workspace(BATCH, STEPS);
        Random random = new Random(9);
        int[][] inputs = new int[BATCH][STEPS];
        int[][] targets = new int[BATCH][STEPS];
        StringBuilder tokens = new StringBuilder();
        for (int b = 0; b < BATCH; b++) {
            for (int t = 0; t < STEPS; t++) {
                inputs[b][t] = random.nextInt(WORDS);
                targets[b][t] = random.nextInt(WORDS);
                tokens.append(inputs[b][t]).append(' ').append(targets[b][t]).append(' ');
            }
            tokens.append('\n');
        }
        Files.writeString(dir.resolve("tokens.txt"), tokens);
        workspace.sampleMasks(new Rng(5), DropoutMode.TRAIN);
        Gradients.zero(network.parameters());
        for (Parameter p : network.parameters()) {
            write(dir, "p." + p.name(), p.value());
        }
        workspace.masks().forEach((name, mask) -> write(dir, "m." + name, mask));
        double loss = workspace.forward(inputs, targets);
        workspace.backward();
        for (Parameter p : network.parameters()) {
            write(dir, "g." + p.name(), p.gradient());
        }
        Files.writeString(dir.resolve("loss.txt"), Double.toString(loss));
        System.out.println("vdrop loss " + loss + "; masks " + workspace.masks().keySet());
    }

    /** The samples' awd model of {@code cell} at {@link #WORDS} words, seed 3, weights uniform in ±0.1. */
    static Network<int[][], int[][]> awd(String cell) {
        NetworkConfig config = NetworkConfig.builder().seed(3).initScale(0.1).build();
        return "lstm".equals(cell)
                ? MobySmallAwd.builder().vocabulary(WORDS).classes(WORDS).config(config).build()
                : MobySmallGruAwd.builder().vocabulary(WORDS).classes(WORDS).config(config).build();
    }

    /** Appends {@code m} as {@code DIR/name.bin} and its shape to {@code DIR/shapes.txt}. */
    static void write(Path dir, String name, Mat m) {
        ByteBuffer buffer = ByteBuffer.allocate(m.rows() * m.cols() * Double.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (int r = 0; r < m.rows(); r++) {
            for (int c = 0; c < m.cols(); c++) {
                buffer.putDouble(m.get(r, c));
            }
        }
        try {
            Files.write(dir.resolve(name + ".bin"), buffer.array());
            Files.writeString(dir.resolve("shapes.txt"), name + " " + m.rows() + " " + m.cols() + "\n",
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
