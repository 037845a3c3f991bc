package dev.vdrop.samples;

import static dev.vdrop.samples.Cli.run;
import static dev.vdrop.samples.ForecastMissingTest.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One plot per step when {@code --steps} H &gt; 1 ({@code forecast-step-J.png}; forecast.png is
 * the last step's), and the overwrite check that knows them. Short runs (one epoch, K = 2).
 */
class ForecastPlotsTest {
    @TempDir
    static Path dir;

    @Test
    void everyStepHasItsPlotAndAnEarlierRunsAreRefusedOrReplaced() throws IOException {
        Path csv = ForecastMissingTest.csv(dir, "steps.csv", Map.of());
        Path out = dir.resolve("steps");
        Cli r = ForecastMissingTest.forecast(csv, out, "--steps", "3", "--future");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("forecast-step-1.png … forecast-step-3.png"), r.out());
        for (String name : new String[] {"forecast.png", "forecast-step-1.png", "forecast-step-2.png", "forecast-step-3.png"}) {
            assertNotNull(ImageIO.read(out.resolve(name).toFile()), name + " decodes");
        }
        assertRefused(ForecastMissingTest.forecast(csv, out, "--steps", "2"), "--out " + out + " already holds the results "
                + "of an earlier run (forecast.json, forecast.csv, forecast.png, train.jsonl, future.csv, forecast-step-1.png, "
                + "forecast-step-2.png, forecast-step-3.png); give another --out, or --overwrite to replace them");
        r = ForecastMissingTest.forecast(csv, out, "--steps", "2", "--overwrite");
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.exists(out.resolve("forecast-step-2.png")));
        assertFalse(Files.exists(out.resolve("forecast-step-3.png")), "the earlier run's third step is gone");
        assertFalse(Files.exists(out.resolve("future.csv")), "and its future, this run has none");
    }

    @Test
    void oneStepHasForecastPngOnly() throws IOException {
        Path out = dir.resolve("one");
        Cli r = ForecastMissingTest.forecast(ForecastMissingTest.csv(dir, "one.csv", Map.of()), out);
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.exists(out.resolve("forecast.png")));
        assertFalse(Files.exists(out.resolve("forecast-step-1.png")));
    }
}
