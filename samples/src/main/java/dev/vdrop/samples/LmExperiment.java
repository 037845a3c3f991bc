package dev.vdrop.samples;

import dev.vdrop.runtime.Network;
import dev.vdrop.runtime.Rng;
import dev.vdrop.runtime.VectorSupport;
import dev.vdrop.runtime.checkpoint.Checkpoint;
import dev.vdrop.runtime.checkpoint.CheckpointException;
import dev.vdrop.runtime.checkpoint.Checkpoints;
import dev.vdrop.runtime.eval.Perplexity;
import dev.vdrop.runtime.model.ModelFile;
import dev.vdrop.runtime.text.Corpus;
import dev.vdrop.runtime.text.CorpusTokenizer;
import dev.vdrop.runtime.train.EpochMetrics;
import dev.vdrop.runtime.train.LanguageModelTrainer;
import dev.vdrop.runtime.train.TrainingConfig;
import dev.vdrop.runtime.train.TrainingResult;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One run of the comparison protocol (docs/protocol.md) for one scheme and one cell: train the
 * {@code moby-small} model (LSTM or GRU layers) on a corpus, then measure validation and test
 * perplexity over 10 streams with the parameters after the last epoch — with the standard dropout
 * approximation and with MC dropout — beside the best validation perplexity and its epoch.
 */
final class LmExperiment {
    /**
     * The preset's vocabulary size, the most words the corpus's vocabulary keeps (a smaller text
     * gives fewer, and the network is built with as many); the split and tokenisation follow
     * docs/data.md.
     */
    static final int VOCABULARY = 10_000;
    static final int EVAL_STREAMS = 10;
    /** The most MC samples: K passes cost K times the time, and counts of passes stay far from int's end. */
    static final int MAX_MC_SAMPLES = 10_000;
    /** MC samples use their own random stream, independent of the training seed. */
    static final long MC_SEED_OFFSET = 0x9E3779B97F4A7C15L;

    /**
     * What to run.
     *
     * @param corpus a plain-text file, or null for the bundled Moby-Dick
     * @param tokenizer how the corpus becomes tokens: the comparison convention or words of every script
     * @param cell the recurrent layers' cell: the scheme's LSTM network or its GRU twin
     * @param checkpoint where to save a checkpoint after every epoch, or null
     * @param resume a checkpoint directory to continue from, or null
     * @param restoreBest whether the best epoch (by validation perplexity) is evaluated rather than
     *     the last; the comparison protocol evaluates the last
     * @param overwrite whether a new run may replace the checkpoint of an earlier run in {@code checkpoint}
     * @param clip the largest global gradient norm an SGD step uses (the protocol's 5; 0 for none)
     */
    record Options(Path corpus, CorpusTokenizer tokenizer, Scheme scheme, Cell cell, int epochs, long seed, int mcSamples,
                   Path checkpoint, Path resume, boolean progress, int batch, int steps, boolean restoreBest, boolean overwrite,
                   double clip) {
        /** The protocol's gradient-norm clip (docs/protocol.md). */
        static final double PROTOCOL_CLIP = 5;

        static void checkClip(double clip) {
            if (!(clip >= 0) || Double.isInfinite(clip)) {
                throw new UserError("--clip must be a finite number ≥ 0 (0 turns clipping off), got " + clip);
            }
        }

        Options {
            checkClip(clip);
            if (epochs <= 0) {
                throw new UserError("--epochs must be positive, got " + epochs);
            }
            if (mcSamples < 1) {
                throw new UserError("--mc-samples must be at least 1, got " + mcSamples);
            }
            if (mcSamples > MAX_MC_SAMPLES) {
                throw new UserError("--mc-samples must be at most " + MAX_MC_SAMPLES + ", got " + mcSamples
                        + "; the protocol's 50 already pins a perplexity down");
            }
            if (batch <= 0 || steps <= 0) {
                throw new UserError("--batch and --steps must be positive, got " + batch + " and " + steps);
            }
        }
    }

