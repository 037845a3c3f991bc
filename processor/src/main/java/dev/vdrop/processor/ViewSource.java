package dev.vdrop.processor;

/** What a {@link Buffer.View} can cut: a buffer, or the value of a parameter. */
sealed interface ViewSource permits Buffer, ViewSource.ParameterValue {
    /** Whether it is an array of matrices (one per gate, or already cut), so a view of it is two-dimensional. */
    default boolean isArray() {
        return this instanceof Buffer.Owned o && o.perGate()
                || this instanceof Buffer.View v && v.cut() != Buffer.Cut.LEADING_ROWS;
    }

    /** The value of parameter {@code symbol} of layer {@code layer} (a field of the model), rows × cols. */
    record ParameterValue(String layer, String symbol, int rows, int cols) implements ViewSource {}
}
