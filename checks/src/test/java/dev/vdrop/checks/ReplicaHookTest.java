package dev.vdrop.checks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.vdrop.runtime.Mat;
import dev.vdrop.runtime.NetworkConfig;
import dev.vdrop.runtime.Parameter;
import dev.vdrop.runtime.Rng;
import dev.vdrop.runtime.train.LanguageModelTrainer;
import dev.vdrop.runtime.train.ReplicaHook;
import dev.vdrop.runtime.train.SequenceConfig;
import dev.vdrop.runtime.train.SequenceResult;
import dev.vdrop.runtime.train.SequenceTrainer;
import dev.vdrop.runtime.train.TrainingConfig;
import dev.vdrop.runtime.train.TrainingResult;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The trainers' {@link ReplicaHook}: called after every step and once per epoch before validation,
 * with the step count; what it writes into the parameters is what the next step and validation
 * see; a hook that changes nothing gives bitwise the run without one.
 */
class ReplicaHookTest {
    /** 50 examples in batches of 16: 4 steps an epoch. */
    private static final int EXAMPLES = 50;

    private static int[][] sequences(int count, long seed) {
        Rng rng = new Rng(seed);
        int[][] out = new int[count][];
        for (int i = 0; i < count; i++) {
            out[i] = new int[1 + (int) (rng.nextDouble() * 6)];
            for (int t = 0; t < out[i].length; t++) {
                out[i][t] = (int) (rng.nextDouble() * 9);
            }
        }
        return out;
    }

    private static int[] labels(int[][] sequences) {
        return java.util.Arrays.stream(sequences).mapToInt(s -> s[s.length - 1] % 3).toArray();
    }

    private static SequenceConfig config() {
        return SequenceConfig.builder().epochs(3).batch(16).learningRate(0.02).seed(3).build();
    }

    private static LoopWordClassifierNetwork classifier() {
        return new LoopWordClassifierNetwork(NetworkConfig.builder().seed(1).build());
    }

    /** Records every call as "step s" or "epoch e at s". */
    private static final class Recorder implements ReplicaHook {
        final List<String> calls = new ArrayList<>();

        @Override
        public void afterStep(long step, List<Parameter> parameters) {
            calls.add("step " + step);
        }

        @Override
        public void epochEnd(int epoch, long step, List<Parameter> parameters) {
            calls.add("epoch " + epoch + " at " + step);
        }
    }

    @Test
    void calledAfterEveryStepAndOncePerEpochBeforeValidation() {
        Recorder hook = new Recorder();
        int[][] train = sequences(EXAMPLES, 1);
        int[][] valid = sequences(20, 2);
        new SequenceTrainer(config(), hook).train(classifier(), train, labels(train), valid, labels(valid));
        List<String> expected = new ArrayList<>();
        long step = 0;
        for (int epoch = 1; epoch <= 3; epoch++) {
            for (int b = 0; b < 4; b++) {
                expected.add("step " + ++step);
            }
            expected.add("epoch " + epoch + " at " + step);
        }
        assertEquals(expected, hook.calls);
    }

    @Test
    void anIdentityHookGivesBitwiseTheRunWithoutOne() {
        int[][] train = sequences(EXAMPLES, 1);
        int[][] valid = sequences(20, 2);
        LoopWordClassifierNetwork plain = classifier();
        LoopWordClassifierNetwork hooked = classifier();
        SequenceResult a = new SequenceTrainer(config()).train(plain, train, labels(train), valid, labels(valid));
        SequenceResult b = new SequenceTrainer(config(), new Recorder()).train(hooked, train, labels(train), valid,
                labels(valid));
        for (int e = 0; e < 3; e++) {
            assertEquals(a.epochs().get(e).trainLoss(), b.epochs().get(e).trainLoss(), 0.0);
            assertEquals(a.epochs().get(e).validLoss(), b.epochs().get(e).validLoss(), 0.0);
        }
        assertEquals(a.bestEpoch(), b.bestEpoch());
        for (int i = 0; i < plain.parameters().size(); i++) {
            assertArrayEquals(SequenceTrainerTest.values(plain.parameters().get(i).value()),
                    SequenceTrainerTest.values(hooked.parameters().get(i).value()), 0.0);
        }
    }

    /** A hook that puts back {@code values} after every step and at every epoch's end. */
    private static ReplicaHook resetTo(List<double[]> values) {
        return new ReplicaHook() {
            @Override
            public void afterStep(long step, List<Parameter> parameters) {
                set(parameters, values);
            }

            @Override
            public void epochEnd(int epoch, long step, List<Parameter> parameters) {
                set(parameters, values);
            }
        };
    }

