package dev.vdrop.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The benchmark's entry point, one measurement group per JVM (so each group's peak RSS is its
 * own); {@code bench/run} starts the groups and then the report.
 *
 * <pre>
 * Bench gemm                  [--seconds N] [--out FILE]   sgemm peak and the models' GEMM shapes
 * Bench vdrop small|medium    [--cell lstm|gru] [--seconds N] [--warmup S] [--out FILE]   vdrop: train, eval, MC
 * Bench dl4j  small|medium    [--seconds N] [--warmup S] [--out FILE]   DL4J: the same (LSTM only: DL4J 1.0.0-M2.1 has no GRU layer)
 * Bench classifier            [--seconds N] [--out FILE]   vdrop: the word-level classifier on ragged batches
 * Bench report DIR            [--out FILE]                 table of DIR's results, and JSON
 * </pre>
 *
 * {@code --seconds} is the timing budget of the training measurement; every other measurement
 * gets half of it, after a warm-up of a quarter (0.3 to 3 s). {@code --warmup S} gives the
 * training measurement S seconds of warm-up instead: the JIT compiler goes on compiling a
 * training step's methods for tens of seconds (one called once per step reaches its thresholds only
 * after thousands of steps), so a long warm-up measures what a long training run gets. Medians
 * throughout.
 */
public final class Bench {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Bench() {}

    /**
     * Runs one measurement group or the report, as the class description lists them.
     *
     * @param args the group (or {@code report DIR}) and its options
     * @throws IOException when a result cannot be written or read
     */
    public static void main(String[] args) throws IOException {
        List<String> positional = new ArrayList<>();
        double seconds = 20;
        double warmup = Double.NaN;
        Path out = null;
        LmConfig.Cell cell = LmConfig.Cell.LSTM;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--cell" -> cell = LmConfig.Cell.of(value(args, ++i, "--cell"));
                case "--seconds" -> seconds = Double.parseDouble(value(args, ++i, "--seconds"));
                case "--warmup" -> warmup = Double.parseDouble(value(args, ++i, "--warmup"));
                case "--out" -> out = Path.of(value(args, ++i, "--out"));
                case "-h", "--help" -> {
                    usage();
                    return;
                }
                default -> positional.add(args[i]);
            }
        }
        if (positional.isEmpty()) {
            usage();
            System.exit(2);
        }
        if (!(seconds > 0)) {
            throw new IllegalArgumentException("--seconds must be positive, got " + seconds);
        }
        if (!Double.isNaN(warmup) && !(warmup >= 0)) {
            throw new IllegalArgumentException("--warmup must be 0 or more seconds, got " + warmup);
        }
        double trainingWarmup = Double.isNaN(warmup) ? Harness.warmupFor(seconds) : warmup;
        String group = positional.get(0);
        Map<String, Object> result;
        switch (group) {
            case "gemm" -> result = GemmBench.run(seconds);
            case "classifier" -> result = ClassifierBench.run(seconds);
            case "vdrop", "dl4j" -> {
                if (positional.size() < 2) {
                    throw new IllegalArgumentException(group + " needs a config: small or medium");
                }
                if (group.equals("dl4j") && cell != LmConfig.Cell.LSTM) {
                    throw new IllegalArgumentException("DL4J 1.0.0-M2.1 has no GRU layer: the dl4j group times LSTMs only");
                }
                LmConfig config = LmConfig.of(positional.get(1), cell);
                result = group.equals("vdrop") ? VdropBench.run(config, seconds, trainingWarmup)
                        : Dl4jBench.run(config, seconds, trainingWarmup);
            }
            case "report" -> {
                if (positional.size() < 2) {
                    throw new IllegalArgumentException("report needs the directory of the groups' results");
                }
                Report.run(Path.of(positional.get(1)), out);
                return;
            }
            default -> {
                usage();
                System.exit(2);
                return;
            }
        }
        Map<String, Object> withMeta = new LinkedHashMap<>();
        withMeta.put("group", group);
        withMeta.put("seconds", seconds);
        withMeta.putAll(result);
        String text = JSON.writeValueAsString(withMeta);
        if (out != null) {
            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.writeString(out, text);
            System.out.printf(Locale.ROOT, "  %s%s done (peak RSS %.0f MB) → %s%n", group,
                    (positional.size() > 1 ? " " + positional.get(1) : "") + (cell == LmConfig.Cell.LSTM ? "" : " " + cell.option()),
                    Proc.peakRssMb(), out);
        } else {
            System.out.println(text);
        }
        // ND4J's and OpenBLAS's threads are not daemons everywhere; leave no doubt.
        System.exit(0);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static void usage() {
        System.out.println("""
                usage: Bench gemm               [--seconds N] [--out FILE]
                       Bench vdrop small|medium [--cell lstm|gru] [--seconds N] [--warmup S] [--out FILE]
                       Bench dl4j small|medium  [--seconds N] [--warmup S] [--out FILE]
                       Bench classifier         [--seconds N] [--out FILE]
                       Bench report DIR         [--out FILE]
                Run it through bench/run, which starts one JVM per group with fixed memory settings.""");
    }
}
