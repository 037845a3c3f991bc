/**
 * Runnable vdrop models on real data: a word-level language model of <i>Moby-Dick</i>, a
 * forecaster of daily US births and a text classifier (the bundled first names, or any labelled
 * TSV), and the command line that runs them and predicts with their model files.
 */
package dev.vdrop.samples;
