package dev.vdrop.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdrop.runtime.metrics.Calibration;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reliability diagram is written as a PNG that decodes, at the size asked for. */
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
}
