package dev.vdrop.spark;

import dev.vdrop.runtime.train.SequenceResult;
import java.io.Serializable;
import java.util.List;

/**
 * What a {@link DataParallelTrainer} run gives back: the epochs as worker 0 saw them (its own
 * training loss; the validation scores of the averaged model, which every replica shares), the best
 * epoch, how the training examples were cut, and every worker's averaging rounds with their seconds.
 *
 * @param epochs every epoch's metrics, worker 0's training loss
 * @param bestEpoch the epoch kept (the best validation score, or the last without validation data)
 * @param workers the replicas W
 * @param averageEvery the steps between averages N (and every epoch's end)
 * @param examplesPerWorker the training examples each replica trained on
 * @param droppedExamples the training examples left out so that every replica has as many (fewer than W)
 * @param rounds every worker's rounds, by worker then step (none with one worker: nothing to exchange)
 * @param seconds the wall time of the Spark job on the driver, from submitting it to the parameters being back
 */
public record DataParallelResult(List<SequenceResult.Epoch> epochs, int bestEpoch, int workers, int averageEvery,
                                 int examplesPerWorker, int droppedExamples, List<Round> rounds, double seconds) {
    /**
     * Copies the lists.
     *
     * @param epochs every epoch's metrics
     * @param bestEpoch the epoch kept
     * @param workers the replicas
     * @param averageEvery the steps between averages
     * @param examplesPerWorker the examples each replica trained on
     * @param droppedExamples the examples left out
     * @param rounds every worker's rounds
     * @param seconds the job's wall time
     */
    public DataParallelResult {
        epochs = List.copyOf(epochs);
        rounds = List.copyOf(rounds);
    }

    /**
     * {@return the median over rounds of the shortest {@code allGather} of the round's workers, in
     * seconds: the last replica to arrive waits for no other, so its gather is the exchange alone
     * (the cost model's latency L plus the bytes); 0 without rounds}
     */
    public double exchangeSeconds() {
        return exchangeSeconds(rounds);
    }

    static double exchangeSeconds(List<Round> rounds) {
        java.util.Map<Long, Double> shortest = new java.util.TreeMap<>();
        for (Round r : rounds) {
            shortest.merge(r.step(), r.gatherSeconds(), Math::min);
        }
        double[] sorted = shortest.values().stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (sorted.length == 0) {
            return 0;
        }
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /** {@return the best epoch's metrics} */
    public SequenceResult.Epoch best() {
        return epochs.get(bestEpoch - 1);
    }

    /**
     * One averaging round of one worker.
     *
     * @param worker the worker (the barrier task's partition), from 0
     * @param step the replica's steps when it averaged
     * @param computeSeconds the seconds since the worker's previous round ended (its start, for the
     *     first): training steps, and validation once per epoch
     * @param gatherSeconds the seconds in {@code BarrierTaskContext.allGather}: waiting for the other
     *     replicas and Spark's exchange of the messages (the cost model's latency L plus the bytes)
     * @param exchangeSeconds the whole round: encoding, the gather, decoding and writing the mean
     */
    public record Round(int worker, long step, double computeSeconds, double gatherSeconds, double exchangeSeconds)
            implements Serializable {}
}
