package dev.vdrop.bench;

import static dev.vdrop.bench.LmConfig.BATCH;
import static dev.vdrop.bench.LmConfig.STEPS;
import static dev.vdrop.bench.LmConfig.VOCABULARY;

import dev.vdrop.runtime.DropoutMode;
import dev.vdrop.runtime.Gradients;
import dev.vdrop.runtime.MaskKeys;
import dev.vdrop.runtime.Network;
import dev.vdrop.runtime.Rng;
import dev.vdrop.runtime.VectorSupport;
import dev.vdrop.runtime.Workspace;
import dev.vdrop.runtime.eval.McPredictor;
import dev.vdrop.runtime.internal.ProductProfile;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * vdrop's side of the benchmark, in its own JVM: the training step (sample masks, zero the
 * gradients, forward with the softmax over the vocabulary and the loss, backward, clip the global
 * norm to 5, SGD with learning rate 1) — on the configuration's batch, and on a batch of sequences
 * of different lengths against one of equal lengths with the same tokens — the evaluation pass with
 * dropout off, and MC-dropout passes, on synthetic token ids (throughput does not depend on the
 * text). A GRU configuration (issue 20) times the training step, the evaluation pass, the MC pass
 * of 20 rows and MC with K = 100 as one pass: the rows its PyTorch twin has, and the batched MC
 * the library is for; the rest (K = 1 and 10, sequential passes, weight-drop MC, ragged batches,
 * McPredictor) are the LSTM's.
 */
final class VdropBench {
    static final int[] MC_SAMPLES = {1, 10, 100};
    /** The GRU configurations' MC rows: K = 100 as one pass. */
    static final int[] GRU_MC_SAMPLES = {100};
    static final int SEQUENTIAL_PASSES = 100;
    /** Weight-drop MC in one pass: K samples of B sequences. */
    static final int WEIGHT_DROP_SAMPLES = 50;
    /**
     * B of the weight-drop MC rows: one sequence, as the other MC rows and {@code McPredictor.next}
     * (where K passes cost most: each is a pass of one row), and 4 sequences, a pass of K·B = 200
     * rows whose output (vocabulary × 35 steps × 200 rows, 280 MB in float32) still fits the JVM's
     * memory beside the 50 samples' U' (MEDIUM: 676 MB).
     */
    static final int[] WEIGHT_DROP_BATCHES = {1, 4};

    private VdropBench() {}

    static Map<String, Object> run(LmConfig config, double seconds, double trainingWarmup) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("framework", "vdrop");
        out.put("config", config.name());
        out.put("cell", config.cell().option());
        out.put("environment", Proc.environment());
        out.put("blas_profile", Boolean.getBoolean("vdrop.blas.profile"));
        out.put("kernels", VectorSupport.description());
        double warm = Harness.warmupFor(seconds);
        double half = seconds / 2;

        Network<int[][], int[][]> network = config.vdropNetwork();
        out.put("parameters", network.parameterCount());
        out.put("rss_after_init_mb", Proc.rssMb());
        Rng rng = new Rng(1);
        int[][] input = tokens(rng, BATCH, STEPS);
        int[][] target = tokens(rng, BATCH, STEPS);

        // Training: every mask (embedding dropout included) drawn when the segment starts.
        Workspace<int[][], int[][]> train = network.workspace(BATCH, STEPS);
        Runnable trainStep = () -> {
            train.sampleMasks(rng, DropoutMode.TRAIN);
            Gradients.zero(network.parameters());
            train.forward(input, target);
            train.backward();
            // clipped SGD as LanguageModelTrainer takes it: the clipping factor folded into the step
            double norm = Gradients.globalNorm(network.parameters());
            Gradients.sgdStep(network.parameters(), 1.0, 0, Gradients.clipScale(norm, 5));
        };
        trainStep.run();
        // One step with the GEMM counter on: the FLOPs vdrop really multiplies, to check the analytic count.
        ProductProfile.reset();
        trainStep.run();
        double stepFlops = allProductFlops();
        out.put("train_warmup_s", trainingWarmup);
        Harness.Timing trainTiming = measureProfiled(trainStep, trainingWarmup, seconds, out, "train");
        out.put("train", trainTiming.toMap(BATCH * STEPS));
        if (ProductProfile.ON) {
            out.put("train_flops_per_token_profiled", stepFlops / (BATCH * STEPS));
        }
        double loss = train.forward(input, target);
        out.put("train_loss_last", loss);
        if (!(loss > 0) || Double.isInfinite(loss)) {
            throw new IllegalStateException("vdrop's training step gives loss " + loss);
        }

