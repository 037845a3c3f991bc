package dev.vdrop.processor;

import com.palantir.javapoet.CodeBlock;
import java.util.ArrayList;
import java.util.List;

/**
 * A size of the generated code that may come from the data: a literal written in the annotation,
 * or — when the annotation leaves it out — the network's final field of that name, set when the
 * network is built ({@code vocabulary}, {@code classes}, {@code features}, {@code outputs}; see
 * {@link DataSize}). {@link #toString()} is how the generated code writes it, the literal or the
 * field's name, so templates take it as {@code $L} and javadoc reads {@code 16 × vocabulary}.
 * Units, dropout and layout are never a {@code Dim}: they stay literals.
 *
 * @param value the literal, or 0 for a size from the data
 * @param fromData the size from the data, or null for a literal
 */
record Dim(int value, DataSize fromData) {
    static Dim of(int value) {
        return new Dim(value, null);
    }

    static Dim of(DataSize size) {
        return new Dim(0, size);
    }

    /** Whether the annotation writes it. */
    boolean declared() {
        return fromData == null;
    }

    @Override
    public String toString() {
        return declared() ? Integer.toString(value) : fromData.field();
    }

    /**
     * A Java string expression of text and sizes: one literal when every size is declared
     * ({@code "(B, T, 100)"}), else the literals and the fields concatenated
     * ({@code "(B, T, " + classes + ")"}).
     */
    static CodeBlock text(Object... parts) {
        List<CodeBlock> pieces = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        for (Object part : parts) {
            if (part instanceof Dim d && !d.declared()) {
                if (literal.length() > 0) {
                    pieces.add(CodeBlock.of("$S", literal.toString()));
                    literal.setLength(0);
                }
                pieces.add(CodeBlock.of("$N", d.fromData().field()));
            } else {
                literal.append(part);
            }
        }
        if (literal.length() > 0 || pieces.isEmpty()) {
            pieces.add(CodeBlock.of("$S", literal.toString()));
        }
        return CodeBlock.join(pieces, " + ");
    }
}
