package dev.vdrop.bench;

import dev.vdrop.runtime.Blas;
import dev.vdrop.runtime.Mat;
import dev.vdrop.runtime.Rng;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * This machine's sgemm, through {@link Blas#gemm} (the OpenBLAS ND4J links), in its own JVM:
 * a large square product for the peak, and the shapes of the language models' training step.
 */
final class GemmBench {
    private GemmBench() {}

    /** m × k times k × n, column-major: {@code C[m × n] = A[m × k] · B[k × n]}. */
    record Shape(String key, String label, int m, int n, int k) {
        double flops() {
            return 2.0 * m * n * k;
        }
    }

    static final int SQUARE = 2048;

    static Shape[] shapes() {
        int tb = LmConfig.BATCH * LmConfig.STEPS;
        int b = LmConfig.BATCH;
        return new Shape[] {
            new Shape("square", "square " + SQUARE + " × " + SQUARE + " × " + SQUARE, SQUARE, SQUARE, SQUARE),
            // z_t += U' h_{t-1}: [2600 × 650]·[650 × 20], the issue's [20×650]×[650×2600] transposed
            new Shape("step_medium", "per-step U'h, MEDIUM [20×650]×[650×2600]", 2600, b, 650),
            new Shape("step_small", "per-step U'h, SMALL [20×200]×[200×800]", 800, b, 200),
            new Shape("input_medium", "batched W·X, MEDIUM [700×650]×[650×2600]", 2600, tb, 650),
            new Shape("decoder_medium", "decoder D·Y, MEDIUM [700×650]×[650×10000]", 10_000, tb, 650),
            new Shape("decoder_small", "decoder D·Y, SMALL [700×200]×[200×10000]", 10_000, tb, 200),
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
            Mat a = random(s.m(), s.k(), rng);
            Mat b = random(s.k(), s.n(), rng);
            Mat c = Mat.zeros(DataType.FLOAT, s.m(), s.n());
            Harness.Timing t = Harness.measure(() -> Blas.gemm(false, false, 1, a, b, 0, c),
                    Math.min(1, each / 3), each);
            Map<String, Object> r = t.toMap(s.flops());
            r.put("label", s.label());
            r.put("gflop_s", t.rate(s.flops()) / 1e9);
            results.put(s.key(), r);
        }
        out.put("shapes", results);
        out.put("load_1min_after", Proc.loadAverage());
        return out;
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
