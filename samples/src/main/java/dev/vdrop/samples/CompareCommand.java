package dev.vdrop.samples;

import dev.vdrop.runtime.io.DirectoryLock;
import dev.vdrop.runtime.text.CorpusTokenizer;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vdrop compare}: the papers' comparison on one corpus — all five schemes of the protocol,
 * one after another with the same seed and the same cell ({@code --cell}) — written as JSON, a
 * Markdown table and a plot of validation perplexity per epoch. {@code --out} is checked before the first scheme trains (its earlier
 * results are refused unless {@code --overwrite}) and locked for the whole comparison.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Train all five dropout schemes (none, zaremba, variational, untied, awd) and compare their perplexities.",
                "Each scheme is evaluated at its last epoch, as docs/protocol.md says (no best-epoch restore)."})
final class CompareCommand implements Callable<Integer> {
    /** The files written into {@code --out}. */
    static final List<String> RESULTS = List.of("compare.json", "compare.md", "validation.png");

    @Option(names = "--corpus", paramLabel = "PATH", description = "Plain-text UTF-8 corpus (default: the bundled Moby-Dick).")
    Path corpus;

    @Option(names = "--tokenizer", defaultValue = "convention", paramLabel = "NAME",
            description = {"How the corpus becomes words: convention (the papers' comparison: lower-cased [a-z0-9] words "
                    + "and punctuation; refuses a corpus that loses more than half of its letters) or unicode (words of "
                    + "letters and digits of every script, for a corpus in any language). Default: ${DEFAULT-VALUE}."})
    String tokenizer;

    @Option(names = "--cell", defaultValue = "lstm", paramLabel = "lstm|gru",
            description = "The recurrent layers' cell of every scheme: lstm or gru (default: ${DEFAULT-VALUE}).")
    String cell;

