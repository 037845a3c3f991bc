package dev.vdrop.processor;

import com.palantir.javapoet.MethodSpec;
import dev.vdrop.dsl.Scope;
import dev.vdrop.processor.NetworkSpec.FeatureInput;
import dev.vdrop.processor.NetworkSpec.SoftmaxOutput;
import dev.vdrop.processor.NetworkSpec.TokenInput;
import javax.lang.model.element.Modifier;

/**
 * The workspace's input layer: {@code embed(tokens)} or {@code read(inputs)} fill x_0, the first
 * LSTM's input, and {@code backwardEmbedding()} adds ∂L/∂x_0 to the embedding's gradient. Each
 * visits the pass's columns as its {@code packing} lays them out: at step t the b_t sequences still
 * running, the j-th longest (batch row {@code packing.row(j)}) in column off_t + j — column t·B + b
 * for sequence b when every sequence has the workspace's T steps.
 */
final class InputCode {
    private final NetworkSpec spec;
    private final Names names;
    private final BufferCode code;
    private final WorkspaceBuffers buffers;
    private final Params params;

    InputCode(NetworkSpec spec, Names names, BufferCode code, WorkspaceBuffers buffers, Params params) {
        this.spec = spec;
        this.names = names;
        this.code = code;
        this.buffers = buffers;
        this.params = params;
    }

    private Body body() {
        Body body = new Body(names.workspaceLocals()).arg("x0", code.name(buffers.input()))
                .arg("dx0", code.name(buffers.inputGradient()));
        buffers.embeddingMask().ifPresent(mask -> body.arg("embeddingMask", code.name(mask)));
        if (spec.input() instanceof TokenInput t) {
            body.arg("paramE", params.get(t.field(), "E").field());
        }
        return body;
    }

    private boolean embeddingDropout() {
        return buffers.embeddingMask().isPresent();
    }

    /** The column of the embedding mask a sequence {@code s} reads: its own, or the batch's one. */
    private String maskColumn() {
        return ((TokenInput) spec.input()).scope() == Scope.SEQUENCE ? "$s:N" : "0";
    }

    MethodSpec embed() {
        Body b = body().locals("embedding", "t", "j", "s", "word", "col", "keep");
        String tokens = b.names().sameAsField("tokens");
        b.arg("tokens", tokens);
        b.statement("this.tokens = $tokens:N");
        b.statement("$mat:T $embedding:N = $paramE:N.value()");
        if (embeddingDropout()) {
            b.comment("x_t = E[w_t] · m_e[w_t]: a dropped word type is zero at every one of its occurrences");
        } else {
            b.comment("x_t = E[w_t]: column w of E is the vector of word w");
        }
        stepsAndSequences(b);
        b.statement("int $word:N = $tokens:N[$s:N][$t:N]");
        keep(b);
        b.statement("copyColumn($x0:N, $col:N, $embedding:N, $word:N, $keep:N)")
                .end()
                .end();
        return MethodSpec.methodBuilder("embed").addModifiers(Modifier.PRIVATE)
                .addParameter(TypeNames.INT_2D, tokens).addCode(b.build()).build();
    }

    /**
     * Opens the two loops over the pass's columns, steps outside: {@code $t}, the position
     * {@code $j} among the sequences running at t, their batch row {@code $s} and column {@code $col}.
     */
    private static void stepsAndSequences(Body b) {
        b.begin("for (int $t:N = 0; $t:N < packing.steps(); $t:N++)")
                .begin("for (int $j:N = 0; $j:N < packing.width($t:N); $j:N++)")
                .statement("int $s:N = packing.row($j:N)")
                .statement("int $col:N = packing.offset($t:N) + $j:N");
    }

    private void keep(Body b) {
        if (embeddingDropout()) {
            b.statement("double $keep:N = embeddingDropout ? $embeddingMask:N.get($word:N, " + maskColumn() + ") : 1");
        } else {
            b.statement("double $keep:N = 1");
        }
    }

    MethodSpec backwardEmbedding() {
        Body b = body().locals("gradient", "t", "j", "s", "word", "col", "keep");
        // Tied to the decoder, whose product already wrote ∂E whole, the gradient is dense anyway.
        boolean byColumns = !(spec.output() instanceof SoftmaxOutput s && s.tiedToEmbedding());
        b.comment("∂E[w] += ∂x_t · m_e[w] for every occurrence of w: a dropped word gets no gradient from it");
        if (byColumns) {
            b.comment("(column by column: the norm, the SGD step and the next clearing visit only the columns written)")
                    .statement("$mat:T $gradient:N = $paramE:N.gradientColumns()");
        } else {
            b.statement("$mat:T $gradient:N = $paramE:N.gradient()");
        }
        stepsAndSequences(b);
        b.statement("int $word:N = tokens[$s:N][$t:N]");
        keep(b);
        b.begin("if ($keep:N != 0)");
        if (byColumns) {
            b.statement("$paramE:N.columnWritten($word:N)");
        }
        b.statement("addToColumn($gradient:N, $word:N, $dx0:N, $col:N, $keep:N)")
                .end()
                .end()
                .end();
        return MethodSpec.methodBuilder("backwardEmbedding").addModifiers(Modifier.PRIVATE).addCode(b.build()).build();
    }

    MethodSpec read() {
        FeatureInput f = (FeatureInput) spec.input();
        Body b = body().locals("inputs", "t", "j", "s", "col", "k").arg("features", f.features());
        b.comment("x_t: column off_t + j holds step t of the j-th longest sequence (t·B + b when all have T steps)");
        stepsAndSequences(b);
        b.begin("for (int $k:N = 0; $k:N < $features:L; $k:N++)")
                .statement("$x0:N.set($k:N, $col:N, $inputs:N[$s:N][$t:N][$k:N])")
                .end()
                .end()
                .end();
        return MethodSpec.methodBuilder("read").addModifiers(Modifier.PRIVATE)
                .addParameter(TypeNames.DOUBLE_3D, b.name("inputs")).addCode(b.build()).build();
    }
}
