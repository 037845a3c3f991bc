package dev.vdrop.runtime.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdrop.runtime.Mat;
import dev.vdrop.runtime.ModelSizes;
import dev.vdrop.runtime.Parameter;
import dev.vdrop.runtime.checkpoint.Checkpoint;
import dev.vdrop.runtime.checkpoint.Checkpoints;
import dev.vdrop.runtime.checkpoint.RecurrentCells;
import dev.vdrop.runtime.series.Normalizer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

/** Saving, loading and restoring a model file, and every refusal with its message, on {@link FakeNetwork}s. */
class ModelFileTest {
    private static final ModelSizes SIZES = new ModelSizes(ModelSizes.Size.declared("vocabulary", 5),
            ModelSizes.Size.declared("classes", 5));
    private static final PredictionInfo LM = PredictionInfo.languageModel(
            new ModelInput.Tokens(Tokenization.ASCII_WORDS, List.of("<unk>", "the", "whale", "<eos>", ".")));

    @TempDir
    Path dir;

    @Test
    void aLoadedFileRestoresTheParametersBitForBit() throws Exception {
        FakeNetwork saved = FakeNetwork.languageModel(5, 1);
        saved.parameters().get(1).value().set(0, 0, -0.0);
        saved.parameters().get(1).value().set(1, 0, Float.intBitsToFloat(0x7fc0_0123));
        Path file = dir.resolve("lm.vdrop");
        ModelFile.save(file, saved, LM);

        FakeNetwork fresh = FakeNetwork.languageModel(5, 2);
        assertFalse(sameBits(saved, fresh), "another seed gives other parameters, so the restore has work to do");
        ModelFile loaded = ModelFile.load(file);
        assertSame(fresh, loaded.restoreInto(fresh));
        assertTrue(sameBits(saved, fresh), "every parameter bit for bit, −0.0 and a NaN payload included");
        assertEquals(FakeNetwork.class.getName(), loaded.modelClass());
        assertEquals(SIZES, loaded.sizes());
        assertEquals(LM, loaded.info());
        assertEquals(DataType.FLOAT, loaded.dataType());
        assertEquals(List.of("embedding", "lstm.W", "decoder"), loaded.parameterNames());
        assertEquals(1, loaded.version());
    }

    @Test
    void newNetworkBuildsWithTheFileSizesAndRestores() throws Exception {
        ModelSizes given = new ModelSizes(ModelSizes.Size.given("vocabulary", 7), ModelSizes.Size.given("classes", 3));
        FakeNetwork saved = new FakeNetwork(given, DataType.DOUBLE, 3, 8);
        Path file = dir.resolve("c.vdrop");
        PredictionInfo info = PredictionInfo.classifier(new ModelInput.Tokens(Tokenization.CHARS,
                List.of("<unk>", "a", "é", "日", "😀", " ", "\t")), List.of("female", "male", "both"));
        ModelFile.save(file, saved, info);
        ModelFile loaded = ModelFile.load(file);
        FakeNetwork built = loaded.newNetwork(s -> new FakeNetwork(s, loaded.dataType(), 99, 8));
        assertEquals(given, built.sizes());
        assertTrue(sameBits(saved, built));
        assertEquals(info, loaded.info());
        assertEquals(List.of("female", "male", "both"), loaded.info().labels());
    }

    @Test
    void aForecasterKeepsItsScalingExactlyAndItsWindow() throws Exception {
        ModelSizes sizes = new ModelSizes(ModelSizes.Size.declared("features", 1), ModelSizes.Size.declared("outputs", 1));
        double[] series = {0.1, 0.7, 0.2, 1.0 / 3, 12.5};
        Normalizer normalizer = Normalizer.fit(series, 0, 5);
        Path file = dir.resolve("f.vdrop");
        ModelFile.save(file, new FakeNetwork(sizes, DataType.FLOAT, 4, 8), PredictionInfo.forecaster(1, normalizer, 24));
        PredictionInfo info = ModelFile.load(file).info();
        Scaling scaling = info.scaling().orElseThrow();
        assertEquals(Double.doubleToRawLongBits(normalizer.mean()), Double.doubleToRawLongBits(scaling.mean()));
        assertEquals(Double.doubleToRawLongBits(normalizer.std()), Double.doubleToRawLongBits(scaling.std()));
        assertEquals(normalizer.denormalize(0.37), scaling.normalizer().denormalize(0.37), 0.0, "the same formula");
        assertEquals(normalizer.normalize(3.0), scaling.normalizer().normalize(3.0), 0.0, "the same formula");
        assertEquals(OptionalInt.of(24), info.window());
        assertEquals(new ModelInput.Features(1), info.input());
        assertEquals(List.of(), info.labels());
    }

