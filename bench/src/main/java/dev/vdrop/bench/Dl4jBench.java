package dev.vdrop.bench;

import static dev.vdrop.bench.LmConfig.BATCH;
import static dev.vdrop.bench.LmConfig.STEPS;
import static dev.vdrop.bench.LmConfig.VOCABULARY;

import dev.vdrop.runtime.Rng;
import java.util.LinkedHashMap;
import java.util.Map;
import org.deeplearning4j.nn.conf.BackpropType;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.distribution.UniformDistribution;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * DL4J 1.0.0-M2.1's side of the benchmark, in its own JVM, on the same ND4J: the same sizes, SGD
 * with learning rate 1, gradient clipping at 5, dropout on the LSTM layers' inputs (and on the
 * decoder's input, where vdrop's model has its output mask), truncated BPTT of 35, and the same
 * measurements as {@link VdropBench}.
 *
 * <p>What DL4J cannot express, and so does not do: variational (per-sequence) masks — its dropout
 * draws a fresh mask for every element at every step —, weight drop on U only ({@code DropConnect}
 * would drop the input weights W too), embedding dropout of word types, and clipping of the global
 * gradient norm (it clips per layer).
 */
final class Dl4jBench {
    /** Dropout probabilities of {@link BenchModels}: lstm1 input, lstm2 input, lstm2 output. */
    static final double DROP_INPUT1 = 0.4;
    static final double DROP_INPUT2 = 0.25;
    static final double DROP_OUTPUT = 0.4;

    private Dl4jBench() {}

    static MultiLayerNetwork network(LmConfig config) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(1)
                .dataType(DataType.FLOAT)
                .updater(new Sgd(1.0))
                .weightInit(new UniformDistribution(-0.1, 0.1))
                .gradientNormalization(GradientNormalization.ClipL2PerLayer)
                .gradientNormalizationThreshold(5)
                .list()
                .layer(new EmbeddingSequenceLayer.Builder()
                        .nIn(VOCABULARY).nOut(config.embedding()).inputLength(STEPS).hasBias(false)
                        .outputDataFormat(RNNFormat.NCW).build())
                // DL4J's dropOut(x) takes the probability of keeping an activation.
                .layer(new LSTM.Builder().nIn(config.embedding()).nOut(config.units())
                        .activation(Activation.TANH).dropOut(1 - DROP_INPUT1).dataFormat(RNNFormat.NCW).build())
                .layer(new LSTM.Builder().nIn(config.units()).nOut(config.units())
                        .activation(Activation.TANH).dropOut(1 - DROP_INPUT2).dataFormat(RNNFormat.NCW).build())
                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .activation(Activation.SOFTMAX).nIn(config.units()).nOut(VOCABULARY)
                        .dropOut(1 - DROP_OUTPUT).dataFormat(RNNFormat.NCW).build())
                .backpropType(BackpropType.TruncatedBPTT)
                .tBPTTForwardLength(STEPS)
                .tBPTTBackwardLength(STEPS)
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    static Map<String, Object> describe() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("layers", "EmbeddingSequenceLayer(10000 → E, no bias) → LSTM(E → H, tanh) → LSTM(H → H, tanh)"
                + " → RnnOutputLayer(H → 10000, softmax, MCXENT)");
        d.put("dropout", "inputs of lstm1 " + DROP_INPUT1 + ", lstm2 " + DROP_INPUT2 + ", output layer " + DROP_OUTPUT
                + " (DL4J Dropout: a fresh mask per element and step)");
        d.put("updater", "Sgd(1.0)");
        d.put("clipping", "GradientNormalization.ClipL2PerLayer, threshold 5");
        d.put("init", "uniform(-0.1, 0.1)");
        d.put("backprop", "TruncatedBPTT, forward and backward length " + STEPS);
        d.put("data_type", "FLOAT");
        d.put("labels", "one-hot [batch, 10000, steps]");
        return d;
    }

    static Map<String, Object> run(LmConfig config, double seconds, double trainingWarmup) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("framework", "dl4j");
        out.put("config", config.name());
        out.put("environment", Proc.environment());
        out.put("dl4j", describe());
        double warm = Harness.warmupFor(seconds);
        double half = seconds / 2;

        MultiLayerNetwork net = network(config);
        out.put("parameters", net.numParams());
        out.put("rss_after_init_mb", Proc.rssMb());
        Rng rng = new Rng(1);
        int[][] inputIds = VdropBench.tokens(rng, BATCH, STEPS);
        int[][] targetIds = VdropBench.tokens(rng, BATCH, STEPS);
        INDArray input = features(inputIds);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, BATCH, VOCABULARY, STEPS);
        for (int b = 0; b < BATCH; b++) {
            for (int t = 0; t < STEPS; t++) {
                labels.putScalar(new long[] {b, targetIds[b][t], t}, 1f);
            }
        }

        out.put("train_warmup_s", trainingWarmup);
        out.put("train", Harness.measure(() -> net.fit(input, labels), trainingWarmup, seconds).toMap(BATCH * STEPS));
        double loss = net.score();
        out.put("train_loss_last", loss);
        if (!(loss > 0) || Double.isInfinite(loss)) {
            throw new IllegalStateException("DL4J's training step did not train (score " + loss + ")");
        }

        // Evaluation: dropout off, from a zero state (DL4J's output() does not carry it).
        out.put("eval", Harness.measure(() -> release(net.output(input, false)), warm, half).toMap(BATCH * STEPS));
        // One pass with dropout on (train = true), no gradients: an MC-dropout sample of 20 rows.
        out.put("mc_b20", Harness.measure(() -> release(net.output(input, true)), warm, half).toMap(BATCH * STEPS));
        out.put("peak_rss_core_mb", Proc.peakRssMb());

        int[] sequence = inputIds[0];
        for (int k : VdropBench.MC_SAMPLES) {
            INDArray rows = features(VdropBench.repeat(sequence, k));
            out.put("mc_k" + k, Harness.measure(() -> release(net.output(rows, true)), warm, half)
                    .toMap((double) k * STEPS));
        }
        INDArray one = features(VdropBench.repeat(sequence, 1));
        out.put("mc_seq" + VdropBench.SEQUENTIAL_PASSES, Harness.measure(() -> {
            for (int i = 0; i < VdropBench.SEQUENTIAL_PASSES; i++) {
                release(net.output(one, true));
            }
        }, 0, half).toMap((double) VdropBench.SEQUENTIAL_PASSES * STEPS));
        out.put("peak_rss_mc_mb", Proc.peakRssMb());
        out.put("load_1min_after", Proc.loadAverage());
        return out;
    }

    /**
     * Token ids as DL4J's EmbeddingSequenceLayer takes them: float {@code [rows, 1, steps]} (3-D:
     * with a 2-D {@code [rows, steps]} input, fit() skips truncated BPTT and does nothing).
     */
    static INDArray features(int[][] ids) {
        INDArray f = Nd4j.create(DataType.FLOAT, ids.length, 1, ids[0].length);
        for (int b = 0; b < ids.length; b++) {
            for (int t = 0; t < ids[b].length; t++) {
                f.putScalar(new long[] {b, 0, t}, ids[b][t]);
            }
        }
        return f;
    }

    /** Frees an output at once instead of when the garbage collector gets to it, so RSS stays honest. */
    private static void release(INDArray array) {
        if (array.closeable()) {
            array.close();
        }
    }
}
