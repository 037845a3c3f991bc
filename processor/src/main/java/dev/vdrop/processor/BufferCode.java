package dev.vdrop.processor;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import dev.vdrop.processor.Buffer.Extent;
import dev.vdrop.processor.Buffer.Lifetime;
import dev.vdrop.processor.Buffer.Owned;
import dev.vdrop.processor.Buffer.Pointer;
import dev.vdrop.processor.Buffer.Resource;
import dev.vdrop.processor.Buffer.View;
import dev.vdrop.processor.ViewSource.ParameterValue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * Everything the workspace does with its buffers, derived from their {@link Buffer} descriptions:
 * the field declarations with their javadoc, the statements that make the buffers of a lifetime
 * (allocations, then their views, in the order of the table), and the statements that free them.
 * Only {@link Buffer.Owned} buffers and {@link Buffer.Resource}s are freed; views and pointers
 * share their memory.
 */
final class BufferCode {
    private final Names names;
    private final Params params;

    BufferCode(Names names, Params params) {
        this.names = names;
        this.params = params;
    }

    /** The field of a buffer, as {@link Names} allocated it. */
    String name(Buffer buffer) {
        return names.field(buffer);
    }

    // ---------------------------------------------------------------------------------------------
    // Fields

    /**
     * The fields of {@code buffers}: final when the constructor makes them and nothing repoints them
     * (a pointer, or the per-step views that each layout of a pass cuts again).
     */
    List<FieldSpec> fields(List<Buffer> buffers) {
        List<FieldSpec> fields = new ArrayList<>();
        for (Buffer b : buffers) {
            FieldSpec.Builder field = FieldSpec.builder(b.type(), name(b), Modifier.PRIVATE);
            if (b.lifetime() == Lifetime.SEGMENT && !(b instanceof Pointer) && !(b instanceof View v && perStep(v))) {
                field.addModifiers(Modifier.FINAL);
            }
            if (b instanceof Resource r) {
                field.initializer("new $T()", r.type());
            }
            fields.add(field.addJavadoc("$L\n", wrap(javadoc(b) + ".")).build());
        }
        return fields;
    }

    private String javadoc(Buffer b) {
        if (b instanceof Owned o) {
            return o.doc() + ": " + o.shape() + made(o.lifetime().made);
        }
        if (b instanceof View v) {
            String source = v.source() instanceof Buffer s ? s.base() : ((ParameterValue) v.source()).symbol();
            return v.doc() + ", a view of " + source + ": " + viewShape(v)
                    + (v.lifetime() == Lifetime.SEGMENT ? "" : " (made with it)");
        }
        if (b instanceof Pointer p) {
            return p.doc() + ": " + p.rows() + " × " + p.cols().doc();
        }
        return b.doc();
    }

    /** Breaks a javadoc paragraph into lines of at most 96 characters, at spaces. */
    static String wrap(String text) {
        StringBuilder out = new StringBuilder();
        int lineStart = 0;
        for (String word : text.split(" ")) {
            if (out.length() > lineStart && out.length() - lineStart + 1 + word.length() > 96) {
                out.append('\n');
                lineStart = out.length();
            } else if (out.length() > lineStart) {
                out.append(' ');
            }
            out.append(word);
        }
        return out.toString();
    }

    private static String made(String when) {
        return when.isEmpty() ? "" : " (" + when + ")";
    }

    /** What a view's blocks are: their number (or indices) and their shape. */
    private static String viewShape(View v) {
        return switch (v.cut()) {
            case LEADING_ROWS -> v.rows() + " × " + columns(v.source()).doc();
            case STEPS -> (v.source().isArray() ? "[g][t], " + v.rows() + " × B"
                    : steps(columns(v.source())) + " blocks of " + v.rows() + " × B")
                    + (columns(v.source()).equals(Extent.CARRIED_AND_STEPS) ? " (a ragged pass: block t+1 of " + v.rows()
                            + " × b_t)" : " (a ragged pass: " + v.rows() + " × b_t)");
            case GATES -> v.source().isArray() ? "[t][g], " + v.rows() + " × B (a ragged pass: × b_t)"
                    : gateCount(v) + " blocks of " + v.rows() + " × " + columns(v.source()).doc();
        };
    }

