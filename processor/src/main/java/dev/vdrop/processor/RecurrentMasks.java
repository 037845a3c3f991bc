package dev.vdrop.processor;

import com.palantir.javapoet.CodeBlock;
import java.util.ArrayList;
import java.util.List;

/**
 * The dropout masks of one recurrent layer as the workspace handles them: sampled when a segment starts,
 * the per-step ones drawn again at every step, drawn keyed by example for prediction, listed by
 * name for inspection. Statements for the workspace's {@code sampleMasks} (both), {@code
 * resampleStepMasks} and {@code masks}, whose parameters and locals ({@code rng}, {@code keys},
 * {@code masks}, the loop's {@code mask}) come from {@code locals}.
 */
final class RecurrentMasks {
    /** How much of a batch one mask covers: a column per sequence, per step and sequence, or one matrix per pass. */
    private enum Extent {
        PER_SEQUENCE("sampleKeyedPerSequence"),
        PER_STEP("sampleKeyedPerStep"),
        PER_PASS("sampleKeyedPerPass");

        /** The {@code Dropouts} method that draws such a mask keyed by example. */
        final String keyedSampler;

        Extent(String keyedSampler) {
            this.keyedSampler = keyedSampler;
        }
    }

    /**
     * One mask of the layer.
     *
     * @param base the buffer's base name in the layer
     * @param connection what {@code masks()} calls it after the field: x, h, y, U
     * @param p its dropout probability
     * @param perGate one mask per gate (untied), named {@code .i .f .g .o} (an LSTM's) or {@code .r .u .n} (a GRU's)
     * @param extent what it covers
     */
    private record Mask(String base, String connection, double p, boolean perGate, Extent extent) {}

    private final RecurrentLayer layer;
    private final BufferCode code;

    RecurrentMasks(RecurrentLayer layer, BufferCode code) {
        this.layer = layer;
        this.code = code;
    }

    /** The layer's masks in their fixed order: x, h, y, then U. */
    private List<Mask> masks() {
        List<Mask> out = new ArrayList<>();
        Extent unit = layer.perStep() ? Extent.PER_STEP : Extent.PER_SEQUENCE;
        if (layer.hasInputMask()) {
            out.add(new Mask("maskX", "x", layer.spec().input(), layer.untied(), unit));
        }
        if (layer.hasRecurrentMask()) {
            out.add(new Mask("maskH", "h", layer.spec().recurrent(), layer.untied(), Extent.PER_SEQUENCE));
        }
        if (layer.hasOutputMask()) {
            out.add(new Mask("maskY", "y", layer.spec().output(), false, unit));
        }
        if (layer.weightDrop()) {
            out.add(new Mask("weightMask", "U", layer.spec().weightDrop(), false, Extent.PER_PASS));
        }
        return out;
    }

    /** Samples every mask of the layer from {@code rng}, in a fixed order: x, h, y, then U. */
    CodeBlock sample(Locals locals) {
        CodeBlock.Builder b = CodeBlock.builder();
        for (Mask mask : masks()) {
            sample(b, locals, mask);
        }
        return b.build();
    }

    /** Draws the per-step masks again (none unless masks = PER_STEP). */
    CodeBlock resampleStepMasks(Locals locals) {
        CodeBlock.Builder b = CodeBlock.builder();
        for (Mask mask : masks()) {
            if (mask.extent() == Extent.PER_STEP) {
                sample(b, locals, mask);
            }
        }
        return b.build();
    }

    private void sample(CodeBlock.Builder b, Locals locals, Mask m) {
        String mask = code.name(layer.buffer(m.base()));
        String rng = locals.get("rng");
        if (m.extent() == Extent.PER_PASS) {
            b.addStatement("$T.sample($N, $L, $N)", TypeNames.DROPOUTS, mask, m.p(), rng);
            b.addStatement("$N.clear()", code.name(layer.buffer("uSamples")));
        } else if (m.perGate()) {
            String each = locals.get("mask");
            b.beginControlFlow("for ($T $N : $N)", TypeNames.MAT, each, mask)
                    .addStatement("$T.sample($N, $L, $N)", TypeNames.DROPOUTS, each, m.p(), rng)
                    .endControlFlow();
        } else {
            b.addStatement("$T.sample($N, $L, $N)", TypeNames.DROPOUTS, mask, m.p(), rng);
        }
    }

    /**
     * Samples every mask of the layer keyed by example from {@code keys}: each from streams keyed
     * by its name as {@code masks()} lists it (per gate: {@code field.x.i} …), so the masks do not
     * depend on the order in which they are drawn or on the other layers.
     */
    CodeBlock sampleKeyed(Locals locals) {
        CodeBlock.Builder b = CodeBlock.builder();
        String keys = locals.get("keys");
        for (Mask m : masks()) {
            String mask = code.name(layer.buffer(m.base()));
            if (m.perGate()) {
                for (int g = 0; g < gates().length; g++) {
                    b.addStatement("$T.$L($N[$L], $L, $N, $S)", TypeNames.DROPOUTS, m.extent().keyedSampler, mask, g, m.p(),
                            keys, name(m, g));
                }
            } else {
                b.addStatement("$T.$L($N, $L, $N, $S)", TypeNames.DROPOUTS, m.extent().keyedSampler, mask, m.p(), keys,
                        name(m));
            }
            if (m.extent() == Extent.PER_PASS) {
                // rows of several samples: each block's own mask, read from its stream as U' is laid out
                b.addStatement("$N.sample($L, $N, $S)", code.name(layer.buffer("uSamples")), m.p(), keys, name(m));
            }
        }
        return b.build();
    }

    /** Puts the layer's masks into the map {@code masks} as {@code field.x}, {@code field.h.f}, {@code field.U}, … */
    CodeBlock list(Locals locals) {
        CodeBlock.Builder b = CodeBlock.builder();
        String masks = locals.get("masks");
        for (Mask m : masks()) {
            String mask = code.name(layer.buffer(m.base()));
            if (m.perGate()) {
                for (int g = 0; g < gates().length; g++) {
                    b.addStatement("$N.put($S, $N[$L])", masks, name(m, g), mask, g);
                }
            } else {
                b.addStatement("$N.put($S, $N)", masks, name(m), mask);
            }
        }
        return b.build();
    }

    /** The mask's name: {@code field.connection}. */
    private String name(Mask m) {
        return layer.spec().field() + "." + m.connection();
    }

    /** Gate g's mask's name: {@code field.connection.gate}. */
    private String name(Mask m, int g) {
        return name(m) + "." + gates()[g];
    }

    /** The gates' names in order: i, f, g, o or r, u, n. */
    private String[] gates() {
        return layer.cell().gateNames().split(", ");
    }
}
