package dev.vdrop.runtime.checkpoint;

import org.nd4j.linalg.api.buffer.DataType;

/** One tensor in the header's directory: its name, type, shape and where its data starts. */
record TensorEntry(String name, DataType type, int rows, int cols, long offset) {
    /** The bytes of its data. */
    long bytes() {
        return (long) rows * cols * Format.bytesPer(type);
    }
}
