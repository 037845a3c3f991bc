package dev.vdrop.runtime.train;

/**
 * One mini-batch of the training loop: {@code size} sequences of up to {@code steps} steps.
 *
 * @param input the sequences, {@code [size][length]…}
 * @param targets their targets, as the network's head predicts them
 * @param size how many sequences (rows of the workspace)
 * @param steps the workspace's steps: the longest sequence the batch may hold
 * @param units what the training loss is averaged over: tokens of a language model, examples otherwise
 * @param <I> the network's input
 * @param <T> the network's targets
 */
record Batch<I, T>(I input, T targets, int size, int steps, long units) {
    /** {@return the workspace shape this batch runs in} */
    Shape shape() {
        return new Shape(size, steps);
    }

    /** A workspace's batch and steps. */
    record Shape(int size, int steps) {}
}
