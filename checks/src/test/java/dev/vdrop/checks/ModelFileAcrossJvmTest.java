package dev.vdrop.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdrop.runtime.Mat;
import dev.vdrop.runtime.Network;
import dev.vdrop.runtime.NetworkConfig;
import dev.vdrop.runtime.Parameter;
import dev.vdrop.runtime.model.ModelFile;
import dev.vdrop.runtime.model.ModelFileException;
import java.io.DataInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Model files of generated networks, one per head kind and cell ({@link ModelFileCase}): loaded in this JVM
 * and in a freshly forked one, they give bitwise the parameters and the predictions (dropout off,
 * and keyed MC masks with the same seed and keys) of the network that was saved. A file of another
 * generated class, or of the same class with other sizes, is refused naming both.
 */
class ModelFileAcrossJvmTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(ModelFileCase.class)
    void loadedInThisJvmItPredictsBitForBit(ModelFileCase c) throws Exception {
        Network<?, ?> trained = c.trained();
        Path path = dir.resolve(c.fileName);
        ModelFile.save(path, trained, c.info());
        double[] expected = c.predictions(trained);

        ModelFile file = ModelFile.load(path);
        assertEquals(trained.getClass().getName(), file.modelClass());
        assertEquals(trained.sizes(), file.sizes());
        assertEquals(c.info(), file.info());
        Network<?, ?> unrestored = c.unrestored(file);
        assertTrue(ModelFileCase.firstDifference(expected, c.predictions(unrestored)) >= 0,
                "a network built but not restored predicts otherwise, so the comparison below can fail");

        Network<?, ?> loaded = c.load(file);
        assertSameParameters(trained, loaded);
        double[] actual = c.predictions(loaded);
        assertEquals(-1, ModelFileCase.firstDifference(expected, actual), "predictions bit for bit");
        int off = ModelFileCase.offValues(expected);
        assertNotEquals(expected[0], expected[off], "the MC pass drew masks: its first value differs from the off pass's");
    }

    @Test
    void inAForkedJvmEveryHeadPredictsBitForBit() throws Exception {
        Map<ModelFileCase, double[]> expected = new EnumMap<>(ModelFileCase.class);
        for (ModelFileCase c : ModelFileCase.values()) {
            Network<?, ?> trained = c.trained();
            ModelFile.save(dir.resolve(c.fileName), trained, c.info());
            expected.put(c, c.predictions(trained));
        }
        runProbe();
        for (ModelFileCase c : ModelFileCase.values()) {
            double[] forked = read(dir.resolve(c.fileName + ".bits"));
            int at = ModelFileCase.firstDifference(expected.get(c), forked);
            assertEquals(-1, at, () -> c + ": the forked JVM's predictions differ from value " + at + ": "
                    + ModelFileCase.describe(forked) + " vs " + ModelFileCase.describe(expected.get(c)));
        }
    }

    @Test
    void aFileOfAnotherGeneratedClassIsRefusedNamingBoth() throws Exception {
        Path path = dir.resolve("classifier.vdrop");
        ModelFile.save(path, ModelFileCase.CLASSIFIER.trained(), ModelFileCase.CLASSIFIER.info());
        ModelFile file = ModelFile.load(path);
        var e = org.junit.jupiter.api.Assertions.assertThrows(ModelFileException.class,
                () -> file.restoreInto(new TiedNetwork(NetworkConfig.builder().dataType(DataType.FLOAT).build())));
        assertEquals("model file " + path + " holds a dev.vdrop.checks.ClassifierNetwork, not the "
                + "dev.vdrop.checks.TiedNetwork given; restore it into a ClassifierNetwork", e.getMessage());
    }

    /**
     * An LSTM model's file restored into its GRU twin (same sizes, same parameter names but for the
     * GRU's bh, W and U of 3H rows instead of 4H) is refused before anything is copied: the message
     * names the layer of each, both cells with their shapes, the annotation to declare and the class
     * the file was saved from.
     */
    @Test
    void anLstmModelsFileIsRefusedByAGruModel() throws Exception {
        Path path = dir.resolve("lstm-classifier.vdrop");
        ModelFile.save(path, ModelFileCase.CLASSIFIER.trained(), ModelFileCase.CLASSIFIER.info());
        ModelFile file = ModelFile.load(path);
        GruClassifierNetwork gru = new GruClassifierNetwork(NetworkConfig.builder().dataType(DataType.FLOAT).seed(2).build());
        double before = gru.parameters().get(1).value().get(0, 0);
        var e = org.junit.jupiter.api.Assertions.assertThrows(ModelFileException.class, () -> file.restoreInto(gru));
        assertEquals("model file " + path + ": layer lstm was trained as a VariationalLSTM of 4 units (W 16×5, U 16×4, b 16),"
                + " this network's gru is a VariationalGRU of 4 units (W 12×5, U 12×4, b 12, bh 12); load it into a network"
                + " declared with @VariationalLSTM, such as the dev.vdrop.checks.ClassifierNetwork it was saved from",
                e.getMessage());
        assertEquals(before, gru.parameters().get(1).value().get(0, 0), 0.0, "nothing was restored");
    }

    @Test
    void aFileOfTheSameClassWithOtherSizesIsRefusedNamingBoth() throws Exception {
        Path path = dir.resolve("lm.vdrop");
        ModelFile.save(path, ModelFileCase.LANGUAGE_MODEL.trained(), ModelFileCase.LANGUAGE_MODEL.info());
        ModelFile file = ModelFile.load(path);
        var e = org.junit.jupiter.api.Assertions.assertThrows(ModelFileException.class,
                () -> file.restoreInto(ModelFileCase.LANGUAGE_MODEL.build(2, DataType.FLOAT, 12)));
        assertEquals("model file " + path + " was saved from a network of vocabulary 11 (given), classes 11 (given), "
                + "but this network has vocabulary 12 (given), classes 12 (given); build the network with the file's "
                + "sizes (ModelFile.sizes())", e.getMessage());
    }

    /** Runs {@link ModelFileProbe} on {@link #dir} in a new JVM with this test's class path and vector module. */
    private void runProbe() throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            command.add("--add-modules");
            command.add("jdk.incubator.vector");
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(ModelFileProbe.class.getName());
        command.add(dir.toString());
        File log = dir.resolve("probe.log").toFile();
        Process probe = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
        boolean finished = probe.waitFor(10, TimeUnit.MINUTES);
        if (!finished) {
            probe.destroyForcibly();
        }
        String output = Files.readString(log.toPath());
        assertTrue(finished, "the forked JVM did not finish within 10 minutes: " + output);
        assertEquals(0, probe.exitValue(), () -> "the forked JVM failed: " + output);
    }

    private static double[] read(Path file) throws IOException {
        try (InputStream raw = Files.newInputStream(file); DataInputStream in = new DataInputStream(raw)) {
            double[] values = new double[in.readInt()];
            for (int i = 0; i < values.length; i++) {
                values[i] = Double.longBitsToDouble(in.readLong());
            }
            return values;
        }
    }

    private static void assertSameParameters(Network<?, ?> expected, Network<?, ?> actual) {
        assertEquals(expected.parameters().size(), actual.parameters().size());
        for (int i = 0; i < expected.parameters().size(); i++) {
            Parameter e = expected.parameters().get(i);
            Parameter a = actual.parameters().get(i);
            assertEquals(e.name(), a.name());
            Mat x = e.value();
            Mat y = a.value();
            assertEquals(x.dataType(), y.dataType(), e.name());
            assertEquals(x.shape(), y.shape(), e.name());
            for (int c = 0; c < x.cols(); c++) {
                for (int r = 0; r < x.rows(); r++) {
                    assertEquals(Double.doubleToRawLongBits(x.get(r, c)), Double.doubleToRawLongBits(y.get(r, c)),
                            e.name() + "[" + r + ", " + c + "]");
                }
            }
        }
    }
}