    /** The blocks a gate view of a single matrix cuts: its source's rows over the view's. */
    private static int gateCount(View v) {
        int rows = v.source() instanceof ParameterValue p ? p.rows() : ((Owned) rootOf(v.source())).rows().value();
        return rows / v.rows();
    }

    private static ViewSource rootOf(ViewSource source) {
        return source instanceof View v ? rootOf(v.source()) : source;
    }

    private static Extent columns(ViewSource source) {
        if (source instanceof Owned o) {
            return o.cols();
        }
        if (source instanceof View v) {
            return columns(v.source());
        }
        if (source instanceof ParameterValue p) {
            return Extent.of(p.cols());
        }
        throw new IllegalArgumentException("no columns: " + source);
    }

    private static String steps(Extent columns) {
        return columns.equals(Extent.CARRIED_AND_STEPS) ? "T+1" : "T";
    }

    // ---------------------------------------------------------------------------------------------
    // Making

    /**
     * Makes the buffers of one lifetime, in table order: allocations, views right after what they
     * cut (per step as the field {@code packing} lays the pass out), pointers at their first target.
     * Needs {@code dataType}, {@code batch}, {@code steps}, {@code columns}, {@code packing} (and
     * {@code chunkSteps} for a chunk) in scope.
     */
    CodeBlock make(List<Buffer> buffers, Lifetime lifetime, Locals locals) {
        CodeBlock.Builder code = CodeBlock.builder();
        for (Buffer b : buffers) {
            if (b.lifetime() == lifetime) {
                make(code, b, locals);
            }
        }
        return code.build();
    }

    private void make(CodeBlock.Builder code, Buffer b, Locals locals) {
        String field = name(b);
        if (b instanceof Owned o && o.perGate()) {
            CodeBlock zeros = CodeBlock.of("$T.zeros(dataType, $L, $L)", TypeNames.MAT, o.rows(), o.cols().code());
            code.addStatement("$N = new $T[] {$L}", field, TypeNames.MAT, CodeBlock.join(Collections.nCopies(o.gates(), zeros), ", "));
        } else if (b instanceof Owned o) {
            code.addStatement("$N = $T.zeros(dataType, $L, $L)", field, TypeNames.MAT, o.rows(), o.cols().code());
        } else if (b instanceof View v) {
            makeView(code, v, locals);
        } else if (b instanceof Pointer p && p.startsAt().isPresent()) {
            code.addStatement("$N = $N.columns(batch, columns)", field, name(p.startsAt().get()));
        }
    }

    private void makeView(CodeBlock.Builder code, View v, Locals locals) {
        String field = name(v);
        CodeBlock source = v.source() instanceof Buffer s ? CodeBlock.of("$N", name(s))
                : CodeBlock.of("$N.value()", params.get(((ParameterValue) v.source()).layer(),
                        ((ParameterValue) v.source()).symbol()).field());
        switch (v.cut()) {
            case LEADING_ROWS -> {
                if (Dim.of(v.rows()).equals(((Owned) v.source()).rows())) {
                    code.addStatement("$N = $L", field, source);
                } else {
                    code.addStatement("$N = $L.prefix($L, $L)", field, source, v.rows(), columns(v.source()).code());
                }
            }
            case STEPS -> {
                if (v.source().isArray()) {
                    String gate = locals.get("gate");
                    int gates = ((Owned) v.source()).gates();
                    code.addStatement("$N = new $T[$L][]", field, TypeNames.MAT, gates)
                            .beginControlFlow("for (int $N = 0; $N < $L; $N++)", gate, gate, gates, gate)
                            .addStatement("$N[$N] = $L", field, gate, cutSteps(v, CodeBlock.of("$L[$N]", source, gate)))
                            .endControlFlow();
                } else {
                    code.addStatement("$N = $L", field, cutSteps(v, source));
                }
            }
            case GATES -> {
                if (v.source().isArray()) {
                    String t = locals.get("t");
                    code.addStatement("$N = new $T[$L.length][]", field, TypeNames.MAT, source)
                            .beginControlFlow("for (int $N = 0; $N < $N.length; $N++)", t, t, field, t)
                            .addStatement("$N[$N] = $L[$N].rowBlocks($L)", field, t, source, t, v.rows())
                            .endControlFlow();
                } else {
                    code.addStatement("$N = $L.rowBlocks($L)", field, source, v.rows());
                }
            }
        }
    }

