package dev.vdrop.samples;

import dev.vdrop.runtime.NetworkConfig;
import dev.vdrop.runtime.checkpoint.Checkpoint;
import dev.vdrop.runtime.checkpoint.Checkpoints;
import dev.vdrop.runtime.train.SequenceConfig;
import dev.vdrop.runtime.train.SequenceResult;
import dev.vdrop.runtime.train.SequenceTrainer;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * The child JVM of {@link KillResumeTest} for the shuffled-sequence loop: trains the
 * {@code classify} command's {@link TextClassifier} with {@link SequenceTrainer} on fixed synthetic
 * data, with a checkpoint after every epoch, and writes what it ended with as a checkpoint file: the
 * network's parameters (the best epoch's, put back), the best parameters of the result and every
 * epoch's metrics but the timings.
 *
 * <p>Arguments: {@code fresh|resume DIR EPOCHS OUT}; {@code resume} continues the run checkpointed in DIR.
 */
final class ClassifierTrainingChild {
    static final int VOCABULARY = 24;
    static final int CLASSES = 3;

    private ClassifierTrainingChild() {}

    public static void main(String[] args) throws Exception {
        boolean resume = args[0].equals("resume");
        Path dir = Path.of(args[1]);
        int epochs = Integer.parseInt(args[2]);
        Path out = Path.of(args[3]);

        int[][] train = sequences(400, 1);
        int[][] valid = sequences(80, 2);
        TextClassifierNetwork network = TextClassifierNetwork.builder().vocabulary(VOCABULARY).classes(CLASSES)
                .config(NetworkConfig.builder().seed(3).build()).build();
        SequenceConfig.Builder config = SequenceConfig.builder().epochs(epochs).batch(16).learningRate(0.1).clip(5)
                .patience(epochs).seed(4).progress(false).checkpointDir(dir);
        if (resume) {
            config.resumeFrom(dir);
        }
        SequenceResult result = new SequenceTrainer(config.build()).train(network, train, labels(train), valid, labels(valid));

        Checkpoint.Builder ended = Checkpoint.builder()
                .metadata("best_epoch", Integer.toString(result.bestEpoch()))
                .metadata("best_score", Double.toString(result.bestScore()))
                .metadata("stopped_early", Boolean.toString(result.stoppedEarly()))
                .tensors("network", Checkpoints.snapshot(network.parameters()))
                .tensors("best", result.bestParameters());
        for (SequenceResult.Epoch e : result.epochs()) {
            ended.metadata("epoch." + e.epoch(), e.learningRate() + " " + e.trainLoss() + " " + e.validLoss() + " "
                    + e.validAccuracy());
        }
        Checkpoints.save(out, ended.build());
        System.exit(0);
    }

    /** Sequences of 4 to 15 tokens, fixed by {@code seed}. */
    static int[][] sequences(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[][] out = new int[count][];
        for (int i = 0; i < count; i++) {
            out[i] = random.ints(random.nextInt(4, 16), 0, VOCABULARY).toArray();
        }
        return out;
    }

    /** The class of a sequence: the sum of its tokens modulo 3, learnable but not at once. */
    static int[] labels(int[][] sequences) {
        int[] out = new int[sequences.length];
        for (int i = 0; i < out.length; i++) {
            int sum = 0;
            for (int t : sequences[i]) {
                sum += t;
            }
            out[i] = sum % CLASSES;
        }
        return out;
    }
}
