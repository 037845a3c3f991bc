/**
 * Training generated networks: optimisers ({@link dev.vdrop.runtime.train.Sgd},
 * {@link dev.vdrop.runtime.train.Adam}), learning-rate schedules, and the truncated-BPTT loop for
 * language models ({@link dev.vdrop.runtime.train.LanguageModelTrainer}) with validation, the best
 * model kept, progress, metrics as JSON lines and checkpoints.
 *
 * <p>Call order of one training step: sample the segment's masks, zero the gradients, forward,
 * backward, clip the global gradient norm, optimiser step.
 */
package dev.vdrop.runtime.train;
