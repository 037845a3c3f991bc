package dev.vdrop.checks;

import dev.vdrop.runtime.DropoutMode;
import dev.vdrop.runtime.MaskKeys;
import dev.vdrop.runtime.Mat;
import dev.vdrop.runtime.Network;
import dev.vdrop.runtime.NetworkConfig;
import dev.vdrop.runtime.Parameter;
import dev.vdrop.runtime.Rng;
import dev.vdrop.runtime.Workspace;
import dev.vdrop.runtime.model.ModelFile;
import dev.vdrop.runtime.model.ModelInput;
import dev.vdrop.runtime.model.PredictionInfo;
import dev.vdrop.runtime.model.Tokenization;
import dev.vdrop.runtime.series.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * One model per head kind and cell for the model-file checks (a language model, a last-step
 * classifier, an every-step tagger, a forecaster; each with LSTM layers and with GRU layers),
 * shared by {@link ModelFileAcrossJvmTest} and the forked {@link ModelFileProbe}: how the "trained" network is made (seed 1, then every
 * parameter moved by a seeded perturbation, so no fresh network has its values), what prediction
 * information it is saved with, how a loader builds it from the file's sizes (seed 2, so its
 * parameters differ until restored) and the predictions compared: a forward pass with dropout off,
 * then K = 4 keyed MC samples of every example in one pass (rows k·B + b), every output value.
 */
enum ModelFileCase {
    /** A word language model whose vocabulary comes from the data (builder). FLOAT. */
    LANGUAGE_MODEL("lm") {
        @Override
        Network<?, ?> build(long seed, DataType type, int vocabulary) {
            return DataTiedDecoderNetwork.builder().vocabulary(vocabulary).config(config(seed, type)).build();
        }

        @Override
        PredictionInfo info() {
            return PredictionInfo.languageModel(new ModelInput.Tokens(Tokenization.ASCII_WORDS,
                    List.of("<unk>", "the", "whale", "sea", "ship", "call", "me", "ishmael", ".", ",", "<eos>")));
        }

        @Override
        double[] predictions(Network<?, ?> network) {
            return tokenPredictions(network, Harness.tokens(new Rng(77), B, T, 11));
        }
    },
    /** A last-step classifier over characters, sizes declared (constructor). FLOAT. */
    CLASSIFIER("classifier") {
        @Override
        Network<?, ?> build(long seed, DataType type, int vocabulary) {
            return new ClassifierNetwork(config(seed, type));
        }

        @Override
        PredictionInfo info() {
            return PredictionInfo.classifier(new ModelInput.Tokens(Tokenization.CHARS,
                    List.of("<unk>", "a", "e", "i", "o", "u", "é", "ø", "日", "-", " ")), List.of("female", "male", "both"));
        }

        @Override
        double[] predictions(Network<?, ?> network) {
            return tokenPredictions(network, Harness.tokens(new Rng(78), B, T, 11));
        }
    },
    /** A tagger (a softmax at every step over its own labels) of words, vocabulary from the data (builder). FLOAT. */
    TAGGER("tagger") {
        @Override
        Network<?, ?> build(long seed, DataType type, int vocabulary) {
            return TaggerNetwork.builder().vocabulary(vocabulary).config(config(seed, type)).build();
        }

        @Override
        PredictionInfo info() {
            return PredictionInfo.classifier(new ModelInput.Tokens(Tokenization.WORDS,
                    List.of("<unk>", "straße", "москва", "東京", "paris", "went", "to", "i", "we", "and", "2026")),
                    List.of("O", "PLACE", "PERSON", "DATE"));
        }

        @Override
        double[] predictions(Network<?, ?> network) {
            return tokenPredictions(network, Harness.tokens(new Rng(80), B, T, 11));
        }
    },
    /** A forecaster (regression at the last step) whose features and outputs come from the data. DOUBLE. */
    FORECASTER("forecaster") {
        @Override
        Network<?, ?> build(long seed, DataType type, int vocabulary) {
            return DataForecasterNetwork.builder().features(3).outputs(2).config(config(seed, type)).build();
        }

        @Override
        PredictionInfo info() {
            double[] series = {3.5, 4.25, 1.0 / 3, 7.0, 2.2};
            return PredictionInfo.forecaster(3, Normalizer.fit(series, 0, series.length), T);
        }

        @Override
        @SuppressWarnings("unchecked")
        double[] predictions(Network<?, ?> network) {
            double[][][] windows = Harness.values(new Rng(79), B, T, 3);
            double[][][] rows = new double[K * B][][];
            for (int k = 0; k < K; k++) {
                System.arraycopy(windows, 0, rows, k * B, B);
            }
            return outputs((Network<double[][][], ?>) network, windows, rows);
        }

        @Override
        DataType dataType() {
            return DataType.DOUBLE;
        }
    },
    /** A GRU language model (two GRU layers, weight drop) whose vocabulary comes from the data (builder). FLOAT. */
    GRU_LANGUAGE_MODEL("gru-lm") {
        @Override
        Network<?, ?> build(long seed, DataType type, int vocabulary) {
            return GruDataLmNetwork.builder().vocabulary(vocabulary).config(config(seed, type)).build();
        }

        @Override
        PredictionInfo info() {
            return LANGUAGE_MODEL.info();
        }

        @Override
        double[] predictions(Network<?, ?> network) {
            return tokenPredictions(network, Harness.tokens(new Rng(81), B, T, 11));
        }
    },
    /** A GRU classifier at the last step, sizes declared (constructor). FLOAT. */
    GRU_CLASSIFIER("gru-classifier") {
        @Override
        Network<?, ?> build(long seed, DataType type, int vocabulary) {
            return new GruClassifierNetwork(config(seed, type));
        }

        @Override
        PredictionInfo info() {
            return CLASSIFIER.info();
        }

        @Override
        double[] predictions(Network<?, ?> network) {
            return tokenPredictions(network, Harness.tokens(new Rng(82), B, T, 11));
        }
    },
    /** A GRU tagger, vocabulary from the data (builder). FLOAT. */
    GRU_TAGGER("gru-tagger") {
        @Override
        Network<?, ?> build(long seed, DataType type, int vocabulary) {
            return GruTaggerNetwork.builder().vocabulary(vocabulary).config(config(seed, type)).build();
        }

        @Override
        PredictionInfo info() {
            return TAGGER.info();
        }

        @Override
        double[] predictions(Network<?, ?> network) {
            return tokenPredictions(network, Harness.tokens(new Rng(83), B, T, 11));
        }
    },
    /** A GRU forecaster, sizes declared (constructor). DOUBLE. */
    GRU_FORECASTER("gru-forecaster") {
        @Override
        Network<?, ?> build(long seed, DataType type, int vocabulary) {
            return new GruForecasterNetwork(config(seed, type));
        }

        @Override
        PredictionInfo info() {
            return FORECASTER.info();
        }

        @Override
        double[] predictions(Network<?, ?> network) {
            return FORECASTER.predictions(network);
        }

        @Override
        DataType dataType() {
            return DataType.DOUBLE;
        }
    };

