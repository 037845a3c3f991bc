package dev.vdrop.processor;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import dev.vdrop.dsl.Masks;
import dev.vdrop.processor.NetworkSpec.LstmSpec;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * The code of one LSTM layer inside the generated workspace ({@code Buffers}): its buffers, its masks, and
 * its forward and backward pass over a segment, specialised at generation time to the layer's
 * sizes and to which masks it has (a dropout of 0 generates no mask code at all).
 *
 * <p>Buffers of layer n, with H units, input width I, B sequences and T steps (TB columns):
 * {@code zn} the gates (4H × TB, pre-activations, then i, f, g, o in place), {@code hn} and
 * {@code cn} the hidden and cell states (H × (T+1)B, block 0 the state carried in), {@code tcn}
 * tanh(c_t), {@code dzn} the gate gradients, {@code dhNextn}/{@code dcNextn} the gradients flowing
 * back one step.
 */
final class LayerCode {
    private static final String[] GATES = {"i", "f", "g", "o"};

    private final LstmSpec l;
    private final String n;
    private final int h;
    private final int in;
    private final String w;
    private final String u;
    private final String bias;

    LayerCode(LstmSpec l, Params params) {
        this.l = l;
        this.n = Integer.toString(l.index() + 1);
        this.h = l.units();
        this.in = l.inputSize();
        this.w = params.get(l.field(), "W").field();
        this.u = params.get(l.field(), "U").field();
        this.bias = params.get(l.field(), "b").field();
    }

    boolean hasInputMask() {
        return l.input() > 0;
    }

    boolean hasRecurrentMask() {
        return l.recurrent() > 0 && l.masks() != Masks.PER_STEP;
    }

    boolean hasOutputMask() {
        return l.output() > 0;
    }

    /** One U' for all gates (not per-gate masks on h): its steps' products go through a RecurrentWeights. */
    private boolean stepProduct() {
        return !(untied() && hasRecurrentMask());
    }

    boolean untied() {
        return l.masks() == Masks.UNTIED;
    }

    /**
     * Whether U' = U ⊙ M is kept whole in a buffer of the segment: only where BLAS multiplies U'
     * gate by gate (untied recurrent masks); {@code RecurrentWeights} applies M while laying U out.
     */
    private boolean keepsDroppedU() {
        return weightDrop() && !stepProduct();
    }

    boolean perStep() {
        return l.masks() == Masks.PER_STEP;
    }

    boolean weightDrop() {
        return l.weightDrop() > 0;
    }

    String name(String base) {
        return base + n;
    }

    /** The layer's output y (H × TB): the masked copy, or a view of h. */
    String output() {
        return name("y");
    }

    String outputGradient() {
        return name("dy");
    }

    String forwardMethod() {
        return "forwardLayer" + n;
    }

    String backwardMethod() {
        return "backwardLayer" + n;
    }

    // ---------------------------------------------------------------------------------------------
    // Fields and their allocation

