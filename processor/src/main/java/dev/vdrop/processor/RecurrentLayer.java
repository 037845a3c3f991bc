package dev.vdrop.processor;

import dev.vdrop.dsl.Masks;
import dev.vdrop.processor.Buffer.Cut;
import dev.vdrop.processor.Buffer.Extent;
import dev.vdrop.processor.Buffer.Lifetime;
import dev.vdrop.processor.Buffer.Owned;
import dev.vdrop.processor.Buffer.Pointer;
import dev.vdrop.processor.Buffer.Resource;
import dev.vdrop.processor.Buffer.View;
import dev.vdrop.processor.NetworkSpec.LayerSpec;
import dev.vdrop.processor.ViewSource.ParameterValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One recurrent layer of the workspace, an LSTM or a GRU: how its code is specialised — its cell,
 * which masks it has, how its products run — and its buffers, described once in {@link #buffers()}
 * (see {@link Buffer}). Layer n (from 1) has H units and input width I; its gates z have 4H rows,
 * blocks i, f, g, o (an LSTM) or 3H rows, blocks r, u, n (a GRU).
 */
final class RecurrentLayer {
    private final LayerSpec spec;
    private final List<Buffer> buffers;

    /** {@code sharedChunk}: the workspace's chunk buffer, null when no layer takes its input in chunks. */
    RecurrentLayer(LayerSpec spec, Owned sharedChunk) {
        this.spec = spec;
        this.buffers = List.copyOf(table(sharedChunk));
    }

    LayerSpec spec() {
        return spec;
    }

    /** n, from 1: the suffix of the layer's fields and methods. */
    int number() {
        return spec.index() + 1;
    }

    /** H. */
    int units() {
        return spec.units();
    }

    /** I: the embedding size or the previous layer's units, or the features (which may come from the data). */
    Dim inputs() {
        return spec.inputSize();
    }

    Cell cell() {
        return spec.cell();
    }

    /** Whether the cell is a GRU (else an LSTM). */
    boolean gru() {
        return spec.cell() == Cell.GRU;
    }

    /** The gate blocks: 4 (i, f, g, o) or 3 (r, u, n). */
    int gates() {
        return spec.cell().gates();
    }

    /** 4H or 3H: the rows of z, the gates of every unit. */
    int gateRows() {
        return gates() * spec.units();
    }

    String forwardMethod() {
        return "forwardLayer" + number();
    }

    /** The steps of a pass of several weight-drop MC samples, sample by sample: see {@link #stepsBySample()}. */
    String samplesMethod() {
        return "forwardSamples" + number();
    }

    /**
     * Whether a pass of several MC samples runs this layer's steps sample by sample, each block of
     * columns through every step with its own U'_k: a layer with weight drop whose steps make one
     * product with U'. Products gate by gate (untied recurrent masks) go step by step through BLAS.
     */
    boolean stepsBySample() {
        return weightDrop() && stepProduct();
    }

    String backwardMethod() {
        return "backwardLayer" + number();
    }

    // ---------------------------------------------------------------------------------------------
    // What the code is specialised to; a dropout of 0 generates no mask code at all.

    boolean hasInputMask() {
        return spec.input() > 0;
    }

    boolean hasRecurrentMask() {
        return spec.recurrent() > 0 && spec.masks() != Masks.PER_STEP;
    }

    boolean hasOutputMask() {
        return spec.output() > 0;
    }

    boolean untied() {
        return spec.masks() == Masks.UNTIED;
    }

    boolean perStep() {
        return spec.masks() == Masks.PER_STEP;
    }

    boolean weightDrop() {
        return spec.weightDrop() > 0;
    }

    /** One U' for all gates (not per-gate masks on h): the steps' products go through a RecurrentWeights. */
    boolean stepProduct() {
        return !(untied() && hasRecurrentMask());
    }

    /**
     * Whether U' = U ⊙ M is kept whole in a buffer: only where BLAS multiplies U' gate by gate
     * (untied recurrent masks); {@code RecurrentWeights} applies M while laying U out.
     */
    boolean keepsDroppedU() {
        return weightDrop() && !stepProduct();
    }

    /**
     * Whether a forward pass without targets computes this layer's input term a few steps at a time
     * (one product per chunk, {@code dev.vdrop.runtime.internal.InputChunks}) instead of keeping z for every
     * step: every layer but those with untied masks, whose four gate products stay per segment.
     */
    boolean chunksInput() {
        return chunksInput(spec);
    }

    static boolean chunksInput(LayerSpec spec) {
        return spec.masks() != Masks.UNTIED;
    }

    // ---------------------------------------------------------------------------------------------
    // The buffers

    /** Every buffer of the layer, in the order of its fields. */
    List<Buffer> buffers() {
        return buffers;
    }

    /** The buffer whose field asks for {@code base + n}. */
    Buffer buffer(String base) {
        return find(base).orElseThrow(() -> new IllegalArgumentException("layer " + number() + " has no " + base));
    }

    Optional<Buffer> find(String base) {
        return buffers.stream().filter(b -> b.base().equals(base)).findFirst();
    }

    private List<Buffer> table(Owned sharedChunk) {
        int h = units();
        int g = gateRows();
        Dim in = inputs();
        int gates = untied() ? gates() : 0;
        List<Buffer> t = new ArrayList<>();
        // the gates and the state of every step
        Owned z = owned("z", g, Extent.STEPS, 0, chunksInput() ? Lifetime.WITH_TARGETS : Lifetime.SEGMENT,
                gru() ? "Gates r, u, n: the input terms W x̃_t, then the activations, kept for backward()"
                        : "Gates i, f, g, o: pre-activations z_t, then the activations, kept for backward()");
        View zStep = view("zStep", z, Cut.STEPS, g, "z_t of step t");
        t.addAll(List.of(z, zStep));
        if (untied()) {
            t.add(view("zGate", zStep, Cut.GATES, h, "Gate g of z_t"));
        }
        if (chunksInput()) {
            View zChunk = view("zChunk", sharedChunk, Cut.LEADING_ROWS, g,
                    "A pass without targets: z_t of chunkSteps steps at a time");
            t.addAll(List.of(zChunk, view("zChunkStep", zChunk, Cut.STEPS, g, "z_t of a step of the chunk")));
        }
        if (gru()) {
            Owned recurrentTerms = owned("zh", g, Extent.STEPS, 0, Lifetime.SEGMENT,
                    "The recurrent terms U' h̃_{t-1}; block n then holds U'_n h̃_{t-1} + b_hn, kept for backward()");
            View zhStep = view("zhStep", recurrentTerms, Cut.STEPS, g, "U' h̃_{t-1} of step t");
            t.addAll(List.of(recurrentTerms, zhStep));
            if (untied()) {
                t.add(view("zhGate", zhStep, Cut.GATES, h, "Gate g of U' h̃_{t-1}"));
            }
        }
        Owned hidden = owned("h", h, Extent.CARRIED_AND_STEPS, 0, Lifetime.SEGMENT,
                "Hidden states h_{t-1} for t = 0 … T; block 0 is the state carried in");
        t.addAll(List.of(hidden, view("hStep", hidden, Cut.STEPS, h, "h_{t-1} of step t")));
        if (!gru()) {
            Owned cell = owned("c", h, Extent.CARRIED_AND_STEPS, 0, Lifetime.SEGMENT,
                    "Cell states c_{t-1} for t = 0 … T; block 0 is the state carried in");
            Owned tanhCell = owned("tc", h, Extent.STEPS, 0, Lifetime.SEGMENT, "tanh(c_t)");
            t.addAll(List.of(cell, view("cStep", cell, Cut.STEPS, h, "c_{t-1} of step t"),
                    tanhCell, view("tcStep", tanhCell, Cut.STEPS, h, "tanh(c_t) of step t")));
        }
        t.add(new Pointer("y", number(), h, Extent.STEPS, Optional.of(hidden),
                "The layer's output y_t = h_t ⊙ m_y (the masked copy, or the steps of h)"));
        t.add(new Pointer("xIn", number(), in, Extent.STEPS, Optional.empty(),
                "The input the gates saw, x̃_t = x_t ⊙ m_x (kept for ∂W)"));
        t.add(new Pointer("hIn", number(), h, Extent.STEPS, Optional.empty(),
                "The recurrent input the gates saw, h̃_{t-1} = h_{t-1} ⊙ m_h, in the columns of z_t (kept for ∂U)"));
        t.add(owned("hPrevs", h, Extent.STEPS, 0, Lifetime.RAGGED,
                "h_{t-1} of every step in the columns of z_t, for ∂U after a ragged pass (after an equal one the"
                        + " steps of h are these columns already)"));
        // the masks and the masked copies
        if (hasInputMask()) {
            t.add(owned("xm", in, Extent.STEPS, gates, Lifetime.SEGMENT, gates > 0 ? "x_t ⊙ m_x^g for each gate g" : "x_t ⊙ m_x"));
            t.add(owned("maskX", in, perStep() ? Extent.STEPS : Extent.SEQUENCES, gates, Lifetime.SEGMENT,
                    gates > 0 ? "Input masks m_x^g, one per gate and sequence"
                            : perStep() ? "Input mask m_x, fresh at every step" : "Input mask m_x, one per sequence"));
            t.add(orderedMask("maskX", in, gates > 0 ? "The input masks m_x^g" : "The input mask m_x"));
        }
        if (hasRecurrentMask()) {
            Owned hm = owned("hm", h, Extent.STEPS, gates, Lifetime.SEGMENT,
                    gates > 0 ? "h_{t-1} ⊙ m_h^g for each gate g" : "h_{t-1} ⊙ m_h");
            t.addAll(List.of(hm, view("hmStep", hm, Cut.STEPS, h, gates > 0 ? "Step t of h_{t-1} ⊙ m_h^g" : "Step t of h_{t-1} ⊙ m_h")));
            t.add(owned("maskH", h, Extent.SEQUENCES, gates, Lifetime.SEGMENT,
                    gates > 0 ? "Recurrent masks m_h^g, one per gate and sequence" : "Recurrent mask m_h, one per sequence"));
            t.add(orderedMask("maskH", h, gates > 0 ? "The recurrent masks m_h^g" : "The recurrent mask m_h"));
            if (gates > 0) {
                t.add(view("uGates", new ParameterValue(spec.field(), "U", g, h), Cut.GATES, h,
                        gru() ? "The gate blocks U_r, U_u, U_n of U" : "The gate blocks U_i, U_f, U_g, U_o of U"));
            }
        }
        if (hasOutputMask()) {
            t.add(owned("ym", h, Extent.STEPS, 0, Lifetime.SEGMENT, "h_t ⊙ m_y"));
            t.add(owned("maskY", h, perStep() ? Extent.STEPS : Extent.SEQUENCES, 0, Lifetime.SEGMENT,
                    perStep() ? "Output mask m_y, fresh at every step" : "Output mask m_y, one per sequence"));
            t.add(orderedMask("maskY", h, "The output mask m_y"));
        }
        // the recurrent weights as the steps use them
        if (weightDrop()) {
            t.add(owned("weightMask", g, Extent.of(h), 0, Lifetime.SEGMENT, "Weight-drop mask M over U, one per forward pass"));
        }
        if (keepsDroppedU()) {
            Owned dropped = owned("uDropped", g, Extent.of(h), 0, Lifetime.SEGMENT, "U' = U ⊙ M");
            t.addAll(List.of(dropped, view("uDroppedGates", dropped, Cut.GATES, h, "The gate blocks of U'")));
        }
        if (stepProduct()) {
            t.add(new Resource("uSteps", number(), TypeNames.RECURRENT_WEIGHTS,
                    "U' laid out for the products of every step: U' forward, U'ᵀ backward"));
        }
        if (weightDrop()) {
            t.add(new Resource("uSamples", number(), TypeNames.SAMPLE_WEIGHTS,
                    "MC passes of several samples: each sample's block of rows with its own U' = U ⊙ M_k, forward only"));
        }
        // what only backward() uses
        Owned dz = owned("dz", g, Extent.STEPS, 0, Lifetime.BACKWARD, gru() ? "∂L/∂z_t, z_t = W x̃_t + b_x" : "∂L/∂z_t");
        View dzStep = view("dzStep", dz, Cut.STEPS, g, "∂L/∂z_t of step t");
        t.addAll(List.of(dz, dzStep));
        if (untied()) {
            t.add(view("dzGate", dzStep, Cut.GATES, h, "Gate g of ∂L/∂z_t"));
        }
        if (gru()) {
            Owned dzh = owned("dzh", g, Extent.STEPS, 0, Lifetime.BACKWARD, "∂L/∂(U' h̃_{t-1} + b_h)");
            View dzhStep = view("dzhStep", dzh, Cut.STEPS, g, "∂L/∂(U' h̃_{t-1} + b_h) of step t");
            t.addAll(List.of(dzh, dzhStep));
            if (untied()) {
                t.add(view("dzhGate", dzhStep, Cut.GATES, h, "Gate g of ∂L/∂(U' h̃_{t-1} + b_h)"));
            }
        }
        t.add(owned("dhNext", h, Extent.SEQUENCES, 0, Lifetime.BACKWARD, "∂L/∂h_t flowing back from step t+1"));
        if (!gru()) {
            t.add(owned("dcNext", h, Extent.SEQUENCES, 0, Lifetime.BACKWARD, "∂L/∂c_t flowing back from step t+1"));
        }
        Owned dy = owned("dy", h, Extent.STEPS, 0, Lifetime.BACKWARD, "∂L/∂y_t, the gradient of the layer's output");
        t.addAll(List.of(dy, view("dyStep", dy, Cut.STEPS, h, "∂L/∂y_t of step t")));
        if (hasInputMask() && untied()) {
            t.add(owned("dxGate", in, Extent.STEPS, 0, Lifetime.BACKWARD, "One gate's share of ∂L/∂x"));
        }
        if (hasRecurrentMask() && untied()) {
            t.add(owned("dhGate", h, Extent.SEQUENCES, 0, Lifetime.BACKWARD, "One gate's share of ∂L/∂h_{t-1}"));
        } else if (hasRecurrentMask() && gru()) {
            t.add(owned("dhGate", h, Extent.SEQUENCES, 0, Lifetime.BACKWARD,
                    "U'ᵀ ∂zh_t before the recurrent mask, added to the direct part u ⊙ ∂h of ∂L/∂h_{t-1}"));
        }
        if (weightDrop()) {
            t.add(owned("dUDropped", g, Extent.of(h), 0, Lifetime.BACKWARD, "∂L/∂U'"));
        }
        return t;
    }

    /**
     * The copy of a mask ({@code maskX}, {@code maskH}, {@code maskY}) in a ragged pass's order,
     * named {@link #ordered}: a per-sequence mask sorted (column j for the j-th longest sequence),
     * a per-step mask laid out in the pass's columns.
     */
    private Owned orderedMask(String mask, int rows, String what) {
        return orderedMask(mask, Dim.of(rows), what);
    }

    private Owned orderedMask(String mask, Dim rows, String what) {
        boolean perStepMask = perStep() && !mask.equals("maskH");
        int gates = untied() && !mask.equals("maskY") ? gates() : 0;
        return owned(ordered(mask), rows, perStepMask ? Extent.STEPS : Extent.SEQUENCES, gates, Lifetime.RAGGED,
                perStepMask ? what + " in the columns of a ragged pass: column off_t + j holds step t of the j-th"
                                + " longest sequence"
                        : what + " in the order of a ragged pass: column j is the j-th longest sequence's");
    }

    /** The base name of the copy of mask {@code base} in a ragged pass's order. */
    String ordered(String base) {
        boolean perStepMask = perStep() && !base.equals("maskH");
        return base + (perStepMask ? "Packed" : "Sorted");
    }

    /**
     * A body for one of this layer's methods: its buffers as {@code $base:N} ({@code $dz:N} for
     * {@code dz2}), its parameters as {@code $paramW:N}, {@code $paramU:N}, {@code $paramB:N} (and
     * a GRU's b_h as {@code $paramBh:N}), H as {@code $units:L} and the gate count as {@code $gates:L}.
     */
    Body body(Locals locals, BufferCode code, Params params) {
        Body body = new Body(locals);
        for (Buffer b : buffers) {
            body.arg(b.base(), code.name(b));
        }
        if (gru()) {
            body.arg("paramBh", params.get(spec.field(), "bh").field());
        }
        return body.arg("paramW", params.get(spec.field(), "W").field())
                .arg("paramU", params.get(spec.field(), "U").field())
                .arg("paramB", params.get(spec.field(), "b").field())
                .arg("units", units())
                .arg("gates", gates());
    }

    /** The elementwise method that applies this layer's input or output mask: per sequence, or per step. */
    String maskMethod() {
        return perStep() ? "maskPerStep" : "maskPerSequence";
    }

    private Owned owned(String base, int rows, Extent cols, int gates, Lifetime lifetime, String doc) {
        return owned(base, Dim.of(rows), cols, gates, lifetime, doc);
    }

    private Owned owned(String base, Dim rows, Extent cols, int gates, Lifetime lifetime, String doc) {
        return new Owned(base, number(), rows, cols, gates, lifetime, doc);
    }

    private View view(String base, ViewSource source, Cut cut, int rows, String doc) {
        return new View(base, number(), source, cut, rows, doc);
    }
}
