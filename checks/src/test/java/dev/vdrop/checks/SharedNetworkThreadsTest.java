package dev.vdrop.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdrop.runtime.KernelThreads;
import dev.vdrop.runtime.NetworkConfig;
import dev.vdrop.runtime.Rng;
import dev.vdrop.runtime.eval.McPredictor;
import dev.vdrop.runtime.eval.Perplexity;
import dev.vdrop.runtime.mc.ClassPrediction;
import dev.vdrop.runtime.mc.RegressionPrediction;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * A trained network may be shared by threads that predict: {@link McPredictor} and
 * {@link Perplexity} give each call workspaces of its own and only read the parameters. Three
 * threads predicting on one network at once (released together by a barrier, three rounds each)
 * give bitwise the single-threaded results — with weight drop, whose per-sample weights live in the
 * workspace, on the runtime's shared thread team, which one caller uses at a time, and with each
 * thread's kernels on its own core ({@link KernelThreads#onOneCore}).
 */
class SharedNetworkThreadsTest {
    private static final int THREADS = 3;
    private static final int ROUNDS = 3;

    /** Runs {@code call} on {@link #THREADS} threads at once, {@link #ROUNDS} times each, and returns every result. */
    private static <R> List<R> concurrently(Supplier<R> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        CyclicBarrier start = new CyclicBarrier(THREADS);
        try {
            List<Future<List<R>>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                futures.add(pool.submit(() -> {
                    List<R> results = new ArrayList<>();
                    for (int r = 0; r < ROUNDS; r++) {
                        start.await(30, TimeUnit.SECONDS);
                        results.add(call.get());
                    }
                    return results;
                }));
            }
            List<R> all = new ArrayList<>();
            for (Future<List<R>> f : futures) {
                all.addAll(f.get(120, TimeUnit.SECONDS));
            }
            return all;
        } finally {
            pool.shutdownNow();
        }
    }

    private static int[][] tokens(int count, int vocabulary, long seed) {
        Rng rng = new Rng(seed);
        int[][] out = new int[count][];
        for (int i = 0; i < count; i++) {
            out[i] = new int[1 + (int) (rng.nextDouble() * 8)];
            for (int t = 0; t < out[i].length; t++) {
                out[i][t] = (int) (rng.nextDouble() * vocabulary);
            }
        }
        return out;
    }

    /** Bit patterns, so that equality is bitwise (and -0.0 differs from 0.0). */
    private static List<Long> bits(double... values) {
        List<Long> out = new ArrayList<>();
        for (double v : values) {
            out.add(Double.doubleToRawLongBits(v));
        }
        return out;
    }

    private static List<Long> classBits(List<ClassPrediction> predictions) {
        List<Long> out = new ArrayList<>();
        for (ClassPrediction p : predictions) {
            out.addAll(bits(p.mean()));
            out.addAll(bits(p.mutualInformation()));
        }
        return out;
    }

    @Test
    void mcClassifyOnOneWeightDropNetworkFromThreeThreadsIsTheSingleThreadedResult() throws Exception {
        WeightDropClassifierNetwork network = new WeightDropClassifierNetwork(NetworkConfig.builder().seed(3).build());
        int[][] texts = tokens(60, 11, 5);
        List<Long> alone = classBits(McPredictor.classify(network, texts, 20, 7L));

        List<List<Long>> shared = concurrently(() -> classBits(McPredictor.classify(network, texts, 20, 7L)));
        assertEquals(THREADS * ROUNDS, shared.size());
        for (List<Long> result : shared) {
            assertEquals(alone, result);
        }
        // the check can fail: another seed gives other bits
        assertTrue(!alone.equals(classBits(McPredictor.classify(network, texts, 20, 8L))));
    }

    @Test
    void mcForecastOnOneNetworkFromThreeThreadsIsTheSingleThreadedResult() throws Exception {
        ForecasterNetwork network = new ForecasterNetwork(NetworkConfig.builder().seed(4).build());
        Rng rng = new Rng(9);
        double[][][] windows = new double[40][6][3];
        for (double[][] w : windows) {
            for (double[] step : w) {
                for (int f = 0; f < 3; f++) {
                    step[f] = rng.nextDouble() * 2 - 1;
                }
            }
        }
        Supplier<List<Long>> forecast = () -> {
            List<Long> out = new ArrayList<>();
            for (RegressionPrediction[] example : McPredictor.forecast(network, windows, 30, 11L)) {
                for (RegressionPrediction p : example) {
                    out.addAll(bits(p.mean(), p.epistemicVariance(), p.aleatoricVariance()));
                }
            }
            return out;
        };
        List<Long> alone = forecast.get();
        for (List<Long> result : concurrently(forecast)) {
            assertEquals(alone, result);
        }
        // each thread on a core of its own (a Spark executor's tasks): the same bits
        for (List<Long> result : concurrently(() -> KernelThreads.onOneCore(forecast))) {
            assertEquals(alone, result);
        }
    }

    @Test
    void mcPerplexityOnOneLanguageModelFromThreeThreadsIsTheSingleThreadedResult() throws Exception {
        TinyLmNetwork network = new TinyLmNetwork(NetworkConfig.builder().seed(2).build());
        Rng rng = new Rng(12);
        int[] ids = new int[1500];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = (int) (rng.nextDouble() * 500);
        }
        Supplier<List<Long>> perplexity = () -> bits(Perplexity.mc(network, ids, 5, 20, 4, 13L).perplexity(),
                Perplexity.standard(network, ids, 5, 20).perplexity());
        List<Long> alone = perplexity.get();
        for (List<Long> result : concurrently(perplexity)) {
            assertEquals(alone, result);
        }
    }
}