    /** The steps of {@code source} as the pass's packing cuts a buffer of its columns. */
    private static CodeBlock cutSteps(View v, CodeBlock source) {
        Extent columns = columns(v.source());
        if (columns.equals(Extent.CARRIED_AND_STEPS)) {
            return CodeBlock.of("packing.states($L)", source);
        }
        if (columns.equals(Extent.CHUNK)) {
            return CodeBlock.of("packing.chunkSteps($L, chunkSteps)", source);
        }
        return CodeBlock.of("packing.steps($L)", source);
    }

    /**
     * Cuts every per-step view again, of the buffers that exist, for the layout of the field
     * {@code packing}: the views of lazily made buffers under their null check, in table order
     * (a gate view after the steps it cuts).
     */
    CodeBlock layOut(List<Buffer> buffers, Locals locals) {
        CodeBlock.Builder code = CodeBlock.builder();
        Owned open = null;
        for (Buffer b : buffers) {
            if (!(b instanceof View v) || !perStep(v)) {
                continue;
            }
            Owned root = root(v);
            Owned guard = root.lifetime() == Lifetime.SEGMENT ? null : root;
            if (open != null && open != guard) {
                code.endControlFlow();
                open = null;
            }
            if (guard != null && open == null) {
                code.beginControlFlow("if ($N != null)", name(guard));
                open = guard;
            }
            makeView(code, v, locals);
        }
        if (open != null) {
            code.endControlFlow();
        }
        return code.build();
    }

    /** Whether a view depends on the pass's layout: a cut into steps, or the gates of one. */
    private static boolean perStep(View v) {
        return v.cut() == Buffer.Cut.STEPS || v.cut() == Buffer.Cut.GATES && v.source() instanceof View;
    }

    /** The buffer a view's memory belongs to. */
    private static Owned root(View v) {
        ViewSource source = v.source();
        while (source instanceof View inner) {
            source = inner.source();
        }
        return (Owned) source;
    }

    // ---------------------------------------------------------------------------------------------
    // Freeing

    /**
     * Frees every buffer that is not {@link Lifetime#BACKWARD}: those the constructor made, and
     * those a first forward pass made, if it did.
     */
    CodeBlock close(List<Buffer> buffers, Locals locals) {
        CodeBlock.Builder code = CodeBlock.builder();
        for (Buffer b : buffers) {
            if (b.lifetime() == Lifetime.SEGMENT) {
                free(code, b, locals);
            } else if (b.lifetime() != Lifetime.BACKWARD && b instanceof Owned) {
                code.beginControlFlow("if ($N != null)", name(b));
                free(code, b, locals);
                code.endControlFlow();
            }
        }
        return code.build();
    }

    /** Frees the {@link Lifetime#BACKWARD} buffers; only where the first backward() made them. */
    CodeBlock closeBackward(List<Buffer> buffers, Locals locals) {
        CodeBlock.Builder code = CodeBlock.builder();
        for (Buffer b : buffers) {
            if (b.lifetime() == Lifetime.BACKWARD) {
                free(code, b, locals);
            }
        }
        return code.build();
    }

    private void free(CodeBlock.Builder code, Buffer b, Locals locals) {
        if (b instanceof Owned o && o.perGate()) {
            String m = locals.get("m");
            code.beginControlFlow("for ($T $N : $N)", TypeNames.MAT, m, name(b))
                    .addStatement("$N.close()", m)
                    .endControlFlow();
        } else if (b instanceof Owned || b instanceof Resource) {
            code.addStatement("$N.close()", name(b));
        }
    }
}