    List<FieldSpec> fields() {
        List<FieldSpec> fields = new ArrayList<>();
        if (chunksInput()) {
            fields.add(FieldSpec.builder(TypeNames.MAT, name("z"), Modifier.PRIVATE)
                    .addJavadoc("Gates i, f, g, o: $L × TB, pre-activations z_t, then activations, kept for backward()\n", 4 * h)
                    .addJavadoc("(allocated by the first forward pass with targets).\n").build());
            fields.add(FieldSpec.builder(TypeNames.MAT, name("zChunk"), Modifier.PRIVATE)
                    .addJavadoc("A pass without targets: z_t of chunkSteps steps at a time, $L × (chunkSteps·B), in the\n", 4 * h)
                    .addJavadoc("segment's zChunk (made with it).\n").build());
        } else {
            fields.add(field("z", "gates i, f, g, o: " + 4 * h + " × TB, pre-activations z_t, then activations"));
        }
        fields.add(field("h", "hidden states h_{t-1} for t = 0 … T: " + h + " × (T+1)B; block 0 is the state carried in"));
        fields.add(field("c", "cell states, like h"));
        fields.add(field("tc", "tanh(c_t): " + h + " × TB"));
        fields.add(backwardField("dz", "∂L/∂z_t: " + 4 * h + " × TB"));
        fields.add(backwardField("dhNext", "∂L/∂h_t flowing back from step t+1: " + h + " × B"));
        fields.add(backwardField("dcNext", "∂L/∂c_t flowing back from step t+1: " + h + " × B"));
        fields.add(backwardField("dy", "∂L/∂y_t, the gradient of the layer's output: " + h + " × TB"));
        fields.add(arrayField("hStep", "h_{t-1} of step t as a view of h: T+1 blocks of " + h + " × B"));
        if (chunksInput()) {
            fields.add(FieldSpec.builder(TypeNames.MAT_ARRAY, name("zStep"), Modifier.PRIVATE)
                    .addJavadoc("z_t of step t as a view of z: T blocks of $L × B (made with z).\n", 4 * h).build());
            fields.add(FieldSpec.builder(TypeNames.MAT_ARRAY, name("zChunkStep"), Modifier.PRIVATE)
                    .addJavadoc("The blocks of zChunk, $L × B each (made with it).\n", 4 * h).build());
        } else {
            fields.add(arrayField("zStep", "z_t of step t as a view of z: T blocks of " + 4 * h + " × B"));
        }
        fields.add(backwardArrayField("dzStep", "∂L/∂z_t of step t as a view of dz"));
        fields.add(arrayField("cStep", "c_{t-1} of step t as a view of c: T+1 blocks of " + h + " × B"));
        fields.add(arrayField("tcStep", "tanh(c_t) of step t as a view of tc"));
        fields.add(backwardArrayField("dyStep", "∂L/∂y_t of step t as a view of dy"));
        if (stepProduct()) {
            fields.add(FieldSpec.builder(TypeNames.RECURRENT_WEIGHTS, name("uSteps"), Modifier.PRIVATE, Modifier.FINAL)
                    .initializer("new $T()", TypeNames.RECURRENT_WEIGHTS)
                    .addJavadoc("U' laid out for the products of every step: U' forward, U'ᵀ backward.\n").build());
        }
        if (untied()) {
            fields.add(FieldSpec.builder(TypeNames.MAT_2D, name("zGate"), Modifier.PRIVATE, Modifier.FINAL)
                    .addJavadoc("Gate g of z_t as a view: [t][g], " + h + " × B.\n").build());
            fields.add(FieldSpec.builder(TypeNames.MAT_2D, name("dzGate"), Modifier.PRIVATE)
                    .addJavadoc("Gate g of ∂L/∂z_t as a view: [t][g], " + h + " × B (made by the first backward()).\n").build());
        }
        fields.add(FieldSpec.builder(TypeNames.MAT, name("y"), Modifier.PRIVATE)
                .addJavadoc("The layer's output y_t = h_t ⊙ m_y: $L × TB.\n", h).build());
        fields.add(FieldSpec.builder(TypeNames.MAT, name("xIn"), Modifier.PRIVATE)
                .addJavadoc("The input the gates saw, x̃_t = x_t ⊙ m_x (kept for ∂W).\n").build());
        fields.add(FieldSpec.builder(TypeNames.MAT, name("hIn"), Modifier.PRIVATE)
                .addJavadoc("The recurrent input the gates saw, h̃_{t-1} = h_{t-1} ⊙ m_h (kept for ∂U).\n").build());
        if (hasInputMask()) {
            if (untied()) {
                fields.add(arrayField("xm", "x_t ⊙ m_x^g per gate g: " + in + " × TB each"));
                fields.add(arrayField("maskX", "input masks m_x^g, one per gate and sequence: " + in + " × B each"));
                fields.add(backwardField("dxGate", "one gate's share of ∂L/∂x: " + in + " × TB"));
            } else {
                fields.add(field("xm", "x_t ⊙ m_x: " + in + " × TB"));
                fields.add(field("maskX", perStep()
                        ? "input mask m_x, fresh at every step: " + in + " × TB"
                        : "input mask m_x, one per sequence: " + in + " × B"));
            }
        }
        if (hasRecurrentMask()) {
            if (untied()) {
                fields.add(arrayField("hm", "h_{t-1} ⊙ m_h^g per gate g: " + h + " × TB each"));
                fields.add(FieldSpec.builder(TypeNames.MAT_2D, name("hmStep"), Modifier.PRIVATE, Modifier.FINAL)
                        .addJavadoc("Step t of h_{t-1} ⊙ m_h^g as a view: [g][t], " + h + " × B.\n").build());
                fields.add(arrayField("maskH", "recurrent masks m_h^g, one per gate and sequence: " + h + " × B each"));
                fields.add(backwardField("dhGate", "one gate's share of ∂L/∂h_{t-1}: " + h + " × B"));
                fields.add(arrayField("uGates", "the gate blocks U_i, U_f, U_g, U_o of U as views"));
                if (weightDrop()) {
                    fields.add(arrayField("uDroppedGates", "the gate blocks of U' as views"));
                }
            } else {
                fields.add(field("hm", "h_{t-1} ⊙ m_h: " + h + " × TB"));
                fields.add(arrayField("hmStep", "step t of h_{t-1} ⊙ m_h as a view: T blocks of " + h + " × B"));
                fields.add(field("maskH", "recurrent mask m_h, one per sequence: " + h + " × B"));
            }
        }
        if (hasOutputMask()) {
            fields.add(field("ym", "h_t ⊙ m_y: " + h + " × TB"));
            fields.add(field("maskY", perStep()
                    ? "output mask m_y, fresh at every step: " + h + " × TB"
                    : "output mask m_y, one per sequence: " + h + " × B"));
        }
        if (weightDrop()) {
            fields.add(field("weightMask", "weight-drop mask M over U, one per forward pass: " + 4 * h + " × " + h));
            if (keepsDroppedU()) {
                fields.add(field("uDropped", "U' = U ⊙ M: " + 4 * h + " × " + h));
            }
            fields.add(backwardField("dUDropped", "∂L/∂U': " + 4 * h + " × " + h));
        }
        return fields;
    }

    private FieldSpec field(String base, String doc) {
        return FieldSpec.builder(TypeNames.MAT, name(base), Modifier.PRIVATE, Modifier.FINAL).addJavadoc("$L.\n", doc).build();
    }

    /** A buffer only the backward pass uses: allocated by the first backward(), so prediction never pays for it. */
    private FieldSpec backwardField(String base, String doc) {
        return FieldSpec.builder(TypeNames.MAT, name(base), Modifier.PRIVATE)
                .addJavadoc("$L (allocated by the first backward()).\n", doc).build();
    }

