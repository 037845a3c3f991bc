package dev.vdrop.runtime.train;

/**
 * The settings every configuration of the loop gives it.
 *
 * @param epochs the last epoch to train
 * @param learningRate the rate of every epoch
 * @param clip the global gradient-norm bound, 0 for none
 * @param patience stop after this many epochs without a better validation score, 0 never
 * @param restoreBest whether the best epoch's parameters are put back into the network at the end
 * @param selection the validation score that chooses the best epoch
 * @param objective how the training loss is reported
 */
record LoopSettings(int epochs, LearningRate learningRate, double clip, int patience, boolean restoreBest,
                    Selection selection, Objective objective) {}
