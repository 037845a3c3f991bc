package dev.vdrop.spark;

import java.util.Arrays;

/**
 * How a {@link DataParallelTrainer} cuts a language model's training ids for W workers: worker
 * {@code w} gets the contiguous ids {@code [w·c, (w+1)·c)} with {@code c = ⌊n/W⌋}, so every worker
 * has as many ids, hence as many B-stream segments of T steps; the last {@code n − W·c} ids (fewer
 * than W) are left out. One worker gets all the ids, in their order: the single run's stream.
 * Inside each part the trainer then cuts B streams as the single run does, leaving out
 * {@code c mod B} ids as the single run leaves out {@code n mod B}.
 *
 * @param workers the workers W
 * @param perWorker the ids each worker trains on, c
 * @param dropped the ids the split leaves out at the end, {@code n − W·c}
 */
record TokenSplit(int workers, int perWorker, int dropped) {
    /**
     * The split of {@code tokens} ids for {@code workers} workers.
     *
     * @throws IllegalArgumentException when there are fewer ids than workers
     */
    static TokenSplit of(int tokens, int workers) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1, got " + workers);
        }
        int perWorker = tokens / workers;
        if (perWorker == 0) {
            throw new IllegalArgumentException(tokens + " training tokens cannot be cut for " + workers + " workers");
        }
        return new TokenSplit(workers, perWorker, tokens - perWorker * workers);
    }

    /** {@return worker {@code w}'s ids: a copy of its contiguous part of {@code train}} */
    int[] part(int[] train, int w) {
        return Arrays.copyOfRange(train, w * perWorker, (w + 1) * perWorker);
    }

    /** {@return the optimiser steps each worker makes per epoch: its segments of B streams and T steps} */
    int stepsPerEpoch(int batch, int steps) {
        int streamLength = perWorker / batch;
        return streamLength < 2 ? 0 : (streamLength - 1 + steps - 1) / steps;
    }

    /** {@return the ids each worker's B streams leave out: {@code c mod B}} */
    int unusedPerWorker(int batch) {
        return perWorker % batch;
    }
}
