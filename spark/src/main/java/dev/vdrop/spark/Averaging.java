package dev.vdrop.spark;

import dev.vdrop.runtime.Parameter;
import dev.vdrop.runtime.train.ReplicaHook;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.BarrierTaskContext;

/**
 * A replica's {@link ReplicaHook}: every {@code every} steps and at every epoch's end (unless it
 * has just averaged) the barrier tasks exchange their parameters with {@code allGather} and each
 * puts the mean into its network. The sum runs over the replicas in task order in double and is
 * then divided by their number, so every replica computes bitwise the same average; one replica's
 * average is its own parameters. Each round's seconds are recorded: computing since the last
 * round's end, and in the exchange (encoding, {@code allGather}, decoding and writing the mean).
 * One worker has no hook at all ({@link #forWorkers}).
 */
final class Averaging implements ReplicaHook {
    private final BarrierTaskContext context;
    private final int every;
    private final List<DataParallelResult.Round> rounds = new ArrayList<>();
    private long averagedAt = -1;
    private long since = System.nanoTime();
    private final boolean keepLast;
    private double[] beforeLastAverage;

    /**
     * The hook of a replica of {@code workers}: null for one worker, whose average is itself (no
     * barrier, no {@code allGather}: the run is the single run), else averaging through this
     * barrier task's context.
     *
     * @param every the steps between averages
     * @param keepLast whether to keep the parameters each round starts from (for tests)
     */
    static Averaging forWorkers(int workers, int every, boolean keepLast) {
        return workers == 1 ? null : new Averaging(BarrierTaskContext.get(), every, keepLast);
    }

    /**
     * @param every the steps between averages
     * @param keepLast whether to keep the parameters each round starts from (for tests)
     */
    Averaging(BarrierTaskContext context, int every, boolean keepLast) {
        this.context = context;
        this.every = every;
        this.keepLast = keepLast;
    }

    @Override
    public void afterStep(long step, List<Parameter> parameters) {
        if (step % every == 0) {
            average(step, parameters);
        }
    }

    @Override
    public void epochEnd(int epoch, long step, List<Parameter> parameters) {
        if (averagedAt != step) {
            average(step, parameters);
        }
    }

    private void average(long step, List<Parameter> parameters) {
        long start = System.nanoTime();
        boolean asFloat = Parameters.isFloat(parameters);
        double[] values = Parameters.read(parameters);
        if (keepLast) {
            beforeLastAverage = values;
        }
        String mine = Parameters.encode(values, asFloat);
        long gatherStart = System.nanoTime();
        String[] all = context.allGather(mine);
        long gatherEnd = System.nanoTime();
        double[] sum = new double[Math.toIntExact(Parameters.count(parameters))];
        for (String replica : all) {
            Parameters.addDecoded(replica, asFloat, sum);
        }
        for (int i = 0; i < sum.length; i++) {
            sum[i] /= all.length;
        }
        Parameters.write(sum, parameters);
        long end = System.nanoTime();
        rounds.add(new DataParallelResult.Round(context.partitionId(), step, (start - since) / 1e9,
                (gatherEnd - gatherStart) / 1e9, (end - start) / 1e9));
        averagedAt = step;
        since = end;
    }

    /** {@return the parameters the last round started from, when kept (null otherwise)} */
    double[] beforeLastAverage() {
        return beforeLastAverage;
    }

    /** {@return the rounds so far, in order} */
    List<DataParallelResult.Round> rounds() {
        return List.copyOf(rounds);
    }
}