        // Evaluation: the standard dropout approximation, state carried from segment to segment.
        Workspace<int[][], int[][]> eval = network.workspace(BATCH, STEPS);
        eval.dropoutOff();
        ProductProfile.reset();
        eval.forward(input);
        double evalFlops = allProductFlops();
        if (ProductProfile.ON) {
            out.put("eval_flops_per_token_profiled", evalFlops / (BATCH * STEPS));
        }
        out.put("eval", Harness.measure(() -> eval.forward(input), warm, half).toMap(BATCH * STEPS));

        // One MC-dropout pass over a batch of 20 sequences (what PyTorch's infer_mc times).
        Workspace<int[][], int[][]> mc20 = network.workspace(BATCH, STEPS);
        out.put("mc_b20", Harness.measure(() -> {
            mc20.sampleMasks(rng, DropoutMode.MC);
            mc20.forward(input);
        }, warm, half).toMap(BATCH * STEPS));
        out.put("peak_rss_core_mb", Proc.peakRssMb());
        // The MC measurements below need none of these workspaces: free them, as an application would.
        train.close();
        eval.close();
        mc20.close();

        // MC dropout over one sequence of 35 tokens: K samples as one pass of K rows, each row
        // with its own masks (one weight-drop mask over U for the whole pass), from a zero state.
        int[] sequence = input[0];
        boolean lstm = config.cell() == LmConfig.Cell.LSTM;
        for (int k : lstm ? MC_SAMPLES : GRU_MC_SAMPLES) {
            int[][] rows = repeat(sequence, k);
            // closed after use, as an application would: ND4J frees native buffers only at GC otherwise
            try (Workspace<int[][], int[][]> mc = network.workspace(k, STEPS)) {
                out.put("mc_k" + k, Harness.measure(() -> {
                    mc.resetState();
                    mc.sampleMasks(rng, DropoutMode.MC);
                    mc.forward(rows);
                }, warm, half).toMap((double) k * STEPS));
            }
        }
        if (!lstm) {
            out.put("peak_rss_mc_mb", Proc.peakRssMb());
            out.put("load_1min_after", Proc.loadAverage());
            return out;
        }
        // The same 100 samples as 100 passes of one row, one after another (K = 1 warmed the code up).
        Workspace<int[][], int[][]> single = network.workspace(1, STEPS);
        int[][] one = repeat(sequence, 1);
        out.put("mc_seq" + SEQUENTIAL_PASSES, Harness.measure(() -> {
            for (int i = 0; i < SEQUENTIAL_PASSES; i++) {
                single.resetState();
                single.sampleMasks(rng, DropoutMode.MC);
                single.forward(one);
            }
        }, 0, half).toMap((double) SEQUENTIAL_PASSES * STEPS));
        out.put("peak_rss_mc_mb", Proc.peakRssMb());
        single.close();

        for (int b : WEIGHT_DROP_BATCHES) {
            weightDropMc(network, input, b, warm, half, out);
        }

        // Training on sequences of different lengths, after the memory rows above so they stay comparable.
        ragged(network, rng, warm, half, out);

