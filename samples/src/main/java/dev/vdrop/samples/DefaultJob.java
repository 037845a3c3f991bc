package dev.vdrop.samples;

import dev.vdrop.runtime.NetworkConfig;
import dev.vdrop.runtime.text.Corpus;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.ndarray.INDArray;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The default job: reads the bundled <i>Moby-Dick</i>, builds the vocabulary, builds the
 * generated {@code MobyDickLmNetwork}, prints its summary and runs its forward pass (dropout off)
 * over the first validation tokens.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "The default job: the Moby-Dick language model on the bundled text.")
final class DefaultJob implements Callable<Integer> {
    @Option(names = "--seed", description = "Seed of the initial weights (default: ${DEFAULT-VALUE}).")
    long seed = 1;

    @Option(names = "--batch", description = "Parallel streams (default: ${DEFAULT-VALUE}).")
    int batch = 20;

    @Option(names = "--steps", description = "Steps per stream (default: ${DEFAULT-VALUE}).")
    int steps = 35;

    @Override
    public Integer call() {
        if (batch <= 0 || steps <= 0) {
            throw new UserError("--batch and --steps must be positive, got " + batch + " and " + steps);
        }
        Corpus corpus = Corpus.of(Resources.bundled(Resources.MOBY_DICK), 10_000);
        System.out.printf(Locale.ROOT, "Moby-Dick: %,d train, %,d validation, %,d test tokens; vocabulary %,d%n",
                corpus.train().length, corpus.valid().length, corpus.test().length, corpus.vocabulary().size());

        MobyDickLmNetwork network = new MobyDickLmNetwork(NetworkConfig.builder().seed(seed).initScale(0.1).build());
        System.out.println();
        System.out.print(network.summary());
        System.out.println();

        int[] valid = corpus.valid();
        if ((long) batch * (steps + 1) > valid.length) {
            throw new UserError("the validation split has " + valid.length + " tokens, fewer than "
                    + batch + " × " + (steps + 1) + "; use a smaller --batch or --steps");
        }
        int[][] input = new int[batch][steps];
        int[][] target = new int[batch][steps];
        int stride = valid.length / batch;
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < steps; t++) {
                input[b][t] = valid[b * stride + t];
                target[b][t] = valid[b * stride + t + 1];
            }
        }
        long start = System.nanoTime();
        INDArray probabilities = network.predict(input);
        double seconds = (System.nanoTime() - start) / 1e9;
        double nll = 0;
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < steps; t++) {
                nll -= Math.log(probabilities.getDouble(b, t, target[b][t]));
            }
        }
        double perplexity = Math.exp(nll / (batch * steps));
        System.out.printf(Locale.ROOT, "Forward pass, dropout off, %d streams × %d steps: %.3f s; "
                + "perplexity of the untrained model %.1f (a uniform guess over the vocabulary scores %,d)%n",
                batch, steps, seconds, perplexity, corpus.vocabulary().size());
        return 0;
    }
}