    static final int B = 3;
    static final int T = 5;
    static final int K = 4;
    static final long MC_SEED = 20261206L;

    final String fileName;

    ModelFileCase(String name) {
        this.fileName = name + ".vdrop";
    }

    /** A network of this kind with the given seed and data type (vocabulary for the data-sized LM). */
    abstract Network<?, ?> build(long seed, DataType type, int vocabulary);

    /** What prediction needs, saved with the network. */
    abstract PredictionInfo info();

    /** Every output value of the off pass, then of the keyed MC pass. */
    abstract double[] predictions(Network<?, ?> network);

    /** The data type the "trained" network is built and saved in. */
    DataType dataType() {
        return DataType.FLOAT;
    }

    /** The "trained" network: seed 1, every parameter then moved by up to ±0.05 from a seeded stream. */
    Network<?, ?> trained() {
        Network<?, ?> network = build(1, dataType(), 11);
        Rng rng = new Rng(31 + ordinal());
        for (Parameter p : network.parameters()) {
            Mat v = p.value();
            for (int c = 0; c < v.cols(); c++) {
                for (int r = 0; r < v.rows(); r++) {
                    v.add(r, c, rng.uniform(-0.05, 0.05));
                }
            }
        }
        return network;
    }

    /** A network built from a loaded file's sizes and data type, as a user would, then restored. */
    Network<?, ?> load(ModelFile file) throws Exception {
        return file.newNetwork(sizes -> build(2, file.dataType(), sizes.vocabulary().orElse(0)));
    }

    /** A network built as {@link #load} builds it, but not restored. */
    Network<?, ?> unrestored(ModelFile file) {
        return build(2, file.dataType(), file.sizes().vocabulary().orElse(0));
    }

    private static NetworkConfig config(long seed, DataType type) {
        return NetworkConfig.builder().dataType(type).seed(seed).initScale(0.5).build();
    }

    @SuppressWarnings("unchecked")
    private static double[] tokenPredictions(Network<?, ?> network, int[][] tokens) {
        int[][] rows = new int[K * B][];
        for (int k = 0; k < K; k++) {
            System.arraycopy(tokens, 0, rows, k * B, B);
        }
        return outputs((Network<int[][], ?>) network, tokens, rows);
    }

    private static <I> double[] outputs(Network<I, ?> network, I input, I rows) {
        List<double[]> parts = new ArrayList<>();
        try (Workspace<I, ?> off = network.workspace(B, T)) {
            off.dropoutOff();
            off.forward(input);
            parts.add(Harness.flatten(off.output()));
        }
        try (Workspace<I, ?> mc = network.workspace(K * B, T)) {
            mc.sampleMasks(MaskKeys.samples(MC_SEED, MaskKeys.range(100, B), 0, K), DropoutMode.MC);
            mc.forward(rows);
            parts.add(Harness.flatten(mc.output()));
        }
        double[] all = new double[parts.get(0).length + parts.get(1).length];
        System.arraycopy(parts.get(0), 0, all, 0, parts.get(0).length);
        System.arraycopy(parts.get(1), 0, all, parts.get(0).length, parts.get(1).length);
        return all;
    }

    /** Index of the first value whose raw bits differ, or −1. */
    static int firstDifference(double[] a, double[] b) {
        if (a.length != b.length) {
            return Math.min(a.length, b.length);
        }
        for (int i = 0; i < a.length; i++) {
            if (Double.doubleToRawLongBits(a[i]) != Double.doubleToRawLongBits(b[i])) {
                return i;
            }
        }
        return -1;
    }

    /** The number of values at the start that belong to the off pass. */
    static int offValues(double[] all) {
        return all.length * 1 / (1 + K);
    }

    static String describe(double[] values) {
        return Arrays.toString(Arrays.copyOf(values, Math.min(values.length, 6))) + "…";
    }
}
