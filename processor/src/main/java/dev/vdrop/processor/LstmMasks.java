package dev.vdrop.processor;

import com.palantir.javapoet.CodeBlock;

/**
 * The dropout masks of one LSTM layer as the workspace handles them: sampled when a segment starts,
 * the per-step ones drawn again at every step, listed by name for inspection. Statements for the
 * workspace's {@code sampleMasks}, {@code resampleStepMasks} and {@code masks}, whose parameters
 * and locals ({@code rng}, {@code masks}, the loop's {@code mask}) come from {@code locals}.
 */
final class LstmMasks {
    private static final String[] GATES = {"i", "f", "g", "o"};

    private final LstmLayer layer;
    private final BufferCode code;

    LstmMasks(LstmLayer layer, BufferCode code) {
        this.layer = layer;
        this.code = code;
    }

    /** Samples every mask of the layer from {@code rng}, in a fixed order: x, h, y, then U. */
    CodeBlock sample(Locals locals) {
        CodeBlock.Builder b = CodeBlock.builder();
        if (layer.hasInputMask()) {
            sample(b, locals, "maskX", layer.spec().input(), layer.untied());
        }
        if (layer.hasRecurrentMask()) {
            sample(b, locals, "maskH", layer.spec().recurrent(), layer.untied());
        }
        if (layer.hasOutputMask()) {
            sample(b, locals, "maskY", layer.spec().output(), false);
        }
        if (layer.weightDrop()) {
            sample(b, locals, "weightMask", layer.spec().weightDrop(), false);
        }
        return b.build();
    }

    /** Draws the per-step masks again (none unless masks = PER_STEP). */
    CodeBlock resampleStepMasks(Locals locals) {
        CodeBlock.Builder b = CodeBlock.builder();
        if (layer.perStep()) {
            if (layer.hasInputMask()) {
                sample(b, locals, "maskX", layer.spec().input(), false);
            }
            if (layer.hasOutputMask()) {
                sample(b, locals, "maskY", layer.spec().output(), false);
            }
        }
        return b.build();
    }

    private void sample(CodeBlock.Builder b, Locals locals, String base, double p, boolean perGate) {
        String mask = code.name(layer.buffer(base));
        String rng = locals.get("rng");
        if (perGate) {
            String each = locals.get("mask");
            b.beginControlFlow("for ($T $N : $N)", TypeNames.MAT, each, mask)
                    .addStatement("$T.sample($N, $L, $N)", TypeNames.DROPOUTS, each, p, rng)
                    .endControlFlow();
        } else {
            b.addStatement("$T.sample($N, $L, $N)", TypeNames.DROPOUTS, mask, p, rng);
        }
    }

    /** Puts the layer's masks into the map {@code masks} as {@code field.x}, {@code field.h.f}, {@code field.U}, … */
    CodeBlock list(Locals locals) {
        CodeBlock.Builder b = CodeBlock.builder();
        if (layer.hasInputMask()) {
            list(b, locals, "x", "maskX", layer.untied());
        }
        if (layer.hasRecurrentMask()) {
            list(b, locals, "h", "maskH", layer.untied());
        }
        if (layer.hasOutputMask()) {
            list(b, locals, "y", "maskY", false);
        }
        if (layer.weightDrop()) {
            list(b, locals, "U", "weightMask", false);
        }
        return b.build();
    }

    private void list(CodeBlock.Builder b, Locals locals, String connection, String base, boolean perGate) {
        String masks = locals.get("masks");
        String mask = code.name(layer.buffer(base));
        String key = layer.spec().field() + "." + connection;
        if (perGate) {
            for (int g = 0; g < 4; g++) {
                b.addStatement("$N.put($S, $N[$L])", masks, key + "." + GATES[g], mask, g);
            }
        } else {
            b.addStatement("$N.put($S, $N)", masks, key, mask);
        }
    }
}
