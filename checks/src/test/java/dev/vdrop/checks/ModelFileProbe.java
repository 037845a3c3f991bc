package dev.vdrop.checks;

import dev.vdrop.runtime.Network;
import dev.vdrop.runtime.model.ModelFile;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The forked JVM of {@link ModelFileAcrossJvmTest}: for each {@link ModelFileCase}, loads
 * {@code DIR/<case>.vdrop}, builds the network from the file's sizes, restores it and writes its
 * predictions' raw bits to {@code DIR/<case>.bits} (a count, then each value's
 * {@code doubleToRawLongBits}). Exit code 0 when every case was written.
 */
public final class ModelFileProbe {
    private ModelFileProbe() {}

    /**
     * Runs the probe.
     *
     * @param args the directory holding the model files
     * @throws Exception any failure, so the parent test sees it in the child's output
     */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        for (ModelFileCase c : ModelFileCase.values()) {
            ModelFile file = ModelFile.load(dir.resolve(c.fileName));
            Network<?, ?> network = c.load(file);
            write(dir.resolve(c.fileName + ".bits"), c.predictions(network));
        }
    }

    static void write(Path file, double[] values) throws IOException {
        try (OutputStream raw = Files.newOutputStream(file); DataOutputStream out = new DataOutputStream(raw)) {
            out.writeInt(values.length);
            for (double v : values) {
                out.writeLong(Double.doubleToRawLongBits(v));
            }
        }
    }
}
