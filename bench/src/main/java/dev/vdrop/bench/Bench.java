package dev.vdrop.bench;

import dev.vdrop.runtime.DropoutMode;
import dev.vdrop.runtime.Gradients;
import dev.vdrop.runtime.Network;
import dev.vdrop.runtime.NetworkConfig;
import dev.vdrop.runtime.Rng;
import dev.vdrop.runtime.Segment;
import java.util.Arrays;
import java.util.Locale;

/**
 * Times vdrop's training step (forward, backward, clipped SGD step, softmax over the vocabulary
 * included) on synthetic token ids: throughput does not depend on the text. Prints medians.
 *
 * <pre>java -cp ... dev.vdrop.bench.Bench [small|medium] [seconds]</pre>
 */
public final class Bench {
    static final int BATCH = 20;
    static final int STEPS = 35;

    private Bench() {}

    public static void main(String[] args) {
        String config = args.length > 0 ? args[0] : "small";
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 20;
        Network<int[][], int[][]> network = config.equals("medium")
                ? new MediumLm(NetworkConfig.builder().seed(1).build())
                : new SmallLm(NetworkConfig.builder().seed(1).build());
        double[] times = trainTimes(network, seconds);
        double median = median(times);
        System.out.printf(Locale.ROOT, "%s train: median %.1f ms per segment, %.0f tokens/s (%d segments)%n",
                config, median * 1e3, BATCH * STEPS / median, times.length);
    }

    static double[] trainTimes(Network<int[][], int[][]> network, double seconds) {
        Rng rng = new Rng(1);
        int[][] input = tokens(rng);
        int[][] target = tokens(rng);
        Segment<int[][], int[][]> segment = network.segment(BATCH, STEPS);
        for (int i = 0; i < 3; i++) {
            step(network, segment, input, target, rng);
        }
        double[] times = new double[10_000];
        int n = 0;
        long end = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < end && n < times.length) {
            long start = System.nanoTime();
            step(network, segment, input, target, rng);
            times[n++] = (System.nanoTime() - start) / 1e9;
        }
        return Arrays.copyOf(times, n);
    }

    static void step(Network<int[][], int[][]> network, Segment<int[][], int[][]> segment, int[][] input, int[][] target,
                     Rng rng) {
        segment.sampleMasks(rng, DropoutMode.TRAIN);
        Gradients.zero(network.parameters());
        segment.forward(input, target);
        segment.backward();
        Gradients.clip(network.parameters(), 5);
        Gradients.sgdStep(network.parameters(), 1.0, 0);
    }

    static int[][] tokens(Rng rng) {
        int[][] out = new int[BATCH][STEPS];
        for (int[] row : out) {
            for (int t = 0; t < STEPS; t++) {
                row[t] = (int) (rng.nextDouble() * 10_000);
            }
        }
        return out;
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