    private FieldSpec backwardArrayField(String base, String doc) {
        return FieldSpec.builder(TypeNames.MAT_ARRAY, name(base), Modifier.PRIVATE)
                .addJavadoc("$L (made by the first backward()).\n", doc).build();
    }

    private FieldSpec arrayField(String base, String doc) {
        return FieldSpec.builder(TypeNames.MAT_ARRAY, name(base), Modifier.PRIVATE, Modifier.FINAL)
                .addJavadoc("$L.\n", doc).build();
    }

    /** Statements for the Buffers constructor; {@code columns} = TB and {@code batch} = B are in scope. */
    CodeBlock allocate() {
        CodeBlock.Builder b = CodeBlock.builder();
        b.add("// layer $L, $L: $L → $L\n", n, l.field(), in, h);
        if (!chunksInput()) {
            alloc(b, "z", 4 * h, "columns");
        }
        alloc(b, "h", h, "columns + batch");
        alloc(b, "c", h, "columns + batch");
        alloc(b, "tc", h, "columns");
        if (hasInputMask()) {
            if (untied()) {
                allocArray(b, "xm", in, "columns");
                allocArray(b, "maskX", in, "batch");
            } else {
                alloc(b, "xm", in, "columns");
                alloc(b, "maskX", in, perStep() ? "columns" : "batch");
            }
        }
        if (hasRecurrentMask()) {
            if (untied()) {
                allocArray(b, "hm", h, "columns");
                allocArray(b, "maskH", h, "batch");
            } else {
                alloc(b, "hm", h, "columns");
                alloc(b, "maskH", h, "batch");
            }
        }
        if (hasOutputMask()) {
            alloc(b, "ym", h, "columns");
            alloc(b, "maskY", h, perStep() ? "columns" : "batch");
        }
        if (weightDrop()) {
            alloc(b, "weightMask", 4 * h, Integer.toString(h));
            if (keepsDroppedU()) {
                alloc(b, "uDropped", 4 * h, Integer.toString(h));
            }
        }
        b.addStatement("$L = $L.columnBlocks(batch)", name("hStep"), name("h"));
        if (!chunksInput()) {
            b.addStatement("$L = $L.columnBlocks(batch)", name("zStep"), name("z"));
        }
        b.addStatement("$L = $L.columnBlocks(batch)", name("cStep"), name("c"));
        b.addStatement("$L = $L.columnBlocks(batch)", name("tcStep"), name("tc"));
        if (untied()) {
            b.addStatement("$L = new $T[steps][]", name("zGate"), TypeNames.MAT);
            b.beginControlFlow("for (int t = 0; t < steps; t++)")
                    .addStatement("$L[t] = $L[t].rowBlocks($L)", name("zGate"), name("zStep"), h)
                    .endControlFlow();
        }
        if (hasRecurrentMask()) {
            if (untied()) {
                b.addStatement("$L = $L.value().rowBlocks($L)", name("uGates"), u, h);
                if (weightDrop()) {
                    b.addStatement("$L = $L.rowBlocks($L)", name("uDroppedGates"), name("uDropped"), h);
                }
                b.addStatement("$L = new $T[4][]", name("hmStep"), TypeNames.MAT);
                b.beginControlFlow("for (int gate = 0; gate < 4; gate++)")
                        .addStatement("$L[gate] = $L[gate].columnBlocks(batch)", name("hmStep"), name("hm"))
                        .endControlFlow();
            } else {
                b.addStatement("$L = $L.columnBlocks(batch)", name("hmStep"), name("hm"));
            }
        }
        b.addStatement("$L = $L.columns(batch, columns)", name("y"), name("h"));
        return b.build();
    }

    /**
     * Whether a forward pass without targets computes this layer's input term a few steps at a time
     * (one product per chunk, {@code dev.vdrop.runtime.internal.InputChunks}) instead of keeping z for every
     * step: every layer but those with untied masks, whose four gate products stay per segment.
     */
    boolean chunksInput() {
        return !untied();
    }

    /** Statements for the segment's allocateForward(), in a pass with targets: z for every step, once. */
    CodeBlock allocateGates() {
        return CodeBlock.builder()
                .beginControlFlow("if ($L == null)", name("z"))
                .addStatement("$L = $T.zeros(dataType, $L, columns)", name("z"), TypeNames.MAT, gates())
                .addStatement("$L = $L.columnBlocks(batch)", name("zStep"), name("z"))
                .endControlFlow()
                .build();
    }

    /** The rows of z: the gates i, f, g, o of every unit. */
    int gates() {
        return 4 * h;
    }

    /**
     * Statements for the segment's allocateForward(), in a pass without targets: this layer's views
     * of the segment's zChunk, {@code sharedRows} × (chunkSteps·B), just made.
     */
    CodeBlock allocateChunk(int sharedRows) {
        CodeBlock.Builder b = CodeBlock.builder();
        if (gates() == sharedRows) {
            b.addStatement("$L = zChunk", name("zChunk"));
        } else {
            b.addStatement("$L = zChunk.prefix($L, chunkSteps * batch)", name("zChunk"), gates());
        }
        return b.addStatement("$L = $L.columnBlocks(batch)", name("zChunkStep"), name("zChunk")).build();
    }

