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

    /** The fields of {@code buffers}: final when the constructor makes them and nothing repoints them. */
    List<FieldSpec> fields(List<Buffer> buffers) {
        List<FieldSpec> fields = new ArrayList<>();
        for (Buffer b : buffers) {
            FieldSpec.Builder field = FieldSpec.builder(b.type(), name(b), Modifier.PRIVATE);
            if (b.lifetime() == Lifetime.SEGMENT && !(b instanceof Pointer)) {
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
            case STEPS -> v.source().isArray() ? "[g][t], " + v.rows() + " × B"
                    : steps(columns(v.source())) + " blocks of " + v.rows() + " × B";
            case GATES -> v.source().isArray() ? "[t][g], " + v.rows() + " × B"
                    : "4 blocks of " + v.rows() + " × " + columns(v.source()).doc();
        };
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
        if (columns.equals(Extent.CARRIED_AND_STEPS)) {
            return "T+1";
        }
        return columns.equals(Extent.CHUNK) ? "chunkSteps" : "T";
    }

    // ---------------------------------------------------------------------------------------------
    // Making

    /**
     * Makes the buffers of one lifetime, in table order: allocations, views right after what they
     * cut, pointers at their first target. Needs {@code dataType}, {@code batch}, {@code steps},
     * {@code columns} (and {@code chunkSteps} for a chunk) in scope.
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
            code.addStatement("$N = new $T[] {$L, $L, $L, $L}", field, TypeNames.MAT, zeros, zeros, zeros, zeros);
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
                if (v.rows() == ((Owned) v.source()).rows()) {
                    code.addStatement("$N = $L", field, source);
                } else {
                    code.addStatement("$N = $L.prefix($L, $L)", field, source, v.rows(), columns(v.source()).code());
                }
            }
            case STEPS -> {
                if (v.source().isArray()) {
                    String gate = locals.get("gate");
                    code.addStatement("$N = new $T[4][]", field, TypeNames.MAT)
                            .beginControlFlow("for (int $N = 0; $N < 4; $N++)", gate, gate, gate)
                            .addStatement("$N[$N] = $L[$N].columnBlocks(batch)", field, gate, source, gate)
                            .endControlFlow();
                } else {
                    code.addStatement("$N = $L.columnBlocks(batch)", field, source);
                }
            }
            case GATES -> {
                if (v.source().isArray()) {
                    String t = locals.get("t");
                    code.addStatement("$N = new $T[steps][]", field, TypeNames.MAT)
                            .beginControlFlow("for (int $N = 0; $N < steps; $N++)", t, t, t)
                            .addStatement("$N[$N] = $L[$N].rowBlocks($L)", field, t, source, t, v.rows())
                            .endControlFlow();
                } else {
                    code.addStatement("$N = $L.rowBlocks($L)", field, source, v.rows());
                }
            }
        }
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
