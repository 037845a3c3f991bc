/**
 * Evaluating and predicting with generated networks: perplexity with the standard dropout
 * approximation and with MC dropout, following the comparison protocol (docs/protocol.md in the
 * repository), and MC predictions with their uncertainty for every head ({@link
 * dev.vdrop.runtime.eval.McPredictor}: {@code classify} for classifiers, {@code tag} for taggers
 * and language models, {@code forecast} and {@code forecastSteps} for regression at the last or
 * every step).
 */
package dev.vdrop.runtime.eval;
