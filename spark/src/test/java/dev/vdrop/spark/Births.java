package dev.vdrop.spark;

import dev.vdrop.runtime.Network;
import dev.vdrop.runtime.NetworkConfig;
import dev.vdrop.runtime.eval.McPredictor;
import dev.vdrop.runtime.mc.RegressionPrediction;
import dev.vdrop.runtime.model.ModelFile;
import dev.vdrop.runtime.model.PredictionInfo;
import dev.vdrop.runtime.series.Normalizer;
import dev.vdrop.samples.SeriesForecasterNetwork;
import dev.vdrop.samples.TextClassifierNetwork;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The births forecaster of the samples, as the tests score it: {@code SeriesForecasterNetwork}
 * (the model of {@code vdrop forecast}) reading windows of {@link #WINDOW} days of three features —
 * the births standardised with the first 80% of the days, the week's phase as sine and cosine, as
 * {@code vdrop forecast} reads them — and predicting {@link #OUTPUTS} days, with seeded random
 * weights (no training needed to compare one scorer with another), saved with its scaling and
 * window; the windows as rows of a TSV file, one column per step and feature; and the reference,
 * {@link McPredictor#forecast} over all windows in this JVM.
 */
public final class Births {
    /** Steps of a window. */
    public static final int WINDOW = 14;
    /** Features a step: the standardised value, the week's phase as sine and cosine. */
    public static final int FEATURES = 3;
    /** Days predicted. */
    public static final int OUTPUTS = 2;
    private static final int SEASON = 7;

    /** The births a day, 1969–1988. */
    public final double[] births;
    /** The standardisation of the first 80% of the days. */
    public final Normalizer normalizer;

    /** Reads the bundled births. */
    public Births() {
        births = column();
        normalizer = Normalizer.fit(births, 0, births.length * 8 / 10);
    }

    /**
     * Saves the forecaster with its scaling and window.
     *
     * @param file where
     * @return the file
     */
    public Path model(Path file) throws Exception {
        Network<double[][][], double[][]> network = SeriesForecasterNetwork.builder().features(FEATURES).outputs(OUTPUTS)
                .config(NetworkConfig.builder().seed(2027).initScale(0.5).build()).build();
        ModelFile.save(file, network, PredictionInfo.forecaster(FEATURES, normalizer, WINDOW));
        return file;
    }

    /** {@return the window whose last day is {@code origin}, as the network reads it} */
    public double[][] window(int origin) {
        double[][] steps = new double[WINDOW][];
        for (int t = 0; t < WINDOW; t++) {
            int u = origin - WINDOW + 1 + t;
            double phase = 2 * Math.PI * (u % SEASON) / SEASON;
            steps[t] = new double[] {normalizer.normalize(births[u]), Math.sin(phase), Math.cos(phase)};
        }
        return steps;
    }

    /** {@return the feature columns' names: {@code s00_z, s00_sin, s00_cos, s01_z, ...}, step after step} */
    public static List<String> columns() {
        List<String> names = new ArrayList<>();
        for (int t = 0; t < WINDOW; t++) {
            for (String f : List.of("z", "sin", "cos")) {
                names.add(String.format("s%02d_%s", t, f));
            }
        }
        return names;
    }

    /** {@return a window's fields, step after step, as the TSV file holds them} */
    public static List<String> fields(double[][] window) {
        List<String> out = new ArrayList<>();
        for (double[] step : window) {
            for (double v : step) {
                out.add(Double.toString(v));
            }
        }
        return out;
    }

    /** The library's forecast of windows in one JVM and one call, in the network's units. */
    public static RegressionPrediction[][] reference(Path model, double[][][] windows, int samples, long seed, long[] keys)
            throws Exception {
        ModelFile file = ModelFile.load(model);
        @SuppressWarnings("unchecked")
        Network<double[][][], double[][]> network = (Network<double[][][], double[][]>) file.newNetwork(
                s -> SampleModels.forecasters().create(file));
        return McPredictor.forecast(network, windows, samples, seed, keys);
    }

    private static double[] column() {
        try (InputStream in = TextClassifierNetwork.class.getResourceAsStream("data/us-births-1969-1988.csv")) {
            List<String> lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().skip(1)
                    .filter(l -> !l.isBlank()).toList();
            return lines.stream().mapToDouble(l -> Double.parseDouble(l.split(",")[4])).toArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