    /** The result of a run: the JSON report and what produced it. */
    record Outcome(Map<String, Object> report, TrainingResult training, Network<int[][], int[][]> network, Corpus corpus) {}

    private LmExperiment() {}

    /**
     * The {@code --tokenizer} choice by name.
     *
     * @param name {@code convention} or {@code unicode}
     * @return the tokenizer
     * @throws UserError for any other name
     */
    static CorpusTokenizer tokenizer(String name) {
        for (CorpusTokenizer t : CorpusTokenizer.values()) {
            if (t.label().equals(name)) {
                return t;
            }
        }
        throw new UserError("unknown --tokenizer '" + name + "'; use convention (the comparison's English words, the "
                + "default) or unicode (words of every script)");
    }

    static Corpus corpus(Path file, CorpusTokenizer tokenizer) {
        String text = file == null ? Resources.bundled(Resources.MOBY_DICK) : Resources.file(file);
        try {
            return Corpus.of(text, VOCABULARY, tokenizer);
        } catch (IllegalArgumentException e) {
            throw new UserError((file == null ? "the bundled corpus" : file.toString()) + ": " + e.getMessage());
        }
    }

    /** How a run trains its network; {@link LmCommand#train} is one. */
    @FunctionalInterface
    interface Training {
        TrainingResult train(Network<int[][], int[][]> network, LmCommand.SerializableNetworks networks,
                             LmCommand.SerializableSettings settings, TrainingConfig config, Corpus corpus);
    }

    static Outcome run(Options o, PrintStream log) {
        return run(o, log, (network, networks, settings, config, corpus) -> trainHere(network, config, corpus, o.resume()));
    }

    /**
     * Trains in this JVM with {@link LanguageModelTrainer}, from the start or from {@code resume}.
     *
     * @throws UserError when the checkpoint to resume from is refused
     */
    static TrainingResult trainHere(Network<int[][], int[][]> network, TrainingConfig config, Corpus corpus, Path resume) {
        LanguageModelTrainer trainer = new LanguageModelTrainer(config);
        List<String> words = corpus.vocabulary().words();
        if (resume != null) {
            try {
                return trainer.resume(network, corpus.train(), corpus.valid(), words, resume);
            } catch (CheckpointException e) {
                throw new UserError(e.getMessage());
            }
        }
        return trainer.train(network, corpus.train(), corpus.valid(), words);
    }

    /** The run's settings from a seed, without files or a progress bar. */
    static LmCommand.SerializableSettings settings(Options o) {
        int epochs = o.epochs();
        int batch = o.batch();
        int steps = o.steps();
        boolean restoreBest = o.restoreBest();
        double clip = o.clip();
        return seed -> TrainingConfig.builder().epochs(epochs).batch(batch).steps(steps).seed(seed).progress(false)
                .evalStreams(EVAL_STREAMS).restoreBest(restoreBest).clip(clip);
    }

    /** New networks of the run's scheme, cell and vocabulary (their initial weights from the run's seed). */
    static LmCommand.SerializableNetworks networks(Options o, int words) {
        Scheme scheme = o.scheme();
        Cell cell = o.cell();
        long seed = o.seed();
        return () -> scheme.create(cell, seed, words);
    }