    /**
     * A hook that puts back the initial parameters after every step: every step's loss is then a
     * loss of the initial parameters, whatever the learning rate (the batches and masks are the
     * seed's), and every validation scores the initial network. Without the hook the rates give
     * other losses from the second step on.
     */
    @Test
    void valuesTheHookWritesAreWhatTheNextStepAndValidationSee() {
        int[][] train = sequences(EXAMPLES, 1);
        int[][] valid = sequences(20, 2);
        List<SequenceResult> reset = new ArrayList<>();
        List<SequenceResult> free = new ArrayList<>();
        for (double rate : new double[] {0.02, 0.5}) {
            SequenceConfig config = SequenceConfig.builder().epochs(3).batch(16).learningRate(rate).seed(3)
                    .optimizer(TrainingConfig.OptimizerKind.SGD).build();
            LoopWordClassifierNetwork net = classifier();
            List<double[]> initial = net.parameters().stream().map(p -> SequenceTrainerTest.values(p.value())).toList();
            reset.add(new SequenceTrainer(config, resetTo(initial)).train(net, train, labels(train), valid, labels(valid)));
            for (int i = 0; i < initial.size(); i++) {
                assertArrayEquals(initial.get(i), SequenceTrainerTest.values(net.parameters().get(i).value()), 0.0);
            }
            free.add(new SequenceTrainer(config).train(classifier(), train, labels(train), valid, labels(valid)));
        }
        double initialValidLoss = reset.get(0).epochs().get(0).validLoss();
        for (int e = 0; e < 3; e++) {
            assertEquals(reset.get(0).epochs().get(e).trainLoss(), reset.get(1).epochs().get(e).trainLoss(), 0.0);
            assertEquals(initialValidLoss, reset.get(0).epochs().get(e).validLoss(), 0.0);
            assertEquals(initialValidLoss, reset.get(1).epochs().get(e).validLoss(), 0.0);
        }
        assertNotEquals(free.get(0).epochs().get(0).trainLoss(), free.get(1).epochs().get(0).trainLoss());
        assertNotEquals(initialValidLoss, free.get(0).epochs().get(0).validLoss());
    }

    private static void set(List<Parameter> parameters, List<double[]> values) {
        for (int i = 0; i < parameters.size(); i++) {
            Mat m = parameters.get(i).value();
            double[] v = values.get(i);
            for (int r = 0; r < m.rows(); r++) {
                for (int c = 0; c < m.cols(); c++) {
                    m.set(r, c, v[r * m.cols() + c]);
                }
            }
        }
    }

    @Test
    void theLanguageModelTrainerCallsItTooAndAnIdentityHookChangesNothing() {
        int[] train = IntStream.range(0, 200).map(i -> (i * 7 + i / 3) % 11).toArray();
        int[] valid = IntStream.range(0, 40).map(i -> (i * 5) % 11).toArray();
        List<String> words = IntStream.range(0, 11).mapToObj(i -> "w" + i).toList();
        TrainingConfig config = TrainingConfig.builder().epochs(2).batch(2).steps(3).seed(4).evalStreams(2)
                .progress(false).build();
        NetworkConfig net = NetworkConfig.builder().dataType(DataType.DOUBLE).seed(2).build();
        TiedDecoderNetwork plain = new TiedDecoderNetwork(net);
        TiedDecoderNetwork hooked = new TiedDecoderNetwork(net);
        Recorder hook = new Recorder();
        TrainingResult a = new LanguageModelTrainer(config).train(plain, train, valid, words);
        TrainingResult b = new LanguageModelTrainer(config, hook).train(hooked, train, valid, words);
        assertEquals(a.epochs().size(), b.epochs().size());
        for (int e = 0; e < a.epochs().size(); e++) {
            assertEquals(a.epochs().get(e).validPerplexity(), b.epochs().get(e).validPerplexity(), 0.0);
            assertEquals(a.epochs().get(e).trainPerplexity(), b.epochs().get(e).trainPerplexity(), 0.0);
        }
        assertEquals(2, hook.calls.stream().filter(c -> c.startsWith("epoch")).count());
        int firstEpochEnd = hook.calls.indexOf(hook.calls.stream().filter(c -> c.startsWith("epoch 1")).findFirst()
                .orElseThrow());
        assertEquals("epoch 1 at " + firstEpochEnd, hook.calls.get(firstEpochEnd));
        assertEquals("epoch 2 at " + 2 * firstEpochEnd, hook.calls.get(hook.calls.size() - 1));
        for (int i = 0; i < plain.parameters().size(); i++) {
            assertArrayEquals(SequenceTrainerTest.values(plain.parameters().get(i).value()),
                    SequenceTrainerTest.values(hooked.parameters().get(i).value()), 0.0);
        }
    }
}
