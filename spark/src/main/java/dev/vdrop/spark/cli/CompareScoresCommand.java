package dev.vdrop.spark.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code vdrop-spark score-compare A B} (hidden): whether two scorings of the same file agree —
 * every line of A is in B and the other way round, the same {@code predicted} label (unless the top
 * two probabilities are within the tolerance), and every {@code p_*}, {@code entropy} and
 * {@code mutual_information} within it. Reads the CSV part files of both directories (as
 * {@code score} and {@code score-local} write them: a header, fields without commas or quotes
 * beyond Spark's {@code ""} of an empty field). Prints the rows and the largest difference; exit
 * code 0 when they agree, 1 when not.
 */
@Command(name = "score-compare", hidden = true, mixinStandardHelpOptions = true,
        description = "Whether two scorings agree, line by line (bench/spark-score).")
final class CompareScoresCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "A", description = "A directory of CSV part files.")
    Path a;

    @Parameters(index = "1", paramLabel = "B", description = "Another.")
    Path b;

    @Option(names = "--tolerance", defaultValue = "1e-5", description = "The largest difference allowed (default: ${DEFAULT-VALUE}).")
    double tolerance;

    @Override
    public Integer call() throws IOException {
        Map<Long, Map<String, String>> left = read(a);
        Map<Long, Map<String, String>> right = read(b);
        double largest = 0;
        long labels = 0;
        for (Map.Entry<Long, Map<String, String>> e : left.entrySet()) {
            Map<String, String> other = right.get(e.getKey());
            if (other == null) {
                return fail("line " + e.getKey() + " is in " + a + ", not in " + b);
            }
            double top = 0;
            double second = 0;
            for (Map.Entry<String, String> c : e.getValue().entrySet()) {
                String name = c.getKey();
                if (name.startsWith("p_") || name.equals("entropy") || name.equals("mutual_information")) {
                    if (!other.containsKey(name)) {
                        return fail(b + " has no column " + name);
                    }
                    double x = Double.parseDouble(c.getValue());
                    largest = Math.max(largest, Math.abs(x - Double.parseDouble(other.get(name))));
                    if (name.startsWith("p_") && !name.equals("p_predicted")) {
                        second = Math.max(second, Math.min(top, x));
                        top = Math.max(top, x);
                    }
                }
            }
            if (!e.getValue().get("predicted").equals(other.get("predicted")) && top - second > tolerance) {
                labels++;
            }
        }
        if (left.size() != right.size()) {
            return fail(b + " has " + right.size() + " lines, " + a + " " + left.size());
        }
        boolean same = largest <= tolerance && labels == 0;
        spec.commandLine().getOut().printf(Locale.ROOT, "%s: %,d lines, largest difference %.3g, %d other labels%n",
                same ? "same" : "DIFFERENT", left.size(), largest, labels);
        spec.commandLine().getOut().flush();
        return same ? 0 : 1;
    }

    private int fail(String why) {
        spec.commandLine().getOut().println("DIFFERENT: " + why);
        spec.commandLine().getOut().flush();
        return 1;
    }

    private static Map<Long, Map<String, String>> read(Path dir) throws IOException {
        List<Path> parts;
        try (Stream<Path> files = Files.list(dir)) {
            parts = files.filter(f -> f.getFileName().toString().startsWith("part-") && f.toString().endsWith(".csv"))
                    .sorted().toList();
        }
        if (parts.isEmpty()) {
            throw new UserError("no CSV part files in " + dir);
        }
        Map<Long, Map<String, String>> rows = new HashMap<>();
        for (Path part : parts) {
            List<String> lines = Files.readAllLines(part, StandardCharsets.UTF_8);
            String[] header = lines.get(0).split(",", -1);
            for (String line : lines.subList(1, lines.size())) {
                String[] fields = line.split(",", -1);
                if (fields.length != header.length) {
                    throw new UserError(part + ": a line of " + fields.length + " fields where the header has " + header.length);
                }
                Map<String, String> row = new HashMap<>();
                for (int i = 0; i < header.length; i++) {
                    row.put(header[i], fields[i]);
                }
                rows.put(Long.parseLong(row.get("line")), row);
            }
        }
        return rows;
    }
}
