package dev.vdrop.runtime.train;

import dev.vdrop.runtime.Parameter;
import java.util.List;

/**
 * A hook into a training run for data-parallel replicas: each replica trains the same network on
 * its own part of the data, and the hook replaces the parameters with the replicas' average (local
 * SGD, Stich 2019, arXiv 1805.09767). {@link SequenceTrainer} and {@link LanguageModelTrainer} call
 * it, when given one, in this order:
 * <ol>
 *   <li>{@link #afterStep} after every optimiser step, with the run's step count (1 after its first
 *       step; a run resumed from a checkpoint counts from its first step after the resume);
 *   <li>{@link #epochEnd} after the epoch's last step (and its {@code afterStep}), before
 *       validation, so validation, the best epoch and early stopping see what the hook leaves.
 * </ol>
 *
 * <p>The hook may write the parameters' values in place ({@link Parameter#value()}), never their
 * shapes, and must not keep the list after the call; the gradients are the step's and may be read.
 * The optimiser's own state (Adam's moments) is the replica's and stays as it is. A hook that
 * changes nothing leaves the run bitwise what it is without one: the loop does no arithmetic for
 * it. Called on the training thread; an exception it throws ends the run.
 */
public interface ReplicaHook {
    /**
     * An optimiser step is done.
     *
     * @param step the run's steps so far, this one included
     * @param parameters the network's parameters, in {@link dev.vdrop.runtime.Network#parameters()}'s order
     */
    void afterStep(long step, List<Parameter> parameters);

    /**
     * The epoch's steps are done; validation comes next.
     *
     * @param epoch the epoch, from 1
     * @param step the run's steps so far
     * @param parameters the network's parameters, in {@link dev.vdrop.runtime.Network#parameters()}'s order
     */
    void epochEnd(int epoch, long step, List<Parameter> parameters);
}