    static Outcome run(Options o, PrintStream log, Training training) {
        checkResume(o);
        Corpus corpus = corpus(o.corpus(), o.tokenizer());
        long needed = (long) o.batch() * (o.steps() + 1L);
        if (corpus.train().length < needed) {
            throw new UserError("the corpus is too small for the moby-small preset: its training split has "
                    + corpus.train().length + " tokens, one segment of " + o.batch() + " streams × " + (o.steps() + 1L)
                    + " tokens needs " + needed);
        }
        if (corpus.valid().length < 2 * EVAL_STREAMS || corpus.test().length < 2 * EVAL_STREAMS) {
            throw new UserError("the corpus is too small to evaluate: its validation and test splits need at least "
                    + 2 * EVAL_STREAMS + " tokens each");
        }
        checkSegmentSize(o.batch(), o.steps(), corpus.vocabulary().size());
        // the vocabulary from the corpus: the preset's 10,000 words on the bundled Moby-Dick
        Network<int[][], int[][]> network = o.scheme().create(o.cell(), o.seed(), corpus.vocabulary().size());
        Path checkpointDir = o.checkpoint() != null ? o.checkpoint() : o.resume();
        LmCommand.SerializableSettings settings = settings(o);
        TrainingConfig config = settings.create(o.seed()).progress(o.progress()).checkpointDir(checkpointDir)
                .overwrite(o.overwrite()).build();
        log.printf(Locale.ROOT, "scheme %s: %s layers, %,d parameters; %,d / %,d / %,d tokens; %d epochs%n",
                o.scheme().label(), o.cell().display(), network.parameterCount(), corpus.train().length,
                corpus.valid().length, corpus.test().length, o.epochs());
        log.printf(Locale.ROOT, "  element-wise kernels: %s%n", VectorSupport.description());
        TrainingResult result = training.train(network, networks(o, corpus.vocabulary().size()), settings, config, corpus);
        // the whole run's epochs: a resumed run's history starts at epoch 1
        for (EpochMetrics m : result.epochs()) {
            log.printf(Locale.ROOT, "  epoch %2d  lr %.4f  train ppl %8.2f  valid ppl %8.2f  %,.0f tokens/s%n", m.epoch(),
                    m.learningRate(), m.trainPerplexity(), m.validPerplexity(), m.trainTokensPerSecond());
        }
        double valid = Perplexity.standard(network, corpus.valid(), EVAL_STREAMS, o.steps()).perplexity();
        double test = Perplexity.standard(network, corpus.test(), EVAL_STREAMS, o.steps()).perplexity();
        Rng mc = new Rng(o.seed() ^ MC_SEED_OFFSET);
        long mcStart = System.nanoTime();
        double validMc = Perplexity.mc(network, corpus.valid(), EVAL_STREAMS, o.steps(), o.mcSamples(), mc).perplexity();
        double testMc = Perplexity.mc(network, corpus.test(), EVAL_STREAMS, o.steps(), o.mcSamples(), mc).perplexity();
        double mcSeconds = (System.nanoTime() - mcStart) / 1e9;
        Map<String, Double> perplexities = new LinkedHashMap<>();
        perplexities.put("validation perplexity", valid);
        perplexities.put("test perplexity", test);
        perplexities.put("validation perplexity with MC dropout", validMc);
        perplexities.put("test perplexity with MC dropout", testMc);
        FiniteScores.require("scheme " + o.scheme().label(), perplexities);
        log.printf(Locale.ROOT, "  %s: valid ppl %.2f (MC %.2f), test ppl %.2f (MC %.2f, K = %d)%n", o.scheme().label(),
                valid, validMc, test, testMc, o.mcSamples());

        Map<String, Object> report = new LinkedHashMap<>();
        report.put("scheme", o.scheme().label());
        report.put("cell", o.cell().label());
        report.put("preset", "moby-small");
        report.put("corpus", o.corpus() == null ? "bundled moby-dick.txt" : o.corpus().toString());
        report.put("tokenizer", corpus.tokenizer().label());
        report.put("seed", o.seed());
        report.put("epochs", config.epochs());
        report.put("parameters", network.parameterCount());
        report.put("valid_ppl", valid);
        report.put("test_ppl", test);
        report.put("valid_ppl_mc", validMc);
        report.put("test_ppl_mc", testMc);
        report.put("mc_samples", o.mcSamples());
        report.put("best_valid_ppl", result.bestValidPerplexity());
        report.put("best_epoch", result.bestEpoch());
        // the median over the whole run's epochs, those before a resume included
        report.put("train_tokens_per_second", median(result.epochs().stream().mapToDouble(EpochMetrics::trainTokensPerSecond).toArray()));
        report.put("mc_eval_seconds", mcSeconds);
        List<Map<String, Object>> history = new ArrayList<>();
        for (EpochMetrics m : result.epochs()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("epoch", m.epoch());
            e.put("learning_rate", m.learningRate());
            e.put("train_ppl", m.trainPerplexity());
            e.put("valid_ppl", m.validPerplexity());
            e.put("train_tokens_per_second", m.trainTokensPerSecond());
            history.add(e);
        }
        report.put("history", history);
        report.put("tokens", Map.of("train", corpus.train().length, "valid", corpus.valid().length,
                "test", corpus.test().length));
        report.put("config", config.describe());
        return new Outcome(report, result, network, corpus);
    }

