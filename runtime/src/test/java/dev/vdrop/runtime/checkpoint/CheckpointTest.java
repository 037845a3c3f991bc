package dev.vdrop.runtime.checkpoint;

import static dev.vdrop.runtime.checkpoint.Fixtures.named;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vdrop.runtime.Mat;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

class CheckpointTest {
    @Test
    void requireNamesTheMissingKeyAndTheKeysThereAre() throws Exception {
        Checkpoint c = Checkpoint.builder().metadata("model", "M").metadata("seed", "1").build();
        assertEquals("M", c.require("model"));
        CheckpointException e = assertThrows(CheckpointException.class, () -> c.require("epoch"));
        assertEquals("the checkpoint has no metadata \"epoch\"; it has model, seed", e.getMessage());
        CheckpointException none = assertThrows(CheckpointException.class, () -> Checkpoint.builder().build().require("epoch"));
        assertEquals("the checkpoint has no metadata \"epoch\"; it has none", none.getMessage());
    }

    @Test
    void numbersInTheMetadata() throws Exception {
        Checkpoint c = Checkpoint.builder()
                .metadata("rng", Long.toString(Long.MIN_VALUE))
                .metadata("lr", Double.toString(0.1 + 0.2))
                .metadata("bad", "twenty")
                .build();
        assertEquals(Long.MIN_VALUE, c.requireLong("rng"));
        assertEquals(0.1 + 0.2, c.requireDouble("lr"), 0.0);
        assertEquals("the checkpoint's metadata \"bad\" is \"twenty\", not a whole number",
                assertThrows(CheckpointException.class, () -> c.requireLong("bad")).getMessage());
        assertEquals("the checkpoint's metadata \"bad\" is \"twenty\", not a number",
                assertThrows(CheckpointException.class, () -> c.requireDouble("bad")).getMessage());
        assertEquals("the checkpoint's metadata \"lr\" is \"0.30000000000000004\", not a whole number",
                assertThrows(CheckpointException.class, () -> c.requireLong("lr")).getMessage());
    }

    @Test
    void requireGroupNamesTheGroupsThereAre() throws Exception {
        Mat w = Mat.zeros(DataType.FLOAT, 1, 1);
        Checkpoint c = Checkpoint.builder().tensors("parameters", named("W", w)).tensors("optimizer", Map.of()).build();
        assertEquals(Map.of("W", w), c.requireGroup("parameters"));
        CheckpointException e = assertThrows(CheckpointException.class, () -> c.requireGroup("best"));
        assertEquals("the checkpoint has no tensor group \"best\"; it has parameters, optimizer", e.getMessage());
    }

    @Test
    void aBuiltCheckpointCannotBeChanged() {
        List<String> words = new ArrayList<>(List.of("<unk>", "a"));
        Map<String, Mat> group = new HashMap<>(Map.of("W", Mat.zeros(DataType.FLOAT, 1, 1)));
        Checkpoint.Builder builder = Checkpoint.builder().metadata("k", "v").vocabulary(words).tensors("g", group);
        Checkpoint c = builder.build();
        words.add("b");
        group.put("V", Mat.zeros(DataType.FLOAT, 1, 1));
        builder.metadata("k2", "v2").tensors("h", Map.of());
        assertEquals(List.of("<unk>", "a"), c.vocabulary());
        assertEquals(List.of("W"), List.copyOf(c.tensors().get("g").keySet()));
        assertEquals(Map.of("k", "v"), c.metadata());
        assertEquals(List.of("g"), List.copyOf(c.tensors().keySet()));
        assertThrows(UnsupportedOperationException.class, () -> c.metadata().put("x", "y"));
        assertThrows(UnsupportedOperationException.class, () -> c.vocabulary().add("x"));
        assertThrows(UnsupportedOperationException.class, () -> c.tensors().put("x", Map.of()));
        assertThrows(UnsupportedOperationException.class, () -> c.tensors().get("g").clear());
    }

    @Test
    void puttingAKeyAgainReplacesItsValueInItsPlace() {
        Checkpoint c = Checkpoint.builder().metadata("epoch", "1").metadata("model", "M").metadata("epoch", "2").build();
        assertEquals(List.of("epoch", "model"), List.copyOf(c.metadata().keySet()));
        assertEquals("2", c.metadata().get("epoch"));
    }

    @Test
    void nullsAndEmptyNamesAreRefusedWhereTheyAreGiven() {
        Checkpoint.Builder b = Checkpoint.builder();
        assertEquals("the metadata \"epoch\" is null; leave it out instead",
                assertThrows(NullPointerException.class, () -> b.metadata("epoch", null)).getMessage());
        assertEquals("word 1 of the vocabulary is null",
                assertThrows(NullPointerException.class, () -> b.vocabulary(java.util.Arrays.asList("a", null))).getMessage());
        assertEquals("a tensor group needs a name, got \"\"",
                assertThrows(IllegalArgumentException.class, () -> b.tensors("", Map.of())).getMessage());
        Map<String, Mat> withNull = new HashMap<>();
        withNull.put("W", null);
        assertEquals("tensor W in group \"parameters\" is null",
                assertThrows(NullPointerException.class, () -> b.tensors("parameters", withNull)).getMessage());
    }

    @Test
    void aSummary() {
        Checkpoint c = Checkpoint.builder().metadata("model", "M").vocabulary(List.of("<unk>"))
                .tensors("parameters", named("W", Mat.zeros(DataType.FLOAT, 4, 3), "b", Mat.zeros(DataType.FLOAT, 4, 1)))
                .build();
        assertEquals("Checkpoint[version 1, metadata [model], 1 word, parameters: 2 tensors, 16 values]", c.toString());
        assertEquals(1, c.version());
        assertEquals(1, Checkpoint.FORMAT_VERSION);
    }
}