    @Test
    void anotherModelClassIsRefusedNamingBoth() throws Exception {
        Path file = saveLm();
        ModelFile loaded = ModelFile.load(file);
        FakeNetwork.Other other = new FakeNetwork.Other(SIZES);
        var e = assertThrows(ModelFileException.class, () -> loaded.restoreInto(other));
        assertEquals("model file " + file + " holds a dev.vdrop.runtime.model.FakeNetwork, not the "
                + "dev.vdrop.runtime.model.FakeNetwork$Other given; restore it into a FakeNetwork", e.getMessage());
    }

    @Test
    void otherSizesAreRefusedNamingBoth() throws Exception {
        Path file = saveLm();
        FakeNetwork bigger = FakeNetwork.languageModel(6, 1);
        var e = assertThrows(ModelFileException.class, () -> ModelFile.load(file).restoreInto(bigger));
        assertEquals("model file " + file + " was saved from a network of vocabulary 5 (declared), classes 5 (declared), "
                + "but this network has vocabulary 6 (declared), classes 6 (declared); build the network with the file's "
                + "sizes (ModelFile.sizes())", e.getMessage());
    }

    @Test
    void otherParameterShapesAndTypesAreRefusedNamingBothAndNothingIsCopied() throws Exception {
        Path file = saveLm();
        FakeNetwork wider = new FakeNetwork(SIZES, DataType.FLOAT, 7, 12);
        FakeNetwork before = new FakeNetwork(SIZES, DataType.FLOAT, 7, 12);
        var e = assertThrows(ModelFileException.class, () -> ModelFile.load(file).restoreInto(wider));
        assertEquals("model file " + file + " does not fit the network (1 difference): the file's lstm.W is 8 × 4 but "
                + "the network's is 12 × 4", e.getMessage());
        assertTrue(sameBits(before, wider), "a refused restore changes nothing");

        FakeNetwork doubles = new FakeNetwork(SIZES, DataType.DOUBLE, 7, 8);
        var types = assertThrows(ModelFileException.class, () -> ModelFile.load(file).restoreInto(doubles));
        assertTrue(types.getMessage().startsWith("model file " + file + " does not fit the network (3 differences): the "
                + "file's embedding is FLOAT but the network's is DOUBLE (build the network with "
                + "NetworkConfig.dataType(FLOAT)); "), types.getMessage());
    }

    @Test
    void aMissingOrExtraParameterIsRefused() throws Exception {
        Path file = saveLm();
        FakeNetwork renamed = FakeNetwork.languageModel(5, 1);
        Parameter w = renamed.parameters().get(1);
        renamed.parameters().set(1, new Parameter("lstm1.W", w.value()));
        var e = assertThrows(ModelFileException.class, () -> ModelFile.load(file).restoreInto(renamed));
        assertEquals("model file " + file + " does not fit the network (2 differences): the network has a parameter "
                + "lstm1.W that the file lacks; the file has a parameter lstm.W that the network lacks", e.getMessage());
    }

    @Test
    void aMissingFileOrADirectoryIsRefusedNamingThePath() {
        Path missing = dir.resolve("nowhere/model.vdrop");
        assertEquals("no model file at " + missing,
                assertThrows(ModelFileException.class, () -> ModelFile.load(missing)).getMessage());
        assertEquals(dir + " is a directory, not a model file; give the path of a model file inside it",
                assertThrows(ModelFileException.class, () -> ModelFile.load(dir)).getMessage());
    }

    @Test
    void anUnreadableFileIsRefusedNamingThePath() throws Exception {
        Path file = saveLm();
        try {
            Files.setPosixFilePermissions(file, java.util.Set.of());
        } catch (UnsupportedOperationException e) {
            org.junit.jupiter.api.Assumptions.abort("no POSIX permissions on this file system");
        }
        org.junit.jupiter.api.Assumptions.assumeFalse(Files.isReadable(file), "this user reads any file (root)");
        assertEquals("cannot read model file " + file + ": permission denied",
                assertThrows(ModelFileException.class, () -> ModelFile.load(file)).getMessage());
    }

