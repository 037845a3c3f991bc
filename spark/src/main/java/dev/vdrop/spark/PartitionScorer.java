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
 * batch's good rows go through the network as one MC call of K·B rows. An output row is the input
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

    PartitionScorer(Broadcast<byte[]> model, String hash, NetworkFactory factory, RowLayout layout, int samples, long seed,
                    int batch) {
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
                    ready.addAll(score(loaded, in));
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
        String[] problems = new String[rows.size()];
        int[][] ids = new int[rows.size()][];
        long[] keys = new long[rows.size()];
        int good = 0;
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            String problem = layout.inputError(row);
            Long key = null;
            if (problem == null) {
                Object k = layout.key(row);
                key = k instanceof Long l ? l : null;
                problem = k instanceof String s ? s : null;
            }
            Encoded text = null;
            if (problem == null) {
                text = loaded.encode(layout.text(row));
                problem = text.problem();
            }
            problems[i] = problem;
            if (problem == null) {
                ids[good] = text.ids();
                keys[good] = key;
                good++;
            }
        }
        List<Object[]> values = good == 0 ? List.of()
                : loaded.head().score(loaded.network(), Arrays.copyOf(ids, good), samples, seed, Arrays.copyOf(keys, good));
        int width = layout.mcWidth();
        List<Row> out = new ArrayList<>(rows.size());
        for (int i = 0, scored = 0; i < rows.size(); i++) {
            Object[] mc = problems[i] == null ? values.get(scored++) : new Object[width];
            out.add(RowFactory.create(layout.output(rows.get(i), mc, problems[i])));
        }
        return out;
    }
}
