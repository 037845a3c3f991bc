package dev.vdrop.spark;

import dev.vdrop.runtime.Mat;
import dev.vdrop.runtime.Parameter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A network's parameters as one array of their values, in the parameters' order and each
 * parameter's linear order, and as the text a barrier task sends through
 * {@code BarrierTaskContext.allGather}: base64 of little-endian float32 (float64 for a network of
 * doubles, whose values float32 would round).
 */
final class Parameters {
    private Parameters() {}

    /** {@return the number of values of {@code parameters}} */
    static long count(List<Parameter> parameters) {
        long n = 0;
        for (Parameter p : parameters) {
            n += p.size();
        }
        return n;
    }

    /** {@return whether every parameter is of float32} */
    static boolean isFloat(List<Parameter> parameters) {
        return parameters.stream().allMatch(p -> p.value().dataType() == DataType.FLOAT);
    }

    /** {@return the values of {@code parameters}, in order} */
    static double[] read(List<Parameter> parameters) {
        double[] out = new double[Math.toIntExact(count(parameters))];
        int i = 0;
        for (Parameter p : parameters) {
            Mat m = p.value();
            for (long j = 0; j < p.size(); j++) {
                out[i++] = m.getLinear(j);
            }
        }
        return out;
    }

    /** Writes {@code values} into {@code parameters}, in order (a float32 parameter rounds each). */
    static void write(double[] values, List<Parameter> parameters) {
        if (values.length != count(parameters)) {
            throw new IllegalArgumentException(values.length + " values for a network of " + count(parameters));
        }
        int i = 0;
        for (Parameter p : parameters) {
            Mat m = p.value();
            for (long j = 0; j < p.size(); j++) {
                m.setLinear(j, values[i++]);
            }
        }
    }

    /** {@return base64 of the values as float32 ({@code asFloat}) or float64, little-endian} */
    static String encode(double[] values, boolean asFloat) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * (asFloat ? 4 : 8)).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : values) {
            if (asFloat) {
                bytes.putFloat((float) v);
            } else {
                bytes.putDouble(v);
            }
        }
        return Base64.getEncoder().encodeToString(bytes.array());
    }

    /** Adds the values {@link #encode} wrote to {@code sum}. */
    static void addDecoded(String text, boolean asFloat, double[] sum) {
        ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(text)).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.remaining() != sum.length * (asFloat ? 4 : 8)) {
            throw new IllegalStateException("a replica sent " + bytes.remaining() + " bytes of parameters, not "
                    + sum.length * (asFloat ? 4 : 8) + ": the replicas are not the same network");
        }
        for (int i = 0; i < sum.length; i++) {
            sum[i] += asFloat ? bytes.getFloat() : bytes.getDouble();
        }
    }

    /** {@return the base64 length of {@code count} values} */
    static long encodedLength(long count, boolean asFloat) {
        return (count * (asFloat ? 4 : 8) + 2) / 3 * 4;
    }
}
