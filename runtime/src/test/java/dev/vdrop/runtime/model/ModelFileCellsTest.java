package dev.vdrop.runtime.model;

import static dev.vdrop.runtime.model.FakeNetwork.GRU;
import static dev.vdrop.runtime.model.FakeNetwork.LSTM;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdrop.runtime.ModelSizes;
import dev.vdrop.runtime.checkpoint.Checkpoint;
import dev.vdrop.runtime.checkpoint.Checkpoints;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The recurrent layers' cells in a model file: recorded from the network's summary, checked before
 * the class and the parameters' shapes, and absent from files saved before they were recorded.
 * {@link FakeNetwork}'s two cells have the same shapes, so only the recorded cells can tell them apart.
 */
class ModelFileCellsTest {
    private static final ModelSizes SIZES = new ModelSizes(ModelSizes.Size.declared("vocabulary", 5),
            ModelSizes.Size.declared("classes", 5));
    private static final PredictionInfo LM = PredictionInfo.languageModel(
            new ModelInput.Tokens(Tokenization.ASCII_WORDS, List.of("<unk>", "the", "whale", "<eos>", ".")));

    @TempDir
    Path dir;

    @Test
    void anLstmFileIsRefusedByAGruNetworkNamingTheLayerAndBothCells() throws Exception {
        Path file = save(FakeNetwork.languageModel(5, 1, LSTM));
        FakeNetwork gru = FakeNetwork.languageModel(5, 2, GRU);
        FakeNetwork before = FakeNetwork.languageModel(5, 2, GRU);
        var e = assertThrows(ModelFileException.class, () -> ModelFile.load(file).restoreInto(gru));
        assertEquals("model file " + file + ": layer lstm was trained as a VariationalLSTM of 2 units (W 8×4), this "
                + "network's lstm is a VariationalGRU of 2 units (W 8×4); load it into a network declared with "
                + "@VariationalLSTM", e.getMessage());
        assertTrue(ModelFileTest.sameBits(before, gru), "a refused restore changes nothing");
    }

    @Test
    void aGruFileIsRefusedByAnLstmNetworkNamingTheLayerAndBothCells() throws Exception {
        Path file = save(FakeNetwork.languageModel(5, 1, GRU));
        ModelFile loaded = ModelFile.load(file);
        var e = assertThrows(ModelFileException.class, () -> loaded.newNetwork(s -> new FakeNetwork(s, DataType.FLOAT, 2, 8)));
        assertEquals("model file " + file + ": layer lstm was trained as a VariationalGRU of 2 units (W 8×4), this "
                + "network's lstm is a VariationalLSTM of 2 units (W 8×4); load it into a network declared with "
                + "@VariationalGRU", e.getMessage());
    }

    @Test
    void theCellsAreCheckedBeforeTheParametersShapes() throws Exception {
        Path file = save(FakeNetwork.languageModel(5, 1, LSTM));
        FakeNetwork wider = new FakeNetwork(SIZES, DataType.FLOAT, 2, 6, GRU);
        var e = assertThrows(ModelFileException.class, () -> ModelFile.load(file).restoreInto(wider));
        assertEquals("model file " + file + ": layer lstm was trained as a VariationalLSTM of 2 units (W 8×4), this "
                + "network's lstm is a VariationalGRU of 2 units (W 6×4); load it into a network declared with "
                + "@VariationalLSTM", e.getMessage(), "the cells, not 'the file's lstm.W is 8 × 4 but the network's is 6 × 4'");
    }

    @Test
    void aNetworkOfAnotherClassWithAnotherCellIsToldBothCellsAndTheSavedClass() throws Exception {
        Path file = save(FakeNetwork.languageModel(5, 1, LSTM));
        var e = assertThrows(ModelFileException.class,
                () -> ModelFile.load(file).restoreInto(new FakeNetwork.Other(SIZES, GRU)));
        assertEquals("model file " + file + ": layer lstm was trained as a VariationalLSTM of 2 units (W 8×4), this "
                + "network's lstm is a VariationalGRU of 2 units (W 8×4); load it into a network declared with "
                + "@VariationalLSTM, such as the dev.vdrop.runtime.model.FakeNetwork it was saved from", e.getMessage());
    }

