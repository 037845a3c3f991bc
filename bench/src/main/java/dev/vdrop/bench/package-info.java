/**
 * Benchmarks of generated networks: train, evaluation and MC-dropout throughput for the SMALL and
 * MEDIUM language models, with ratios against DL4J and PyTorch measured in the same run.
 */
package dev.vdrop.bench;
