package dev.vdrop.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdrop.runtime.metrics.Calibration;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reliability diagram and the comparison plot are written as PNGs that decode, at the size asked for. */
class PlotsTest {
    @TempDir
    Path dir;

    @Test
    void writesAReliabilityDiagram() throws Exception {
        // Bins 7, 8, 13 and 14 filled (one a bar of accuracy 1, one of 0), the others empty.
        Calibration calibration = Calibration.of(new double[] {0.9, 0.9, 0.6, 1.0, 0.5},
                new boolean[] {true, false, true, true, false});
        Path file = dir.resolve("reliability.png");
        Plots.reliability(file, calibration, "reliability test", 640, 480);
        assertTrue(Files.size(file) > 0);
        BufferedImage png = ImageIO.read(file.toFile());
        assertNotNull(png, "reliability.png decodes");
        assertEquals(640, png.getWidth());
        assertEquals(480, png.getHeight());
    }

    @Test
    void aSingleBinIsDrawnToo() throws Exception {
        Calibration calibration = Calibration.of(new double[] {1.0, 1.0}, new boolean[] {true, true});
        Path file = dir.resolve("one.png");
        Plots.reliability(file, calibration, "one bin", 300, 200);
        BufferedImage png = ImageIO.read(file.toFile());
        assertNotNull(png);
        assertEquals(300, png.getWidth());
        assertEquals(200, png.getHeight());
    }

    /**
     * One scheme after one epoch is one point: JFreeChart's log axis pads a zero-width range by
     * 5·10⁻⁹ on each side, which vanishes in a large perplexity's rounding, and it threw instead of
     * drawing. A diverging first epoch gives such a value: {@code compare --cell gru --epochs 1} on a
     * 20,000-token slice of Moby-Dick gave 44,721,454.05610402 first.
     */
    @Test
    void aComparisonPlotOfOneEpochOfOneSchemeIsDrawnAtAnyPerplexity() throws Exception {
        for (double perplexity : new double[] {1.0, 267.0, 4.472145405610402E7, 1e300}) {
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("scheme", "none");
            report.put("history", List.of(Map.of("epoch", 1, "valid_ppl", perplexity)));
            Path file = dir.resolve("validation-" + perplexity + ".png");
            CompareCommand.writePlot(file, Cell.GRU, List.of(report));
            BufferedImage png = ImageIO.read(file.toFile());
            assertNotNull(png, "validation.png decodes at " + perplexity);
            assertEquals(1000, png.getWidth());
        }
    }

    /** Year ticks: 1, 2, 5, 10, 20, 50, … years apart, the first that leaves at most 12 of them. */
    @Test
    void yearTicksAreRoundAndFew() {
        assertEquals(1, Plots.yearsPerTick(4));
        assertEquals(1, Plots.yearsPerTick(12));
        assertEquals(2, Plots.yearsPerTick(13));
        assertEquals(5, Plots.yearsPerTick(43));
        assertEquals(5, Plots.yearsPerTick(60));
        assertEquals(10, Plots.yearsPerTick(65));
        assertEquals(50, Plots.yearsPerTick(308));
    }
}