    @Test
    void savingWhereAFileBlocksTheDirectoryIsRefusedNamingThePath() throws Exception {
        Path blocker = Files.writeString(dir.resolve("blocker"), "x");
        Path file = blocker.resolve("model.vdrop");
        var e = assertThrows(ModelFileException.class, () -> ModelFile.save(file, FakeNetwork.languageModel(5, 1), LM));
        assertEquals("cannot save model file " + file + ": " + blocker + " is not a directory", e.getMessage());
    }

    @Test
    void aTruncatedFileIsRefused() throws Exception {
        Path file = saveLm();
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length - 20));
        var e = assertThrows(ModelFileException.class, () -> ModelFile.load(file));
        assertEquals("model file " + file + " is truncated: " + (bytes.length - 20) + " of " + bytes.length
                + " bytes; it was cut off while being written — save the model file again", e.getMessage());
    }

    @Test
    void aCorruptFileIsRefused() throws Exception {
        Path file = saveLm();
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 40] ^= 0x10;
        Files.write(file, bytes);
        var e = assertThrows(ModelFileException.class, () -> ModelFile.load(file));
        assertEquals("model file " + file + " is corrupt: its checksum does not match; it was damaged after it was "
                + "written — save the model file again", e.getMessage());
    }

    @Test
    void notAVdropFileIsRefused() throws Exception {
        Path file = Files.writeString(dir.resolve("model.txt"), "hello, this is not a model");
        var e = assertThrows(ModelFileException.class, () -> ModelFile.load(file));
        assertEquals(file + " is not a vdrop model file: it does not start with VDROPCKP", e.getMessage());
    }

    @Test
    void aNewerCheckpointFormatVersionIsRefused() throws Exception {
        Path file = saveLm();
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer.wrap(bytes).putInt(8, 2);
        Files.write(file, bytes);
        var e = assertThrows(ModelFileException.class, () -> ModelFile.load(file));
        assertEquals("model file " + file + " has format version 2; this vdrop reads version 1 — open it with the newer "
                + "vdrop that wrote it", e.getMessage());
    }

    @Test
    void aNewerModelFileVersionIsRefused() throws Exception {
        Path file = dir.resolve("newer.vdrop");
        Checkpoint current = Codec.encode("x.Net", RecurrentCells.none(), SIZES, LM, Checkpoints.snapshot(FakeNetwork.languageModel(5, 1).parameters()));
        Checkpoint newer = Checkpoint.builder().metadata(current.metadata()).metadata(Codec.VERSION, "2")
                .vocabulary(current.vocabulary()).tensors("parameters", current.requireGroup("parameters")).build();
        Checkpoints.save(file, newer);
        var e = assertThrows(ModelFileException.class, () -> ModelFile.load(file));
        assertEquals("model file " + file + " has model-file version 2; this vdrop reads version 1 — load it with the "
                + "newer vdrop that wrote it", e.getMessage());
    }

    @Test
    void aTrainingCheckpointIsRefusedSayingWhatItIs() throws Exception {
        Path file = dir.resolve("lm.ckpt");
        FakeNetwork net = FakeNetwork.languageModel(5, 1);
        // The keys and groups LanguageModelTrainer writes.
        Checkpoints.save(file, Checkpoint.builder().metadata("model", FakeNetwork.class.getName()).metadata("epoch", "3")
                .metadata("rng_state", "42").vocabulary(List.of("<unk>", "a"))
                .tensors("parameters", Checkpoints.snapshot(net.parameters()))
                .tensors("optimizer", Map.of()).build());
        var e = assertThrows(ModelFileException.class, () -> ModelFile.load(file));
        assertEquals(file + " is a training checkpoint (the state a trainer resumes from), not a model file; load it "
                + "with Checkpoints.load to resume training, or restore its parameters into the network and save a "
                + "model file with ModelFile.save", e.getMessage());

        Path other = dir.resolve("other.ckpt");
        Checkpoints.save(other, Checkpoint.builder().metadata("note", "hand made").build());
        assertEquals(other + " is a vdrop file of kind \"checkpoint\", not a model file; save one with ModelFile.save",
                assertThrows(ModelFileException.class, () -> ModelFile.load(other)).getMessage());
    }

    @Test
    void aModelFileReadAsACheckpointIsRecognised() throws Exception {
        Path file = saveLm();
        Checkpoint asCheckpoint = Checkpoints.load(file);
        assertTrue(ModelFile.isModelFile(asCheckpoint));
        assertFalse(ModelFile.isModelFile(Checkpoint.builder().metadata("model", "x.Net").metadata("epoch", "1").build()));
        assertEquals(file + " is a model file (saved for prediction by ModelFile.save), not a training checkpoint: it "
                + "holds no optimiser state to resume from; load it with ModelFile.load, or resume from the trainer's "
                + "checkpoint", ModelFile.notACheckpointMessage(file));
    }

    @Test
    void aMalformedEntryIsRefusedNamingIt() throws Exception {
        Path file = dir.resolve("bad.vdrop");
        Checkpoint current = Codec.encode("x.Net", RecurrentCells.none(), SIZES, LM, Checkpoints.snapshot(FakeNetwork.languageModel(5, 1).parameters()));
        Checkpoints.save(file, Checkpoint.builder().metadata(current.metadata()).metadata(Codec.TOKENIZATION, "BYTES")
                .vocabulary(current.vocabulary()).tensors("parameters", current.requireGroup("parameters")).build());
        var e = assertThrows(ModelFileException.class, () -> ModelFile.load(file));
        assertEquals("model file " + file + " is malformed: its vdrop.tokenization is \"BYTES\"; it was not written by "
                + "ModelFile.save of this vdrop", e.getMessage());
    }

    @Test
    void infoThatDoesNotFitTheNetworkIsRefusedWhenSaving() {
        Path file = dir.resolve("never.vdrop");
        FakeNetwork lm = FakeNetwork.languageModel(5, 1);
        var labels = assertThrows(IllegalArgumentException.class, () -> ModelFile.save(file, lm,
                PredictionInfo.classifier(LM.input(), List.of("a", "b"))));
        assertEquals("the info has 2 class labels, but the network predicts classes 5 (declared)", labels.getMessage());
        var symbols = assertThrows(IllegalArgumentException.class, () -> ModelFile.save(file, lm,
                PredictionInfo.languageModel(new ModelInput.Tokens(Tokenization.WORDS, List.of("a", "b", "c", "d", "e", "f")))));
        assertEquals("the info has 6 symbols, more than the network's vocabulary 5 (declared)", symbols.getMessage());
        var features = assertThrows(IllegalArgumentException.class, () -> ModelFile.save(file, lm, PredictionInfo.regression(3)));
        assertEquals("the info says the model reads 3 features, but the network reads vocabulary 5 (declared)",
                features.getMessage());
        assertFalse(Files.exists(file), "nothing written");
    }

    @Test
    void valuesAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> new ModelInput.Tokens(Tokenization.CHARS, List.of()));
        assertThrows(IllegalArgumentException.class, () -> new ModelInput.Tokens(Tokenization.CHARS, List.of("a", "a")));
        assertThrows(IllegalArgumentException.class, () -> new ModelInput.Features(0));
        assertThrows(IllegalArgumentException.class, () -> new Scaling(0, 0));
        assertThrows(IllegalArgumentException.class, () -> new PredictionInfo(new ModelInput.Features(1), List.of("x", "x"),
                Optional.empty(), OptionalInt.empty()));
        assertThrows(IllegalArgumentException.class, () -> new PredictionInfo(new ModelInput.Features(1), List.of(),
                Optional.empty(), OptionalInt.of(0)));
    }

    private Path saveLm() throws IOException, ModelFileException {
        Path file = dir.resolve("lm.vdrop");
        ModelFile.save(file, FakeNetwork.languageModel(5, 1), LM);
        return file;
    }

    /** Same names, types, shapes and raw bits. */
    static boolean sameBits(FakeNetwork a, FakeNetwork b) {
        if (a.parameters().size() != b.parameters().size()) {
            return false;
        }
        for (int i = 0; i < a.parameters().size(); i++) {
            Mat x = a.parameters().get(i).value();
            Mat y = b.parameters().get(i).value();
            if (x.dataType() != y.dataType() || x.rows() != y.rows() || x.cols() != y.cols()) {
                return false;
            }
            for (long j = 0; j < (long) x.rows() * x.cols(); j++) {
                boolean same = x.dataType() == DataType.FLOAT
                        ? Float.floatToRawIntBits((float) x.getLinear(j)) == Float.floatToRawIntBits((float) y.getLinear(j))
                        : Double.doubleToRawLongBits(x.getLinear(j)) == Double.doubleToRawLongBits(y.getLinear(j));
                if (!same) {
                    return false;
                }
            }
        }
        return true;
    }
}
