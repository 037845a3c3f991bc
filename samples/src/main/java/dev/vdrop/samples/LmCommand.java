package dev.vdrop.samples;

import dev.vdrop.runtime.Network;
import dev.vdrop.runtime.io.DirectoryLock;
import dev.vdrop.runtime.io.DirectoryLockedException;
import dev.vdrop.runtime.io.OutputCheck;
import dev.vdrop.runtime.io.OutputException;
import dev.vdrop.runtime.model.ModelFile;
import dev.vdrop.runtime.model.ModelFileException;
import dev.vdrop.runtime.model.ModelInput;
import dev.vdrop.runtime.model.PredictionInfo;
import dev.vdrop.runtime.model.Tokenization;
import dev.vdrop.runtime.text.Corpus;
import dev.vdrop.runtime.train.LanguageModelTrainer;
import dev.vdrop.runtime.train.TrainingConfig;
import dev.vdrop.runtime.train.TrainingException;
import dev.vdrop.runtime.train.TrainingResult;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vdrop lm}: trains one scheme of the comparison protocol on a plain-text corpus and writes
 * its perplexities (standard approximation and MC dropout) as JSON. Every output is checked before
 * any training; an earlier run's results or checkpoint are replaced only with {@code --overwrite}.
 *
 * <p>A subclass may train elsewhere ({@code vdrop-spark lm} trains on Spark): it overrides
 * {@link #train} and {@link #report}; the flags, corpus, evaluation and files stay this command's.
 */
@Command(name = "lm", mixinStandardHelpOptions = true,
        description = "Train a word-level LSTM (or GRU) language model with one dropout scheme and write its perplexities as JSON.")
public class LmCommand implements Callable<Integer> {
    /** The training settings from a seed, without files or a progress bar; serializable, for Spark's replicas. */
    @FunctionalInterface
    public interface SerializableSettings extends Serializable {
        /**
         * The settings of a run.
         *
         * @param seed the run's seed (the masks)
         * @return a builder with the epochs, batch, steps, evaluation streams, restore-best and seed set
         */
        TrainingConfig.Builder create(long seed);
    }

    /** New networks like the one a run trains; serializable, for Spark's replicas. */
    @FunctionalInterface
    public interface SerializableNetworks extends Serializable {
        /** {@return a new network of the run's scheme, cell and vocabulary} */
        Network<int[][], int[][]> create();
    }

    @Option(names = "--corpus", paramLabel = "PATH",
            description = "Plain-text UTF-8 corpus, tokenised and split as docs/data.md says (default: the bundled Moby-Dick).")
    Path corpus;

    @Option(names = "--tokenizer", defaultValue = "convention", paramLabel = "NAME",
            description = {"How the corpus becomes words: convention (the papers' comparison: lower-cased [a-z0-9] words "
                    + "and punctuation; refuses a corpus that loses more than half of its letters) or unicode (words of "
                    + "letters and digits of every script, for a corpus in any language). Default: ${DEFAULT-VALUE}."})
    String tokenizer;

    @Option(names = "--scheme", defaultValue = "variational",
            description = "none, zaremba, variational, untied or awd (default: ${DEFAULT-VALUE}).")
    String scheme;

    @Option(names = "--cell", defaultValue = "lstm", paramLabel = "lstm|gru",
            description = "The recurrent layers' cell: lstm or gru, with the same dropout (default: ${DEFAULT-VALUE}).")
    String cell;

    @Option(names = "--preset", defaultValue = "moby-small", description = "Model size: moby-small (default).")
    String preset;

    @Option(names = "--epochs", defaultValue = "20", description = "Training epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of weights, masks and MC samples (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--mc-samples", defaultValue = "50", description = "MC-dropout samples K (default: ${DEFAULT-VALUE}).")
    int mcSamples;

    @Option(names = "--out", required = true, paramLabel = "FILE.json", description = "Where to write the results.")
    Path out;

    @Option(names = "--checkpoint", paramLabel = "DIR", description = "Save a checkpoint here after every epoch.")
    Path checkpoint;

    @Option(names = "--resume", paramLabel = "DIR", description = "Continue the run checkpointed in DIR.")
    Path resume;

    @Option(names = "--batch", defaultValue = "20", hidden = true)
    int batch;

    @Option(names = "--steps", defaultValue = "35", hidden = true)
    int steps;

    @Option(names = "--save", paramLabel = "FILE",
            description = "Also save the trained model as a model file (vocabulary and tokenization included) for vdrop predict.")
    Path save;

    @Option(names = "--overwrite",
            description = "Replace an existing --out, --save, or the checkpoint in --checkpoint, of an earlier run (otherwise refused).")
    boolean overwrite;

    @Option(names = "--no-progress", description = "No progress bar.")
    boolean noProgress;

    @Option(names = "--restore-best", negatable = true,
            description = "Evaluate the best epoch by validation perplexity instead of the last "
                    + "(default: off, the last epoch, as the comparison protocol reports it).")
    boolean restoreBest;

    @Override
    public Integer call() {
        if (!"moby-small".equals(preset)) {
            throw new UserError("unknown preset '" + preset + "'; the only preset is moby-small");
        }
        LmExperiment.Options options = new LmExperiment.Options(corpus, LmExperiment.tokenizer(tokenizer),
                Scheme.parse(scheme), Cell.parse(cell), epochs, seed, mcSamples, checkpoint, resume, !noProgress, batch, steps,
                restoreBest, overwrite, LmExperiment.Options.PROTOCOL_CLIP);
        checkOutputs();
        LmExperiment.Outcome outcome;
        try {
            outcome = LmExperiment.run(options, System.out, this::train);
        } catch (TrainingException e) {
            if (e.getCause() instanceof DirectoryLockedException || e.getCause() instanceof OutputException) {
                throw new UserError(e.getMessage()); // refused before epoch 1: a mistake in where to write
            }
            throw e;
        }
        report(outcome.report());
        Json.write(out, outcome.report());
        System.out.println("wrote " + out);
        if (save != null) {
            try {
                ModelFile.save(save, outcome.network(), PredictionInfo.languageModel(
                        new ModelInput.Tokens(Tokenization.of(outcome.corpus().tokenizer()),
                                outcome.corpus().vocabulary().words())));
            } catch (ModelFileException e) {
                throw new UserError(e.getMessage());
            }
            System.out.println("wrote " + save);
        }
        return 0;
    }

    /**
     * Trains {@code network} on the corpus's training split, validating on its validation split
     * after every epoch: here with {@link LanguageModelTrainer} in this JVM, from the start or from
     * {@code --resume}. The network then holds the last epoch's parameters (the best epoch's with
     * {@code --restore-best}), which the command evaluates and saves.
     *
     * @param network the language model, with its initial weights
     * @param networks new networks of the same scheme, cell and vocabulary
     * @param settings the settings from a seed, without files or a progress bar
     * @param config the run's settings: {@code settings} at the run's seed, with the checkpoint
     *     directory, overwrite and progress bar
     * @param corpus the corpus: its splits and vocabulary
     * @return every epoch's metrics and the best epoch
     */
    protected TrainingResult train(Network<int[][], int[][]> network, SerializableNetworks networks,
                                   SerializableSettings settings, TrainingConfig config, Corpus corpus) {
        return LmExperiment.trainHere(network, config, corpus, resume);
    }

    /**
     * Adds to the JSON report's fields before it is written; nothing here.
     *
     * @param report the fields so far, in order
     */
    protected void report(Map<String, Object> report) {}

    /**
     * Every place the run writes, before any work: {@code --out} and {@code --save} must not exist
     * (unless {@code --overwrite}) and their directories must be writable; {@code --checkpoint} must be
     * a writable directory that no other run holds and, for a new run, holds no checkpoint (continue
     * it with {@code --resume}, or replace it with {@code --overwrite}). The trainer itself locks the
     * checkpoint directory for the run and checks its free space before epoch 1.
     */
    private void checkOutputs() {
        Outputs.file("--out", out, overwrite);
        if (save != null) {
            Outputs.file("--save", save, overwrite);
        }
        if (checkpoint == null) {
            return;
        }
        try {
            Outputs.check.directory(checkpoint, OutputCheck.Need.NOTHING);
        } catch (OutputException e) {
            throw new UserError("--checkpoint: " + e.getMessage());
        }
        Path file = checkpoint.resolve(LanguageModelTrainer.CHECKPOINT_FILE);
        DirectoryLock probe = Outputs.lock("--checkpoint", checkpoint);
        try {
            if (Files.exists(file) && !continues()) {
                if (!overwrite) {
                    throw new UserError("--checkpoint " + checkpoint + " holds the checkpoint of an earlier run; continue it "
                            + "with --resume " + checkpoint + ", replace it with --overwrite, or give another --checkpoint");
                }
                // replaced on purpose: the trainer, told to overwrite, writes the new one over it after epoch 1
            }
        } finally {
            Outputs.release(List.of(probe));
        }
    }

    /** {@return whether the run resumes from the checkpoint it writes to} */
    private boolean continues() {
        try {
            return resume != null && Files.isSameFile(resume, checkpoint);
        } catch (IOException e) {
            return false;
        }
    }
}
