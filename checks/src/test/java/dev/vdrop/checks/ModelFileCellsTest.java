package dev.vdrop.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdrop.runtime.Mat;
import dev.vdrop.runtime.Network;
import dev.vdrop.runtime.NetworkConfig;
import dev.vdrop.runtime.model.ModelFile;
import dev.vdrop.runtime.model.ModelFileException;
import dev.vdrop.runtime.model.ModelInput;
import dev.vdrop.runtime.model.PredictionInfo;
import dev.vdrop.runtime.model.Tokenization;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model file of a generated LSTM model is refused by its generated GRU twin and the other way
 * round, naming the layer and both cells (the cells as the generated summaries write them); each
 * loads into its own class. The messages are checked around the parameter shapes, which are the
 * generated code's and not what this test is about.
 */
class ModelFileCellsTest {
    private static final PredictionInfo LM = PredictionInfo.languageModel(
            new ModelInput.Tokens(Tokenization.ASCII_WORDS, List.of("<unk>", "a", "b", "c", "d", "e")));

    @TempDir
    Path dir;

    @Test
    void anLstmModelsFileIsRefusedByItsGruTwinNamingBothCells() throws Exception {
        Path file = dir.resolve("lstm.vdrop");
        ModelFile.save(file, new CellFileLstmNetwork(config(1)), LM);
        var e = assertThrows(ModelFileException.class,
                () -> ModelFile.load(file).restoreInto(new CellFileGruNetwork(config(2))));
        assertRefused(e.getMessage(), file, "VariationalLSTM", "VariationalGRU", CellFileLstmNetwork.class);
    }

    @Test
    void aGruModelsFileIsRefusedByItsLstmTwinNamingBothCells() throws Exception {
        Path file = dir.resolve("gru.vdrop");
        ModelFile.save(file, new CellFileGruNetwork(config(1)), LM);
        var e = assertThrows(ModelFileException.class,
                () -> ModelFile.load(file).newNetwork(sizes -> new CellFileLstmNetwork(config(2))));
        assertRefused(e.getMessage(), file, "VariationalGRU", "VariationalLSTM", CellFileGruNetwork.class);
    }

    @Test
    void eachLoadsIntoItsOwnClass() throws Exception {
        for (Network<?, ?> saved : List.of(new CellFileLstmNetwork(config(1)), new CellFileGruNetwork(config(1)))) {
            Path file = dir.resolve(saved.getClass().getSimpleName() + ".vdrop");
            ModelFile.save(file, saved, LM);
            ModelFile loaded = ModelFile.load(file);
            String cell = saved.summary().rows().get(1).type();
            assertEquals(Map.of("rnn1", cell), loaded.cells());
            Network<?, ?> fresh = saved instanceof CellFileLstmNetwork
                    ? new CellFileLstmNetwork(config(2)) : new CellFileGruNetwork(config(2));
            assertTrue(!sameValues(saved, fresh), "another seed, other weights: the restore has work to do");
            loaded.restoreInto(fresh);
            assertTrue(sameValues(saved, fresh), cell + ": the saved parameters");
        }
    }

    private static void assertRefused(String message, Path file, String saved, String given, Class<?> savedClass) {
        String start = "model file " + file + ": layer rnn1 was trained as a " + saved + " of 4 units (";
        String middle = "), this network's rnn1 is a " + given + " of 4 units (";
        String end = "); load it into a network declared with @" + saved + ", such as the " + savedClass.getName()
                + " it was saved from";
        assertTrue(message.startsWith(start) && message.contains(middle) && message.endsWith(end), message);
    }

    private static boolean sameValues(Network<?, ?> a, Network<?, ?> b) {
        for (int p = 0; p < a.parameters().size(); p++) {
            Mat x = a.parameters().get(p).value();
            Mat y = b.parameters().get(p).value();
            for (long i = 0; i < (long) x.rows() * x.cols(); i++) {
                if (Double.doubleToRawLongBits(x.getLinear(i)) != Double.doubleToRawLongBits(y.getLinear(i))) {
                    return false;
                }
            }
        }
        return true;
    }

    private static NetworkConfig config(long seed) {
        return NetworkConfig.builder().seed(seed).build();
    }
}
