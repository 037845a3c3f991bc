package dev.vdrop.processor;

import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import dev.vdrop.processor.NetworkSpec.LstmSpec;
import javax.lang.model.element.Modifier;

/** Writes the methods of one LSTM layer, specialised to its sizes. */
final class LstmWriter {
    private LstmWriter() {}

    static String forwardName(LstmSpec l) {
        return "forwardLayer" + (l.index() + 1);
    }

    /** Forward through all steps with dropout off, from a zero state. */
    static MethodSpec forward(LstmSpec l, Params params) {
        int h = l.units();
        String w = params.get(l.field(), "W").field();
        String u = params.get(l.field(), "U").field();
        String bias = params.get(l.field(), "b").field();
        return MethodSpec.methodBuilder(forwardName(l)).addModifiers(Modifier.PRIVATE).returns(NetworkWriter.MAT)
                .addJavadoc("LSTM {@code $L} ($L → $L) over every step, dropout off, from h_0 = c_0 = 0.\n", l.field(),
                        l.inputSize(), h)
                .addParameter(NetworkWriter.MAT, "x").addParameter(TypeName.INT, "batch").addParameter(TypeName.INT, "steps")
                .addComment("z_t = W x_t for every step at once: Z[$L × TB] = W[$L × $L] · X[$L × TB]", 4 * h, 4 * h,
                        l.inputSize(), l.inputSize())
                .addStatement("$T z = $T.zeros(dataType, $L, batch * steps)", NetworkWriter.MAT, NetworkWriter.MAT, 4 * h)
                .addStatement("$T.gemm(false, false, 1, $N.value(), x, 0, z)", NetworkWriter.BLAS, w)
                .addStatement("$T h = $T.zeros(dataType, $L, batch * steps)", NetworkWriter.MAT, NetworkWriter.MAT, h)
                .addStatement("$T c = $T.zeros(dataType, $L, batch)", NetworkWriter.MAT, NetworkWriter.MAT, h)
                .addStatement("$T b = $N.value()", NetworkWriter.MAT, bias)
                .beginControlFlow("for (int t = 0; t < steps; t++)")
                .addStatement("$T zt = z.columns(t * batch, batch)", NetworkWriter.MAT)
                .addStatement("$T ht = h.columns(t * batch, batch)", NetworkWriter.MAT)
                .beginControlFlow("if (t > 0)")
                .addComment("z_t += U h_{t-1}")
                .addStatement("$T.gemm(false, false, 1, $N.value(), h.columns((t - 1) * batch, batch), 1, zt)",
                        NetworkWriter.BLAS, u)
                .endControlFlow()
                .beginControlFlow("for (int s = 0; s < batch; s++)")
                .beginControlFlow("for (int j = 0; j < $L; j++)", h)
                .addComment("i = σ(z_i + b_i), f = σ(z_f + b_f), g = tanh(z_g + b_g), o = σ(z_o + b_o)")
                .addStatement("double i = sigmoid(zt.get(j, s) + b.get(j, 0))")
                .addStatement("double f = sigmoid(zt.get($L + j, s) + b.get($L + j, 0))", h, h)
                .addStatement("double g = Math.tanh(zt.get($L + j, s) + b.get($L + j, 0))", 2 * h, 2 * h)
                .addStatement("double o = sigmoid(zt.get($L + j, s) + b.get($L + j, 0))", 3 * h, 3 * h)
                .addComment("c_t = f ⊙ c_{t-1} + i ⊙ g,  h_t = o ⊙ tanh(c_t)")
                .addStatement("double cell = f * c.get(j, s) + i * g")
                .addStatement("c.set(j, s, cell)")
                .addStatement("ht.set(j, s, o * Math.tanh(cell))")
                .endControlFlow()
                .endControlFlow()
                .endControlFlow()
                .addStatement("return h")
                .build();
    }
}
