package dev.vdrop.processor;

import com.palantir.javapoet.CodeBlock;
import java.util.HashMap;
import java.util.Map;

/**
 * Writes the body of one generated method. Templates read like the Java they produce, with
 * JavaPoet's named arguments for everything that has a name: {@code $hPrev:N} for a local,
 * allocated through the method's {@link Locals}; {@code $hStep:N} for a field, named by
 * {@link Names}; {@code $mat:T} for a type; {@code $units:L} for a size. A template that names
 * an argument the body does not have fails at generation time, so a forgotten name cannot slip
 * into the output as a fixed string.
 */
final class Body {
    private final CodeBlock.Builder code = CodeBlock.builder();
    private final Map<String, Object> args = new HashMap<>();
    private final Locals locals;

    Body(Locals locals) {
        this.locals = locals;
        arg("mat", TypeNames.MAT);
        arg("matArray", TypeNames.MAT_ARRAY);
        arg("blas", TypeNames.BLAS);
        arg("lstmCell", TypeNames.LSTM_CELL);
        arg("gruCell", TypeNames.GRU_CELL);
        arg("checks", TypeNames.CHECKS);
        arg("outputsType", TypeNames.OUTPUTS);
        arg("illegalArgument", TypeNames.ILLEGAL_ARGUMENT);
    }

    /** A field, size or type the templates refer to as {@code $key:N}, {@code $key:L} or {@code $key:T}. */
    Body arg(String key, Object value) {
        Object previous = args.putIfAbsent(key, value);
        if (previous != null && !previous.equals(value)) {
            throw new IllegalArgumentException("$" + key + " is " + previous + " already, not " + value);
        }
        return this;
    }

    /** Locals (and parameters) the templates refer to by the name they ask for: {@code $t:N}. */
    Body locals(String... suggestions) {
        for (String suggestion : suggestions) {
            arg(suggestion, locals.get(suggestion));
        }
        return this;
    }

    /** A local the templates refer to as {@code $key:N}, asking for another name than the key. */
    Body local(String key, String suggestion) {
        return arg(key, locals.get(suggestion));
    }

    /** The name of a local, for a parameter declaration or a positional format. */
    String name(String suggestion) {
        return locals.get(suggestion);
    }

    Locals names() {
        return locals;
    }

    Body statement(String template) {
        code.addNamed("$[" + template + ";\n$]", args);
        return this;
    }

    Body begin(String template) {
        code.addNamed(template + " {\n$>", args);
        return this;
    }

    Body next(String template) {
        code.addNamed("$<} " + template + " {\n$>", args);
        return this;
    }

    Body end() {
        code.add("$<}\n");
        return this;
    }

    /** Ends a block opened by {@link #begin} as a lambda, the last argument of a call: {@code });}. */
    Body endLambdaArgument() {
        code.add("$<});\n");
        return this;
    }

    /** A comment, usually an equation; {@code $L} arguments as in {@link CodeBlock#add}. */
    Body comment(String format, Object... values) {
        code.add("// " + format + "\n", values);
        return this;
    }

    CodeBlock build() {
        return code.build();
    }
}
