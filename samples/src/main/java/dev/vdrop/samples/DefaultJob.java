package dev.vdrop.samples;

import dev.vdrop.runtime.Rng;
import dev.vdrop.runtime.eval.McPredictor;
import dev.vdrop.runtime.mc.ClassPrediction;
import dev.vdrop.runtime.text.CorpusTokenizer;
import dev.vdrop.runtime.text.Tokenizer;
import dev.vdrop.runtime.text.Vocabulary;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The default job ({@code ./vdrop} with no command): trains the variational language model on the
 * bundled <i>Moby-Dick</i> for a few epochs, prints validation and test perplexity with the
 * standard dropout approximation and with MC dropout, then a few next-word predictions with their
 * predictive entropy and mutual information; then a short forecast of US births with the coverage
 * of its 95% intervals and the path of its plot. The forecast's results go to {@code vdrop-out} (or
 * {@code --out}), replacing those of the previous default job: the default job owns that directory.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"The default job: the variational Moby-Dick language model, MC predictions, and a births forecast.",
                "The language model keeps its last epoch (the comparison protocol's); the forecaster its best by validation loss."})
final class DefaultJob implements Callable<Integer> {
    /** Contexts whose next word the demo predicts. */
    static final List<String> CONTEXTS = List.of("call me", "the white", "the captain of the", "there she");

    // Initialised here too: `./vdrop` with no command runs a DefaultJob that picocli never parsed.
    @Option(names = "--epochs", defaultValue = "2", description = "Language-model epochs (default: ${DEFAULT-VALUE}).")
    int epochs = 2;

    @Option(names = "--seed", defaultValue = "1", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed = 1;

    @Option(names = "--mc-samples", defaultValue = "20", description = "MC-dropout samples (default: ${DEFAULT-VALUE}).")
    int mcSamples = 20;

    @Option(names = "--out", defaultValue = "vdrop-out",
            description = "Where the births forecast is written; each run replaces the previous run's results there (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("vdrop-out");

    @Option(names = "--no-forecast", description = "Skip the births forecast.")
    boolean noForecast;

    @Override
    public Integer call() {
        if (!noForecast) {
            // the forecast's directory, before the language model trains: a mistake costs nothing yet
            Outputs.release(List.of(Outputs.claim("--out", out, true, ForecastCommand.RESULTS)));
        }
        System.out.println("vdrop: the variational LSTM language model (moby-small) on the bundled Moby-Dick");
        LmExperiment.Outcome lm = LmExperiment.run(new LmExperiment.Options(null, CorpusTokenizer.CONVENTION,
                Scheme.VARIATIONAL, Cell.LSTM, epochs, seed, mcSamples, null, null, true, 20, 35, false, false,
                LmExperiment.Options.PROTOCOL_CLIP), System.out);
        System.out.println();
        System.out.printf(Locale.ROOT, "Next-word predictions with MC dropout (K = %d): the mean predictive distribution,%n"
                + "its entropy H[p̄] and the mutual information H[p̄] − E[H[p_k]] (nats; how much the samples disagree)%n",
                mcSamples);
        Vocabulary vocabulary = lm.corpus().vocabulary();
        Rng rng = new Rng(seed + 17);
        for (String context : CONTEXTS) {
            int[] ids = encode(vocabulary, context);
            ClassPrediction p = McPredictor.next(lm.network(), ids, mcSamples, rng);
            System.out.printf(Locale.ROOT, "  %-22s → %s   entropy %.2f, mutual information %.3f%n", "\"" + context + " …\"",
                    top(p, vocabulary, 3), p.predictiveEntropy(), p.mutualInformation());
        }
        if (!noForecast) {
            System.out.println();
            System.out.println("vdrop: an MC-dropout LSTM forecaster of daily US births 1969–1988 (test span: the last 20%)");
            CommandLine forecast = new CommandLine(new ForecastCommand());
            forecast.parseArgs(forecastArgs(out, seed));
            // called, not executed: a mistake reaches Main as one line with exit code 2
            int code = forecast.<ForecastCommand>getCommand().call();
            if (code != 0) {
                return code;
            }
        }
        return 0;
    }

    /**
     * The forecast's arguments. The default job owns its output directory: {@code --overwrite}, so that
     * {@code ./vdrop} run again replaces its own previous results (another run at the same time is
     * still refused by the directory's lock).
     */
    static String[] forecastArgs(Path out, long seed) {
        return new String[] {"--out", out.toString(), "--seed", Long.toString(seed), "--overwrite"};
    }

    static String top(ClassPrediction p, Vocabulary vocabulary, int k) {
        List<String> words = new ArrayList<>();
        IntStream.range(0, p.classes()).boxed()
                .sorted(Comparator.comparingDouble((Integer c) -> -p.probability(c)))
                .limit(k)
                .forEach(c -> words.add(String.format(Locale.ROOT, "%s %.2f", vocabulary.word(c), p.probability(c))));
        return String.join(", ", words);
    }

    /** The ids of a context, without the {@code <eos>} the tokenizer ends a paragraph with. */
    static int[] encode(Vocabulary vocabulary, String context) {
        List<String> tokens = Tokenizer.tokenize(context);
        return vocabulary.encode(tokens.subList(0, tokens.size() - 1));
    }
}
