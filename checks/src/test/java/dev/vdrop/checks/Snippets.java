package dev.vdrop.checks;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The code examples the docs show, cut out of their sources so a test can hold them to the code it
 * compiles and runs: an example in a test source between {@code // example: NAME} and
 * {@code // end}, and the {@code <pre>{@code …}</pre>} block of a javadoc after
 * "(example {@code NAME}". Both without their common indentation.
 */
final class Snippets {
    private Snippets() {}

    /** The lines between {@code // example: NAME} and {@code // end} of a test's source. */
    static List<String> ofTest(String source, String name, String test) {
        String start = "// example: " + name + "\n";
        int from = source.indexOf(start);
        assertTrue(from >= 0, test + " has no example " + name);
        from = source.indexOf('\n', from) + 1;
        int to = source.indexOf("// end", from);
        return dedent(List.of(source.substring(from, to).split("\n")));
    }

    /** The {@code <pre>{@code …}</pre>} block after "(example {@code NAME}", without " * ". */
    static List<String> ofJavadoc(String source, String name, Path where) {
        int at = source.indexOf("(example {@code " + name + "}");
        assertTrue(at >= 0, where + " shows no example \"" + name + "\"");
        int from = source.indexOf("<pre>{@code", at);
        from = source.indexOf('\n', from) + 1;
        int to = source.indexOf("}</pre>", from);
        List<String> lines = new ArrayList<>();
        for (String line : source.substring(from, to).split("\n")) {
            String t = line.strip();
            if (t.equals("*")) {
                lines.add("");
            } else if (t.startsWith("* ")) {
                lines.add(line.substring(line.indexOf("* ") + 2));
            }
        }
        return dedent(lines);
    }

    private static List<String> dedent(List<String> lines) {
        int indent = lines.stream().filter(l -> !l.isBlank()).mapToInt(l -> l.length() - l.stripLeading().length())
                .min().orElse(0);
        return lines.stream().map(l -> l.isBlank() ? "" : l.substring(indent).stripTrailing()).toList();
    }
}
