package dev.vdrop.runtime.checkpoint;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdrop.runtime.ModelSizes;
import dev.vdrop.runtime.Network;
import dev.vdrop.runtime.Parameter;
import dev.vdrop.runtime.Summary;
import dev.vdrop.runtime.Workspace;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A training checkpoint records its recurrent layers' cells ({@link RecurrentCells}) and
 * {@link Checkpoints#checkCells} refuses a model whose layers have others, naming both; a
 * checkpoint without the record passes. The networks are summaries with parameters of the same
 * shapes whatever the cell, so only the record tells the cells apart.
 */
class CheckpointCellsTest {
    @TempDir
    Path dir;

    @Test
    void anLstmCheckpointResumedIntoAGruModelIsRefusedNamingBothCells() throws Exception {
        Checkpoint saved = saveAndLoad(twoLayers("VariationalLSTM", "VariationalLSTM"));
        var e = assertThrows(CheckpointException.class,
                () -> Checkpoints.checkCells(saved, twoLayers("VariationalGRU", "VariationalLSTM")));
        assertEquals("the checkpoint's layer lstm1 was trained as a VariationalLSTM of 200 units (W 800×200, U 800×200, "
                + "b 800), this model's lstm1 is a VariationalGRU of 200 units (W 800×200, U 800×200, b 800); resume it "
                + "with a model declared with @VariationalLSTM, or train this one from the start", e.getMessage());
    }

    @Test
    void aGruCheckpointResumedIntoAnLstmModelIsRefusedNamingEveryLayerThatDiffers() throws Exception {
        Checkpoint saved = saveAndLoad(twoLayers("VariationalGRU", "VariationalGRU"));
        var e = assertThrows(CheckpointException.class,
                () -> Checkpoints.checkCells(saved, twoLayers("VariationalLSTM", "VariationalLSTM")));
        assertEquals("the checkpoint's layer lstm1 was trained as a VariationalGRU of 200 units (W 800×200, U 800×200, "
                + "b 800), this model's lstm1 is a VariationalLSTM of 200 units (W 800×200, U 800×200, b 800); layer lstm2 "
                + "was trained as a VariationalGRU of 200 units (W 800×200, U 800×200, b 800), this model's lstm2 is a "
                + "VariationalLSTM of 200 units (W 800×200, U 800×200, b 800); resume it with a model declared with "
                + "@VariationalGRU on lstm1 and @VariationalGRU on lstm2, or train this one from the start", e.getMessage());
    }

    @Test
    void theSameCellsPass() throws Exception {
        for (String cell : RecurrentCells.CELLS) {
            Checkpoint saved = saveAndLoad(twoLayers(cell, "VariationalLSTM"));
            assertDoesNotThrow(() -> Checkpoints.checkCells(saved, twoLayers(cell, "VariationalLSTM")));
        }
    }

    @Test
    void aCheckpointWithoutCellsPasses() throws Exception {
        Checkpoint old = Checkpoint.builder().metadata("model", "x.Net").metadata("epoch", "1").build();
        assertTrue(RecurrentCells.read(old, "").isEmpty());
        assertDoesNotThrow(() -> Checkpoints.checkCells(old, twoLayers("VariationalGRU", "VariationalGRU")));
    }

    @Test
    void theRecordReadsBackAsItWasWritten() throws Exception {
        Network<?, ?> network = twoLayers("VariationalGRU", "VariationalLSTM");
        RecurrentCells cells = RecurrentCells.of(network);
        assertEquals(List.of(
                new RecurrentCells.Layer("lstm1", "VariationalGRU", 200, "W 800×200, U 800×200, b 800"),
                new RecurrentCells.Layer("lstm2", "VariationalLSTM", 200, "W 800×200, U 800×200, b 800")), cells.layers());
        Checkpoint saved = saveAndLoad(network);
        assertEquals("lstm1 lstm2", saved.require("layers"));
        assertEquals("VariationalGRU", saved.require("layer.lstm1.cell"));
        assertEquals("200", saved.require("layer.lstm1.units"));
        assertEquals("W 800×200, U 800×200, b 800", saved.require("layer.lstm1.parameters"));
        assertEquals(cells, RecurrentCells.read(saved, ""));
        assertEquals(cells, RecurrentCells.read(cells.writeTo(Checkpoint.builder(), "vdrop.").build(), "vdrop."));
    }

    @Test
    void anIncompleteRecordIsRefusedNamingTheKey() {
        Checkpoint c = Checkpoint.builder().metadata("layers", "lstm1").metadata("layer.lstm1.units", "200").build();
        var e = assertThrows(CheckpointException.class, () -> RecurrentCells.read(c, ""));
        assertEquals("the checkpoint has no metadata \"layer.lstm1.cell\"; it has layers, layer.lstm1.units", e.getMessage());
    }

    private Checkpoint saveAndLoad(Network<?, ?> network) throws CheckpointException {
        Path file = dir.resolve("checkpoint.vdrop");
        Checkpoints.save(file, RecurrentCells.of(network).writeTo(Checkpoint.builder(), "")
                .metadata("model", network.getClass().getName()).build());
        return Checkpoints.load(file);
    }

    /** A model of two 200-unit layers lstm1 and lstm2 of the given cells, as a generated summary lists them. */
    private static Network<int[][], int[][]> twoLayers(String cell1, String cell2) {
        return new Network<>() {
            @Override
            public List<Parameter> parameters() {
                return List.of(new Parameter("lstm1.W", Fixtures.random(DataType.FLOAT, 8, 2, 1)));
            }

            @Override
            public ModelSizes sizes() {
                return new ModelSizes(ModelSizes.Size.declared("vocabulary", 10), ModelSizes.Size.declared("classes", 10));
            }

            @Override
            public Summary summary() {
                return Summary.builder("Model Two (generated TwoNetwork)")
                        .layer("embedding", "Embedding", "(B, T, 200)", "E 200×10", 2000, "none")
                        .layer("lstm1", cell1, "(B, T, 200)", "W 800×200, U 800×200, b 800", 320_800, "x 0.4 (tied)")
                        .layer("lstm2", cell2, "(B, T, 200)", "W 800×200, U 800×200, b 800", 320_800, "none")
                        .layer("decoder", "Softmax", "(B, T, 10)", "D 200×10, d 10", 2010, "none")
                        .build();
            }

            @Override
            public Workspace<int[][], int[][]> workspace(int batch, int steps) {
                throw new UnsupportedOperationException();
            }

            @Override
            public INDArray predict(int[][] input) {
                throw new UnsupportedOperationException();
            }
        };
    }
}
