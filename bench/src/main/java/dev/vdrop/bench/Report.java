package dev.vdrop.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Joins the groups' results (one JSON file per JVM: {@code gemm.json}, {@code vdrop-<config>.json},
 * {@code dl4j-<config>.json} and, when PyTorch ran, {@code pytorch-<config>.json}, the line
 * {@code bench/reference/vdrop_reference.py} prints) into one table per configuration — metric | vdrop | DL4J | ratio
 * (| PyTorch | ratio) — and writes the same as JSON. The GRU configurations ({@code <config>-gru}, issue
 * 20) have no DL4J column: DL4J 1.0.0-M2.1 has no GRU layer.
 */
final class Report {
    private Report() {}

    /** One table row; a null value is a measurement that framework does not have. */
    record Row(String metric, Double vdrop, Double dl4j, Double pytorch) {
        Double ratio(Double other) {
            return vdrop == null || other == null || other == 0 ? null : vdrop / other;
        }
    }

    static void run(Path dir, Path jsonOut) throws IOException {
        JsonNode gemm = read(dir.resolve("gemm.json"));
        Map<String, Object> json = new LinkedHashMap<>();
        StringBuilder text = new StringBuilder();
        Double peak = gemm == null ? null : number(gemm, "shapes", "square", "gflop_s");
        text.append("vdrop benchmark: medians after warm-up; token-samples/s for MC (K rows × 35 steps per pass).\n");
        text.append("Ratios are vdrop ÷ the other: above 1 is faster for rates, below 1 is smaller for RSS.\n");
        text.append("Numbers from a busy machine are noise: compare ratios from one run, on an idle machine.\n\n");
        if (gemm != null) {
            json.put("gemm", gemm);
            text.append("sgemm through dev.vdrop.runtime.internal.Blas (the OpenBLAS ND4J links), float32, GFLOP/s:\n");
            for (Map.Entry<String, JsonNode> e : iterable(gemm.get("shapes"))) {
                text.append(String.format(Locale.ROOT, "  %-52s %8.1f%s%n", e.getValue().get("label").asText(),
                        e.getValue().get("gflop_s").asDouble(), e.getKey().equals("square") ? "  (peak)" : ""));
            }
            JsonNode torchGemm = read(dir.resolve("pytorch-gemm.json"));
            if (torchGemm != null) {
                json.put("pytorch_gemm", torchGemm);
                text.append(String.format(Locale.ROOT, "  %-48s %8.1f%n", "PyTorch torch.mm, square 2048 (its OpenBLAS)",
                        torchGemm.path("square_gflop_s").asDouble()));
            }
            text.append('\n');
        }
        Map<String, Object> configs = new LinkedHashMap<>();
        for (LmConfig config : LmConfig.ALL) {
            boolean lstm = config.cell() == LmConfig.Cell.LSTM;
            JsonNode vdrop = read(dir.resolve("vdrop-" + config.key() + ".json"));
            // DL4J 1.0.0-M2.1 has no GRU layer: the GRU tables have no DL4J column
            JsonNode dl4j = lstm ? read(dir.resolve("dl4j-" + config.key() + ".json")) : null;
            JsonNode torch = read(dir.resolve("pytorch-" + config.key() + ".json"));
            if (vdrop == null && dl4j == null && torch == null) {
                continue;
            }
            List<Row> rows = rows(config, vdrop, dl4j, torch, peak);
            boolean withTorch = torch != null;
            text.append(config.title()).append(" — ").append(config.describe()).append('\n');
            text.append(table(rows, lstm, withTorch, torch == null ? null : torchLabel(torch)));
            Map<String, Object> flops = flops(config, vdrop);
            text.append(flopsText(flops));
            if (!lstm) {
                text.append("(no DL4J column: DL4J 1.0.0-M2.1 has no GRU layer)\n");
                if (torch == null) {
                    text.append("(PyTorch did not run: bench/pytorch.sh runs its GRU twin, vdrop_reference.py --cell gru)\n");
                }
            } else if (dl4j == null) {
                text.append("(DL4J did not run or failed: see its log)\n");
            }
            text.append('\n');

            Map<String, Object> c = new LinkedHashMap<>();
            c.put("description", config.describe());
            c.put("cell", config.cell().option());
            List<Map<String, Object>> table = new ArrayList<>();
            for (Row r : rows) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("metric", r.metric());
                m.put("vdrop", r.vdrop());
                if (lstm) {
                    m.put("dl4j", r.dl4j());
                    m.put("ratio_vdrop_dl4j", r.ratio(r.dl4j()));
                }
                if (withTorch) {
                    m.put("pytorch", r.pytorch());
                    m.put("ratio_vdrop_pytorch", r.ratio(r.pytorch()));
                }
                table.add(m);
            }
            c.put("table", table);
            c.put("flops", flops);
            c.put("vdrop", vdrop);
            if (lstm) {
                c.put("dl4j", dl4j);
            }
            if (withTorch) {
                c.put("pytorch", torch);
            }
            configs.put(config.key(), c);
        }
        json.put("configs", configs);
        Map<String, Object> classifier = classifier(dir, text);
        if (classifier != null) {
            json.put("classifier", classifier);
        }
        text.append(loads(dir));
        System.out.print(text);
        if (jsonOut != null) {
            Files.createDirectories(jsonOut.toAbsolutePath().getParent());
            Files.writeString(jsonOut, Bench.JSON.writeValueAsString(json));
            System.out.println("JSON: " + jsonOut);
        }
    }

    /**
     * The classifier group's table, vdrop against its PyTorch twin ({@code vdrop-classifier.json},
     * {@code pytorch-classifier.json}), appended to {@code text}; its JSON, or null when neither ran.
     */
    private static Map<String, Object> classifier(Path dir, StringBuilder text) throws IOException {
        JsonNode vdrop = read(dir.resolve("vdrop-classifier.json"));
        JsonNode torch = read(dir.resolve("pytorch-classifier.json"));
        if (vdrop == null && torch == null) {
            return null;
        }
        List<Row> rows = classifierRows(vdrop, torch);
        text.append("CLASSIFIER — ").append(ClassifierConfig.describe()).append('\n');
        text.append(table(rows, true, torch != null, torch == null ? null : "c, " + torch.path("ragged").asText("?")));
        if (torch == null) {
            text.append("(PyTorch did not run: bench/pytorch.sh classifier runs it)\n");
        }
        text.append('\n');
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("description", ClassifierConfig.describe());
        List<Map<String, Object>> table = new ArrayList<>();
        for (Row r : rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("metric", r.metric());
            m.put("vdrop", r.vdrop());
            m.put("pytorch", r.pytorch());
            m.put("ratio_vdrop_pytorch", r.ratio(r.pytorch()));
            table.add(m);
        }
        c.put("table", table);
        c.put("vdrop", vdrop);
        c.put("pytorch", torch);
        return c;
    }

    static List<Row> classifierRows(JsonNode vdrop, JsonNode torch) {
        List<Row> rows = new ArrayList<>();
        rows.add(new Row("train tokens/s, ragged unsorted batches (target: vdrop/PyTorch ≥ 1.5)",
                number(vdrop, "train", "per_s"), null, number(torch, "train", "tok_s")));
        rows.add(new Row("train sequences/s", number(vdrop, "train", "sequences_per_s"), null,
                number(torch, "train", "sequences_s")));
        rows.add(new Row("peak RSS MB", number(vdrop, "peak_rss_mb"), null, number(torch, "peak_rss_mb")));
        rows.removeIf(r -> r.vdrop() == null && r.pytorch() == null);
        return rows;
    }

    /** The 1-minute load average before and after each JVM group: above ~0.5 the numbers are noise. */
    private static String loads(Path dir) throws IOException {
        StringBuilder s = new StringBuilder("load average (1 min) before → after each group:");
        List<String> names = new ArrayList<>(List.of("gemm"));
        for (LmConfig c : LmConfig.ALL) {
            names.add("vdrop-" + c.key());
            if (c.cell() == LmConfig.Cell.LSTM) {
                names.add("dl4j-" + c.key());
            }
        }
        names.add("vdrop-classifier");
        for (String name : names) {
            JsonNode n = read(dir.resolve(name + ".json"));
            Double before = number(n, "environment", "load_1min_before");
            Double after = number(n, "load_1min_after");
            if (before != null && after != null) {
                s.append(String.format(Locale.ROOT, " %s %.2f → %.2f;", name, before, after));
            }
        }
        s.setLength(s.length() - 1);
        return s.append('\n').toString();
    }

    static List<Row> rows(LmConfig config, JsonNode vdrop, JsonNode dl4j, JsonNode torch, Double peak) {
        List<Row> rows = new ArrayList<>();
        boolean lstm = config.cell() == LmConfig.Cell.LSTM;
        Function<JsonNode, Double> train = n -> number(n, "train", "per_s");
        rows.add(row(lstm ? "train tokens/s" : "train tokens/s (target: vdrop/PyTorch ≥ 1.5)", vdrop, dl4j, train,
                number(torch, "train", "tok_s")));
        rows.add(row("train tokens/s, ragged batch (20 sequences of 5..35 steps)", vdrop, null,
                n -> number(n, "train_ragged", "per_s"), null));
        rows.add(row("train tokens/s, equal lengths, the same tokens (20 × the mean length)", vdrop, null,
                n -> number(n, "train_ragged_equal", "per_s"), null));
        rows.add(row("ragged ÷ equal lengths, time per token (×, median of pairs; target ≤ 1.15)", vdrop, null,
                n -> number(n, "train_ragged_cost", "median"), null));
        rows.add(row("eval tokens/s (dropout off)", vdrop, dl4j, n -> number(n, "eval", "per_s"),
                number(torch, "infer_eval", "tok_s")));
        rows.add(row("MC token-samples/s, one pass of 20 rows", vdrop, dl4j, n -> number(n, "mc_b20", "per_s"),
                number(torch, "infer_mc", "tok_s")));
        for (int k : VdropBench.MC_SAMPLES) {
            rows.add(row("MC token-samples/s, K = " + k + " (one pass of " + k + (k == 1 ? " row)" : " rows)"),
                    vdrop, dl4j, n -> number(n, "mc_k" + k, "per_s"), null));
        }
        int seq = VdropBench.SEQUENTIAL_PASSES;
        rows.add(row("MC token-samples/s, " + seq + " passes of 1 row", vdrop, dl4j,
                n -> number(n, "mc_seq" + seq, "per_s"), null));
        rows.add(row("MC batched K = 100 ÷ " + seq + " sequential (×)", vdrop, dl4j,
                n -> divide(number(n, "mc_k100", "per_s"), number(n, "mc_seq" + seq, "per_s")), null));
        int wdK = VdropBench.WEIGHT_DROP_SAMPLES;
        for (int wdB : VdropBench.WEIGHT_DROP_BATCHES) {
            String b = "_b" + wdB;
            rows.add(row("MC weight drop, K = " + wdK + " × " + wdB + (wdB == 1 ? " sequence" : " sequences")
                            + ": one pass of " + wdK * wdB + " rows, token-samples/s", vdrop, null,
                    n -> number(n, "mc_wd_one_pass" + b, "per_s"), null));
            rows.add(row("MC weight drop, the same: " + wdK + " passes of " + wdB + (wdB == 1 ? " row" : " rows")
                            + ", token-samples/s", vdrop, null, n -> number(n, "mc_wd_passes" + b, "per_s"), null));
            rows.add(row("MC weight drop, one pass ÷ " + wdK + " passes (×, median of pairs"
                            + (wdB == 1 ? "; target ≥ 2 at SMALL)" : ")"),
                    vdrop, null, n -> number(n, "mc_wd_speedup" + b, "median"), null));
            rows.add(row("  the same, new masks at every pass (a prediction's first batch; ×)", vdrop, null,
                    n -> number(n, "mc_wd_first_speedup" + b, "median"), null));
        }
        rows.add(row("McPredictor.positions K = 100, token-samples/s", vdrop, null,
                n -> number(n, "mcpredictor_k100", "per_s"), null));
        Function<Double, Double> trainGflops = tokens -> tokens == null ? null : tokens * config.trainFlopsPerToken() / 1e9;
        rows.add(row("train GFLOP/s (analytic GEMM FLOPs)", vdrop, dl4j, n -> trainGflops.apply(train.apply(n)),
                trainGflops.apply(number(torch, "train", "tok_s"))));
        if (peak != null) {
            rows.add(row("train, % of the sgemm peak", vdrop, dl4j,
                    n -> percent(trainGflops.apply(train.apply(n)), peak),
                    percent(trainGflops.apply(number(torch, "train", "tok_s")), peak)));
        }
        Function<Double, Double> evalGflops = tokens -> tokens == null ? null : tokens * config.forwardFlopsPerToken() / 1e9;
        rows.add(row("eval GFLOP/s (analytic GEMM FLOPs)", vdrop, dl4j,
                n -> evalGflops.apply(number(n, "eval", "per_s")), evalGflops.apply(number(torch, "infer_eval", "tok_s"))));
        rows.add(row("peak RSS MB: train, eval, MC 20 rows", vdrop, dl4j, n -> number(n, "peak_rss_core_mb"),
                number(torch, "peak_rss_mb")));
        rows.add(row(lstm ? "peak RSS MB: + MC K ≤ 100, sequential" : "peak RSS MB: + MC K = 100", vdrop, dl4j,
                n -> number(n, "peak_rss_mc_mb"), null));
        int wdRows = wdK * VdropBench.WEIGHT_DROP_BATCHES[VdropBench.WEIGHT_DROP_BATCHES.length - 1];
        rows.add(row("peak RSS MB: + weight-drop MC, one pass of " + wdRows + " rows", vdrop, null,
                n -> number(n, "peak_rss_mc_wd_b" + wdRows / wdK + "_mb"), null));
        rows.add(row("peak RSS MB: + McPredictor K = 100", vdrop, null, n -> number(n, "peak_rss_all_mb"), null));
        rows.removeIf(r -> r.vdrop() == null && r.dl4j() == null && r.pytorch() == null);
        return rows;
    }

    private static Row row(String metric, JsonNode vdrop, JsonNode dl4j, Function<JsonNode, Double> get, Double torch) {
        return new Row(metric, vdrop == null ? null : get.apply(vdrop), dl4j == null ? null : get.apply(dl4j), torch);
    }

    static Map<String, Object> flops(LmConfig config, JsonNode vdrop) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("train_per_token_analytic", config.trainFlopsPerToken());
        f.put("train_per_token_profiled", number(vdrop, "train_flops_per_token_profiled"));
        f.put("forward_per_token_analytic", config.forwardFlopsPerToken());
        f.put("forward_per_token_profiled", number(vdrop, "eval_flops_per_token_profiled"));
        f.put("vdrop_train_gemm_share", number(vdrop, "train_gemm", "share_of_time"));
        f.put("vdrop_train_gemm_gflop_s", number(vdrop, "train_gemm", "gflop_s"));
        f.put("vdrop_train_step_panels_share", number(vdrop, "train_step_panels", "share_of_time"));
        f.put("vdrop_train_step_panels_gflop_s", number(vdrop, "train_step_panels", "gflop_s"));
        f.put("vdrop_train_ms_per_step", number(vdrop, "train_ms_per_step"));
        f.put("vdrop_train_products", vdrop == null || !vdrop.has("train_products") ? null : vdrop.get("train_products"));
        f.put("vdrop_kernels", vdrop == null || !vdrop.has("kernels") ? null : vdrop.get("kernels").asText());
        f.put("vdrop_train_allocated_kb_per_step", number(vdrop, "train_allocated_kb_per_step"));
        f.put("counted", "matrix products only (OpenBLAS's GEMMs and the step products through panels): "
                + "2·m·n·k per product; the softmax, the gate non-linearities and the element-wise products are not counted");
        return f;
    }

    private static String flopsText(Map<String, Object> f) {
        StringBuilder s = new StringBuilder();
        Double trainA = (Double) f.get("train_per_token_analytic");
        Double trainP = (Double) f.get("train_per_token_profiled");
        Double fwdA = (Double) f.get("forward_per_token_analytic");
        Double fwdP = (Double) f.get("forward_per_token_profiled");
        s.append(String.format(Locale.ROOT, "Matrix-product FLOPs per token: training step %.2f M analytic, %s counted (Blas and panels); "
                        + "forward pass %.2f M analytic, %s counted%n",
                trainA / 1e6, mega(trainP, trainA), fwdA / 1e6, mega(fwdP, fwdA)));
        Double share = (Double) f.get("vdrop_train_gemm_share");
        Double gemmRate = (Double) f.get("vdrop_train_gemm_gflop_s");
        if (share != null && gemmRate != null) {
            s.append(String.format(Locale.ROOT, "vdrop's training step spends %.0f %% of its time in GEMM, at %.1f GFLOP/s%n",
                    100 * share, gemmRate));
        }
        Double panelShare = (Double) f.get("vdrop_train_step_panels_share");
        Double panelRate = (Double) f.get("vdrop_train_step_panels_gflop_s");
        if (panelShare != null && panelRate != null && panelShare > 0) {
            s.append(String.format(Locale.ROOT, "... and %.0f %% in the recurrent step products through panels, at %.1f GFLOP/s%n",
                    100 * panelShare, panelRate));
        }
        Double msPerStep = (Double) f.get("vdrop_train_ms_per_step");
        if (f.get("vdrop_train_products") instanceof JsonNode products && msPerStep != null) {
            s.append(String.format(Locale.ROOT, "vdrop's products in ms per training step (of %.1f ms):", msPerStep));
            for (JsonNode p : products) {
                s.append(String.format(Locale.ROOT, " %s %s %.1f (%.0f GFLOP/s);", p.get("kind").asText(),
                        p.get("shape").asText(), p.get("ms_per_step").asDouble(), p.get("gflop_s").asDouble()));
            }
            s.setLength(s.length() - 1);
            s.append('\n');
        }
        if (f.get("vdrop_kernels") != null) {
            s.append("vdrop's element-wise kernels: ").append(f.get("vdrop_kernels")).append('\n');
        }
        Double allocated = (Double) f.get("vdrop_train_allocated_kb_per_step");
        if (allocated != null) {
            s.append(String.format(Locale.ROOT, "vdrop's training step allocates %.0f KB on the Java heap (timing thread)%n",
                    allocated));
        }
        return s.toString();
    }

    private static String mega(Double profiled, double analytic) {
        if (profiled == null) {
            return "not";
        }
        return String.format(Locale.ROOT, "%.2f M (%+.2f %%)", profiled / 1e6, 100 * (profiled - analytic) / analytic);
    }

    /** The PyTorch column's heading: its variant, and its cell when it is not the LSTM. */
    private static String torchLabel(JsonNode torch) {
        String cell = torch.path("cell").asText("lstm");
        return torch.path("variant").asText("?") + (cell.equals("lstm") ? "" : ", " + cell.toUpperCase(Locale.ROOT));
    }

    static String table(List<Row> rows, boolean withDl4j, boolean withTorch, String torchVariant) {
        List<String[]> cells = new ArrayList<>();
        List<String> heading = new ArrayList<>(List.of("metric", "vdrop"));
        if (withDl4j) {
            heading.addAll(List.of("DL4J", "vdrop/DL4J"));
        }
        if (withTorch) {
            heading.addAll(List.of("PyTorch (" + torchVariant + ")", "vdrop/PyTorch"));
        }
        cells.add(heading.toArray(String[]::new));
        for (Row r : rows) {
            List<String> c = new ArrayList<>(List.of(r.metric(), fmt(r.vdrop())));
            if (withDl4j) {
                c.add(fmt(r.dl4j()));
                c.add(ratio(r.ratio(r.dl4j())));
            }
            if (withTorch) {
                c.add(fmt(r.pytorch()));
                c.add(ratio(r.ratio(r.pytorch())));
            }
            cells.add(c.toArray(String[]::new));
        }
        int[] width = new int[cells.get(0).length];
        for (String[] row : cells) {
            for (int i = 0; i < row.length; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        StringBuilder s = new StringBuilder();
        for (int r = 0; r < cells.size(); r++) {
            String[] row = cells.get(r);
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                if (i > 0) {
                    line.append(" | ");
                }
                line.append(i == 0 ? pad(row[i], width[i], false) : pad(row[i], width[i], true));
            }
            s.append(line.toString().stripTrailing()).append('\n');
            if (r == 0) {
                StringBuilder rule = new StringBuilder();
                for (int i = 0; i < width.length; i++) {
                    rule.append(i > 0 ? "-|-" : "").append("-".repeat(width[i]));
                }
                s.append(rule).append('\n');
            }
        }
        return s.toString();
    }

    private static String pad(String s, int width, boolean right) {
        String fill = " ".repeat(Math.max(0, width - s.length()));
        return right ? fill + s : s + fill;
    }

    static String fmt(Double v) {
        if (v == null || v.isNaN()) {
            return "–";
        }
        double a = Math.abs(v);
        return a >= 100 ? String.format(Locale.ROOT, "%,.0f", v)
                : a >= 10 ? String.format(Locale.ROOT, "%.1f", v)
                : String.format(Locale.ROOT, "%.2f", v);
    }

    static String ratio(Double v) {
        return v == null || v.isNaN() ? "–" : String.format(Locale.ROOT, "%.2f", v);
    }

    private static Double divide(Double a, Double b) {
        return a == null || b == null || b == 0 ? null : a / b;
    }

    private static Double percent(Double a, Double b) {
        Double d = divide(a, b);
        return d == null ? null : 100 * d;
    }

    /** The number at {@code path} in {@code node}, or null. */
    static Double number(JsonNode node, String... path) {
        if (node == null) {
            return null;
        }
        JsonNode n = node;
        for (String p : path) {
            n = n.get(p);
            if (n == null || n.isNull()) {
                return null;
            }
        }
        return n.isNumber() ? n.asDouble() : null;
    }

    /** A group's result, or null when it did not run; a PyTorch file holds the last JSON line it printed. */
    static JsonNode read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        String text = Files.readString(file).strip();
        if (text.isEmpty()) {
            return null;
        }
        try {
            return Bench.JSON.readTree(text);
        } catch (IOException e) {
            // the reference script may print more than one line; its result is the last JSON line.
            String[] lines = text.split("\n");
            for (int i = lines.length - 1; i >= 0; i--) {
                if (lines[i].startsWith("{")) {
                    return Bench.JSON.readTree(lines[i]);
                }
            }
            throw e;
        }
    }

    private static Iterable<Map.Entry<String, JsonNode>> iterable(JsonNode node) {
        return node.properties();
    }
}
