package dev.vdrop.runtime.train;

/**
 * What one epoch of language-model training measured.
 *
 * @param epoch from 1
 * @param learningRate the rate used in this epoch
 * @param trainPerplexity exp(mean training cross-entropy per token), with dropout on
 * @param validPerplexity validation perplexity after the epoch, dropout off
 * @param trainTokensPerSecond training throughput of the epoch
 * @param seconds wall time of the epoch, validation included
 */
public record EpochMetrics(int epoch, double learningRate, double trainPerplexity, double validPerplexity,
                           double trainTokensPerSecond, double seconds) {}
