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

/**
 * Appends one JSON object per epoch to a file (JSON lines), flushed after each line: the epoch,
 * its learning rate, the training measure, the validation scores, the throughput and the seconds.
 */
final class MetricsLog implements LoopListener {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;
    private final Objective objective;

    /** A log whose lines name the training measure and throughput as {@code objective} does; no file, no lines. */
    MetricsLog(Path file, Objective objective) {
        this.file = file;
        this.objective = objective;
    }

    @Override
    public void epochFinished(EpochRecord m, TrainingLoop<?, ?> loop) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("epoch", m.epoch());
        line.put("learning_rate", m.learningRate());
        line.put(objective.metricName(), m.train());
        line.putAll(m.validation());
        line.put(objective.throughputName(), m.throughput());
        line.put("seconds", m.seconds());
        append(line);
    }

    /** Appends one line; does nothing when no file was configured. */
    private void append(Map<String, Object> line) {
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
