package dev.vdrop.bench;

import dev.vdrop.runtime.Mat;
import dev.vdrop.runtime.Rng;
import dev.vdrop.runtime.internal.Blas;
import dev.vdrop.runtime.internal.RecurrentWeights;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * This machine's sgemm, through {@link Blas#gemm} (the OpenBLAS ND4J links), in its own JVM:
 * a large square product for the peak, the shapes of the language models' training step and the
 * decoder of an MC pass of K = 100 rows (with β = 0 as generated code runs it, and with β = 1: the
 * same product without OpenBLAS's clearing pass over C); then
 * the per-step recurrent products, forward (U' h) and backward (U'ᵀ ∂z), through OpenBLAS and
 * through {@link RecurrentWeights} as generated code runs them (U' laid out once, then every step).
 */
final class GemmBench {
    private GemmBench() {}

    /**
     * m × k times k × n, column-major: {@code C[m × n] = op(A) · B[k × n] + beta · C}, A stored
     * k × m when {@code transA}: the decoder's product as generated code runs it, with D stored as
     * Dᵀ. With β = 0 OpenBLAS first clears C, a pass of its own over C; with β = 1 it adds to C as
     * it is (the product keeps growing from call to call, which costs the same).
     */
    record Shape(String key, String label, int m, int n, int k, boolean transA, double beta) {
        Shape(String key, String label, int m, int n, int k, boolean transA) {
            this(key, label, m, n, k, transA, 0);
        }

        double flops() {
            return 2.0 * m * n * k;
        }
    }

    static final int SQUARE = 2048;

    static Shape[] shapes() {
        int tb = LmConfig.BATCH * LmConfig.STEPS;
        int mc = VdropBench.MC_SAMPLES[VdropBench.MC_SAMPLES.length - 1] * LmConfig.STEPS;
        return new Shape[] {
            new Shape("square", "square " + SQUARE + " × " + SQUARE + " × " + SQUARE, SQUARE, SQUARE, SQUARE, false),
            new Shape("input_medium", "batched W·X, MEDIUM [700×650]×[650×2600]", 2600, tb, 650, false),
            new Shape("decoder_medium", "decoder D·Y, MEDIUM [700×650]×[650×10000]", 10_000, tb, 650, true),
            new Shape("decoder_small", "decoder D·Y, SMALL [700×200]×[200×10000]", 10_000, tb, 200, true),
            new Shape("decoder_mc_small", "MC K=100 decoder, SMALL [3500×200]×[200×10000]", 10_000, mc, 200, true),
            new Shape("decoder_mc_small_beta1", "  the same with β = 1 (C not cleared first)", 10_000, mc, 200, true, 1),
        };
    }

    static Map<String, Object> run(double seconds) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("environment", Proc.environment());
        Rng rng = new Rng(7);
        Shape[] shapes = shapes();
        double each = Math.max(0.3, seconds / shapes.length);
        Map<String, Object> results = new LinkedHashMap<>();
        for (Shape s : shapes) {
            Mat a = s.transA() ? random(s.k(), s.m(), rng) : random(s.m(), s.k(), rng);
            Mat b = random(s.k(), s.n(), rng);
            Mat c = Mat.zeros(DataType.FLOAT, s.m(), s.n());
            Harness.Timing t = Harness.measure(() -> Blas.gemm(s.transA(), false, 1, a, b, s.beta(), c),
                    Math.min(1, each / 3), each);
            Map<String, Object> r = t.toMap(s.flops());
            r.put("label", s.label());
            r.put("gflop_s", t.rate(s.flops()) / 1e9);
            results.put(s.key(), r);
            a.close();
            b.close();
            c.close();
        }
        for (int[] size : new int[][] {{2600, 650}, {800, 200}, {1950, 650}, {600, 200}}) {
            String model = (size[1] == 650 ? "MEDIUM" : "SMALL") + (size[0] == 3 * size[1] ? "_GRU" : "");
            for (boolean transposed : new boolean[] {false, true}) {
                String product = transposed
                        ? String.format("step U'ᵀ∂z [%d×%d]·[%d×20]", size[1], size[0], size[0])
                        : String.format("step U'h [%d×%d]·[%d×20]", size[0], size[1], size[1]);
                for (boolean panels : new boolean[] {false, true}) {
                    String key = "step_" + model.toLowerCase(java.util.Locale.ROOT) + (transposed ? "_back" : "_forward")
                            + (panels ? "_recurrent_weights" : "_blas");
                    String label = product + " " + model + ", " + (panels ? "vdrop panels" : "OpenBLAS");
                    results.put(key, step(label, size[0], size[1], transposed, panels, each, rng));
                }
            }
        }
        out.put("shapes", results);
        out.put("load_1min_after", Proc.loadAverage());
        return out;
    }

    /** One step product with a 4H × H (an LSTM's) or 3H × H (a GRU's) matrix U' and a batch of 20 columns. */
    private static Map<String, Object> step(String label, int fourH, int h, boolean transposed, boolean panels,
            double seconds, Rng rng) {
        Mat u = random(fourH, h, rng);
        Mat x = random(transposed ? fourH : h, LmConfig.BATCH, rng);
        Mat c = Mat.zeros(DataType.FLOAT, transposed ? h : fourH, LmConfig.BATCH);
        double beta = transposed ? 0 : 1;
        Runnable product;
        if (panels) {
            RecurrentWeights weights = new RecurrentWeights();
            if (transposed) {
                weights.loadTransposed(u);
            } else {
                weights.load(u);
            }
            product = () -> weights.multiply(x, beta, c);
        } else {
            product = () -> Blas.gemm(transposed, false, 1, u, x, beta, c);
        }
        double flops = 2.0 * fourH * h * LmConfig.BATCH;
        Harness.Timing t = Harness.measure(product, Math.min(1, seconds / 3), seconds);
        Map<String, Object> r = t.toMap(flops);
        r.put("label", label);
        r.put("gflop_s", t.rate(flops) / 1e9);
        u.close();
        x.close();
        c.close();
        return r;
    }

    private static Mat random(int rows, int cols, Rng rng) {
        Mat m = Mat.zeros(DataType.FLOAT, rows, cols);
        long n = (long) rows * cols;
        for (long i = 0; i < n; i++) {
            m.setLinear(i, rng.nextDouble() - 0.5);
        }
        return m;
    }
}
