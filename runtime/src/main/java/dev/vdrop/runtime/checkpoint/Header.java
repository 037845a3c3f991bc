package dev.vdrop.runtime.checkpoint;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vdrop.runtime.Mat;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The JSON header: metadata, vocabulary and the directory of tensors by group. Written from a
 * {@link Checkpoint}, read back with every field checked, so that a reader never meets a null or a
 * wrong type later.
 */
record Header(Map<String, String> metadata, List<String> vocabulary, Map<String, List<TensorEntry>> groups) {
    /**
     * Strict about duplicate keys and trailing text; no limit on the length of a name or string
     * (Jackson's defaults would refuse to read back a long metadata value that it wrote).
     */
    private static final ObjectMapper JSON = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxStringLength(Integer.MAX_VALUE)
                            .maxNameLength(Integer.MAX_VALUE)
                            .build())
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** A header field that is missing, of the wrong type or inconsistent. */
    static final class MalformedException extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedException(String detail) {
            super(detail);
        }
    }

    /** The header of a checkpoint, its tensors laid out one after another from offset 0. */
    static Header of(Checkpoint checkpoint) {
        Map<String, List<TensorEntry>> groups = new LinkedHashMap<>();
        long offset = 0;
        for (Map.Entry<String, Map<String, Mat>> group : checkpoint.tensors().entrySet()) {
            List<TensorEntry> entries = new ArrayList<>();
            for (Map.Entry<String, Mat> tensor : group.getValue().entrySet()) {
                Mat m = tensor.getValue();
                TensorEntry entry = new TensorEntry(tensor.getKey(), m.dataType(), m.rows(), m.cols(), offset);
                entries.add(entry);
                offset += entry.bytes();
            }
            groups.put(group.getKey(), entries);
        }
        return new Header(checkpoint.metadata(), checkpoint.vocabulary(), groups);
    }

    /** The bytes of all tensors together. */
    long dataBytes() {
        long bytes = 0;
        for (List<TensorEntry> entries : groups.values()) {
            for (TensorEntry entry : entries) {
                bytes += entry.bytes();
            }
        }
        return bytes;
    }

    /** The header as compact UTF-8 JSON. */
    byte[] toJson() throws JacksonException {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode meta = root.putObject("metadata");
        metadata.forEach(meta::put);
        ArrayNode words = root.putArray("vocabulary");
        vocabulary.forEach(words::add);
        ObjectNode tensors = root.putObject("tensors");
        groups.forEach((group, entries) -> {
            ArrayNode array = tensors.putArray(group);
            for (TensorEntry e : entries) {
                array.addObject()
                        .put("name", e.name())
                        .put("dtype", e.type().name())
                        .put("rows", e.rows())
                        .put("cols", e.cols())
                        .put("offset", e.offset());
            }
        });
        return JSON.writeValueAsBytes(root);
    }

    /**
     * Reads a header and checks that its tensors lie one after another, from offset 0, and fill
     * exactly the {@code dataBytes} between the header and the trailer.
     */
    static Header parse(byte[] json, long dataBytes) throws MalformedException {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JacksonException e) {
            throw new MalformedException("it is not JSON (" + e.getOriginalMessage() + ")");
        } catch (java.io.IOException e) {
            throw new MalformedException("it is not JSON (" + e.getMessage() + ")");
        }
        if (root == null || !root.isObject()) {
            throw new MalformedException("it is not a JSON object");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : field(root, "metadata", "an object").properties()) {
            if (!e.getValue().isTextual()) {
                throw new MalformedException("metadata \"" + e.getKey() + "\" is not a string");
            }
            metadata.put(e.getKey(), e.getValue().textValue());
        }
        List<String> vocabulary = new ArrayList<>();
        JsonNode words = field(root, "vocabulary", "an array");
        for (int i = 0; i < words.size(); i++) {
            if (!words.get(i).isTextual()) {
                throw new MalformedException("word " + i + " of the vocabulary is not a string");
            }
            vocabulary.add(words.get(i).textValue());
        }
        Map<String, List<TensorEntry>> groups = new LinkedHashMap<>();
        long offset = 0;
        for (Map.Entry<String, JsonNode> group : field(root, "tensors", "an object").properties()) {
            if (group.getKey().isEmpty()) {
                throw new MalformedException("a tensor group has the empty name");
            }
            if (!group.getValue().isArray()) {
                throw new MalformedException("tensor group \"" + group.getKey() + "\" is not an array");
            }
            List<TensorEntry> entries = new ArrayList<>();
            for (JsonNode t : group.getValue()) {
                String where = "tensor " + entries.size() + " of group \"" + group.getKey() + "\"";
                if (!t.isObject()) {
                    throw new MalformedException(where + " is not an object");
                }
                String name = text(t, "name", where);
                if (name.isEmpty()) {
                    throw new MalformedException(where + " has the empty name");
                }
                where = "tensor " + name + " of group \"" + group.getKey() + "\"";
                DataType type = switch (text(t, "dtype", where)) {
                    case "FLOAT" -> DataType.FLOAT;
                    case "DOUBLE" -> DataType.DOUBLE;
                    default -> throw new MalformedException(where + " has dtype \"" + t.get("dtype").textValue()
                            + "\"; a checkpoint holds FLOAT or DOUBLE");
                };
                int rows = (int) number(t, "rows", where, Integer.MAX_VALUE);
                int cols = (int) number(t, "cols", where, Integer.MAX_VALUE);
                long at = number(t, "offset", where, Long.MAX_VALUE);
                if ((long) rows * cols > (Long.MAX_VALUE >> 4)) {
                    throw new MalformedException(where + " is " + rows + " × " + cols + ", too large for any file");
                }
                TensorEntry entry = new TensorEntry(name, type, rows, cols, at);
                if (at != offset) {
                    throw new MalformedException(where + " starts at byte " + at + " of the data, not at " + offset
                            + " where the tensor before it ends");
                }
                if (entry.bytes() > dataBytes - offset) {
                    throw new MalformedException(where + " (" + rows + " × " + cols + " " + type + ") ends after the "
                            + dataBytes + " bytes of data");
                }
                for (TensorEntry before : entries) {
                    if (before.name().equals(name)) {
                        throw new MalformedException(where + " appears twice");
                    }
                }
                entries.add(entry);
                offset += entry.bytes();
            }
            groups.put(group.getKey(), Collections.unmodifiableList(entries));
        }
        if (offset != dataBytes) {
            throw new MalformedException("its tensors take " + offset + " bytes but the file has " + dataBytes
                    + " bytes of data");
        }
        return new Header(metadata, vocabulary, groups);
    }

    private static JsonNode field(JsonNode root, String name, String kind) throws MalformedException {
        JsonNode node = root.get(name);
        boolean fits = node != null && (kind.equals("an object") ? node.isObject() : node.isArray());
        if (!fits) {
            throw new MalformedException(node == null ? "it has no \"" + name + "\"" : "its \"" + name + "\" is not " + kind);
        }
        return node;
    }

    private static String text(JsonNode t, String name, String where) throws MalformedException {
        JsonNode node = t.get(name);
        if (node == null || !node.isTextual()) {
            throw new MalformedException(where + (node == null ? " has no " : " has a non-string ") + "\"" + name + "\"");
        }
        return node.textValue();
    }

    private static long number(JsonNode t, String name, String where, long max) throws MalformedException {
        JsonNode node = t.get(name);
        if (node == null || !node.isIntegralNumber() || !node.canConvertToLong()
                || node.longValue() < 0 || node.longValue() > max) {
            throw new MalformedException(where + (node == null ? " has no " : " has a bad ") + "\"" + name
                    + "\"" + (node == null ? "" : " (" + node + ")"));
        }
        return node.longValue();
    }
}
