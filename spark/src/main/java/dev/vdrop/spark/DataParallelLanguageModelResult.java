package dev.vdrop.spark;

import dev.vdrop.runtime.train.EpochMetrics;
import java.util.List;

/**
 * What a {@link DataParallelTrainer#trainLanguageModel} run gives back: the epochs as worker 0 saw
 * them (its own training perplexity and throughput; the validation perplexity of the averaged
 * model, which every replica shares), the best epoch, how the training ids were cut, every
 * worker's averaging rounds, and worker 0's trained model as a model file.
 *
 * @param epochs every epoch's metrics, worker 0's training perplexity
 * @param bestEpoch the epoch with the lowest validation perplexity
 * @param bestValidPerplexity that perplexity
 * @param workers the replicas W
 * @param averageEvery the steps between averages N (and every epoch's end)
 * @param tokensPerWorker the training ids each replica trained on, {@code ⌊n/W⌋}
 * @param droppedTokens the training ids the split left out so that every replica has as many (fewer than W)
 * @param stepsPerEpoch the optimiser steps each replica made per epoch
 * @param rounds every worker's rounds, by worker then step (none with one worker: nothing to exchange)
 * @param seconds the wall time of the Spark job on the driver, from submitting it to the model being back
 * @param modelFile worker 0's network after training as a vdrop model file
 *     ({@link dev.vdrop.runtime.model.ModelFile}), with the vocabulary and tokenization given
 */
public record DataParallelLanguageModelResult(List<EpochMetrics> epochs, int bestEpoch, double bestValidPerplexity,
                                              int workers, int averageEvery, int tokensPerWorker, int droppedTokens,
                                              int stepsPerEpoch, List<DataParallelResult.Round> rounds, double seconds,
                                              byte[] modelFile) {
    /**
     * Copies the lists and the bytes.
     *
     * @param epochs every epoch's metrics
     * @param bestEpoch the epoch with the lowest validation perplexity
     * @param bestValidPerplexity that perplexity
     * @param workers the replicas
     * @param averageEvery the steps between averages
     * @param tokensPerWorker the ids each replica trained on
     * @param droppedTokens the ids the split left out
     * @param stepsPerEpoch each replica's steps per epoch
     * @param rounds every worker's rounds
     * @param seconds the job's wall time
     * @param modelFile worker 0's model file
     */
    public DataParallelLanguageModelResult {
        epochs = List.copyOf(epochs);
        rounds = List.copyOf(rounds);
        modelFile = modelFile.clone();
    }

    /** {@return a copy of the model file's bytes: write them to a file to keep the trained model} */
    @Override
    public byte[] modelFile() {
        return modelFile.clone();
    }

    /** {@return the median over rounds of each round's shortest {@code allGather}, in seconds; 0 without rounds} */
    public double exchangeSeconds() {
        return DataParallelResult.exchangeSeconds(rounds);
    }

    /** {@return the best epoch's metrics} */
    public EpochMetrics best() {
        return epochs.get(bestEpoch - 1);
    }

    /** {@return the last epoch's metrics} */
    public EpochMetrics last() {
        return epochs.get(epochs.size() - 1);
    }
}
