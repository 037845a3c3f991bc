package dev.vdrop.runtime.io;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.Module;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;

/**
 * JSON numbers that are numbers: a {@code double} or {@code float} (boxed, a field, or an element of a
 * {@code double[]}) that is NaN or infinite is written as JSON {@code null}, never as the strings
 * {@code "NaN"} and {@code "Infinity"} Jackson writes by default, which a reader takes for text.
 *
 * <pre>{@code
 * ObjectMapper json = new ObjectMapper().registerModule(NonFiniteAsNull.module());
 * json.writeValueAsString(Map.of("ppl", Double.NaN));   // {"ppl":null}
 * }</pre>
 */
public final class NonFiniteAsNull {
    private NonFiniteAsNull() {}

    /** {@return a Jackson module with the serializers of {@code Double}, {@code double}, {@code Float}, {@code float} and {@code double[]}} */
    public static Module module() {
        SimpleModule module = new SimpleModule("vdrop-non-finite-as-null");
        DoubleSerializer doubles = new DoubleSerializer();
        module.addSerializer(Double.class, doubles);
        module.addSerializer(Double.TYPE, doubles);
        FloatSerializer floats = new FloatSerializer();
        module.addSerializer(Float.class, floats);
        module.addSerializer(Float.TYPE, floats);
        module.addSerializer(double[].class, new DoubleArraySerializer());
        return module;
    }

    /** {@return a new mapper with {@link #module()} registered} */
    public static ObjectMapper mapper() {
        return new ObjectMapper().registerModule(module());
    }

    private static final class DoubleSerializer extends JsonSerializer<Double> {
        @Override
        public void serialize(Double value, JsonGenerator out, SerializerProvider provider) throws IOException {
            write(value, out);
        }
    }

    private static final class FloatSerializer extends JsonSerializer<Float> {
        @Override
        public void serialize(Float value, JsonGenerator out, SerializerProvider provider) throws IOException {
            if (Float.isFinite(value)) {
                out.writeNumber(value);
            } else {
                out.writeNull();
            }
        }
    }

    private static final class DoubleArraySerializer extends JsonSerializer<double[]> {
        @Override
        public void serialize(double[] values, JsonGenerator out, SerializerProvider provider) throws IOException {
            out.writeStartArray(values, values.length);
            for (double v : values) {
                write(v, out);
            }
            out.writeEndArray();
        }
    }

    private static void write(double value, JsonGenerator out) throws IOException {
        if (Double.isFinite(value)) {
            out.writeNumber(value);
        } else {
            out.writeNull();
        }
    }
}