        if (Boolean.getBoolean("bench.mcpredictor")) {
            // What a user calls: McPredictor.positions with K = 100 (one sample at a time for a model
            // with weight drop, a new segment per sample, predictive statistics at every position).
            out.put("mcpredictor_k100", Harness.measure(() -> McPredictor.positions(network, sequence, 100, rng),
                    0, half).toMap(100.0 * STEPS));
            out.put("peak_rss_all_mb", Proc.peakRssMb());
        }
        out.put("load_1min_after", Proc.loadAverage());
        return out;
    }

    /**
     * Weight-drop MC with K = 50 over B sequences, the same keyed masks both ways: one pass of
     * K·B rows (each sample's block of rows with its own U', everything else batched) against K
     * passes of B rows, one sample each, from a zero state, timed in turn pair by pair
     * ({@link Harness#paired}). Token-samples/s = K · B · 35 / time; the median of the pairs'
     * ratios is what the one pass gains — batch after batch with one seed (the samples' U' kept
     * from pass to pass), and with new masks at every pass (drawn and laid out each time, as at a
     * prediction's first batch).
     */
    private static void weightDropMc(Network<int[][], int[][]> network, int[][] input, int b, double warm,
                                     double seconds, Map<String, Object> out) {
        int k = WEIGHT_DROP_SAMPLES;
        long seed = 17;
        long[] keys = MaskKeys.range(0, b);
        int[][] sequences = java.util.Arrays.copyOf(input, b);
        int[][] rows = new int[k * b][];
        for (int s = 0; s < k; s++) {
            System.arraycopy(sequences, 0, rows, s * b, b);
        }
        MaskKeys all = MaskKeys.samples(seed, keys, 0, k);
        try (Workspace<int[][], int[][]> onePass = network.workspace(k * b, STEPS);
             Workspace<int[][], int[][]> perSample = network.workspace(b, STEPS)) {
            Runnable passes = () -> {
                for (int s = 0; s < k; s++) {
                    perSample.resetState();
                    perSample.sampleMasks(MaskKeys.samples(seed, keys, s, 1), DropoutMode.MC);
                    perSample.forward(sequences);
                }
            };
            // Batch after batch with one seed, as a prediction over a data set runs: the samples'
            // U' are laid out at the first batch and kept (SampleWeights), so this is every batch
            // but the first.
            Harness.Paired timed = Harness.paired(() -> {
                onePass.resetState();
                onePass.sampleMasks(all, DropoutMode.MC);
                onePass.forward(rows);
            }, passes, warm, 2 * seconds);
            out.put("mc_wd_one_pass_b" + b, timed.a().toMap((double) k * b * STEPS));
            out.put("mc_wd_passes_b" + b, timed.b().toMap((double) k * b * STEPS));
            // t(K passes) / t(one pass), pair by pair: how many times faster the one pass is
            out.put("mc_wd_speedup_b" + b, Map.of("median", timed.medianRatio(), "pairs", timed.pairs()));
            // A new seed at every pass: the K masks drawn and U' laid out each time, as at a
            // prediction's first batch.
            long[] newSeed = {seed};
            Harness.Paired first = Harness.paired(() -> {
                onePass.resetState();
                onePass.sampleMasks(MaskKeys.samples(++newSeed[0], keys, 0, k), DropoutMode.MC);
                onePass.forward(rows);
            }, passes, 0, seconds);
            out.put("mc_wd_first_speedup_b" + b, Map.of("median", first.medianRatio(), "pairs", first.pairs()));
            out.put("peak_rss_mc_wd_b" + b + "_mb", Proc.peakRssMb());
        }
    }

    /** The lengths of the ragged batch: uniform in 5..35, unsorted, from this seed. */
    static final long RAGGED_SEED = 35;
    static final int SHORTEST = 5;

    /**
     * The training step on a ragged batch — B = 20 sequences of lengths uniform in 5..35, unsorted,
     * in a workspace of 20 × 35 — against the same step on a batch of equal lengths with (nearly)
     * the same tokens, 20 sequences of the mean length in a workspace of that shape. Each rate is
     * per token of its own batch; their ratio is what a ragged batch costs per token.
     */
    private static void ragged(Network<int[][], int[][]> network, Rng rng, double warm, double seconds,
                               Map<String, Object> out) {
        int[] lengths = new int[BATCH];
        Rng draw = new Rng(RAGGED_SEED);
        int tokens = 0;
        for (int b = 0; b < BATCH; b++) {
            lengths[b] = SHORTEST + (int) (draw.nextDouble() * (STEPS - SHORTEST + 1));
            tokens += lengths[b];
        }
        int equalLength = Math.round((float) tokens / BATCH);
        out.put("ragged_lengths", lengths);
        out.put("ragged_tokens", tokens);
        out.put("ragged_equal_length", equalLength);
        int[][] input = tokens(draw, lengths);
        int[][] target = tokens(draw, lengths);
        int[] equal = new int[BATCH];
        java.util.Arrays.fill(equal, equalLength);
        int[][] equalInput = tokens(draw, equal);
        int[][] equalTarget = tokens(draw, equal);
        try (Workspace<int[][], int[][]> ragged = network.workspace(BATCH, STEPS);
             Workspace<int[][], int[][]> same = network.workspace(BATCH, equalLength)) {
            Harness.Paired timed = Harness.paired(trainStep(network, same, rng, equalInput, equalTarget),
                    trainStep(network, ragged, rng, input, target), warm, 2 * seconds);
            out.put("train_ragged", timed.b().toMap(tokens));
            out.put("train_ragged_equal", timed.a().toMap(BATCH * equalLength));
            // time per token, ragged ÷ equal, pair by pair
            double perToken = timed.medianRatio() * (BATCH * equalLength) / tokens;
            out.put("train_ragged_cost", Map.of("median", perToken, "pairs", timed.pairs()));
        }
    }

    /** The training step of {@link #run} on one workspace and batch. */
    private static Runnable trainStep(Network<int[][], int[][]> network, Workspace<int[][], int[][]> workspace, Rng rng,
                                      int[][] input, int[][] target) {
        return () -> {
            workspace.sampleMasks(rng, DropoutMode.TRAIN);
            Gradients.zero(network.parameters());
            workspace.forward(input, target);
            workspace.backward();
            double norm = Gradients.globalNorm(network.parameters());
            Gradients.sgdStep(network.parameters(), 1.0, 0, Gradients.clipScale(norm, 5));
        };
    }

    /** Times the training step with the GEMM counter reset, and records GEMM's share of the time. */
    private static Harness.Timing measureProfiled(Runnable step, double warm, double seconds, Map<String, Object> out,
                                                  String key) {
        double[] total = {0};
        Runnable timed = () -> {
            long start = System.nanoTime();
            step.run();
            total[0] += (System.nanoTime() - start) / 1e9;
        };
        // Warm up outside the counter, then count only the timed runs.
        Harness.warmup(step, warm);
        ProductProfile.reset();
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
        Harness.Timing timing = Harness.measure(timed, 0, seconds);
        // Java-heap garbage per step on the calling thread: near zero when the kernels' vector code is compiled
        out.put(key + "_allocated_kb_per_step",
                (threads.getCurrentThreadAllocatedBytes() - allocatedBefore) / 1024.0 / timing.runs());
        if (ProductProfile.ON) {
            out.put(key + "_gemm", productShare(ProductProfile.GEMM, total[0], timing.runs()));
            out.put(key + "_step_panels", productShare(ProductProfile.STEP_PANELS, total[0], timing.runs()));
            // every kind and shape of product, in milliseconds per step: where the step's time goes
            List<Map<String, Object>> products = new ArrayList<>();
            for (ProductProfile.Entry e : ProductProfile.entries()) {
                Map<String, Object> product = new LinkedHashMap<>();
                product.put("kind", e.kind());
                product.put("shape", e.shape());
                product.put("calls_per_step", (double) e.calls() / timing.runs());
                product.put("ms_per_step", 1e3 * e.seconds() / timing.runs());
                product.put("gflop_s", e.gflops());
                products.add(product);
            }
            out.put(key + "_products", products);
            out.put(key + "_ms_per_step", 1e3 * total[0] / timing.runs());
        }
        return timing;
    }

    /** One kind of product's share of the timed steps' time, its rate, and its FLOPs per token. */
    private static Map<String, Object> productShare(String kind, double totalSeconds, int runs) {
        Map<String, Object> share = new LinkedHashMap<>();
        double seconds = ProductProfile.seconds(kind);
        share.put("share_of_time", seconds / totalSeconds);
        share.put("gflop_s", seconds > 0 ? ProductProfile.flops(kind) / seconds / 1e9 : 0.0);
        share.put("flops_per_token", ProductProfile.flops(kind) / runs / (BATCH * STEPS));
        return share;
    }

    /** FLOPs of every product recorded since the last reset: OpenBLAS's GEMMs and the step products through panels. */
    private static double allProductFlops() {
        return ProductProfile.flops(ProductProfile.GEMM) + ProductProfile.flops(ProductProfile.STEP_PANELS);
    }

    static int[][] tokens(Rng rng, int rows, int steps) {
        int[][] out = new int[rows][steps];
        for (int[] row : out) {
            for (int t = 0; t < steps; t++) {
                row[t] = (int) (rng.nextDouble() * VOCABULARY);
            }
        }
        return out;
    }

    /** Sequences of these lengths, token ids uniform over the vocabulary. */
    static int[][] tokens(Rng rng, int[] lengths) {
        int[][] out = new int[lengths.length][];
        for (int b = 0; b < lengths.length; b++) {
            out[b] = tokens(rng, 1, lengths[b])[0];
        }
        return out;
    }

    static int[][] repeat(int[] sequence, int k) {
        int[][] rows = new int[k][];
        for (int i = 0; i < k; i++) {
            rows[i] = sequence;
        }
        return rows;
    }
}
