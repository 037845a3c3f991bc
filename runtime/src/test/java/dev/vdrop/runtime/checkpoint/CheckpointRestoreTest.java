package dev.vdrop.runtime.checkpoint;

import static dev.vdrop.runtime.checkpoint.Fixtures.assertSameBits;
import static dev.vdrop.runtime.checkpoint.Fixtures.mat;
import static dev.vdrop.runtime.checkpoint.Fixtures.named;
import static dev.vdrop.runtime.checkpoint.Fixtures.random;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdrop.runtime.Mat;
import dev.vdrop.runtime.Parameter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

class CheckpointRestoreTest {
    @TempDir
    Path dir;

    private static List<Parameter> model(DataType type) {
        return List.of(
                new Parameter("lstm1.W", Mat.zeros(type, 8, 3)),
                new Parameter("lstm1.b", Mat.zeros(type, 8, 1)),
                new Parameter("decoder.D", Mat.zeros(type, 5, 2)));
    }

    private static Map<String, Mat> saved(DataType type) {
        return named("lstm1.W", random(type, 8, 3, 1), "lstm1.b", random(type, 8, 1, 2), "decoder.D", random(type, 5, 2, 3));
    }

    @Test
    void restoreCopiesTheValuesIntoTheParametersOwnMatrices() throws Exception {
        List<Parameter> model = model(DataType.FLOAT);
        Mat before = model.get(0).value();
        model.get(0).gradient().fill(0.25);
        Map<String, Mat> saved = saved(DataType.FLOAT);
        Checkpoints.restore(saved, model);
        for (Parameter p : model) {
            assertSameBits(saved.get(p.name()), p.value(), p.name());
        }
        assertSame(before, model.get(0).value());
        assertEquals(0.25, model.get(0).gradient().get(7, 2), 0.0, "gradients are not touched");
    }

    @Test
    void aFloatCheckpointRestoresIntoADoubleModelExactly() throws Exception {
        List<Parameter> model = model(DataType.DOUBLE);
        Map<String, Mat> saved = saved(DataType.FLOAT);
        Checkpoints.restore(saved, model);
        Mat w = model.get(0).value();
        assertEquals(DataType.DOUBLE, w.dataType());
        for (int c = 0; c < 3; c++) {
            for (int r = 0; r < 8; r++) {
                assertEquals((float) saved.get("lstm1.W").get(r, c), w.get(r, c), 0.0);
            }
        }
    }

    @Test
    void aDoubleCheckpointRestoresIntoAFloatModelRounded() throws Exception {
        List<Parameter> model = List.of(new Parameter("x", Mat.zeros(DataType.FLOAT, 1, 2)));
        Checkpoints.restore(named("x", mat(DataType.DOUBLE, 1, 2, 0.1, -1.0 / 3)), model);
        assertEquals(0.1f, (float) model.get(0).value().get(0, 0), 0.0f);
        assertEquals(-1.0f / 3, (float) model.get(0).value().get(0, 1), 0.0f);
    }

