package dev.vdrop.processor;

import dev.vdrop.processor.NetworkSpec.LayerSpec;
import dev.vdrop.processor.NetworkSpec.RegressionOutput;
import dev.vdrop.processor.NetworkSpec.SoftmaxOutput;
import dev.vdrop.processor.NetworkSpec.TokenInput;
import com.palantir.javapoet.CodeBlock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;

/**
 * The parameter tensors of a network, in their fixed order, with the Java field that holds each
 * one: the layer's name and a suffix ({@code lstm1W}, {@code decoderBias}), allocated by
 * {@link Names} after every fixed name of the generated classes, so a field never collides with
 * another, nor with the code's own names.
 */
final class Params {
    /**
     * One parameter.
     *
     * @param layer the layer's field name
     * @param symbol the symbol of the maths, {@code W}, {@code U}, {@code b}, {@code E}, {@code D}, {@code d} or {@code s}
     * @param field the generated Java field holding it
     * @param rows rows of the matrix (a vector is one column)
     * @param cols columns
     * @param initialised whether it starts uniform (weights) rather than zero (biases, log-variances)
     * @param doc one line of javadoc
     */
    record Param(String layer, String symbol, String field, Dim rows, Dim cols, boolean initialised, String doc) {
        String name() {
            return layer + "." + symbol;
        }

        /** {@code 800×200}, {@code 800}: the parts for {@link Dim#text}. */
        List<Object> shape() {
            return cols.equals(Dim.of(1)) ? List.of(rows) : List.of(rows, "×", cols);
        }
    }

    private final List<Param> all;

    private Params(List<Param> all) {
        this.all = List.copyOf(all);
    }

    static Params of(NetworkSpec spec, Names names) {
        List<Param> params = new ArrayList<>();
        if (spec.input() instanceof TokenInput t) {
            params.add(param(names, t.field(), "E", t.width(), t.vocabulary(), true,
                    "Embedding E of {@code " + t.field() + "}: " + t.embeddingSize() + " × " + t.vocabulary()
                            + "; column w is the vector of word w."));
        }
        for (LayerSpec l : spec.recurrent()) {
            int h = l.units();
            int g = l.cell().gates() * h;
            String blocks = l.cell().gateNames();
            params.add(param(names, l.field(), "W", Dim.of(g), l.inputSize(), true,
                    "Input weights W of {@code " + l.field() + "}: " + g + " × " + l.inputSize()
                            + ", row blocks " + blocks + " of " + h + "."));
            params.add(param(names, l.field(), "U", Dim.of(g), Dim.of(h), true,
                    "Recurrent weights U of {@code " + l.field() + "}: " + g + " × " + h + ", row blocks " + blocks + "."));
            if (l.cell() == Cell.GRU) {
                params.add(param(names, l.field(), "b", Dim.of(g), Dim.of(1), false,
                        "Input bias b_x of {@code " + l.field() + "} (torch.nn.GRU's bias_ih): " + g + ", blocks " + blocks + "."));
                params.add(param(names, l.field(), "bh", Dim.of(g), Dim.of(1), false,
                        "Recurrent bias b_h of {@code " + l.field() + "} (torch.nn.GRU's bias_hh): " + g + ", blocks " + blocks
                                + "; b_hn is inside the reset gate, r ⊙ (U_n h̃ + b_hn)."));
            } else {
                params.add(param(names, l.field(), "b", Dim.of(g), Dim.of(1), false,
                        "Gate bias b of {@code " + l.field() + "}: " + g + ", blocks " + blocks + "."));
            }
        }
        String out = spec.output().field();
        int units = spec.lastRecurrent().units();
        Dim width = Dim.of(units);
        Dim one = Dim.of(1);
        if (spec.output() instanceof SoftmaxOutput s) {
            if (!s.tiedToEmbedding()) {
                // stored as Dᵀ, one column per class like an embedding: the decoder's three products
                // then read and write their 10,000-row operands in the orders OpenBLAS is fastest at
                params.add(param(names, out, "D", width, s.classes(), true,
                        "Decoder D of {@code " + out + "}, stored transposed: Dᵀ, " + width + " × " + s.classes()
                                + ", one column per class."));
            }
            params.add(param(names, out, "d", s.classes(), one, false,
                    "Decoder bias d of {@code " + out + "}: " + s.classes() + "."));
        } else {
            RegressionOutput r = (RegressionOutput) spec.output();
            params.add(param(names, out, "D", r.outputs(), width, true,
                    "Regression weights D of {@code " + out + "}: " + r.outputs() + " × " + width + "."));
            params.add(param(names, out, "d", r.outputs(), one, false,
                    "Regression bias d of {@code " + out + "}: " + r.outputs() + "."));
            params.add(param(names, out, "s", r.outputs(), one, false,
                    "Log-variance s of the observation noise of {@code " + out + "}: σ² = exp(s), " + r.outputs() + "."));
        }
        return new Params(params);
    }

    private static Param param(Names names, String layer, String symbol, Dim rows, Dim cols,
                               boolean initialised, String doc) {
        String suffix = symbol.equals("d") ? "Bias" : symbol.equals("s") ? "LogVariance" : symbol.equals("bh") ? "Bh"
                : symbol.toUpperCase(Locale.ROOT);
        String field = names.networkField(layer + suffix, "parameter " + layer + "." + symbol);
        return new Param(layer, symbol, field, rows, cols, initialised, doc);
    }

    List<Param> all() {
        return all;
    }

    Param get(String layer, String symbol) {
        return all.stream().filter(p -> p.layer().equals(layer) && p.symbol().equals(symbol)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no parameter " + layer + "." + symbol));
    }

    List<Param> of(String layer) {
        return all.stream().filter(p -> p.layer().equals(layer)).toList();
    }

    /** e.g. {@code "W 800×200, U 800×200, b 800"}, or {@code "E 200×" + vocabulary}: a Java string expression. */
    CodeBlock shapes(String layer) {
        List<Object> parts = new ArrayList<>();
        for (Param p : of(layer)) {
            if (!parts.isEmpty()) {
                parts.add(", ");
            }
            parts.add(p.symbol() + " ");
            parts.addAll(p.shape());
        }
        return Dim.text(parts.toArray());
    }

    /**
     * The number of values of a layer's parameters, a Java long expression: {@code 2112L}, or
     * {@code 200L * vocabulary} when a size comes from the data ({@code 32L * features + 288L}). No
     * parameter has two sizes from the data.
     */
    CodeBlock count(String layer) {
        long literal = 0;
        Map<Dim, Long> perSize = new LinkedHashMap<>();
        for (Param p : of(layer)) {
            if (p.rows().declared() && p.cols().declared()) {
                literal += (long) p.rows().value() * p.cols().value();
            } else {
                Dim data = p.rows().declared() ? p.cols() : p.rows();
                long factor = p.rows().declared() ? p.rows().value() : p.cols().value();
                perSize.merge(data, factor, Long::sum);
            }
        }
        List<CodeBlock> terms = new ArrayList<>();
        perSize.forEach((data, factor) ->
                terms.add(factor == 1 ? CodeBlock.of("(long) $L", data) : CodeBlock.of("$LL * $L", factor, data)));
        if (literal != 0 || terms.isEmpty()) {
            terms.add(CodeBlock.of("$LL", literal));
        }
        return CodeBlock.join(terms, " + ");
    }
}