    /** Statements for the segment's allocateBackward(): the buffers only backward() uses. */
    CodeBlock allocateBackward() {
        CodeBlock.Builder b = CodeBlock.builder();
        alloc(b, "dz", 4 * h, "columns");
        alloc(b, "dhNext", h, "batch");
        alloc(b, "dcNext", h, "batch");
        alloc(b, "dy", h, "columns");
        if (hasInputMask() && untied()) {
            alloc(b, "dxGate", in, "columns");
        }
        if (hasRecurrentMask() && untied()) {
            alloc(b, "dhGate", h, "batch");
        }
        if (weightDrop()) {
            alloc(b, "dUDropped", 4 * h, Integer.toString(h));
        }
        b.addStatement("$L = $L.columnBlocks(batch)", name("dzStep"), name("dz"));
        b.addStatement("$L = $L.columnBlocks(batch)", name("dyStep"), name("dy"));
        if (untied()) {
            b.addStatement("$L = new $T[steps][]", name("dzGate"), TypeNames.MAT);
            b.beginControlFlow("for (int t = 0; t < steps; t++)")
                    .addStatement("$L[t] = $L[t].rowBlocks($L)", name("dzGate"), name("dzStep"), h)
                    .endControlFlow();
        }
        return b.build();
    }

    private void alloc(CodeBlock.Builder b, String base, int rows, String cols) {
        b.addStatement("$L = $T.zeros(dataType, $L, $L)", name(base), TypeNames.MAT, rows, cols);
    }

    private void allocArray(CodeBlock.Builder b, String base, int rows, String cols) {
        b.addStatement("$L = new $T[] {$T.zeros(dataType, $L, $L), $T.zeros(dataType, $L, $L), "
                        + "$T.zeros(dataType, $L, $L), $T.zeros(dataType, $L, $L)}", name(base), TypeNames.MAT,
                TypeNames.MAT, rows, cols, TypeNames.MAT, rows, cols, TypeNames.MAT, rows, cols, TypeNames.MAT, rows, cols);
    }

    // ---------------------------------------------------------------------------------------------
    // Masks

    /** Statements that sample this layer's masks from {@code rng}, in a fixed order. */
    CodeBlock sampleMasks() {
        CodeBlock.Builder b = CodeBlock.builder();
        if (hasInputMask()) {
            sample(b, "maskX", l.input(), untied());
        }
        if (hasRecurrentMask()) {
            sample(b, "maskH", l.recurrent(), untied());
        }
        if (hasOutputMask()) {
            sample(b, "maskY", l.output(), false);
        }
        if (weightDrop()) {
            b.addStatement("$T.sample($L, $L, rng)", TypeNames.DROPOUTS, name("weightMask"), l.weightDrop());
        }
        return b.build();
    }

    private void sample(CodeBlock.Builder b, String base, double p, boolean perGate) {
        if (perGate) {
            b.beginControlFlow("for ($T mask : $L)", TypeNames.MAT, name(base))
                    .addStatement("$T.sample(mask, $L, rng)", TypeNames.DROPOUTS, p)
                    .endControlFlow();
        } else {
            b.addStatement("$T.sample($L, $L, rng)", TypeNames.DROPOUTS, name(base), p);
        }
    }

    /** Statements that draw this layer's per-step masks again (none unless masks = PER_STEP). */
    CodeBlock resampleStepMasks() {
        CodeBlock.Builder b = CodeBlock.builder();
        if (perStep()) {
            if (hasInputMask()) {
                sample(b, "maskX", l.input(), false);
            }
            if (hasOutputMask()) {
                sample(b, "maskY", l.output(), false);
            }
        }
        return b.build();
    }

    /** Statements that put this layer's masks into the map {@code masks} under {@code field.x} etc. */
    CodeBlock listMasks() {
        CodeBlock.Builder b = CodeBlock.builder();
        if (hasInputMask()) {
            list(b, "x", "maskX", untied());
        }
        if (hasRecurrentMask()) {
            list(b, "h", "maskH", untied());
        }
        if (hasOutputMask()) {
            list(b, "y", "maskY", false);
        }
        if (weightDrop()) {
            b.addStatement("masks.put($S, $L)", l.field() + ".U", name("weightMask"));
        }
        return b.build();
    }

