package dev.vdrop.runtime.checkpoint;

import java.nio.charset.StandardCharsets;
import org.nd4j.linalg.api.buffer.DataType;

/** The constants of the file format; see the package documentation for the layout. */
final class Format {
    static final byte[] MAGIC = "VDROPCKP".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    /** Magic, version, total length, header length. */
    static final int PRELUDE = 8 + 4 + 8 + 4;
    /** CRC-32, total length. */
    static final int TRAILER = 4 + 8;
    /** No checkpoint is shorter than this. */
    static final int MIN_LENGTH = PRELUDE + TRAILER;

    static final int OFFSET_VERSION = 8;
    static final int OFFSET_TOTAL = 12;
    static final int OFFSET_HEADER_LENGTH = 20;

    private Format() {}

    /** Bytes per element of a tensor of this type. */
    static int bytesPer(DataType type) {
        if (type == DataType.FLOAT) {
            return Float.BYTES;
        }
        if (type == DataType.DOUBLE) {
            return Double.BYTES;
        }
        throw new IllegalArgumentException("a checkpoint stores FLOAT or DOUBLE tensors, not " + type);
    }
}
