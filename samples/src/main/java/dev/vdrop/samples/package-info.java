/**
 * Runnable vdrop models on real data: a word-level language model of <i>Moby-Dick</i> and a
 * forecaster of daily US births, and the command line that runs them.
 */
package dev.vdrop.samples;
