package dev.vdrop.samples;

import dev.vdrop.runtime.text.NotUtf8Exception;
import dev.vdrop.runtime.text.Utf8;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** The data sets shipped inside the samples jar, and user files read with a clear error. */
final class Resources {
    static final String MOBY_DICK = "moby-dick.txt";
    static final String US_BIRTHS = "us-births-1969-1988.csv";

    private Resources() {}

    /** A bundled data file as text. */
    static String bundled(String name) {
        try (InputStream in = Resources.class.getResourceAsStream("data/" + name)) {
            if (in == null) {
                throw new IllegalStateException("the bundled data file " + name + " is missing from the samples jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A user's file as strict UTF-8 text, or a one-line error naming it: a byte that is not UTF-8
     * is named by its offset, line and value ({@link Utf8}).
     */
    static String file(Path path) {
        try {
            return Utf8.read(path);
        } catch (NotUtf8Exception e) {
            throw new UserError(e.getMessage());
        } catch (NoSuchFileException e) {
            throw new UserError("no such file: " + path);
        } catch (IOException e) {
            throw new UserError("cannot read " + path + ": " + e.getMessage());
        }
    }
}
