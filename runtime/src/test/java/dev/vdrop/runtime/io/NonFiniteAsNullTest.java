package dev.vdrop.runtime.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NonFiniteAsNullTest {
    record Row(double d, float f, Double boxed, double[] values) {}

    @Test
    void writesNaNAndInfinitiesAsNullAndEveryFiniteValueAsANumber() throws JsonProcessingException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("nan", Double.NaN);
        m.put("inf", Double.POSITIVE_INFINITY);
        m.put("neg", Double.NEGATIVE_INFINITY);
        m.put("x", 1.5);
        m.put("f", Float.NaN);
        m.put("row", new Row(Double.NaN, Float.POSITIVE_INFINITY, -0.0, new double[] {1, Double.NaN}));
        assertEquals("{\"nan\":null,\"inf\":null,\"neg\":null,\"x\":1.5,\"f\":null,"
                        + "\"row\":{\"d\":null,\"f\":null,\"boxed\":-0.0,\"values\":[1.0,null]}}",
                NonFiniteAsNull.mapper().writeValueAsString(m));
    }
}
