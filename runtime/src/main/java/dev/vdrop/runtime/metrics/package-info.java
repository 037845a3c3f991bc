/**
 * Metrics of MC-dropout predictions over a test set: how right, how well calibrated, and whether the
 * uncertainty points at the errors.
 *
 * <ul>
 *   <li>{@link dev.vdrop.runtime.metrics.ClassificationSummary}: every classification metric at once
 *       from {@code List<ClassPrediction>} and the labels; the pieces on their own in
 *       {@link dev.vdrop.runtime.metrics.ClassificationMetrics} (accuracy, negative log-likelihood,
 *       Brier score, accuracy at coverage).</li>
 *   <li>{@link dev.vdrop.runtime.metrics.Calibration}: 15 equal-width confidence bins (a reliability
 *       diagram's data) and the expected calibration error.</li>
 *   <li>{@link dev.vdrop.runtime.metrics.Auroc}: the AUROC of an uncertainty score (predictive entropy,
 *       mutual information) as a detector of wrong predictions, Mann–Whitney form, ties one half.</li>
 *   <li>{@link dev.vdrop.runtime.metrics.SelectivePrediction}: the accuracy on the most certain x of
 *       the examples.</li>
 *   <li>{@link dev.vdrop.runtime.metrics.RegressionMetrics}: RMSE, MAE, sMAPE, MASE with its
 *       seasonal-naive scale, and interval coverage (through {@link dev.vdrop.runtime.mc.Coverage}).</li>
 * </ul>
 *
 * <p>Each class states its formulas and edge cases. Every metric checks its input before computing
 * anything and throws {@link java.lang.IllegalArgumentException} naming the example and the values:
 * lengths that differ, no example, a label outside [0, C), a NaN score. Logarithms are natural
 * (nats). Call order: MC-predict the test set ({@code dev.vdrop.runtime.eval.McPredictor} or K
 * passes into {@code ClassPrediction}), then hand the predictions and truths to these methods.
 */
package dev.vdrop.runtime.metrics;