    private void list(CodeBlock.Builder b, String connection, String base, boolean perGate) {
        if (perGate) {
            for (int g = 0; g < 4; g++) {
                b.addStatement("masks.put($S, $L[$L])", l.field() + "." + connection + "." + GATES[g], name(base), g);
            }
        } else {
            b.addStatement("masks.put($S, $L)", l.field() + "." + connection, name(base));
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Forward

    MethodSpec forward() {
        MethodSpec.Builder m = MethodSpec.methodBuilder(forwardMethod()).addModifiers(Modifier.PRIVATE)
                .addParameter(TypeNames.MAT, "x")
                .addJavadoc("Forward through LSTM {@code $L} ($L → $L) over the segment; {@code x} is its input, $L × TB.\n",
                        l.field(), in, h, in);
        inputTerm(m);
        m.addStatement("$T u = $L.value()", TypeNames.MAT, u);
        if (keepsDroppedU()) {
            m.beginControlFlow("if (dropout)")
                    .addComment("U' = U ⊙ M: one weight mask for every sequence and step of the segment")
                    .addStatement("multiply($L, u, $L)", name("uDropped"), name("weightMask"))
                    .addStatement("u = $L", name("uDropped"))
                    .endControlFlow();
        }
        if (stepProduct() && weightDrop()) {
            m.addComment("U' = U ⊙ M (one weight mask for every sequence and step of the segment), laid out once");
            m.addComment("for the products of every step, M applied as it is laid out");
            m.addStatement("$L.load(u, dropout ? $L : null)", name("uSteps"), name("weightMask"));
        } else if (stepProduct()) {
            m.addComment("U' laid out once for the products of every step");
            m.addStatement("$L.load(u)", name("uSteps"));
        }
        m.addStatement("$T b = $L.value()", TypeNames.MAT, bias);
        declareGateBlocks(m);
        if (hasRecurrentMask()) {
            m.addStatement("$L = dropout ? $L : $L.columns(0, columns)", name("hIn"),
                    untied() ? "null" : name("hm"), name("h"));
        } else {
            m.addStatement("$L = $L.columns(0, columns)", name("hIn"), name("h"));
        }
        m.beginControlFlow("for (int t = 0; t < steps; t++)");
        m.addStatement("$T hPrev = $L[t]", TypeNames.MAT, name("hStep"));
        if (chunksInput()) {
            m.addStatement("$T zt", TypeNames.MAT);
            m.beginControlFlow("if (targets != null)")
                    .addStatement("zt = $L[t]", name("zStep"))
                    .nextControlFlow("else")
                    .addComment("without targets no gates are kept: z_t = W $L for chunkSteps steps at a time", inputSymbol())
                    .beginControlFlow("if (t % chunkSteps == 0)")
                    .addStatement("int count = Math.min(chunkSteps, steps - t)")
                    .addStatement("$T.gemm(false, false, 1, $L.value(), $L.columns(t * batch, count * batch), 0, $L.columns(0, count * batch))",
                            TypeNames.BLAS, w, name("xIn"), name("zChunk"))
                    .endControlFlow()
                    .addStatement("zt = $L[t % chunkSteps]", name("zChunkStep"))
                    .endControlFlow();
        } else {
            m.addStatement("$T zt = $L[t]", TypeNames.MAT, name("zStep"));
        }
        recurrentTerm(m);
        m.addComment("i = σ(z_i + b_i), f = σ(z_f + b_f), g = tanh(z_g + b_g), o = σ(z_o + b_o) (z_t ← the gates)");
        m.addComment("c_t = f ⊙ c_{t-1} + i ⊙ g,  h_t = o ⊙ tanh(c_t)");
        m.addStatement("$T.forward(zt, b, $L[t], $L[t + 1], $L[t], $L[t + 1])", TypeNames.LSTM_CELL, name("cStep"),
                name("cStep"), name("tcStep"), name("hStep"));
        m.endControlFlow();
        if (hasOutputMask()) {
            m.beginControlFlow("if (dropout)")
                    .addComment(perStep() ? "y_t = h_t ⊙ m_y, a fresh mask at every step"
                            : "y_t = h_t ⊙ m_y, one mask per sequence for every step")
                    .addStatement("$L($L, $L.columns(batch, columns), $L)", maskMethod(), name("ym"), name("h"), name("maskY"))
                    .addStatement("$L = $L", name("y"), name("ym"))
                    .nextControlFlow("else")
                    .addStatement("$L = $L.columns(batch, columns)", name("y"), name("h"))
                    .endControlFlow();
        }
        return m.build();
    }

    private String maskMethod() {
        return perStep() ? "maskPerStep" : "maskPerSequence";
    }

    private void inputTerm(MethodSpec.Builder m) {
        String shape = String.format("Z[%d × TB] = W[%d × %d] · X̃[%d × TB]", 4 * h, 4 * h, in, in);
        if (!hasInputMask()) {
            m.addStatement("$L = x", name("xIn"));
            wholeInputProduct(m, shape);
            return;
        }
        if (untied()) {
            m.beginControlFlow("if (dropout)");
            m.addComment("z_g,t = W_g (x_t ⊙ m_x^g) for each gate g and every step at once");
            m.beginControlFlow("for (int gate = 0; gate < 4; gate++)");
            m.addStatement("maskPerSequence($L[gate], x, $L[gate])", name("xm"), name("maskX"));
            m.addStatement("$T.gemm(false, false, 1, $L.value().rows(gate * $L, $L), $L[gate], 0, $L.rows(gate * $L, $L))",
                    TypeNames.BLAS, w, h, h, name("xm"), name("z"), h, h);
            m.endControlFlow();
            m.addStatement("$L = null", name("xIn"));
            m.nextControlFlow("else");
            m.addComment("z_t = W x_t for every step at once: $L", shape);
            m.addStatement("$L = x", name("xIn"));
            m.addStatement("$T.gemm(false, false, 1, $L.value(), x, 0, $L)", TypeNames.BLAS, w, name("z"));
            m.endControlFlow();
            return;
        }
        m.beginControlFlow("if (dropout)")
                .addComment(perStep() ? "x̃_t = x_t ⊙ m_x, a fresh mask at every step"
                        : "x̃_t = x_t ⊙ m_x, one mask per sequence for every step")
                .addStatement("$L($L, x, $L)", maskMethod(), name("xm"), name("maskX"))
                .addStatement("$L = $L", name("xIn"), name("xm"))
                .nextControlFlow("else")
                .addStatement("$L = x", name("xIn"))
                .endControlFlow();
        wholeInputProduct(m, shape);
    }

    /** The input the products take: x̃_t when the layer masks it, else x_t. */
    private String inputSymbol() {
        return hasInputMask() ? "x̃_t" : "x_t";
    }

    /** Z = W X̃ for every step at once: always, or in a pass with targets when the input goes in chunks. */
    private void wholeInputProduct(MethodSpec.Builder m, String shape) {
        if (chunksInput()) {
            m.beginControlFlow("if (targets != null)");
        }
        m.addComment("z_t = W $L for every step at once: $L", inputSymbol(), shape);
        m.addStatement("$T.gemm(false, false, 1, $L.value(), $L, 0, $L)", TypeNames.BLAS, w, name("xIn"), name("z"));
        if (chunksInput()) {
            m.endControlFlow();
        }
    }

    /** {@code uGate}: the gate blocks of the U this pass uses, for untied recurrent masks. */
    private void declareGateBlocks(MethodSpec.Builder m) {
        if (untied() && hasRecurrentMask()) {
            m.addStatement("$T uGate = $L", TypeNames.MAT_ARRAY,
                    weightDrop() ? "dropout ? " + name("uDroppedGates") + " : " + name("uGates") : name("uGates"));
        }
    }

    private void recurrentTerm(MethodSpec.Builder m) {
        if (!hasRecurrentMask()) {
            m.addComment("z_t += U' h_{t-1}");
            m.addStatement("$L.multiply(hPrev, 1, zt)", name("uSteps"));
            return;
        }
        m.beginControlFlow("if (dropout)");
        if (untied()) {
            m.addComment("z_g,t += U'_g (h_{t-1} ⊙ m_h^g) for each gate g");
            m.beginControlFlow("for (int gate = 0; gate < 4; gate++)");
            m.addStatement("$T hm = $L[gate][t]", TypeNames.MAT, name("hmStep"));
            m.addStatement("maskPerSequence(hm, hPrev, $L[gate])", name("maskH"));
            m.addStatement("$T.gemm(false, false, 1, uGate[gate], hm, 1, $L[t][gate])", TypeNames.BLAS, name("zGate"));
            m.endControlFlow();
        } else {
            m.addComment("z_t += U' (h_{t-1} ⊙ m_h), one mask per sequence for every step");
            m.addStatement("$T hm = $L[t]", TypeNames.MAT, name("hmStep"));
            m.addStatement("maskPerSequence(hm, hPrev, $L)", name("maskH"));
            m.addStatement("$L.multiply(hm, 1, zt)", name("uSteps"));
        }
        m.nextControlFlow("else");
        m.addComment("z_t += U' h_{t-1}");
        if (stepProduct()) {
            m.addStatement("$L.multiply(hPrev, 1, zt)", name("uSteps"));
        } else {
            m.addStatement("$T.gemm(false, false, 1, u, hPrev, 1, zt)", TypeNames.BLAS);
        }
        m.endControlFlow();
    }

    // ---------------------------------------------------------------------------------------------
    // Backward

    /** Said where a product may overwrite a gradient: β is 0 for the first write after zeroing. */
    static final String OVERWRITE_NOTE = " (β = 0 for the first write after Gradients.zero: no clearing pass)";

    MethodSpec backward() {
        MethodSpec.Builder m = MethodSpec.methodBuilder(backwardMethod()).addModifiers(Modifier.PRIVATE)
                .addParameter(TypeNames.MAT, "dx")
                .addJavadoc("Backward through LSTM {@code $L}: from ∂L/∂y in {@code $L}, accumulates ∂W, ∂U, ∂b and\n",
                        l.field(), name("dy"))
                .addJavadoc("writes ∂L/∂x into {@code dx} ($L × TB), or skips it when {@code dx} is null.\n", in);
        if (hasOutputMask()) {
            m.addStatement("$T dy = $L", TypeNames.MAT, name("dy"));
            m.beginControlFlow("if (dropout)")
                    .addComment("∂L/∂h_t = ∂L/∂y_t ⊙ m_y")
                    .addStatement("$L(dy, dy, $L)", maskMethod(), name("maskY"))
                    .endControlFlow();
        }
        if (!stepProduct()) {
            m.addStatement("$T u = $L", TypeNames.MAT, keepsDroppedU() ? "dropout ? " + name("uDropped") + " : " + u + ".value()"
                    : u + ".value()");
        } else if (weightDrop()) {
            m.addComment("U'ᵀ = (U ⊙ M)ᵀ laid out once for the products of every step");
            m.addStatement("$L.loadTransposed($L.value(), dropout ? $L : null)", name("uSteps"), u, name("weightMask"));
        } else {
            m.addComment("U'ᵀ laid out once for the products of every step");
            m.addStatement("$L.loadTransposed($L.value())", name("uSteps"), u);
        }
        declareGateBlocks(m);
        m.addStatement("$L.zero()", name("dhNext"));
        m.addStatement("$L.zero()", name("dcNext"));
        m.beginControlFlow("for (int t = steps - 1; t >= 0; t--)");
        m.addStatement("$T zt = $L[t]", TypeNames.MAT, name("zStep"));
        m.addStatement("$T dzt = $L[t]", TypeNames.MAT, name("dzStep"));
        m.addComment("∂h = ∂y_t + ∂h_t from step t+1,  ∂c = ∂h ⊙ o ⊙ (1 − tanh² c_t) + ∂c_t from step t+1");
        m.addComment("∂z_i = ∂c ⊙ g ⊙ i(1−i),  ∂z_f = ∂c ⊙ c_{t-1} ⊙ f(1−f),  ∂z_g = ∂c ⊙ i ⊙ (1−g²),  ∂z_o = ∂h ⊙ tanh c_t ⊙ o(1−o)");
        m.addComment("∂c_{t-1} = ∂c ⊙ f");
        m.addStatement("$T.backward(zt, $L[t], $L[t], $L[t], $L, $L, dzt)", TypeNames.LSTM_CELL, name("tcStep"),
                name("cStep"), name("dyStep"), name("dhNext"), name("dcNext"));
        m.beginControlFlow("if (t > 0)");
        recurrentGradient(m);
        m.endControlFlow();
        m.endControlFlow();
        weightGradients(m);
        inputGradient(m);
        return m.build();
    }

    /** ∂L/∂h_{t-1} through z_t; the state carried in gets none (truncated BPTT). */
    private void recurrentGradient(MethodSpec.Builder m) {
        String dhNext = name("dhNext");
        if (!hasRecurrentMask()) {
            m.addComment("∂h_{t-1} = U'ᵀ ∂z_t");
            m.addStatement("$L.multiply(dzt, 0, $L)", name("uSteps"), dhNext);
            return;
        }
        m.beginControlFlow("if (dropout)");
        if (untied()) {
            m.addComment("∂h_{t-1} = Σ_g m_h^g ⊙ (U'_gᵀ ∂z_g,t)");
            m.addStatement("$L.zero()", dhNext);
            m.beginControlFlow("for (int gate = 0; gate < 4; gate++)");
            m.addStatement("$T.gemm(true, false, 1, uGate[gate], $L[t][gate], 0, $L)", TypeNames.BLAS, name("dzGate"),
                    name("dhGate"));
            m.addStatement("addMaskedPerSequence($L, $L, $L[gate])", dhNext, name("dhGate"), name("maskH"));
            m.endControlFlow();
        } else {
            m.addComment("∂h_{t-1} = m_h ⊙ (U'ᵀ ∂z_t)");
            m.addStatement("$L.multiply(dzt, 0, $L)", name("uSteps"), dhNext);
            m.addStatement("maskPerSequence($L, $L, $L)", dhNext, dhNext, name("maskH"));
        }
        m.nextControlFlow("else");
        m.addComment("∂h_{t-1} = U'ᵀ ∂z_t");
        if (stepProduct()) {
            m.addStatement("$L.multiply(dzt, 0, $L)", name("uSteps"), dhNext);
        } else {
            m.addStatement("$T.gemm(true, false, 1, u, dzt, 0, $L)", TypeNames.BLAS, dhNext);
        }
        m.endControlFlow();
    }

    private void weightGradients(MethodSpec.Builder m) {
        String dz = name("dz");
        m.addComment("∂b += Σ_t ∂z_t");
        m.addStatement("addColumnSums($L.gradient(), $L)", bias, dz);
        if (hasInputMask() && untied()) {
            m.beginControlFlow("if (dropout)");
            m.addComment("∂W_g += ∂Z_g X̃_gᵀ for each gate, over every step at once");
            m.beginControlFlow("for (int gate = 0; gate < 4; gate++)");
            m.addStatement("$T.gemm(false, true, 1, $L.rows(gate * $L, $L), $L[gate], 1, $L.gradient().rows(gate * $L, $L))",
                    TypeNames.BLAS, dz, h, h, name("xm"), w, h, h);
            m.endControlFlow();
            m.nextControlFlow("else");
            m.addComment("∂W += ∂Z Xᵀ over every step at once$L", OVERWRITE_NOTE);
            m.addStatement("$T.gemm(false, true, 1, $L, $L, $L.gradientBeta(), $L.gradient())", TypeNames.BLAS, dz, name("xIn"), w, w);
            m.endControlFlow();
        } else {
            m.addComment("∂W += ∂Z X̃ᵀ over every step at once$L", OVERWRITE_NOTE);
            m.addStatement("$T.gemm(false, true, 1, $L, $L, $L.gradientBeta(), $L.gradient())", TypeNames.BLAS, dz, name("xIn"), w, w);
        }
        String target = weightDrop() ? "dU" : u + ".gradient()";
        if (weightDrop()) {
            m.addStatement("double keepOld = dropout ? 0 : $L.gradientBeta()", u);
            m.addStatement("$T dU = dropout ? $L : $L.gradient()", TypeNames.MAT, name("dUDropped"), u);
        }
        String beta = weightDrop() ? "keepOld" : u + ".gradientBeta()";
        if (hasRecurrentMask() && untied()) {
            m.beginControlFlow("if (dropout)");
            m.addComment("∂U'_g = ∂Z_g H̃_gᵀ for each gate, over every step at once");
            m.beginControlFlow("for (int gate = 0; gate < 4; gate++)");
            m.addStatement("$T.gemm(false, true, 1, $L.rows(gate * $L, $L), $L[gate], $L, $L.rows(gate * $L, $L))",
                    TypeNames.BLAS, dz, h, h, name("hm"), weightDrop() ? "keepOld" : "1", target, h, h);
            m.endControlFlow();
            m.nextControlFlow("else");
            m.addComment("∂U' = ∂Z Hᵀ over every step at once");
            m.addStatement("$T.gemm(false, true, 1, $L, $L, $L, $L)", TypeNames.BLAS, dz, name("hIn"), beta, target);
            m.endControlFlow();
        } else {
            m.addComment("∂U' = ∂Z H̃ᵀ over every step at once (H̃ holds h̃_{t-1} in column block t)$L",
                    weightDrop() ? "" : OVERWRITE_NOTE);
            m.addStatement("$T.gemm(false, true, 1, $L, $L, $L, $L)", TypeNames.BLAS, dz, name("hIn"), beta, target);
        }
        if (weightDrop()) {
            m.beginControlFlow("if (dropout && $L.gradientBeta() == 0)", u)
                    .addComment("∂U = ∂U' ⊙ M, the first write since the gradients were zeroed")
                    .addStatement("multiply($L.gradient(), $L, $L)", u, name("dUDropped"), name("weightMask"))
                    .nextControlFlow("else if (dropout)")
                    .addComment("∂U += ∂U' ⊙ M")
                    .addStatement("addMasked($L.gradient(), $L, $L)", u, name("dUDropped"), name("weightMask"))
                    .endControlFlow();
        }
    }

    private void inputGradient(MethodSpec.Builder m) {
        m.beginControlFlow("if (dx == null)").addStatement("return").endControlFlow();
        if (hasInputMask() && untied()) {
            m.beginControlFlow("if (dropout)");
            m.addComment("∂x_t = Σ_g m_x^g ⊙ (W_gᵀ ∂z_g,t)");
            m.addStatement("dx.zero()");
            m.beginControlFlow("for (int gate = 0; gate < 4; gate++)");
            m.addStatement("$T.gemm(true, false, 1, $L.value().rows(gate * $L, $L), $L.rows(gate * $L, $L), 0, $L)",
                    TypeNames.BLAS, w, h, h, name("dz"), h, h, name("dxGate"));
            m.addStatement("addMaskedPerSequence(dx, $L, $L[gate])", name("dxGate"), name("maskX"));
            m.endControlFlow();
            m.nextControlFlow("else");
            m.addComment("∂x_t = Wᵀ ∂z_t for every step at once");
            m.addStatement("$T.gemm(true, false, 1, $L.value(), $L, 0, dx)", TypeNames.BLAS, w, name("dz"));
            m.endControlFlow();
            return;
        }
        m.addComment("∂x_t = Wᵀ ∂z_t for every step at once");
        m.addStatement("$T.gemm(true, false, 1, $L.value(), $L, 0, dx)", TypeNames.BLAS, w, name("dz"));
        if (hasInputMask()) {
            m.beginControlFlow("if (dropout)")
                    .addComment("∂x_t ⊙= m_x")
                    .addStatement("$L(dx, dx, $L)", maskMethod(), name("maskX"))
                    .endControlFlow();
        }
    }

    /** Statements that free the layer's own buffers (not the views into them). */
    CodeBlock close() {
        CodeBlock.Builder b = CodeBlock.builder();
        List<String> owned = new ArrayList<>(List.of("h", "c", "tc"));
        if (chunksInput()) {
            b.beginControlFlow("if ($L != null)", name("z")).addStatement("$L.close()", name("z")).endControlFlow();
        } else {
            owned.add(0, "z");
        }
        List<String> arrays = new ArrayList<>();
        if (hasInputMask()) {
            if (untied()) {
                arrays.addAll(List.of("xm", "maskX"));
            } else {
                owned.addAll(List.of("xm", "maskX"));
            }
        }
        if (hasRecurrentMask()) {
            if (untied()) {
                arrays.addAll(List.of("hm", "maskH"));
            } else {
                owned.addAll(List.of("hm", "maskH"));
            }
        }
        if (hasOutputMask()) {
            owned.addAll(List.of("ym", "maskY"));
        }
        if (weightDrop()) {
            owned.add("weightMask");
        }
        if (keepsDroppedU()) {
            owned.add("uDropped");
        }
        if (stepProduct()) {
            owned.add("uSteps");
        }
        for (String base : owned) {
            b.addStatement("$L.close()", name(base));
        }
        for (String base : arrays) {
            b.beginControlFlow("for ($T m : $L)", TypeNames.MAT, name(base)).addStatement("m.close()").endControlFlow();
        }
        return b.build();
    }

    /** Statements that free the buffers of {@link #allocateBackward()}, once they exist. */
    CodeBlock closeBackward() {
        CodeBlock.Builder b = CodeBlock.builder();
        List<String> owned = new ArrayList<>(List.of("dz", "dhNext", "dcNext", "dy"));
        if (hasInputMask() && untied()) {
            owned.add("dxGate");
        }
        if (hasRecurrentMask() && untied()) {
            owned.add("dhGate");
        }
        if (weightDrop()) {
            owned.add("dUDropped");
        }
        for (String base : owned) {
            b.addStatement("$L.close()", name(base));
        }
        return b.build();
    }

    /** Statements for {@code carryState()}: block 0 of h and c ← their last block. */
    CodeBlock carry() {
        return CodeBlock.builder()
                .addStatement("$L.columns(0, batch).copyFrom($L.columns(columns, batch))", name("h"), name("h"))
                .addStatement("$L.columns(0, batch).copyFrom($L.columns(columns, batch))", name("c"), name("c"))
                .build();
    }

    CodeBlock reset() {
        return CodeBlock.builder()
                .addStatement("$L.columns(0, batch).zero()", name("h"))
                .addStatement("$L.columns(0, batch).zero()", name("c"))
                .build();
    }

    String initialHidden() {
        return name("h") + ".columns(0, batch)";
    }

    String initialCell() {
        return name("c") + ".columns(0, batch)";
    }

    String finalHidden() {
        return name("h") + ".columns(columns, batch)";
    }

    String finalCell() {
        return name("c") + ".columns(columns, batch)";
    }
}
