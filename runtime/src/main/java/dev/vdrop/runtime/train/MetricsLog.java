package dev.vdrop.runtime.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vdrop.runtime.io.AtomicFiles;
import dev.vdrop.runtime.io.NonFiniteAsNull;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Appends one JSON object per epoch to a file (JSON lines), flushed after each line: the epoch,
 * its learning rate, the training measure, the validation scores, the throughput and the seconds. A
 * value that is not a number is written as JSON {@code null}. Each line is added by writing the whole
 * file anew through {@link AtomicFiles}, so a full disk never leaves half a line (the file is a few
 * hundred bytes per epoch).
 */
final class MetricsLog implements LoopListener {
    private static final ObjectMapper JSON = NonFiniteAsNull.mapper();
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
            String before = Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
            AtomicFiles.writeString(file, before + JSON.writeValueAsString(line) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append metrics to " + file + ": " + e.getMessage(), e);
        }
    }
}
