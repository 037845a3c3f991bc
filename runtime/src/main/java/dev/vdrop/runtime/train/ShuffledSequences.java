package dev.vdrop.runtime.train;

import dev.vdrop.runtime.Rng;
import java.util.ArrayList;
import java.util.List;

/**
 * Independent sequences (the first {@code count} examples) read in mini-batches of {@code batch}
 * (the last one smaller when {@code batch} does not divide them), shuffled at the start of every
 * epoch: Fisher–Yates over the order the previous epoch left, each swap's partner drawn from the
 * run's generator. Every batch starts from h = c = 0. The sequences may differ in length (a ragged
 * batch); {@code steps} is the longest, the workspaces' steps.
 */
final class ShuffledSequences<I, T> implements EpochData<I, T> {
    private final Picker<I> inputs;
    private final Picker<T> targets;
    private final int batch;
    private final int steps;
    private final java.util.function.ToLongFunction<int[]> units;
    private final int[] order;

    /**
     * @param units what a batch of these examples counts for the training loss: its examples, or
     *     a tagger's tags
     */
    ShuffledSequences(Picker<I> inputs, Picker<T> targets, java.util.function.ToLongFunction<int[]> units, int count,
                      int batch, int steps) {
        this.inputs = inputs;
        this.targets = targets;
        this.units = units;
        this.batch = batch;
        this.steps = steps;
        this.order = Picker.range(0, count);
    }

    @Override
    public List<Batch<I, T>> epoch(Rng rng) {
        for (int i = order.length - 1; i > 0; i--) {
            int j = (int) (rng.nextDouble() * (i + 1));
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        List<Batch<I, T>> batches = new ArrayList<>();
        for (int from = 0; from < order.length; from += batch) {
            int size = Math.min(batch, order.length - from);
            int[] picked = java.util.Arrays.copyOfRange(order, from, from + size);
            batches.add(new Batch<>(inputs.pick(picked), targets.pick(picked), size, steps, units.applyAsLong(picked)));
        }
        return batches;
    }

    @Override
    public boolean carriesState() {
        return false;
    }

    @Override
    public int[] order() {
        return order.clone();
    }

    @Override
    public void restoreOrder(int[] saved) {
        if (saved.length != order.length) {
            throw new IllegalArgumentException("the checkpoint's shuffled order has " + saved.length
                    + " examples, this data " + order.length + "; resume on the same data");
        }
        System.arraycopy(saved, 0, order, 0, order.length);
    }
}
