package dev.vdrop.runtime.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vdrop.runtime.Mat;
import dev.vdrop.runtime.Rng;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import org.nd4j.linalg.api.buffer.DataType;

/** Matrices, a sample checkpoint, bitwise comparison and a hand-made file writer for the tests. */
final class Fixtures {
    /** A float NaN with a payload, which {@code DataOutputStream.writeFloat} would turn into the canonical NaN. */
    static final float FLOAT_NAN_WITH_PAYLOAD = Float.intBitsToFloat(0x7fc0_0123);
    static final double DOUBLE_NAN_WITH_PAYLOAD = Double.longBitsToDouble(0x7ff8_0000_0000_4567L);

    private Fixtures() {}

    /** A rows × cols matrix from values in column-major order. */
    static Mat mat(DataType type, int rows, int cols, double... columnMajor) {
        assertEquals(rows * cols, columnMajor.length, "values for a " + rows + " × " + cols + " matrix");
        Mat m = Mat.zeros(type, rows, cols);
        int i = 0;
        for (int c = 0; c < cols; c++) {
            for (int r = 0; r < rows; r++) {
                m.set(r, c, columnMajor[i++]);
            }
        }
        return m;
    }

    static Mat random(DataType type, int rows, int cols, long seed) {
        Rng rng = new Rng(seed);
        Mat m = Mat.zeros(type, rows, cols);
        for (int c = 0; c < cols; c++) {
            for (int r = 0; r < rows; r++) {
                m.set(r, c, rng.uniform(-1, 1));
            }
        }
        return m;
    }

    /** Floats that a careless format loses: NaNs, −0.0, infinities, subnormals, the extremes. */
    static Mat specialFloats() {
        return mat(DataType.FLOAT, 3, 4,
                Float.NaN, FLOAT_NAN_WITH_PAYLOAD, -0.0f,
                0.0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
                Float.MIN_VALUE, -Float.MAX_VALUE, Float.MIN_NORMAL,
                1.0f / 3, -2.5f, 123456.789f);
    }

    static Mat specialDoubles() {
        return mat(DataType.DOUBLE, 2, 5,
                Double.NaN, DOUBLE_NAN_WITH_PAYLOAD,
                -0.0, 0.0,
                Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
                Double.MIN_VALUE, Double.MAX_VALUE,
                0.1, -1.0 / 3);
    }

    static Map<String, Mat> named(Object... nameThenMat) {
        Map<String, Mat> map = new LinkedHashMap<>();
        for (int i = 0; i < nameThenMat.length; i += 2) {
            map.put((String) nameThenMat[i], (Mat) nameThenMat[i + 1]);
        }
        return map;
    }

    static final List<String> WORDS = List.of("<unk>", "<eos>", "whale", "naïve", "Ahab’s", "Пекод", "鯨", "🐋", "");

    /** Every feature at once: ordered metadata, a non-ASCII vocabulary, float and double groups, empty shapes. */
    static Checkpoint sample() {
        return Checkpoint.builder()
                .metadata("model", "dev.vdrop.samples.MobyDickLmNetwork")
                .metadata("epoch", "3")
                .metadata("rng", Long.toString(-7_046_029_254_386_353_131L))
                .metadata("learningRate", Double.toString(0.1 * 3))
                .metadata("note", "Call me Ishmael — «quoted», \"escaped\"\n\ttabbed")
                .metadata("aardvark", "after the others: order is insertion order, not alphabetical")
                .vocabulary(WORDS)
                .tensors("parameters", named(
                        "lstm1.W", specialFloats(),
                        "lstm1.b", mat(DataType.FLOAT, 1, 1, -0.0),
                        "empty", Mat.zeros(DataType.FLOAT, 0, 5)))
                .tensors("optimizer", named(
                        "sgd.average.lstm1.W", specialDoubles(),
                        "adam.t", mat(DataType.DOUBLE, 1, 1, 17),
                        "none", Mat.zeros(DataType.DOUBLE, 4, 0)))
                .tensors("nothing", Map.of())
                .tensors("best", named("lstm1.W", random(DataType.FLOAT, 3, 4, 11)))
                .build();
    }

    /** Asserts type, shape and every bit, so NaN payloads and −0.0 count. */
    static void assertSameBits(Mat expected, Mat actual, String what) {
        assertEquals(expected.dataType(), actual.dataType(), what + ": data type");
        assertEquals(expected.rows(), actual.rows(), what + ": rows");
        assertEquals(expected.cols(), actual.cols(), what + ": cols");
        for (int c = 0; c < expected.cols(); c++) {
            for (int r = 0; r < expected.rows(); r++) {
                if (expected.dataType() == DataType.FLOAT) {
                    assertEquals(Integer.toHexString(Float.floatToRawIntBits((float) expected.get(r, c))),
                            Integer.toHexString(Float.floatToRawIntBits((float) actual.get(r, c))),
                            what + " (" + r + ", " + c + ")");
                } else {
                    assertEquals(Long.toHexString(Double.doubleToRawLongBits(expected.get(r, c))),
                            Long.toHexString(Double.doubleToRawLongBits(actual.get(r, c))),
                            what + " (" + r + ", " + c + ")");
                }
            }
        }
    }

    /**
     * A file in the documented format, written independently of {@link CheckpointWriter}: the
     * prelude, the header, the data, then a correct trailer.
     */
    static byte[] file(int version, String header, byte[] data) {
        try {
            byte[] json = header.getBytes(StandardCharsets.UTF_8);
            long total = 8 + 4 + 8 + 4 + json.length + data.length + 4 + 8;
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.write("VDROPCKP".getBytes(StandardCharsets.US_ASCII));
            out.writeInt(version);
            out.writeLong(total);
            out.writeInt(json.length);
            out.write(json);
            out.write(data);
            CRC32 crc = new CRC32();
            crc.update(bytes.toByteArray());
            out.writeInt((int) crc.getValue());
            out.writeLong(total);
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Big-endian doubles. */
    static byte[] doubles(double... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * Double.BYTES);
        for (double v : values) {
            b.putDouble(v);
        }
        return b.array();
    }
}