    @Option(names = "--epochs", defaultValue = "20", description = "Training epochs per scheme (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--seed", defaultValue = "1", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--mc-samples", defaultValue = "50", description = "MC-dropout samples K (default: ${DEFAULT-VALUE}).")
    int mcSamples;

    @Option(names = "--schemes", split = ",", description = "A subset of schemes to run (default: all five).")
    List<String> schemes;

    @Option(names = "--clip", defaultValue = "5", paramLabel = "NORM",
            description = {"Largest global gradient norm of an SGD step (default: ${DEFAULT-VALUE}, the protocol's; 0 for none).",
                    "The protocol (docs/protocol.md) keeps 5; its GRU awd row differs, as the doc says."})
    double clip;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where to write compare.json, compare.md and validation.png.")
    Path out;

    @Option(names = "--overwrite", description = "Replace the results of an earlier comparison in --out (otherwise refused).")
    boolean overwrite;

    @Option(names = "--no-progress", description = "No progress bar.")
    boolean noProgress;

    @Option(names = "--batch", defaultValue = "20", hidden = true)
    int batch;

    @Option(names = "--steps", defaultValue = "35", hidden = true)
    int steps;

    @Override
    public Integer call() {
        CorpusTokenizer words = LmExperiment.tokenizer(tokenizer);
        Cell layers = Cell.parse(cell);
        List<Scheme> chosen = new ArrayList<>();
        if (schemes == null || schemes.isEmpty()) {
            chosen.addAll(List.of(Scheme.values()));
        } else {
            schemes.forEach(s -> chosen.add(Scheme.parse(s)));
        }
        LmExperiment.Options.checkClip(clip);
        // before any training: a comparison takes up to an hour and a half
        DirectoryLock lock = Outputs.claim("--out", out, overwrite, RESULTS);
        try {
            compare(chosen, words, layers);
        } finally {
            Outputs.release(List.of(lock));
        }
        System.out.println("wrote " + out.resolve("compare.json") + ", " + out.resolve("compare.md") + " and "
                + out.resolve("validation.png"));
        return 0;
    }

    private void compare(List<Scheme> chosen, CorpusTokenizer words, Cell layers) {
        List<Map<String, Object>> reports = new ArrayList<>();
        long start = System.nanoTime();
        for (Scheme scheme : chosen) {
            // the protocol (docs/protocol.md) evaluates every scheme's last epoch, never the best
            LmExperiment.Options options = new LmExperiment.Options(corpus, words, scheme, layers, epochs, seed, mcSamples,
                    null, null, !noProgress, batch, steps, false, false, clip);
            reports.add(LmExperiment.run(options, System.out).report());
            // Written after every scheme, so a long comparison leaves its finished part behind.
            write(reports, layers, start);
        }
    }

    private void write(List<Map<String, Object>> reports, Cell layers, long start) {
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("preset", "moby-small");
        all.put("cell", layers.label());
        all.put("corpus", corpus == null ? "bundled moby-dick.txt" : corpus.toString());
        all.put("tokenizer", LmExperiment.tokenizer(tokenizer).label());
        all.put("epochs", epochs);
        all.put("seed", seed);
        all.put("mc_samples", mcSamples);
        all.put("clip", clip);
        all.put("seconds", (System.nanoTime() - start) / 1e9);
        all.put("schemes", reports);
        Json.write(out.resolve("compare.json"), all);
        writeTable(out.resolve("compare.md"), layers, reports);
        writePlot(out.resolve("validation.png"), layers, reports);
    }

    static void writeTable(Path file, Cell layers, List<Map<String, Object>> reports) {
        StringBuilder md = new StringBuilder();
        md.append("| scheme | valid ppl | test ppl | valid ppl, MC | test ppl, MC | best valid ppl (epoch) | train tokens/s |\n");
        md.append("|---|---|---|---|---|---|---|\n");
        for (Map<String, Object> r : reports) {
            md.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f | %.2f | %.2f | %.2f (%d) | %,.0f |%n", r.get("scheme"),
                    (double) r.get("valid_ppl"), (double) r.get("test_ppl"), (double) r.get("valid_ppl_mc"),
                    (double) r.get("test_ppl_mc"), (double) r.get("best_valid_ppl"), (int) r.get("best_epoch"),
                    (double) r.get("train_tokens_per_second")));
        }
        if (!reports.isEmpty()) {
            md.append("\nCell: ").append(layers.label()).append(".\nTokenizer: ").append(reports.get(0).get("tokenizer"))
                    .append(" (docs/data.md).\n");
        }
        Outputs.writeString(file, md);
    }

    @SuppressWarnings("unchecked")
    static void writePlot(Path file, Cell layers, List<Map<String, Object>> reports) {
        XYSeriesCollection data = new XYSeriesCollection();
        double low = Double.POSITIVE_INFINITY;
        double high = Double.NEGATIVE_INFINITY;
        for (Map<String, Object> r : reports) {
            XYSeries series = new XYSeries((String) r.get("scheme"));
            for (Map<String, Object> e : (List<Map<String, Object>>) r.get("history")) {
                double perplexity = (double) e.get("valid_ppl");
                series.add((int) e.get("epoch"), perplexity);
                low = Math.min(low, perplexity);
                high = Math.max(high, perplexity);
            }
            data.addSeries(series);
        }
        JFreeChart chart = ChartFactory.createXYLineChart("Validation perplexity per epoch (moby-small, " + layers.display()
                + ")", "epoch", "validation perplexity", data, PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        LogAxis axis = new LogAxis("validation perplexity (log scale)");
        axis.setSmallestValue(1);
        axis.setNumberFormatOverride(new java.text.DecimalFormat("#,##0"));
        if (low <= high && high - low <= 1e-6 * high) {
            // one value (one scheme's one epoch): the axis pads it by 5e-9 each side, lost in the
            // rounding of a perplexity in the tens of millions, and refuses the empty range; a factor
            // of 2 each side instead
            axis.setAutoRange(false);
            axis.setRange(Math.max(1, low / 2), Math.min(Double.MAX_VALUE, Math.max(2, high * 2)));
        }
        plot.setRangeAxis(axis);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        for (int i = 0; i < data.getSeriesCount(); i++) {
            plot.getRenderer().setSeriesStroke(i, new BasicStroke(2f));
        }
        try {
            Outputs.write(file, o -> ChartUtils.writeChartAsPNG(o, chart, 1000, 600));
        } catch (IOException e) {
            throw new UserError(e.getMessage());
        }
    }
}
