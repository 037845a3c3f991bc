package dev.vdrop.samples;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.vdrop.runtime.io.NonFiniteAsNull;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Writes reports as indented JSON, atomically (through {@link Outputs}), with a one-line error on
 * failure. A number that is not finite is written as {@code null}.
 */
final class Json {
    private static final ObjectMapper MAPPER = NonFiniteAsNull.mapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Json() {}

    static void write(Path file, Object value) {
        try {
            Outputs.write(file, out -> MAPPER.writeValue(out, value));
        } catch (IOException e) {
            throw new UserError(e.getMessage());
        }
    }

    static ObjectMapper mapper() {
        return MAPPER;
    }
}