    @Test
    void aShapeThatDiffers() {
        List<Parameter> model = List.of(new Parameter("lstm1.W", Mat.zeros(DataType.FLOAT, 2600, 650)));
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> Checkpoints.restore(named("lstm1.W", Mat.zeros(DataType.FLOAT, 800, 200)), model));
        assertEquals("the checkpoint's lstm1.W is 800 × 200 but the model's is 2600 × 650", e.getMessage());
    }

    @Test
    void aParameterTheCheckpointLacks() {
        Map<String, Mat> saved = saved(DataType.FLOAT);
        saved.remove("decoder.D");
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoints.restore(saved, model(DataType.FLOAT)));
        assertEquals("the checkpoint has no parameter decoder.D that the model has", e.getMessage());
    }

    @Test
    void aParameterTheModelLacks() {
        Map<String, Mat> saved = saved(DataType.FLOAT);
        saved.put("lstm3.W", Mat.zeros(DataType.FLOAT, 4, 4));
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoints.restore(saved, model(DataType.FLOAT)));
        assertEquals("the checkpoint has a parameter lstm3.W that the model does not have", e.getMessage());
    }

    @Test
    void everyDifferenceIsListedAndNoParameterIsChanged() {
        List<Parameter> model = model(DataType.DOUBLE);
        for (Parameter p : model) {
            p.value().fill(42);
        }
        // lstm1.W fits, and comes first: a restore that copied as it checked would have changed it.
        Map<String, Mat> saved = named(
                "lstm1.W", random(DataType.DOUBLE, 8, 3, 1),
                "lstm1.b", Mat.zeros(DataType.DOUBLE, 1, 8),
                "lstm2.W", Mat.zeros(DataType.DOUBLE, 1, 1));
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoints.restore(saved, model));
        assertEquals("the checkpoint does not fit the model (3 differences; was it saved from another model or configuration?): "
                + "the checkpoint's lstm1.b is 1 × 8 but the model's is 8 × 1; "
                + "the checkpoint has no parameter decoder.D that the model has; "
                + "the checkpoint has a parameter lstm2.W that the model does not have", e.getMessage());
        for (Parameter p : model) {
            for (int c = 0; c < p.value().cols(); c++) {
                for (int r = 0; r < p.value().rows(); r++) {
                    assertEquals(42.0, p.value().get(r, c), 0.0, p.name() + " is unchanged");
                }
            }
        }
    }

    @Test
    void aLongListOfDifferencesIsCut() {
        List<Parameter> model = List.of();
        Map<String, Mat> saved = new java.util.LinkedHashMap<>();
        for (int i = 0; i < 13; i++) {
            saved.put("p" + i, Mat.zeros(DataType.FLOAT, 1, 1));
        }
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoints.restore(saved, model));
        assertTrue(e.getMessage().endsWith("the checkpoint has a parameter p9 that the model does not have; and 3 more"),
                e.getMessage());
    }

    @Test
    void twoParametersWithOneName() {
        List<Parameter> model = List.of(new Parameter("W", Mat.zeros(DataType.FLOAT, 1, 1)),
                new Parameter("W", Mat.zeros(DataType.FLOAT, 1, 1)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Checkpoints.restore(named("W", Mat.zeros(DataType.FLOAT, 1, 1)), model));
        assertEquals("two parameters are named W; names must be unique", e.getMessage());
    }

    @Test
    void aSnapshotIsACopyThatTrainingDoesNotChange() throws Exception {
        List<Parameter> model = model(DataType.FLOAT);
        Checkpoints.restore(saved(DataType.FLOAT), model);
        Map<String, Mat> snapshot = Checkpoints.snapshot(model);
        assertEquals(List.of("lstm1.W", "lstm1.b", "decoder.D"), List.copyOf(snapshot.keySet()));
        Mat kept = Fixtures.random(DataType.FLOAT, 8, 3, 1);
        model.get(0).value().fill(-1);
        assertSameBits(kept, snapshot.get("lstm1.W"), "the snapshot keeps the values it copied");
        assertNotSame(model.get(0).value(), snapshot.get("lstm1.W"));
        assertEquals(DataType.FLOAT, snapshot.get("decoder.D").dataType());
        assertThrows(UnsupportedOperationException.class, () -> snapshot.remove("lstm1.W"));
    }

    @Test
    void aModelSavedAndRestoredIntoAFreshOne() throws Exception {
        List<Parameter> trained = model(DataType.DOUBLE);
        Checkpoints.restore(saved(DataType.DOUBLE), trained);
        Path file = dir.resolve("lm.ckpt");
        Checkpoints.save(file, Checkpoint.builder().tensors("parameters", Checkpoints.snapshot(trained)).build());

        List<Parameter> fresh = model(DataType.DOUBLE);
        Checkpoints.restore(Checkpoints.load(file).requireGroup("parameters"), fresh);
        for (int i = 0; i < fresh.size(); i++) {
            assertSameBits(trained.get(i).value(), fresh.get(i).value(), fresh.get(i).name());
        }
    }
}
