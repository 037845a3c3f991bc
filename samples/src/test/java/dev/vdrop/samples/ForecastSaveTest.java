package dev.vdrop.samples;

import static dev.vdrop.samples.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdrop.runtime.Network;
import dev.vdrop.runtime.Rng;
import dev.vdrop.runtime.eval.McPredictor;
import dev.vdrop.runtime.forecast.FittedScale;
import dev.vdrop.runtime.forecast.LeadTimeWindows;
import dev.vdrop.runtime.forecast.Scale;
import dev.vdrop.runtime.forecast.ScaledWindows;
import dev.vdrop.runtime.forecast.WindowOrigins;
import dev.vdrop.runtime.mc.RegressionPrediction;
import dev.vdrop.runtime.model.ModelFile;
import dev.vdrop.runtime.model.ModelInput;
import dev.vdrop.runtime.model.Scaling;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vdrop forecast --save FILE}: the model file holds the trained network, its window and
 * inputs and, under the global scale, the training span's standardisation, so that a user who
 * loads it gets the command's own forecasts (its {@code future.csv}) through the public API.
 */
class ForecastSaveTest {
    private static final int ROWS = 200;
    private static final int TEST_START = 160; // the last 20%
    private static final int WINDOW = 14;
    private static final int MC_SAMPLES = 5;
    private static final long SEED = 3;

    @TempDir
    static Path dir;

    private static Path data;
    private static double[] values;

    @BeforeAll
    static void writeCsv() throws Exception {
        StringBuilder csv = new StringBuilder("day,births\n");
        values = new double[ROWS];
        for (int t = 0; t < ROWS; t++) {
            String value = String.format(Locale.ROOT, "%.1f", 1000 + 2 * t + 150 * Math.sin(2 * Math.PI * t / 7)
                    + 30 * Math.sin(0.37 * t * t));
            values[t] = Double.parseDouble(value);
            csv.append(t).append(',').append(value).append('\n');
        }
        data = dir.resolve("series.csv");
        Files.writeString(data, csv, StandardCharsets.UTF_8);
    }

    @Test
    void aUserLoadingTheFileGetsTheCommandsFutureForecast() throws Exception {
        Path out = dir.resolve("global");
        Path model = dir.resolve("global.vdrop");
        Cli r = run("forecast", "--csv", data.toString(), "--column", "births", "--window", String.valueOf(WINDOW),
                "--epochs", "2", "--mc-samples", String.valueOf(MC_SAMPLES), "--seed", String.valueOf(SEED), "--future",
                "--save", model.toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("wrote " + model), r.out());

        ModelFile file = ModelFile.load(model);
        assertEquals(SeriesForecasterNetwork.class.getName(), file.modelClass());
        assertEquals(WINDOW, file.info().window().orElseThrow());
        assertEquals(new ModelInput.Features(3), file.info().input(), "the value and the season's phase as sine and cosine");
        // the training span's mean and (population) standard deviation, computed here from the CSV's values
        double mean = 0;
        for (int t = 0; t < TEST_START; t++) {
            mean += values[t];
        }
        mean /= TEST_START;
        double squares = 0;
        for (int t = 0; t < TEST_START; t++) {
            squares += (values[t] - mean) * (values[t] - mean);
        }
        Scaling scaling = file.info().scaling().orElseThrow();
        assertEquals(mean, scaling.mean(), 1e-9 * mean);
        assertEquals(Math.sqrt(squares / TEST_START), scaling.std(), 1e-9 * scaling.std());

        // the window after the last row, as a user builds it with the runtime's forecast API
        Network<double[][][], double[][]> network = file.newNetwork(sizes -> SeriesForecasterNetwork.builder()
                .features(3).outputs(1).build());
        LeadTimeWindows windows = LeadTimeWindows.builder().window(WINDOW).lead(1).steps(1).period(7).scale(Scale.GLOBAL)
                .build();
        FittedScale scale = FittedScale.global(scaling.normalizer());
        ScaledWindows last = windows.examples(values, null, WindowOrigins.of(new int[] {ROWS - 1}, 0), scale,
                i -> "row " + i);
        // the command's seeds: initialisation, training, test-span MC, then --future's MC
        Rng seeds = new Rng(SEED);
        for (int i = 0; i < 3; i++) {
            seeds.nextLong();
        }
        RegressionPrediction z = McPredictor.forecast(network, last.inputs(), MC_SAMPLES, new Rng(seeds.nextLong()))[0][0];
        double expected = last.map(0).value(z.mean());

        List<String> future = Files.readAllLines(out.resolve("future.csv"));
        assertEquals("step,index,mean,std,lo80,hi80,lo95,hi95", future.get(0));
        double written = Double.parseDouble(future.get(1).split(",")[2]);
        assertEquals(expected, written, 1e-5 * Math.abs(expected), "future.csv is written to 6 significant digits");
    }

    @Test
    void aScaleRelativeToEachWindowSavesNoStandardisation() throws Exception {
        Path model = dir.resolve("window.vdrop");
        Cli r = run("forecast", "--csv", data.toString(), "--column", "births", "--window", "7", "--scale", "window",
                "--cell", "gru", "--epochs", "1", "--mc-samples", "2", "--save", model.toString(),
                "--out", dir.resolve("window").toString());
        assertEquals(0, r.code(), r.err());
        ModelFile file = ModelFile.load(model);
        assertEquals(SeriesForecasterGruNetwork.class.getName(), file.modelClass());
        assertEquals(7, file.info().window().orElseThrow());
        assertFalse(file.info().scaling().isPresent(), "each window's own map: score --map-columns");
    }

    @Test
    void anExistingFileIsRefusedBeforeAnythingIsWritten() throws Exception {
        Path model = dir.resolve("taken.vdrop");
        Files.writeString(model, "an earlier model");
        Path out = dir.resolve("refused");
        Cli r = run("forecast", "--csv", data.toString(), "--column", "births", "--epochs", "1", "--save", model.toString(),
                "--out", out.toString());
        assertEquals(2, r.code(), r.out());
        assertTrue(r.err().contains("--save " + model + " already exists") && r.err().contains("--overwrite"), r.err());
        assertEquals("an earlier model", Files.readString(model));
        assertFalse(Files.exists(out.resolve("forecast.json")), "nothing written into --out");
    }
}
