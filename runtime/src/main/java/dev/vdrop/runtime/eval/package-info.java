/**
 * Evaluating and predicting with generated networks: perplexity with the standard dropout
 * approximation and with MC dropout, following the comparison protocol (docs/protocol.md in the
 * repository), and MC predictions with their uncertainty.
 */
package dev.vdrop.runtime.eval;
