package dev.vdrop.runtime.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Matrix products timed and counted by kind and shape while {@code -Dvdrop.blas.profile=true} is
 * set (benchmarks set it; without it nothing is recorded and the products pay one static check):
 * OpenBLAS's GEMMs through {@link Blas#gemm}, and the recurrent step products that
 * {@link RecurrentWeights} runs through its SIMD panels rather than BLAS.
 *
 * <p>For the benchmarks (bench/README.md); not API (see the package).
 */
public final class ProductProfile {
    /** Whether products are recorded in this JVM. */
    public static final boolean ON = Boolean.getBoolean("vdrop.blas.profile");

    /** A GEMM through OpenBLAS. */
    public static final String GEMM = "gemm";
    /** A recurrent step product through {@link RecurrentWeights}' panels. */
    public static final String STEP_PANELS = "step panels";

    /**
     * All products of one kind and shape since the last {@link #reset()}: C (m × n) = op(A) op(B) with
     * an inner dimension k, op written N or T.
     *
     * @param kind {@link #GEMM} or {@link #STEP_PANELS}
     * @param shape op(A) and op(B) and m×n×k, e.g. {@code "NN 2600×20×650"}
     * @param calls how many such products ran
     * @param seconds their time, summed
     * @param flops their floating-point operations, 2·m·n·k each, summed
     */
    public record Entry(String kind, String shape, long calls, double seconds, double flops) {
        /**
         * The rate these products reached.
         *
         * @return GFLOP/s: flops over seconds, 0 when no time was recorded
         */
        public double gflops() {
            return seconds > 0 ? flops / seconds / 1e9 : 0;
        }
    }

    private record Key(String kind, boolean transA, boolean transB, int m, int n, int k) {}

    private static final Map<Key, long[]> TOTALS = new HashMap<>();

    private ProductProfile() {}

    static void add(String kind, boolean transA, boolean transB, int m, int n, int k, long nanos) {
        Key key = new Key(kind, transA, transB, m, n, k);
        synchronized (TOTALS) {
            long[] total = TOTALS.computeIfAbsent(key, unused -> new long[2]);
            total[0]++;
            total[1] += nanos;
        }
    }

    /**
     * What was recorded since the last reset, the most time first.
     *
     * @return one entry per kind and shape, unmodifiable
     */
    public static List<Entry> entries() {
        List<Entry> entries = new ArrayList<>();
        synchronized (TOTALS) {
            TOTALS.forEach((key, total) -> entries.add(new Entry(key.kind(),
                    String.format(Locale.ROOT, "%s%s %d×%d×%d", key.transA() ? "T" : "N", key.transB() ? "T" : "N",
                            key.m(), key.n(), key.k()),
                    total[0], total[1] / 1e9, 2.0 * key.m() * key.n() * key.k() * total[0])));
        }
        entries.sort(Comparator.comparingDouble(Entry::seconds).reversed());
        return List.copyOf(entries);
    }

    /**
     * Seconds recorded for one kind of product since the last reset.
     *
     * @param kind {@link #GEMM} or {@link #STEP_PANELS}
     * @return the seconds, summed over shapes
     */
    public static double seconds(String kind) {
        return entries().stream().filter(e -> e.kind().equals(kind)).mapToDouble(Entry::seconds).sum();
    }

    /**
     * Floating-point operations (2·m·n·k per product) recorded for one kind since the last reset.
     *
     * @param kind {@link #GEMM} or {@link #STEP_PANELS}
     * @return the operations, summed over shapes
     */
    public static double flops(String kind) {
        return entries().stream().filter(e -> e.kind().equals(kind)).mapToDouble(Entry::flops).sum();
    }

    /** Forgets everything recorded so far. */
    public static void reset() {
        synchronized (TOTALS) {
            TOTALS.clear();
        }
    }
}