    /**
     * Checks the checkpoint to resume from against what this run asks for, before the corpus is
     * read: its scheme and cell (the checkpoint names its network's class; the user typed a scheme
     * and a cell) and its epochs. The trainer checks the rest (format, vocabulary, settings) and
     * checks the epochs again.
     *
     * @throws UserError when the checkpoint cannot be read, is of another scheme or cell (naming the
     *     flags it was trained with and this run's), or has trained more epochs than {@code --epochs}
     */
    static void checkResume(Options o) {
        if (o.resume() == null) {
            return;
        }
        Checkpoint checkpoint;
        try {
            checkpoint = Checkpoints.load(o.resume().resolve(LanguageModelTrainer.CHECKPOINT_FILE));
        } catch (CheckpointException e) {
            throw new UserError(e.getMessage());
        }
        if (ModelFile.isModelFile(checkpoint)) {
            return; // the trainer says what it is and what to do
        }
        String model = checkpoint.metadata().get("model");
        Scheme.Trained trained = model == null ? null : Scheme.ofNetworkClass(model).orElse(null);
        if (trained != null) {
            List<String> then = new ArrayList<>();
            List<String> now = new ArrayList<>();
            if (trained.scheme() != o.scheme()) {
                then.add("--scheme " + trained.scheme().label());
                now.add("--scheme " + o.scheme().label());
            }
            if (trained.cell() != o.cell()) {
                then.add("--cell " + trained.cell().label());
                now.add("--cell " + o.cell().label());
            }
            if (!then.isEmpty()) {
                throw new UserError("the checkpoint in " + o.resume() + " was trained with " + String.join(" ", then)
                        + "; this run asks for " + String.join(" ", now) + "; resume with " + String.join(" ", then));
            }
        }
        long done;
        try {
            done = checkpoint.requireLong("epoch");
        } catch (CheckpointException e) {
            return; // the trainer refuses it with its own message
        }
        if (done > o.epochs()) {
            throw new UserError("the checkpoint in " + o.resume() + " has trained " + done + " epochs, more than --epochs "
                    + o.epochs() + "; resume with --epochs " + done + " or more (" + done
                    + " trains nothing more and reports the whole run)");
        }
    }

    /**
     * A segment's softmax holds B·T·V values in one array (an int-indexed one), and training keeps
     * them and their gradient in float32: checked in long arithmetic, before the network is built.
     *
     * @throws UserError when B·T·V passes the largest array, or the softmax alone would need more
     *     than the heap
     */
    static void checkSegmentSize(int batch, int steps, int words) {
        long values = (long) batch * steps * words;
        if (values > Integer.MAX_VALUE) {
            throw new UserError(String.format(Locale.ROOT, "--batch %d × --steps %d × %,d words = %,d softmax values per "
                    + "segment, more than one array holds (%,d); use a smaller --batch or --steps", batch, steps,
                    words, values, Integer.MAX_VALUE));
        }
        long bytes = values * 2 * Float.BYTES;
        long max = Runtime.getRuntime().maxMemory();
        if (bytes > max) {
            throw new UserError(String.format(Locale.ROOT, "--batch %d × --steps %d × %,d words: the softmax of a segment "
                    + "and its gradient alone need %,.0f MB, more than the Java heap's %,.0f MB; use a smaller --batch or "
                    + "--steps, or give the JVM more with VDROP_JAVA_OPTS, e.g. VDROP_JAVA_OPTS=-Xmx%dg", batch,
                    steps, words, bytes / 1048576.0, max / 1048576.0, Math.max(1, (3 * bytes + (1L << 30) - 1) >> 30)));
        }
    }

    static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
