package dev.vdrop.bench;

import static dev.vdrop.bench.ClassifierConfig.BATCHES;
import static dev.vdrop.bench.ClassifierConfig.CLASSES;
import static dev.vdrop.bench.ClassifierConfig.LONGEST;
import static dev.vdrop.bench.ClassifierConfig.ROWS;

import dev.vdrop.runtime.DropoutMode;
import dev.vdrop.runtime.Gradients;
import dev.vdrop.runtime.Network;
import dev.vdrop.runtime.NetworkConfig;
import dev.vdrop.runtime.Rng;
import dev.vdrop.runtime.VectorSupport;
import dev.vdrop.runtime.Workspace;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * vdrop's side of the classifier group, in its own JVM: training steps of the word-level classifier
 * ({@link BenchModels.Classifier}) on {@link ClassifierConfig}'s unsorted ragged batches, each step
 * as {@link VdropBench}'s (sample masks, zero the gradients, forward with the softmax over the
 * classes at each sequence's last step and the loss averaged over the sequences, backward, clip the
 * global norm to 5, SGD with learning rate 1) in one workspace of 20 × 300. A timed run is one
 * pass over the {@link ClassifierConfig#BATCHES} batches; train tokens/s = their tokens ÷ its
 * median time. The PyTorch reference's {@code --classifier} mode times the same batches' shapes.
 */
final class ClassifierBench {
    private ClassifierBench() {}

    static Map<String, Object> run(double seconds) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("framework", "vdrop");
        out.put("config", "classifier");
        out.put("description", ClassifierConfig.describe());
        out.put("environment", Proc.environment());
        out.put("kernels", VectorSupport.description());
        Network<int[][], int[]> network = new SmallClassifier(NetworkConfig.builder().seed(1).initScale(0.1).build());
        out.put("parameters", network.parameterCount());

        int[][] lengths = ClassifierConfig.lengths();
        Rng draw = new Rng(1);
        int[][][] inputs = new int[BATCHES][][];
        int[][] labels = new int[BATCHES][ROWS];
        int tokens = 0;
        for (int k = 0; k < BATCHES; k++) {
            inputs[k] = VdropBench.tokens(draw, lengths[k]);
            for (int b = 0; b < ROWS; b++) {
                labels[k][b] = (int) (draw.nextDouble() * CLASSES);
                tokens += lengths[k][b];
            }
        }
        out.put("lengths", lengths);
        out.put("tokens_per_cycle", tokens);

        Rng rng = new Rng(2);
        double[] loss = {0};
        try (Workspace<int[][], int[]> workspace = network.workspace(ROWS, LONGEST)) {
            Runnable cycle = () -> {
                for (int k = 0; k < BATCHES; k++) {
                    workspace.sampleMasks(rng, DropoutMode.TRAIN);
                    Gradients.zero(network.parameters());
                    loss[0] = workspace.forward(inputs[k], labels[k]);
                    workspace.backward();
                    double norm = Gradients.globalNorm(network.parameters());
                    Gradients.sgdStep(network.parameters(), 1.0, 0, Gradients.clipScale(norm, 5));
                }
            };
            Harness.Timing timing = Harness.measure(cycle, Harness.warmupFor(seconds), seconds);
            Map<String, Object> train = timing.toMap(tokens);
            train.put("sequences_per_s", timing.rate((double) BATCHES * ROWS));
            out.put("train", train);
        }
        out.put("train_loss_last", loss[0]);
        if (!(loss[0] > 0) || Double.isInfinite(loss[0])) {
            throw new IllegalStateException("vdrop's classifier training step gives loss " + loss[0]);
        }
        out.put("peak_rss_mb", Proc.peakRssMb());
        out.put("load_1min_after", Proc.loadAverage());
        return out;
    }
}
