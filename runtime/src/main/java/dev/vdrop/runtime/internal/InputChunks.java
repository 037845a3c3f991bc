package dev.vdrop.runtime.internal;

/**
 * How many steps' input products {@code z_t = W x̃_t} a forward pass without targets computes at
 * once. Such a pass (prediction, evaluation, MC dropout) keeps no gates for {@code backward()}, so
 * it needs the pre-activations of a few steps at a time rather than of the whole segment, in one
 * buffer the layers share (they run one after another).
 *
 * <p>A chunk holds at most {@value #ELEMENTS} elements (16 MB of float32), or what the system
 * property {@value #ELEMENTS_PROPERTY} says: MC dropout with K = 100 rows over 35 steps is one chunk
 * at SMALL (800 gates: 11 MB) and three of 12 steps at MEDIUM (2,600 gates: 12.5 MB instead of
 * 36 MB per layer). Fewer, wider chunks are faster: SMALL's input products took 10.9 ms per K = 100
 * pass in chunks of 500 columns, 9.0 in chunks of 1,800 and 8.5 in one chunk of 3,500 (one product
 * per chunk, each re-reading W and splitting over the cores anew).
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
     * @param rows the rows of the shared buffer: the most gates (4H) of a layer that uses it
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
