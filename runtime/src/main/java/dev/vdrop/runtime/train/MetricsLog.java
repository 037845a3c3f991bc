package dev.vdrop.runtime.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/** Appends one JSON object per epoch to a file (JSON lines), flushed after each line. */
final class MetricsLog {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;

    MetricsLog(Path file) {
        this.file = file;
    }

    void append(EpochMetrics m) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("epoch", m.epoch());
        line.put("learning_rate", m.learningRate());
        line.put("train_ppl", m.trainPerplexity());
        line.put("valid_ppl", m.validPerplexity());
        line.put("train_tokens_per_second", m.trainTokensPerSecond());
        line.put("seconds", m.seconds());
        append(line);
    }

    /** Appends one line; does nothing when no file was configured. */
    void append(Map<String, Object> line) {
        if (file == null) {
            return;
        }
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Files.writeString(file, JSON.writeValueAsString(line) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append metrics to " + file + ": " + e.getMessage(), e);
        }
    }
}
