/**
 * Predictive statistics of MC dropout (Gal &amp; Ghahramani 2016, "Dropout as a Bayesian
 * Approximation", arXiv 1506.02142): run K stochastic forward passes with dropout left on, then
 * summarise the K outputs for one position.
 *
 * <ul>
 *   <li>{@link dev.vdrop.runtime.mc.ClassPrediction}: K probability vectors over C classes give the
 *       averaged probabilities (never averaged logits), the predictive entropy, the expected entropy
 *       and their difference, the mutual information between the prediction and the weights (BALD,
 *       Houlsby et al. 2011, arXiv 1112.5745), and the variation ratio (how often the K samples' own
 *       predictions disagree with the most common one). All entropies are in nats (natural
 *       logarithms).</li>
 *   <li>{@link dev.vdrop.runtime.mc.RegressionPrediction}: K sampled means and the observation-noise
 *       variance give the predictive mean, the epistemic and aleatoric variances and a central
 *       interval from a Gaussian matched to the MC mixture's first two moments.</li>
 *   <li>{@link dev.vdrop.runtime.mc.Coverage}: how often truths fall in their intervals, and the
 *       five-sigma binomial band that an honest interval's coverage should fall in.</li>
 * </ul>
 *
 * <p>{@link dev.vdrop.runtime.eval.McPredictor} does all of this for any generated network, by its
 * head: {@code classify}, {@code tag}, {@code forecast}, {@code forecastSteps}. By hand, the call
 * order: for each input, run the network K times in MC mode; feed the K outputs of one
 * position to {@code ClassPrediction.of} (or to an accumulator, one pass at a time) or to
 * {@code RegressionPrediction.of}; collect the intervals and truths into {@code Coverage.of}. The
 * metrics over a whole test set are in {@link dev.vdrop.runtime.metrics}.
 */
package dev.vdrop.runtime.mc;
