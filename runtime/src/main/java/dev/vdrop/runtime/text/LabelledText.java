package dev.vdrop.runtime.text;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Examples for a sequence classifier: texts, each with a label. Labels get ids in sorted order of
 * their names ({@link String#compareTo}), whatever the order of the examples, so the same labels
 * always get the same ids. Each example remembers where it came from (file and line) for error
 * messages. Immutable.
 *
 * <p><b>From a file</b> ({@link #read(Path)}): UTF-8 text, tab-separated, with a header row. The
 * header names the columns; two of them must be {@code label} and {@code text}, in any order, and
 * every other column is ignored. Each further line is one example with as many fields as the
 * header, split at every tab (there is no quoting: a text cannot hold a tab or a line break).
 * Labels and texts are stripped of white space at both ends; empty lines are skipped; a byte-order
 * mark before the header and a {@code \r} before each line break are allowed.
 *
 * <pre>
 * label	text
 * positive	A quiet, lovely film.
 * negative	Две звезды из десяти.
 * </pre>
 *
 * Any problem ends the read with a {@link LabelledTextException} whose one-line message names the
 * file and the line or the missing column: a column {@code label} or {@code text} missing or named
 * twice, a row with another number of fields than the header, an empty label or text, bytes that
 * are not UTF-8, a file without examples.
 *
 * <p><b>From lists</b> ({@link #fromLists(Map)}): one list of texts per label, as the name lists
 * the samples ship (female and male first names, one a line).
 */
public final class LabelledText {
    /** The header's name of the label column. */
    public static final String LABEL_COLUMN = "label";
    /** The header's name of the text column. */
    public static final String TEXT_COLUMN = "text";

    private final List<String> texts;
    private final int[] labels;
    private final List<String> labelNames;
    private final String[] sources;
    private final int[] lines;

    private LabelledText(List<Example> examples) {
        Set<String> names = new TreeSet<>();
        for (Example e : examples) {
            names.add(e.label());
        }
        this.labelNames = List.copyOf(names);
        Map<String, Integer> ids = new HashMap<>();
        for (String name : labelNames) {
            ids.put(name, ids.size());
        }
        int n = examples.size();
        List<String> texts = new ArrayList<>(n);
        this.labels = new int[n];
        this.sources = new String[n];
        this.lines = new int[n];
        for (int i = 0; i < n; i++) {
            Example e = examples.get(i);
            texts.add(e.text());
            labels[i] = ids.get(e.label());
            sources[i] = e.source();
            lines[i] = e.line();
        }
        this.texts = List.copyOf(texts);
    }

    /** One example as read, before labels have ids. */
    private record Example(String text, String label, String source, int line) {}

    /**
     * Reads a labelled TSV file, as the class description says.
     *
     * @param file the file
     * @return its examples in the file's order
     * @throws IOException when the file cannot be read
     * @throws LabelledTextException when its content breaks a rule; the message names the file and
     *     the line or the missing column
     */
    public static LabelledText read(Path file) throws IOException, LabelledTextException {
        return parse(Files.readAllBytes(file), file.toString());
    }

    /**
     * Reads labelled TSV from a stream (a resource, standard input), as {@link #read(Path)} does a
     * file; the stream is read to its end and not closed.
     *
     * @param in UTF-8 bytes
     * @param source what to call the stream in messages, e.g. its file or resource name
     * @return its examples in order
     * @throws IOException when the stream cannot be read
     * @throws LabelledTextException when its content breaks a rule
     */
    public static LabelledText read(InputStream in, String source) throws IOException, LabelledTextException {
        return parse(in.readAllBytes(), source);
    }

    private static LabelledText parse(byte[] bytes, String source) throws LabelledTextException {
        List<String> lines = Utf8Lines.split(bytes, source);
        if (lines.isEmpty() || lines.get(0).isEmpty()) {
            throw new LabelledTextException(source + ": no header row; the first line must name the columns "
                    + LABEL_COLUMN + " and " + TEXT_COLUMN + ", separated by a tab");
        }
        String[] header = lines.get(0).split("\t", -1);
        int labelColumn = column(header, LABEL_COLUMN, source);
        int textColumn = column(header, TEXT_COLUMN, source);
        List<Example> examples = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            int number = i + 1;
            if (line.isEmpty()) {
                continue;
            }
            String[] fields = line.split("\t", -1);
            if (fields.length != header.length) {
                throw new LabelledTextException(String.format("%s line %d: %d field%s, but the header row has %d "
                                + "(fields are separated by tabs)", source, number, fields.length,
                        fields.length == 1 ? "" : "s", header.length));
            }
            String label = fields[labelColumn].strip();
            String text = fields[textColumn].strip();
            if (label.isEmpty()) {
                throw new LabelledTextException(source + " line " + number + ": the label is empty");
            }
            if (text.isEmpty()) {
                throw new LabelledTextException(source + " line " + number + ": the text is empty");
            }
            examples.add(new Example(text, label, source, number));
        }
        if (examples.isEmpty()) {
            throw new LabelledTextException(source + ": no examples after the header row");
        }
        return new LabelledText(examples);
    }

    /** The index of the column named {@code name} in the header row. */
    private static int column(String[] header, String name, String source) throws LabelledTextException {
        int found = -1;
        for (int i = 0; i < header.length; i++) {
            if (header[i].strip().equals(name)) {
                if (found >= 0) {
                    throw new LabelledTextException(source + " line 1: the column " + name + " appears twice "
                            + "(columns " + (found + 1) + " and " + (i + 1) + ")");
                }
                found = i;
            }
        }
        if (found < 0) {
            throw new LabelledTextException(source + ": no column " + name + " in the header row (line 1 has "
                    + String.join(", ", Arrays.stream(header).map(h -> "'" + h.strip() + "'").toList())
                    + "); it must name the columns " + LABEL_COLUMN + " and " + TEXT_COLUMN + ", separated by a tab");
        }
        return found;
    }

    /**
     * Examples from one list of texts per label, e.g. {@code female} and {@code male} with the
     * lines of the two name lists. Each text is stripped of white space at both ends; blank texts
     * are skipped; a text that appears twice in one list counts once (its first time), while a text
     * in several lists stays in each, once with each label (the name lists have 419 such names:
     * they have no single right answer). Examples come label by label in sorted order of the
     * labels, each list in its own order; line {@code i} of an example is its 1-based place in its
     * list (blank texts counted), and its source is the label.
     *
     * <p>The bundled names, read from the samples' resources:
     *
     * <pre>{@code
     * Map<String, List<String>> lists = new HashMap<>();
     * for (String label : List.of("female", "male")) {
     *     try (InputStream in = Main.class.getResourceAsStream("/dev/vdrop/samples/data/names/" + label + ".txt")) {
     *         lists.put(label, new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList());
     *     }
     * }
     * LabelledText names = LabelledText.fromLists(lists);   // 4,944 female + 3,897 male examples
     * }</pre>
     *
     * @param textsByLabel the texts of each label
     * @return the examples
     * @throws IllegalArgumentException when a label is blank or has no text
     */
    public static LabelledText fromLists(Map<String, List<String>> textsByLabel) {
        List<Example> examples = new ArrayList<>();
        for (String label : new TreeSet<>(textsByLabel.keySet())) {
            if (label.isBlank()) {
                throw new IllegalArgumentException("a label must not be blank");
            }
            Set<String> seen = new HashSet<>();
            List<String> list = textsByLabel.get(label);
            for (int i = 0; i < list.size(); i++) {
                String text = list.get(i).strip();
                if (!text.isEmpty() && seen.add(text)) {
                    examples.add(new Example(text, label, label, i + 1));
                }
            }
            if (seen.isEmpty()) {
                throw new IllegalArgumentException("the label " + label + " has no text");
            }
        }
        return new LabelledText(examples);
    }

    /** {@return the number of examples} */
    public int size() {
        return texts.size();
    }

    /** {@return the texts in order, unmodifiable} */
    public List<String> texts() {
        return texts;
    }

    /** {@return a copy of the examples' label ids, each an index into {@link #labelNames()}} */
    public int[] labels() {
        return labels.clone();
    }

    /** {@return the labels' names in id order (sorted), unmodifiable} */
    public List<String> labelNames() {
        return labelNames;
    }

    /**
     * Where an example came from, for messages: {@code reviews.tsv line 7}, or {@code female line 12}
     * for an example of {@link #fromLists}.
     *
     * @param example the example's index, in [0, {@link #size()})
     * @return its source and line
     */
    public String location(int example) {
        return sources[example] + " line " + lines[example];
    }

    /**
     * Every text split into tokens, checked: a text that gives no token (a text of punctuation
     * split into words) would be a sequence of no steps, which no model can read.
     *
     * @param split how a text becomes tokens, e.g. {@code Tokenization.WORDS::split}
     * @return each text's tokens, in order
     * @throws LabelledTextException naming the first text's file and line that gives no token
     */
    public List<List<String>> tokens(Function<String, List<String>> split) throws LabelledTextException {
        List<List<String>> out = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            List<String> tokens = split.apply(texts.get(i));
            if (tokens.isEmpty()) {
                throw new LabelledTextException(location(i) + ": the text gives no tokens (" + quoted(texts.get(i))
                        + "); a word needs a letter or digit");
            }
            out.add(List.copyOf(tokens));
        }
        return out;
    }

    private static String quoted(String text) {
        int most = 40;
        int end = text.offsetByCodePoints(0, Math.min(most, text.codePointCount(0, text.length())));
        return "\"" + text.substring(0, end) + (end < text.length() ? "…" : "") + "\"";
    }

    /** Bytes decoded as strict UTF-8 ({@link Utf8}) and split into lines. */
    static final class Utf8Lines {
        private Utf8Lines() {}

        /**
         * The lines of {@code bytes}, each without its line break ({@code \n} or {@code \r\n}); a
         * final line break ends the last line rather than starting an empty one; a byte-order mark
         * at the start is dropped. Decoding the whole before splitting is the same as decoding line
         * by line: a line feed byte is never part of a longer UTF-8 sequence.
         */
        static List<String> split(byte[] bytes, String source) throws LabelledTextException {
            String text;
            try {
                text = Utf8.decode(bytes, source);
            } catch (NotUtf8Exception e) {
                throw new LabelledTextException(e.getMessage());
            }
            if (text.startsWith("\uFEFF")) {
                text = text.substring(1);
            }
            List<String> lines = new ArrayList<>();
            int start = 0;
            while (start < text.length()) {
                int end = text.indexOf('\n', start);
                if (end < 0) {
                    end = text.length();
                }
                int stop = end > start && text.charAt(end - 1) == '\r' ? end - 1 : end;
                lines.add(text.substring(start, stop));
                start = end + 1;
            }
            return lines;
        }
    }
}