    @Test
    void theSameCellsLoad() throws Exception {
        for (String cell : List.of(LSTM, GRU)) {
            FakeNetwork saved = FakeNetwork.languageModel(5, 1, cell);
            Path file = save(saved);
            ModelFile loaded = ModelFile.load(file);
            assertEquals(Map.of("lstm", cell), loaded.cells());
            FakeNetwork fresh = FakeNetwork.languageModel(5, 2, cell);
            assertFalse(ModelFileTest.sameBits(saved, fresh));
            assertSame(fresh, loaded.restoreInto(fresh));
            assertTrue(ModelFileTest.sameBits(saved, fresh), cell);
        }
    }

    @Test
    void theFileRecordsEachRecurrentLayerUnderDocumentedKeys() throws Exception {
        Path file = save(FakeNetwork.languageModel(5, 1, GRU));
        Map<String, String> metadata = Checkpoints.load(file).metadata();
        assertEquals("lstm", metadata.get("vdrop.layers"));
        assertEquals("VariationalGRU", metadata.get("vdrop.layer.lstm.cell"));
        assertEquals("2", metadata.get("vdrop.layer.lstm.units"));
        assertEquals("W 8×4", metadata.get("vdrop.layer.lstm.parameters"));
        assertEquals("1", metadata.get("vdrop.model_file_version"), "the version stays: version-1 readers ignore the keys");
    }

    /**
     * {@code saved-before-cells.vdrop} was written by {@code ModelFile.save} of commit 6c9093a, before
     * cells were recorded, from {@code FakeNetwork.languageModel(5, 1)} and this test's LM info.
     */
    @Test
    void aFileSavedBeforeCellsWereRecordedStillLoads() throws Exception {
        Path file = dir.resolve("old.vdrop");
        try (InputStream in = getClass().getResourceAsStream("saved-before-cells.vdrop")) {
            Files.copy(in, file);
        }
        ModelFile loaded = ModelFile.load(file);
        assertFalse(Checkpoints.load(file).metadata().containsKey("vdrop.layers"), "really an old file");
        assertEquals(Map.of(), loaded.cells());
        assertEquals(LM, loaded.info());
        FakeNetwork fresh = FakeNetwork.languageModel(5, 2);
        loaded.restoreInto(fresh);
        assertTrue(ModelFileTest.sameBits(FakeNetwork.languageModel(5, 1), fresh), "the parameters it was saved with");
        FakeNetwork gru = FakeNetwork.languageModel(5, 2, GRU);
        loaded.restoreInto(gru);
        assertTrue(ModelFileTest.sameBits(FakeNetwork.languageModel(5, 1), gru),
                "without a record there is no cell to compare: only the shapes are checked, as before");
    }

    @Test
    void aMalformedCellRecordIsRefusedNamingIt() throws Exception {
        Path file = save(FakeNetwork.languageModel(5, 1, LSTM));
        Checkpoint c = Checkpoints.load(file);
        Path bad = dir.resolve("bad.vdrop");
        Checkpoints.save(bad, Checkpoint.builder().metadata(c.metadata()).metadata("vdrop.layer.lstm.cell", "VariationalRNN")
                .vocabulary(c.vocabulary()).tensors("parameters", c.requireGroup("parameters")).build());
        var e = assertThrows(ModelFileException.class, () -> ModelFile.load(bad));
        assertEquals("model file " + bad + " is malformed: the metadata \"vdrop.layers\" names a layer lstm "
                + "whose record is malformed: a layer's cell must be one of VariationalLSTM or VariationalGRU, got "
                + "\"VariationalRNN\"; it was not written by ModelFile.save of this vdrop", e.getMessage());
    }

    private Path save(FakeNetwork network) throws IOException, ModelFileException {
        Path file = dir.resolve(network.summary().rows().get(1).type() + ".vdrop");
        ModelFile.save(file, network, LM);
        return file;
    }
}
