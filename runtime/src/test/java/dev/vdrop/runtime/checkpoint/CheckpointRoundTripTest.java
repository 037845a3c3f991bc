package dev.vdrop.runtime.checkpoint;

import static dev.vdrop.runtime.checkpoint.Fixtures.assertSameBits;
import static dev.vdrop.runtime.checkpoint.Fixtures.doubles;
import static dev.vdrop.runtime.checkpoint.Fixtures.named;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdrop.runtime.Mat;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

class CheckpointRoundTripTest {
    @TempDir
    Path dir;

    @Test
    void floatAndDoubleTensorsComeBackBitForBitWithTheirDataType() throws Exception {
        Checkpoint saved = Fixtures.sample();
        Path file = dir.resolve("lm.ckpt");
        Checkpoints.save(file, saved);
        Checkpoint loaded = Checkpoints.load(file);

        assertEquals(List.of("parameters", "optimizer", "nothing", "best"), List.copyOf(loaded.tensors().keySet()));
        for (Map.Entry<String, Map<String, Mat>> group : saved.tensors().entrySet()) {
            Map<String, Mat> back = loaded.tensors().get(group.getKey());
            assertEquals(List.copyOf(group.getValue().keySet()), List.copyOf(back.keySet()), "names of " + group.getKey());
            for (Map.Entry<String, Mat> tensor : group.getValue().entrySet()) {
                Mat m = back.get(tensor.getKey());
                assertSameBits(tensor.getValue(), m, group.getKey() + "/" + tensor.getKey());
                assertNotSame(tensor.getValue(), m, "a loaded matrix is a new matrix");
            }
        }
        Mat w = loaded.tensors().get("parameters").get("lstm1.W");
        assertEquals(DataType.FLOAT, w.dataType());
        assertEquals(0x7fc0_0123, Float.floatToRawIntBits((float) w.get(1, 0)), "the NaN's payload");
        assertEquals(Long.MIN_VALUE, Double.doubleToRawLongBits(loaded.tensors().get("optimizer").get("sgd.average.lstm1.W").get(0, 1)),
                "−0.0 stays negative");
        Mat empty = loaded.tensors().get("parameters").get("empty");
        assertEquals(0, empty.rows());
        assertEquals(5, empty.cols());
        assertEquals(Map.of(), loaded.tensors().get("nothing"));
        assertEquals(saved, loaded);
        assertEquals(saved.hashCode(), loaded.hashCode());
    }

    @Test
    void metadataKeepsItsOrderAndTheVocabularyItsWords() throws Exception {
        Checkpoint saved = Fixtures.sample();
        Path file = dir.resolve("lm.ckpt");
        Checkpoints.save(file, saved);
        Checkpoint loaded = Checkpoints.load(file);

        assertEquals(List.of("model", "epoch", "rng", "learningRate", "note", "aardvark"), List.copyOf(loaded.metadata().keySet()));
        assertEquals(saved.metadata(), loaded.metadata());
        assertEquals(Fixtures.WORDS, loaded.vocabulary());
        assertEquals("Call me Ishmael — «quoted», \"escaped\"\n\ttabbed", loaded.require("note"));
        assertEquals(-7_046_029_254_386_353_131L, loaded.requireLong("rng"));
        assertEquals(0.1 * 3, loaded.requireDouble("learningRate"), 0.0);
        assertEquals(1, loaded.version());
    }

    @Test
    void anEmptyCheckpointRoundTrips() throws Exception {
        Path file = dir.resolve("empty.ckpt");
        Checkpoints.save(file, Checkpoint.builder().build());
        Checkpoint loaded = Checkpoints.load(file);
        assertEquals(Map.of(), loaded.metadata());
        assertEquals(List.of(), loaded.vocabulary());
        assertEquals(Map.of(), loaded.tensors());
    }

    @Test
    void longMetadataComesBack() throws Exception {
        // Longer than Jackson's default limits on strings (20 M chars) and names (50 000 chars).
        String config = "x".repeat(21_000_000);
        String key = "k".repeat(60_000);
        Path file = dir.resolve("long.ckpt");
        Checkpoints.save(file, Checkpoint.builder().metadata("config", config).metadata(key, "v").build());
        Checkpoint loaded = Checkpoints.load(file);
        assertEquals(config.length(), loaded.require("config").length());
        assertEquals("v", loaded.require(key));
    }

