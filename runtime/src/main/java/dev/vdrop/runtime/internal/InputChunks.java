package dev.vdrop.runtime.internal;

/**
 * How many steps' input products {@code z_t = W x̃_t} a forward pass without targets computes at
 * once. Such a pass (prediction, evaluation, MC dropout) keeps no gates for {@code backward()}, so
 * it needs the pre-activations of a few steps at a time rather than of the whole segment, in one
 * buffer the layers share (they run one after another).
 *
 * <p>A chunk holds at most {@value #ELEMENTS} elements (16 MB of float32), or what the system
 * property {@value #ELEMENTS_PROPERTY} says: memory against speed. Fewer, wider chunks are faster,
 * as each chunk is one product that reads W again and splits over the cores anew; docs/kernels.md
 * has what chunks the language models get and what was measured.
 *
 * <p>For generated code; not API (see the package).
 */
public final class InputChunks {
    /** Elements a chunk holds at most unless {@value #ELEMENTS_PROPERTY} says otherwise: 2^22. */
    public static final int ELEMENTS = 1 << 22;

    /** The system property that sets the elements a chunk holds at most (memory against speed), read as segments are made. */
    public static final String ELEMENTS_PROPERTY = "vdrop.inputChunkElements";

    private InputChunks() {}

    /**
     * Steps per chunk: the segment's T steps cut into as few chunks as keep {@code rows × (steps
     * per chunk · B)} within the budget (at most T chunks: a chunk is at least one step), as even as
     * they come.
     *
     * @param steps the segment's steps, T
     * @param batch the sequences per step, B
     * @param rows the rows of the shared buffer: the most gates (4H) of a layer that uses it
     * @return the steps per chunk, in [1, T]
     * @throws IllegalArgumentException unless all three are positive, or when the property is not a
     *     positive number
     */
    public static int steps(int steps, int batch, int rows) {
        if (steps <= 0 || batch <= 0 || rows <= 0) {
            throw new IllegalArgumentException("steps, batch and rows must be positive, got " + steps + ", " + batch
                    + " and " + rows);
        }
        long budget = budget();
        long elements = (long) steps * batch * rows;
        int chunks = (int) Math.min(steps, (elements + budget - 1) / budget);
        return (steps + chunks - 1) / chunks;
    }

    private static long budget() {
        String value = System.getProperty(ELEMENTS_PROPERTY);
        if (value == null) {
            return ELEMENTS;
        }
        try {
            long budget = Long.parseLong(value.trim());
            if (budget > 0) {
                return budget;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("-D" + ELEMENTS_PROPERTY + " must be a positive number of elements, got '"
                + value + "'");
    }
}
