package dev.vdrop.processor;

import com.palantir.javapoet.MethodSpec;
import dev.vdrop.processor.Buffer.Lifetime;
import dev.vdrop.processor.Buffer.Owned;
import dev.vdrop.processor.NetworkSpec.TokenInput;
import java.util.List;
import java.util.Optional;
import javax.lang.model.element.Modifier;

/**
 * The workspace's methods for the layout of a pass ({@code dev.vdrop.runtime.internal.Packing}):
 * {@code pack} checks a batch and finds its packing, {@code layOut} cuts the per-step views for a
 * layout that differs from the last pass's, {@code allocateRagged} makes what only ragged passes
 * use, and {@code orderMasks} copies every per-sequence mask into a ragged pass's order and every
 * per-step mask into its columns. A pass over B sequences of the workspace's T steps uses the
 * equal packing, where none of this does anything: the views, masks and columns are those of a
 * workspace that takes only such batches.
 */
final class PackingCode {
    private final NetworkSpec spec;
    private final Names names;
    private final BufferCode code;
    private final WorkspaceBuffers buffers;

    PackingCode(NetworkSpec spec, Names names, BufferCode code, WorkspaceBuffers buffers) {
        this.spec = spec;
        this.names = names;
        this.code = code;
        this.buffers = buffers;
    }

    /** {@code pack(input)}: checks the input and returns its packing in this workspace. */
    MethodSpec pack() {
        Locals locals = names.workspaceLocals();
        boolean tokens = spec.input() instanceof TokenInput;
        // as in forward and run: a parameter named like the field tokens, which it does not touch here
        String input = tokens ? locals.sameAsField("tokens") : locals.get("inputs");
        MethodSpec.Builder m = MethodSpec.methodBuilder("pack").addModifiers(Modifier.PRIVATE).returns(TypeNames.PACKING)
                .addParameter(WorkspaceWriter.inputType(spec), input)
                .addJavadoc("Checks a batch — B sequences of 1 to T steps — and returns the packing of a pass over it: the\n")
                .addJavadoc("equal one when every sequence has T steps.\n");
        if (tokens) {
            m.addStatement("$T.tokens($N, $L)", TypeNames.CHECKS, input, ((TokenInput) spec.input()).vocabulary());
        } else {
            m.addStatement("$T.features($N, $L)", TypeNames.CHECKS, input, spec.input().width());
        }
        return m.addStatement("return packing.next($T.lengths($N, batch, steps))", TypeNames.CHECKS, input).build();
    }

    /** {@code layOut()}: every per-step view cut again for the field {@code packing}. */
    MethodSpec layOut() {
        return MethodSpec.methodBuilder("layOut").addModifiers(Modifier.PRIVATE)
                .addJavadoc("Cuts the per-step views of the buffers made so far for the layout of {@code packing}: after a\n")
                .addJavadoc("pass of another layout (a ragged pass, or an equal one after a ragged one).\n")
                .addCode(code.layOut(buffers.all(), names.workspaceLocals()))
                .build();
    }

    /** {@code allocateRagged()}: the {@link Lifetime#RAGGED} buffers, made together by the first ragged pass. */
    MethodSpec allocateRagged() {
        Owned first = (Owned) buffers.all().stream()
                .filter(b -> b.lifetime() == Lifetime.RAGGED && b instanceof Owned).findFirst().orElseThrow();
        return MethodSpec.methodBuilder("allocateRagged").addModifiers(Modifier.PRIVATE)
                .addJavadoc("The buffers only ragged passes use, made by the first one: a workspace that only ever sees\n")
                .addJavadoc("sequences of its T steps never pays for them.\n")
                .beginControlFlow("if ($N != null)", code.name(first)).addStatement("return").endControlFlow()
                .addCode(code.make(buffers.all(), Lifetime.RAGGED, names.workspaceLocals()))
                .build();
    }

    /**
     * {@code orderMasks()}, when some layer has a mask: each copied into the order of the ragged
     * pass {@code packing} lays out; empty otherwise.
     */
    Optional<MethodSpec> orderMasks() {
        Locals locals = names.workspaceLocals();
        MethodSpec.Builder m = MethodSpec.methodBuilder("orderMasks").addModifiers(Modifier.PRIVATE)
                .addJavadoc("The masks of a ragged pass in its order, from the masks of the batch's: a per-sequence mask\n")
                .addJavadoc("sorted (column j for the j-th longest sequence), a per-step mask laid out in the pass's columns.\n");
        boolean any = false;
        for (RecurrentLayer layer : buffers.layers()) {
            for (String mask : List.of("maskX", "maskH", "maskY")) {
                Optional<Buffer> live = layer.find(mask);
                if (live.isEmpty()) {
                    continue;
                }
                any = true;
                Owned owned = (Owned) live.get();
                String ordered = code.name(layer.buffer(layer.ordered(mask)));
                String method = owned.cols() == Buffer.Extent.STEPS ? "orderSteps" : "order";
                if (owned.perGate()) {
                    String gate = locals.get("gate");
                    m.beginControlFlow("for (int $N = 0; $N < $L; $N++)", gate, gate, owned.gates(), gate)
                            .addStatement("packing.$L($N[$N], $N[$N])", method, ordered, gate, code.name(owned), gate)
                            .endControlFlow();
                } else {
                    m.addStatement("packing.$L($N, $N)", method, ordered, code.name(owned));
                }
            }
        }
        return any ? Optional.of(m.build()) : Optional.empty();
    }
}
