/**
 * Evaluating and predicting with generated networks: perplexity with the standard dropout
 * approximation and with MC dropout, following the comparison protocol of DESIGN.md, and MC
 * predictions with their uncertainty.
 */
package dev.vdrop.runtime.eval;
