package dev.vdrop.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Warm-up, then timed repetitions of one step for a time budget; the result is the median (with
 * min, max and the number of runs), which one slow repetition on a shared machine cannot move.
 * Two steps whose ratio is the point are timed in turn, pair by pair ({@link #paired}).
 */
final class Harness {
    /** At least this many timed runs, unless they would take more than twice the budget. */
    static final int MIN_RUNS = 3;
    static final int MAX_RUNS = 100_000;

    private Harness() {}

    /**
     * Median time of one run, in seconds.
     *
     * @param medianSeconds the median
     * @param runs timed repetitions
     */
    record Timing(double medianSeconds, double minSeconds, double maxSeconds, int runs, int warmupRuns) {
        /** {@code units} per second at the median. */
        double rate(double units) {
            return units / medianSeconds;
        }

        Map<String, Object> toMap(double unitsPerRun) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("per_s", rate(unitsPerRun));
            m.put("median_ms", medianSeconds * 1e3);
            m.put("min_ms", minSeconds * 1e3);
            m.put("max_ms", maxSeconds * 1e3);
            m.put("runs", runs);
            m.put("warmup_runs", warmupRuns);
            m.put("units_per_run", unitsPerRun);
            return m;
        }
    }

    /** A warm-up budget for a measurement of {@code seconds}: a quarter of it, 0.3 to 3 s. */
    static double warmupFor(double seconds) {
        return Math.max(0.3, Math.min(3, seconds / 4));
    }

    /** Runs {@code step} at least once and until {@code seconds} have passed; returns the runs. */
    static int warmup(Runnable step, double seconds) {
        int runs = 0;
        long end = System.nanoTime() + (long) (seconds * 1e9);
        do {
            step.run();
            runs++;
        } while (System.nanoTime() < end);
        return runs;
    }

    /**
     * Warms {@code step} up for {@code warmupSeconds} (at least one run; none when 0), then times it
     * for {@code seconds}: at least {@link #MIN_RUNS} runs, unless a run is so slow that they would
     * take more than twice the budget, and always at least one.
     */
    static Timing measure(Runnable step, double warmupSeconds, double seconds) {
        int warmup = warmupSeconds > 0 ? warmup(step, warmupSeconds) : 0;
        double[] times = new double[1024];
        int n = 0;
        long start = System.nanoTime();
        while (!budgetSpent(n, start, seconds)) {
            long runStart = System.nanoTime();
            step.run();
            if (n == times.length) {
                times = Arrays.copyOf(times, 2 * n);
            }
            times[n++] = (System.nanoTime() - runStart) / 1e9;
        }
        return timing(Arrays.copyOf(times, n), warmup);
    }

    /**
     * Whether a measurement that began at {@code start} has done enough runs: once the budget is
     * spent and there are {@link #MIN_RUNS} runs, or — for a step slower than the budget — at twice
     * the budget with whatever runs there are (at least one); at {@link #MAX_RUNS} always.
     */
    private static boolean budgetSpent(int runs, long start, double seconds) {
        double elapsed = (System.nanoTime() - start) / 1e9;
        return runs >= MAX_RUNS || runs > 0 && elapsed >= seconds && (runs >= MIN_RUNS || elapsed >= 2 * seconds);
    }

    /**
     * Two steps timed in turn for a budget, A then B, pair after pair: what each takes (their
     * medians) and, what a ratio should be read from, the median of the pairs' ratios t_B / t_A.
     * A load that comes and goes on a shared machine slows both runs of a pair about alike, where it
     * would slow one of two measurements taken one after the other.
     */
    record Paired(Timing a, Timing b, double medianRatio, int pairs) {}

    /**
     * Warms both steps up for {@code warmupSeconds} (in turn, at least one run each; none when 0),
     * then times pairs for {@code seconds}: at least {@link #MIN_RUNS} pairs, unless they would take
     * more than twice the budget, and always at least one.
     */
    static Paired paired(Runnable a, Runnable b, double warmupSeconds, double seconds) {
        int warmup = warmupSeconds > 0 ? warmup(() -> {
            a.run();
            b.run();
        }, warmupSeconds) : 0;
        double[] timesA = new double[1024];
        double[] timesB = new double[1024];
        int n = 0;
        long start = System.nanoTime();
        while (!budgetSpent(n, start, seconds)) {
            if (n == timesA.length) {
                timesA = Arrays.copyOf(timesA, 2 * n);
                timesB = Arrays.copyOf(timesB, 2 * n);
            }
            long t0 = System.nanoTime();
            a.run();
            long t1 = System.nanoTime();
            b.run();
            timesA[n] = (t1 - t0) / 1e9;
            timesB[n] = (System.nanoTime() - t1) / 1e9;
            n++;
        }
        double[] ratios = new double[n];
        for (int i = 0; i < n; i++) {
            ratios[i] = timesB[i] / timesA[i];
        }
        return new Paired(timing(Arrays.copyOf(timesA, n), warmup), timing(Arrays.copyOf(timesB, n), warmup), median(ratios), n);
    }

    private static Timing timing(double[] times, int warmupRuns) {
        double[] sorted = times.clone();
        Arrays.sort(sorted);
        return new Timing(median(sorted), sorted[0], sorted[sorted.length - 1], sorted.length, warmupRuns);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