    @Test
    void tensorsLargerThanTheBuffersRoundTrip() throws Exception {
        // 650 × 201 doubles and floats span many 64 KiB buffers, and start at unaligned offsets.
        Mat d = Fixtures.random(DataType.DOUBLE, 650, 201, 1);
        Mat f = Fixtures.random(DataType.FLOAT, 201, 650, 2);
        Mat odd = Fixtures.random(DataType.FLOAT, 3, 1, 3);
        Checkpoint saved = Checkpoint.builder().metadata("x", "y")
                .tensors("parameters", named("odd", odd, "d", d, "f", f)).build();
        Path file = dir.resolve("big.ckpt");
        Checkpoints.save(file, saved);
        Checkpoint loaded = Checkpoints.load(file);
        assertSameBits(d, loaded.tensors().get("parameters").get("d"), "d");
        assertSameBits(f, loaded.tensors().get("parameters").get("f"), "f");
        assertSameBits(odd, loaded.tensors().get("parameters").get("odd"), "odd");
    }

    @Test
    void theFileHasTheDocumentedLayout() throws Exception {
        Path file = dir.resolve("lm.ckpt");
        Checkpoints.save(file, Fixtures.sample());
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer b = ByteBuffer.wrap(bytes);
        assertEquals("VDROPCKP", new String(bytes, 0, 8, StandardCharsets.US_ASCII));
        assertEquals(1, b.getInt(8), "format version");
        assertEquals(bytes.length, b.getLong(12), "total length at the start");
        assertEquals(bytes.length, b.getLong(bytes.length - 8), "total length at the end");
        int headerLength = b.getInt(20);
        String header = new String(bytes, 24, headerLength, StandardCharsets.UTF_8);
        assertTrue(header.startsWith("{\"metadata\":{\"model\":\"dev.vdrop.samples.MobyDickLmNetwork\",\"epoch\":\"3\""), header);
        assertTrue(header.contains("\"tensors\":{\"parameters\":[{\"name\":\"lstm1.W\",\"dtype\":\"FLOAT\",\"rows\":3,\"cols\":4,\"offset\":0},"
                + "{\"name\":\"lstm1.b\",\"dtype\":\"FLOAT\",\"rows\":1,\"cols\":1,\"offset\":48}"), header);
        // The first tensor's elements, column-major, big-endian float32: NaN, the NaN with a payload, −0.0.
        int data = 24 + headerLength;
        assertEquals(Float.floatToRawIntBits(Float.NaN), b.getInt(data));
        assertEquals(0x7fc0_0123, b.getInt(data + 4));
        assertEquals(0x8000_0000, b.getInt(data + 8));
    }

    @Test
    void aFileWrittenFromTheDocumentationLoads() throws Exception {
        String header = "{\"metadata\":{\"epoch\":\"2\"},\"vocabulary\":[\"<unk>\",\"kör\"],"
                + "\"tensors\":{\"parameters\":[{\"name\":\"W\",\"dtype\":\"DOUBLE\",\"rows\":2,\"cols\":2,\"offset\":0}]}}";
        Path file = dir.resolve("by-hand.ckpt");
        Files.write(file, Fixtures.file(1, header, doubles(1, 2, 3, 4)));
        Checkpoint loaded = Checkpoints.load(file);
        assertEquals("2", loaded.require("epoch"));
        assertEquals(List.of("<unk>", "kör"), loaded.vocabulary());
        Mat w = loaded.tensors().get("parameters").get("W");
        assertSameBits(Fixtures.mat(DataType.DOUBLE, 2, 2, 1, 2, 3, 4), w, "W");
        assertEquals(2.0, w.get(1, 0), 0.0, "column-major: the second value is row 1 of column 0");
    }

    @Test
    void theSameCheckpointGivesTheSameBytes() throws Exception {
        Checkpoints.save(dir.resolve("a.ckpt"), Fixtures.sample());
        Checkpoints.save(dir.resolve("b.ckpt"), Fixtures.sample());
        assertArrayEquals(Files.readAllBytes(dir.resolve("a.ckpt")), Files.readAllBytes(dir.resolve("b.ckpt")));
    }

    @Test
    void equalityLooksAtTheBits() throws Exception {
        Checkpoint a = Checkpoint.builder().tensors("p", named("x", Fixtures.mat(DataType.DOUBLE, 1, 1, 0.0))).build();
        Checkpoint b = Checkpoint.builder().tensors("p", named("x", Fixtures.mat(DataType.DOUBLE, 1, 1, -0.0))).build();
        Checkpoint c = Checkpoint.builder().tensors("p", named("x", Fixtures.mat(DataType.FLOAT, 1, 1, 0.0))).build();
        Checkpoint d = Checkpoint.builder().tensors("p", named("x", Fixtures.mat(DataType.DOUBLE, 1, 1, 0.0))).build();
        assertNotEquals(a, b);
        assertNotEquals(a, c);
        assertEquals(a, d);
    }
}
