package dev.vdrop.spark.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.vdrop.runtime.Network;
import dev.vdrop.runtime.eval.McPredictor;
import dev.vdrop.runtime.mc.ClassPrediction;
import dev.vdrop.runtime.model.ModelFile;
import dev.vdrop.runtime.model.ModelFileException;
import dev.vdrop.runtime.model.ModelInput;
import dev.vdrop.runtime.text.Vocabulary;
import dev.vdrop.spark.SampleModels;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vdrop-spark score-local} (hidden): the throughput baseline of {@code score} — the same TSV
 * file and classifier model file scored by the library alone, {@code McPredictor.classify} in this
 * JVM in batches of B rows with K samples, each row keyed by its line number (the header is line 1)
 * as {@code score} keys it without {@code --key}. No Spark: one caller thread, ND4J's own threads
 * for the matrix products. DIR gets {@code part-00000.csv} (line, text, the MC columns) and
 * {@code summary.json} with {@code startup_seconds} (loading the model), {@code scoring_seconds}
 * (reading, encoding, predicting and writing) and {@code rows_per_second}. A line that cannot be
 * scored (another number of fields than the header, an empty text) is refused: the baseline reads
 * clean files. {@code bench/spark-score} runs it against {@code score}.
 */
@Command(name = "score-local", hidden = true, mixinStandardHelpOptions = true, sortOptions = false,
        description = "The throughput baseline of score: McPredictor in this JVM, no Spark (bench/spark-score).")
final class LocalScoreCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "A classifier's model file.")
    Path model;

    @Option(names = "--data", required = true, paramLabel = "FILE.tsv", description = "Tab-separated rows with a header line.")
    Path data;

    @Option(names = "--text", paramLabel = "COLUMN", defaultValue = "text", description = "The text column (default: ${DEFAULT-VALUE}).")
    String text;

    @Option(names = "--mc-samples", paramLabel = "K", defaultValue = "50", description = "MC passes per row (default: ${DEFAULT-VALUE}).")
    int mcSamples;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "The masks' seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--batch", paramLabel = "B", defaultValue = "256", description = "Rows per MC call (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory, made; refused if it exists.")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (mcSamples < 1 || batch < 1) {
            throw new UserError("--mc-samples and --batch must be at least 1");
        }
        if (Files.exists(out)) {
            throw new UserError(out + " exists");
        }
        long start = System.nanoTime();
        ModelFile file;
        try {
            file = ModelFile.load(model);
        } catch (ModelFileException e) {
            throw new UserError(e.getMessage());
        }
        if (!(file.info().input() instanceof ModelInput.Tokens tokens) || file.info().labels().isEmpty()) {
            throw new UserError(model + " is not a classifier of text");
        }
        @SuppressWarnings("unchecked")
        Network<int[][], int[]> network = (Network<int[][], int[]>) file.newNetwork(s -> SampleModels.all().create(file));
        Vocabulary vocabulary = Vocabulary.of(tokens.symbols());
        List<String> labels = file.info().labels();
        double startup = seconds(start);

        long scoring = System.nanoTime();
        Files.createDirectories(out);
        long rows = 0;
        try (BufferedReader in = Files.newBufferedReader(data, StandardCharsets.UTF_8);
             BufferedWriter csv = Files.newBufferedWriter(out.resolve("part-00000.csv"), StandardCharsets.UTF_8)) {
            String[] header = in.readLine().split("\t", -1);
            int column = Arrays.asList(header).indexOf(text);
            if (column < 0) {
                throw new UserError("no text column " + text + " in " + data);
            }
            csv.write("line," + text + ",predicted,p_predicted,entropy,mutual_information");
            for (String label : labels) {
                csv.write(",p_" + label);
            }
            csv.newLine();
            List<String> texts = new ArrayList<>(batch);
            List<int[]> ids = new ArrayList<>(batch);
            long[] keys = new long[batch];
            long line = 1;
            for (String l = in.readLine(); ; l = in.readLine()) {
                if (l != null) {
                    line++;
                    if (l.isEmpty()) {
                        continue;
                    }
                    String[] fields = l.split("\t", -1);
                    if (fields.length != header.length || fields[column].isEmpty()) {
                        throw new UserError(data + " line " + line + ": the baseline scores clean files only");
                    }
                    keys[texts.size()] = line;
                    texts.add(fields[column]);
                    ids.add(vocabulary.encode(tokens.tokenization().split(fields[column])));
                }
                if (!texts.isEmpty() && (l == null || texts.size() == batch)) {
                    List<ClassPrediction> predictions = McPredictor.classify(network, ids.toArray(int[][]::new), mcSamples,
                            seed, Arrays.copyOf(keys, texts.size()));
                    for (int i = 0; i < texts.size(); i++) {
                        ClassPrediction p = predictions.get(i);
                        StringBuilder b = new StringBuilder().append(keys[i]).append(',').append(texts.get(i)).append(',')
                                .append(labels.get(p.argmax())).append(',').append(p.predictedProbability()).append(',')
                                .append(p.predictiveEntropy()).append(',').append(p.mutualInformation());
                        for (int c = 0; c < labels.size(); c++) {
                            b.append(',').append(p.probability(c));
                        }
                        csv.write(b.toString());
                        csv.newLine();
                    }
                    rows += texts.size();
                    texts.clear();
                    ids.clear();
                }
                if (l == null) {
                    break;
                }
            }
        }
        double seconds = seconds(scoring);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("rows", rows);
        summary.put("mc_samples", mcSamples);
        summary.put("seed", seed);
        summary.put("batch", batch);
        summary.put("model", model.toString());
        summary.put("data", data.toString());
        summary.put("startup_seconds", round(startup));
        summary.put("scoring_seconds", round(seconds));
        summary.put("rows_per_second", round(rows / seconds));
        Files.write(out.resolve(ScoreCommand.SUMMARY),
                new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(summary));
        spec.commandLine().getOut().printf(Locale.ROOT, "vdrop-spark score-local: scored %,d rows with K = %d in %.1f s "
                + "(%.0f rows/s), start-up %.1f s; wrote %s%n", rows, mcSamples, seconds, rows / seconds, startup, out);
        spec.commandLine().getOut().flush();
        return 0;
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
