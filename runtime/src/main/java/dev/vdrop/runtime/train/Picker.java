package dev.vdrop.runtime.train;

import java.util.Arrays;

/**
 * Picks examples out of a data set by index, keeping the rows themselves (no copy of a sequence).
 *
 * @param <X> an array with one entry per example
 */
@FunctionalInterface
interface Picker<X> {
    /** {@return the examples at {@code indices}, in that order} */
    X pick(int[] indices);

    /** A picker over the rows of an array of arrays. */
    static <E> Picker<E[]> rows(E[] all) {
        return indices -> {
            E[] out = Arrays.copyOf(all, indices.length);
            for (int i = 0; i < indices.length; i++) {
                out[i] = all[indices[i]];
            }
            return out;
        };
    }

    /** A picker over an array of ints (one class per example). */
    static Picker<int[]> ints(int[] all) {
        return indices -> {
            int[] out = new int[indices.length];
            for (int i = 0; i < indices.length; i++) {
                out[i] = all[indices[i]];
            }
            return out;
        };
    }

    /** {@return the indices from..from+count−1} */
    static int[] range(int from, int count) {
        int[] out = new int[count];
        for (int i = 0; i < count; i++) {
            out[i] = from + i;
        }
        return out;
    }
}
