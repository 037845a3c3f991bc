package dev.vdrop.samples;

import dev.vdrop.runtime.DropoutMode;
import dev.vdrop.runtime.Gradients;
import dev.vdrop.runtime.Network;
import dev.vdrop.runtime.Parameter;
import dev.vdrop.runtime.Rng;
import dev.vdrop.runtime.Workspace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * N training steps of the samples' awd model as the protocol takes them — new masks for every
 * segment, the state carried from segment to segment, the global gradient norm clipped to 5 (the
 * factor folded into the step, as {@code LanguageModelTrainer} does), SGD with learning rate 1 —
 * written out for {@code replay.py}: the initial parameters, each step's masks ({@code sK.m.NAME})
 * and tokens, and each step's loss and gradient norm before clipping ({@code losses.txt}). The
 * targets follow the inputs ({@code (7·x + t) mod 50} over 50 words) so the loss falls and the
 * gradients grow, as early in the protocol's runs.
 *
 * <pre>java … dev.vdrop.samples.Steps lstm|gru DIR N</pre>
 */
public final class Steps {
    public static void main(String[] args) throws IOException {
        String cell = args[0];
        Path dir = Path.of(args[1]);
        int count = Integer.parseInt(args[2]);
        Files.createDirectories(dir);
        Files.deleteIfExists(dir.resolve("shapes.txt"));
        Network<int[][], int[][]> network = Dump.awd(cell);
        Workspace<int[][], int[][]> workspace = network.workspace(Dump.BATCH, Dump.STEPS);
        for (Parameter p : network.parameters()) {
            Dump.write(dir, "p." + p.name(), p.value());
        }
        Random random = new Random(9);
        Rng masks = new Rng(5);
        StringBuilder tokens = new StringBuilder();
        StringBuilder losses = new StringBuilder();
        workspace.resetState();
        for (int step = 0; step < count; step++) {
            int[][] inputs = new int[Dump.BATCH][Dump.STEPS];
            int[][] targets = new int[Dump.BATCH][Dump.STEPS];
            for (int b = 0; b < Dump.BATCH; b++) {
                for (int t = 0; t < Dump.STEPS; t++) {
                    inputs[b][t] = random.nextInt(Dump.WORDS) % 50;
                    targets[b][t] = (inputs[b][t] * 7 + t) % 50;
                    tokens.append(inputs[b][t]).append(' ').append(targets[b][t]).append(' ');
                }
                tokens.append('\n');
            }
            tokens.append("--\n");
            workspace.sampleMasks(masks, DropoutMode.TRAIN);
            String prefix = "s" + step + ".m.";
            workspace.masks().forEach((name, mask) -> Dump.write(dir, prefix + name, mask));
            Gradients.zero(network.parameters());
            double loss = workspace.forward(inputs, targets);
            workspace.backward();
            double norm = Gradients.globalNorm(network.parameters());
            Gradients.sgdStep(network.parameters(), 1.0, 0.0, Gradients.clipScale(norm, 5.0));
            losses.append(loss).append(' ').append(norm).append('\n');
        }
        Files.writeString(dir.resolve("tokens.txt"), tokens);
        Files.writeString(dir.resolve("losses.txt"), losses);
    }
}
