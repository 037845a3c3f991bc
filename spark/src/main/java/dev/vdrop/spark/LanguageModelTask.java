package dev.vdrop.spark;

import dev.vdrop.runtime.Network;
import dev.vdrop.runtime.model.ModelFile;
import dev.vdrop.runtime.model.ModelFileException;
import dev.vdrop.runtime.model.ModelInput;
import dev.vdrop.runtime.model.PredictionInfo;
import dev.vdrop.runtime.model.Tokenization;
import dev.vdrop.runtime.train.EpochMetrics;
import dev.vdrop.runtime.train.LanguageModelTrainer;
import dev.vdrop.runtime.train.TrainingConfig;
import dev.vdrop.runtime.train.TrainingResult;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import scala.collection.Iterator;
import scala.jdk.javaapi.CollectionConverters;
import scala.runtime.AbstractFunction1;

/**
 * One task of a {@link DataParallelTrainer#trainLanguageModel} run: builds its replica, puts the
 * driver's initial parameters into it, trains it on its part of the training ids with
 * {@link LanguageModelTrainer} and, with more than one worker, an {@link Averaging} hook (one
 * worker: no hook, no barrier), and returns its epochs and rounds; worker 0 also its network as
 * model file bytes.
 */
final class LanguageModelTask extends AbstractFunction1<Iterator<LanguageModelTask.Part>, Iterator<LanguageModelTask.Output>>
        implements Serializable {
    private static final long serialVersionUID = 1L;

    /** A worker's training ids. */
    record Part(int worker, int[] ids) implements Serializable {}

    /**
     * What a worker sends back; {@code modelFile} only from worker 0 (every worker with {@code keepAll}).
     *
     * @param epochs per epoch: epoch, learning rate, train perplexity, valid perplexity, tokens/s, seconds
     */
    record Output(int worker, double[][] epochs, int bestEpoch, double bestValidPerplexity, byte[] modelFile,
                  double[] beforeLastAverage, List<DataParallelResult.Round> rounds) implements Serializable {}

    private final LanguageModelReplicaFactory factory;
    private final LanguageModelReplicaConfig config;
    private final long seed;
    private final int workers;
    private final int every;
    private final double[] initial;
    private final int[] valid;
    private final Tokenization tokenization;
    private final ArrayList<String> vocabulary;
    private final boolean keepAll;

    LanguageModelTask(LanguageModelReplicaFactory factory, LanguageModelReplicaConfig config, long seed, int workers,
                      int every, double[] initial, int[] valid, ModelInput.Tokens tokens, boolean keepAll) {
        this.factory = factory;
        this.config = config;
        this.seed = seed;
        this.workers = workers;
        this.every = every;
        this.initial = initial;
        this.valid = valid;
        this.tokenization = tokens.tokenization();
        this.vocabulary = new ArrayList<>(tokens.symbols());
        this.keepAll = keepAll;
    }

    @Override
    public Iterator<Output> apply(Iterator<Part> parts) {
        List<Output> out = new ArrayList<>();
        java.util.Iterator<Part> each = CollectionConverters.asJava(parts);
        while (each.hasNext()) {
            out.add(train(each.next()));
        }
        return CollectionConverters.asScala(out.iterator());
    }

    private Output train(Part part) {
        Network<int[][], int[][]> network = factory.create();
        Parameters.write(initial, network.parameters());
        TrainingConfig settings = config.create(seed + part.worker());
        Averaging averaging = Averaging.forWorkers(workers, every, keepAll);
        LanguageModelTrainer trainer = averaging == null
                ? new LanguageModelTrainer(settings)
                : new LanguageModelTrainer(settings, averaging);
        // with more than one worker, each replica on its task's cores; one worker is alone on the executor
        Supplier<TrainingResult> training = () -> trainer.train(network, part.ids(), valid, vocabulary);
        TrainingResult result = averaging == null ? training.get() : TaskCores.run(training);
        double[][] epochs = new double[result.epochs().size()][];
        for (int i = 0; i < epochs.length; i++) {
            EpochMetrics e = result.epochs().get(i);
            epochs[i] = new double[] {e.epoch(), e.learningRate(), e.trainPerplexity(), e.validPerplexity(),
                e.trainTokensPerSecond(), e.seconds()};
        }
        return new Output(part.worker(), epochs, result.bestEpoch(), result.bestValidPerplexity(),
                part.worker() == 0 || keepAll ? modelFile(network) : null,
                averaging == null ? null : averaging.beforeLastAverage(),
                averaging == null ? List.of() : averaging.rounds());
    }

    /** The network as model file bytes, written through a temporary file that is then deleted. */
    private byte[] modelFile(Network<int[][], int[][]> network) {
        Path file = null;
        try {
            file = Files.createTempFile("vdrop-lm-replica", ".vdrop");
            ModelFile.save(file, network, PredictionInfo.languageModel(new ModelInput.Tokens(tokenization, vocabulary)));
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ModelFileException e) {
            throw new IllegalStateException(e.getMessage(), e);
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // a temporary file left behind
                }
            }
        }
    }

    /** {@return epochs as {@link #train} packs them, unpacked} */
    static List<EpochMetrics> epochs(double[][] packed) {
        List<EpochMetrics> epochs = new ArrayList<>();
        for (double[] e : packed) {
            epochs.add(new EpochMetrics((int) e[0], e[1], e[2], e[3], e[4], e[5]));
        }
        return epochs;
    }
}
