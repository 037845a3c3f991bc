package dev.vdrop.spark;

import dev.vdrop.spark.LoadedModel.Encoded;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Scores one partition, in an executor: the network comes from {@link ModelCache} (the broadcast
 * bytes are read only by the first task of a JVM), the rows are read in batches of B and each
 * batch's good rows go through the network as one MC call of K·B rows: their token ids, or their
 * feature columns cut into a window of steps (F features a step, the columns step after step). An output row is the input
 * row (less an input {@code error} column) followed by the MC values and the error, null for a
 * scored row; a bad row gets its error and null MC values.
 */
final class PartitionScorer implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;

    private final Broadcast<byte[]> model;
    private final String hash;
    private final NetworkFactory factory;
    private final RowLayout layout;
    private final int samples;
    private final long seed;
    private final int batch;
    private final double[] map;

    PartitionScorer(Broadcast<byte[]> model, String hash, NetworkFactory factory, RowLayout layout, int samples, long seed,
                    int batch, double[] map) {
        this.map = map;
        this.model = model;
        this.hash = hash;
        this.factory = factory;
        this.layout = layout;
        this.samples = samples;
        this.seed = seed;
        this.batch = batch;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        LoadedModel loaded = ModelCache.get(hash, factory, model::value);
        return new Iterator<>() {
            private final ArrayDeque<Row> ready = new ArrayDeque<>();

            @Override
            public boolean hasNext() {
                if (ready.isEmpty() && rows.hasNext()) {
                    List<Row> in = new ArrayList<>(batch);
                    while (in.size() < batch && rows.hasNext()) {
                        in.add(rows.next());
                    }
                    ready.addAll(TaskCores.run(() -> score(loaded, in)));
                }
                return !ready.isEmpty();
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return ready.poll();
            }
        };
    }

    /** Scores a batch of rows: the good ones in one MC call, in their order. */
    private List<Row> score(LoadedModel loaded, List<Row> rows) {
        int n = rows.size();
        String[] problems = new String[n];
        boolean features = layout.featureCount() > 0;
        int[][] ids = features ? null : new int[n][];
        double[][][] windows = features ? new double[n][][] : null;
        double[][] maps = layout.mapsByRow() || map != null ? new double[n][] : null;
        long[] keys = new long[n];
        int good = 0;
        for (int i = 0; i < n; i++) {
            Row row = rows.get(i);
            String problem = layout.inputError(row);
            Long key = null;
            if (problem == null) {
                Object k = layout.key(row);
                key = k instanceof Long l ? l : null;
                problem = k instanceof String s ? s : null;
            }
            Object input = null;
            if (problem == null && features) {
                double[] values = new double[layout.featureCount()];
                problem = layout.features(row, values);
                input = window(values, loaded.features());
            } else if (problem == null) {
                Encoded text = loaded.encode(layout.text(row));
                problem = text.problem();
                input = text.ids();
            }
            double[] rowMap = map;
            if (problem == null && layout.mapsByRow()) {
                Object m = layout.map(row);
                problem = m instanceof String s ? s : null;
                rowMap = m instanceof double[] d ? d : null;
            }
            problems[i] = problem;
            if (problem == null) {
                if (features) {
                    windows[good] = (double[][]) input;
                } else {
                    ids[good] = (int[]) input;
                }
                if (maps != null) {
                    maps[good] = rowMap;
                }
                keys[good] = key;
                good++;
            }
        }
        Object inputs = features ? Arrays.copyOf(windows, good) : Arrays.copyOf(ids, good);
        List<Object[]> values = good == 0 ? List.of() : loaded.head().score(loaded.network(), inputs, samples, seed,
                Arrays.copyOf(keys, good), maps == null ? null : Arrays.copyOf(maps, good));
        int width = layout.mcWidth();
        List<Row> out = new ArrayList<>(n);
        for (int i = 0, scored = 0; i < n; i++) {
            Object[] mc = problems[i] == null ? values.get(scored++) : new Object[width];
            out.add(RowFactory.create(layout.output(rows.get(i), mc, problems[i])));
        }
        return out;
    }

    /** A row's features as a window of steps, {@code perStep} features each, in the columns' order. */
    static double[][] window(double[] values, int perStep) {
        double[][] steps = new double[values.length / perStep][perStep];
        for (int t = 0; t < steps.length; t++) {
            System.arraycopy(values, t * perStep, steps[t], 0, perStep);
        }
        return steps;
    }
}
