package dev.vdrop.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsLogTest {
    @TempDir
    Path dir;

    @Test
    void aLineWithANonNumberHasNullAndTheFileGrowsByWholeLines() throws IOException {
        Path file = dir.resolve("train.jsonl");
        MetricsLog log = new MetricsLog(file, Objective.MEAN_LOSS);
        log.epochFinished(new EpochRecord(1, 0.001, 0.7, Map.of("valid_loss", 0.6), 120.0, 1.5), null);
        log.epochFinished(new EpochRecord(2, 0.001, Double.NaN, Map.of("valid_loss", Double.POSITIVE_INFINITY),
                Double.NaN, 1.5), null);
        List<String> lines = Files.readAllLines(file);
        assertEquals(2, lines.size());
        assertTrue(!lines.get(1).contains("NaN") && !lines.get(1).contains("Infinity"), lines.get(1));
        JsonNode second = new ObjectMapper().readTree(lines.get(1));
        assertEquals(2, second.get("epoch").asInt());
        assertTrue(second.get("train_loss").isNull(), lines.get(1));
        assertTrue(second.get("valid_loss").isNull(), lines.get(1));
        assertEquals(0.7, new ObjectMapper().readTree(lines.get(0)).get("train_loss").asDouble(), 0.0);
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "no temporary left");
        }
    }
}
