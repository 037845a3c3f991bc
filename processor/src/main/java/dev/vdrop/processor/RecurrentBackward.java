package dev.vdrop.processor;

import com.palantir.javapoet.MethodSpec;
import javax.lang.model.element.Modifier;

/**
 * The backward pass of one recurrent layer over a segment (truncated back-propagation through time):
 * {@code backwardLayer<n>(dx)} runs the steps backwards from ∂L/∂y, accumulates ∂W, ∂U and ∂b (and
 * a GRU's ∂b_h),
 * and writes ∂L/∂x into {@code dx} unless it is null (the first layer of a token model). It works
 * on the columns of the forward pass ({@code packing}): step t on the b_t sequences still running;
 * ∂h and ∂c flowing back into a sequence's last step are zero, as the columns of the sequences
 * that end at a step are never written by the steps after it.
 */
final class RecurrentBackward {
    /** Said where a product may overwrite a gradient: β is 0 for the first write after zeroing. */
    static final String OVERWRITE_NOTE = " (β = 0 for the first write after Gradients.zero: no clearing pass)";

    private final RecurrentLayer layer;
    private final Body b;

    private RecurrentBackward(RecurrentLayer layer, Body body) {
        this.layer = layer;
        this.b = body;
    }

    static MethodSpec write(RecurrentLayer layer, Names names, BufferCode code, Params params) {
        Body body = layer.body(names.workspaceLocals(), code, params)
                .locals("dx", "u", "uGate", "t", "zt", "dzt", "dh", "dc", "dhg", "gate", "keepOld", "dU")
                .local("dyAlias", "dy");
        if (layer.gru()) {
            body.locals("zht", "dzht");
        }
        return new RecurrentBackward(layer, body).method(code.name(layer.buffer("dy")));
    }

    private MethodSpec method(String dyField) {
        String dx = b.name("dx");
        MethodSpec.Builder m = MethodSpec.methodBuilder(layer.backwardMethod()).addModifiers(Modifier.PRIVATE)
                .addParameter(TypeNames.MAT, dx)
                .addJavadoc("Backward through $L {@code $L}: from ∂L/∂y in {@code $L}, accumulates ∂W, ∂U, $L and\n",
                        layer.cell().display(), layer.spec().field(), dyField, layer.gru() ? "∂b, ∂b_h" : "∂b")
                .addJavadoc("writes ∂L/∂x into {@code $L} ($L × TB, the pass's first N columns), or skips it when\n",
                        dx, layer.inputs())
                .addJavadoc("{@code $L} is null.\n", dx);
        if (layer.hasOutputMask()) {
            b.statement("$mat:T $dyAlias:N = $dy:N");
            b.begin("if (dropout)")
                    .comment("∂L/∂h_t = ∂L/∂y_t ⊙ m_y")
                    .statement("packing." + layer.maskMethod() + "($dyAlias:N, $dyAlias:N, $maskY:N, $"
                            + layer.ordered("maskY") + ":N)")
                    .end();
        }
        if (!layer.stepProduct()) {
            b.statement(layer.keepsDroppedU() ? "$mat:T $u:N = dropout ? $uDropped:N : $paramU:N.value()"
                    : "$mat:T $u:N = $paramU:N.value()");
        } else if (layer.weightDrop()) {
            b.comment("U'ᵀ = (U ⊙ M)ᵀ laid out once for the products of every step");
            b.statement("$uSteps:N.loadTransposed($paramU:N.value(), dropout ? $weightMask:N : null)");
        } else {
            b.comment("U'ᵀ laid out once for the products of every step");
            b.statement("$uSteps:N.loadTransposed($paramU:N.value())");
        }
        RecurrentForward.declareGateBlocks(layer, b);
        b.statement("$dhNext:N.zero()");
        if (layer.gru()) {
            gruSteps();
            weightGradients();
            inputGradient();
            return m.addCode(b.build()).build();
        }
        b.statement("$dcNext:N.zero()");
        b.begin("for (int $t:N = packing.steps() - 1; $t:N >= 0; $t:N--)");
        b.statement("$mat:T $zt:N = $zStep:N[$t:N]");
        b.statement("$mat:T $dzt:N = $dzStep:N[$t:N]");
        b.comment("∂h_t, ∂c_t from step t+1 of the sequences running at t: the first b_t columns (zero for those ending at t)");
        b.statement("$mat:T $dh:N = packing.running($dhNext:N, $t:N)");
        b.statement("$mat:T $dc:N = packing.running($dcNext:N, $t:N)");
        b.comment("∂h = ∂y_t + ∂h_t from step t+1,  ∂c = ∂h ⊙ o ⊙ (1 − tanh² c_t) + ∂c_t from step t+1");
        b.comment("∂z_i = ∂c ⊙ g ⊙ i(1−i),  ∂z_f = ∂c ⊙ c_{t-1} ⊙ f(1−f),  ∂z_g = ∂c ⊙ i ⊙ (1−g²),  ∂z_o = ∂h ⊙ tanh c_t ⊙ o(1−o)");
        b.comment("∂c_{t-1} = ∂c ⊙ f");
        b.statement("$lstmCell:T.backward($zt:N, $tcStep:N[$t:N], packing.running($cStep:N[$t:N], $t:N), $dyStep:N[$t:N], $dh:N,"
                + " $dc:N, $dzt:N)");
        b.begin("if ($t:N > 0)");
        recurrentGradient();
        b.end();
        b.end();
        weightGradients();
        inputGradient();
        return m.addCode(b.build()).build();
    }

    /** The GRU's steps backwards: the cell's gradients, then ∂L/∂h_{t-1} through h_t directly and through zh_t. */
    private void gruSteps() {
        b.begin("for (int $t:N = packing.steps() - 1; $t:N >= 0; $t:N--)");
        b.statement("$mat:T $zt:N = $zStep:N[$t:N]");
        b.statement("$mat:T $zht:N = $zhStep:N[$t:N]");
        b.statement("$mat:T $dzt:N = $dzStep:N[$t:N]");
        b.statement("$mat:T $dzht:N = $dzhStep:N[$t:N]");
        b.comment("∂h_t from step t+1 of the sequences running at t: the first b_t columns (zero for those ending at t)");
        b.statement("$mat:T $dh:N = packing.running($dhNext:N, $t:N)");
        b.comment("∂h = ∂y_t + ∂h_t from step t+1,  ∂n = ∂h ⊙ (1 − u),  ∂u = ∂h ⊙ (h_{t-1} − n),  ∂a = ∂n ⊙ (1 − n²)");
        b.comment("∂z_t = [∂r ⊙ r(1−r); ∂u ⊙ u(1−u); ∂a] with ∂r = ∂a ⊙ (zh_n + b_hn),  ∂zh_t = [∂z_r; ∂z_u; ∂a ⊙ r]");
        b.comment("∂h_{t-1} = u ⊙ ∂h (the direct part; the part through U' follows)");
        b.statement("$gruCell:T.backward($zt:N, $zht:N, packing.running($hStep:N[$t:N], $t:N), $dyStep:N[$t:N], $dh:N, $dzt:N,"
                + " $dzht:N)");
        b.begin("if ($t:N > 0)");
        gruRecurrentGradient();
        b.end();
        b.end();
    }

    /** ∂L/∂h_{t-1} += m_h ⊙ (U'ᵀ ∂zh_t); the state carried in gets none (truncated BPTT). */
    private void gruRecurrentGradient() {
        if (!layer.hasRecurrentMask()) {
            b.comment("∂h_{t-1} += U'ᵀ ∂zh_t");
            b.statement("$uSteps:N.multiply($dzht:N, 1, $dh:N)");
            return;
        }
        b.begin("if (dropout)");
        b.statement("$mat:T $dhg:N = packing.running($dhGate:N, $t:N)");
        if (layer.untied()) {
            b.comment("∂h_{t-1} += Σ_g m_h^g ⊙ (U'_gᵀ ∂zh_g,t)");
            b.begin("for (int $gate:N = 0; $gate:N < $gates:L; $gate:N++)");
            b.statement("$blas:T.gemm(true, false, 1, $uGate:N[$gate:N], $dzhGate:N[$t:N][$gate:N], 0, $dhg:N)");
            b.statement("addMaskedPerSequence($dh:N, $dhg:N, packing.mask($maskH:N, $maskHSorted:N, $gate:N, $t:N))");
            b.end();
        } else {
            b.comment("∂h_{t-1} += m_h ⊙ (U'ᵀ ∂zh_t)");
            b.statement("$uSteps:N.multiply($dzht:N, 0, $dhg:N)");
            b.statement("addMaskedPerSequence($dh:N, $dhg:N, packing.mask($maskH:N, $maskHSorted:N, $t:N))");
        }
        b.next("else");
        b.comment("∂h_{t-1} += U'ᵀ ∂zh_t");
        if (layer.stepProduct()) {
            b.statement("$uSteps:N.multiply($dzht:N, 1, $dh:N)");
        } else {
            b.statement("$blas:T.gemm(true, false, 1, $u:N, $dzht:N, 1, $dh:N)");
        }
        b.end();
    }

    /** ∂L/∂h_{t-1} through z_t; the state carried in gets none (truncated BPTT). */
    private void recurrentGradient() {
        if (!layer.hasRecurrentMask()) {
            b.comment("∂h_{t-1} = U'ᵀ ∂z_t");
            b.statement("$uSteps:N.multiply($dzt:N, 0, $dh:N)");
            return;
        }
        b.begin("if (dropout)");
        if (layer.untied()) {
            b.comment("∂h_{t-1} = Σ_g m_h^g ⊙ (U'_gᵀ ∂z_g,t)");
            b.statement("$dh:N.zero()");
            b.statement("$mat:T $dhg:N = packing.running($dhGate:N, $t:N)");
            b.begin("for (int $gate:N = 0; $gate:N < $gates:L; $gate:N++)");
            b.statement("$blas:T.gemm(true, false, 1, $uGate:N[$gate:N], $dzGate:N[$t:N][$gate:N], 0, $dhg:N)");
            b.statement("addMaskedPerSequence($dh:N, $dhg:N, packing.mask($maskH:N, $maskHSorted:N, $gate:N, $t:N))");
            b.end();
        } else {
            b.comment("∂h_{t-1} = m_h ⊙ (U'ᵀ ∂z_t)");
            b.statement("$uSteps:N.multiply($dzt:N, 0, $dh:N)");
            b.statement("maskPerSequence($dh:N, $dh:N, packing.mask($maskH:N, $maskHSorted:N, $t:N))");
        }
        b.next("else");
        b.comment("∂h_{t-1} = U'ᵀ ∂z_t");
        if (layer.stepProduct()) {
            b.statement("$uSteps:N.multiply($dzt:N, 0, $dh:N)");
        } else {
            b.statement("$blas:T.gemm(true, false, 1, $u:N, $dzt:N, 0, $dh:N)");
        }
        b.end();
    }

    private void weightGradients() {
        b.comment("∂b += Σ_t ∂z_t");
        b.statement("addColumnSums($paramB:N.gradient(), packing.columnsOf($dz:N))");
        if (layer.gru()) {
            b.comment("∂b_h += Σ_t ∂zh_t");
            b.statement("addColumnSums($paramBh:N.gradient(), packing.columnsOf($dzh:N))");
        }
        if (layer.hasInputMask() && layer.untied()) {
            b.begin("if (dropout)");
            b.comment("∂W_g += ∂Z_g X̃_gᵀ for each gate, over every step at once");
            b.begin("for (int $gate:N = 0; $gate:N < $gates:L; $gate:N++)");
            b.statement("$blas:T.gemm(false, true, 1, packing.columnsOf($dz:N).rows($gate:N * $units:L, $units:L),"
                    + " packing.columnsOf($xm:N[$gate:N]), 1, $paramW:N.gradient().rows($gate:N * $units:L, $units:L))");
            b.end();
            b.next("else");
            b.comment("∂W += ∂Z Xᵀ over every step at once$L", OVERWRITE_NOTE);
            b.statement("$blas:T.gemm(false, true, 1, packing.columnsOf($dz:N), packing.columnsOf($xIn:N),"
                    + " $paramW:N.gradientBeta(), $paramW:N.gradient())");
            b.end();
        } else {
            b.comment("∂W += ∂Z X̃ᵀ over every step at once$L", OVERWRITE_NOTE);
            b.statement("$blas:T.gemm(false, true, 1, packing.columnsOf($dz:N), packing.columnsOf($xIn:N),"
                    + " $paramW:N.gradientBeta(), $paramW:N.gradient())");
        }
        if (layer.weightDrop()) {
            b.statement("double $keepOld:N = dropout ? 0 : $paramU:N.gradientBeta()");
            b.statement("$mat:T $dU:N = dropout ? $dUDropped:N : $paramU:N.gradient()");
        }
        String target = layer.weightDrop() ? "$dU:N" : "$paramU:N.gradient()";
        String dz = layer.gru() ? "$dzh:N" : "$dz:N";
        String dZ = layer.gru() ? "∂Zh" : "∂Z";
        String beta = layer.weightDrop() ? "$keepOld:N" : "$paramU:N.gradientBeta()";
        if (layer.hasRecurrentMask() && layer.untied()) {
            b.begin("if (dropout)");
            b.comment("∂U'_g = $L_g H̃_gᵀ for each gate, over every step at once", dZ);
            b.begin("for (int $gate:N = 0; $gate:N < $gates:L; $gate:N++)");
            b.statement("$blas:T.gemm(false, true, 1, packing.columnsOf(" + dz + ").rows($gate:N * $units:L, $units:L),"
                    + " packing.columnsOf($hm:N[$gate:N]), " + (layer.weightDrop() ? "$keepOld:N" : "1") + ", " + target
                    + ".rows($gate:N * $units:L, $units:L))");
            b.end();
            b.next("else");
            b.comment("∂U' = $L Hᵀ over every step at once", dZ);
            b.statement("$blas:T.gemm(false, true, 1, packing.columnsOf(" + dz + "), packing.columnsOf($hIn:N), " + beta + ", "
                    + target + ")");
            b.end();
        } else {
            b.comment("∂U' = $L H̃ᵀ over every step at once (H̃ holds h̃_{t-1} in the columns of step t)$L", dZ,
                    layer.weightDrop() ? "" : OVERWRITE_NOTE);
            b.statement("$blas:T.gemm(false, true, 1, packing.columnsOf(" + dz + "), packing.columnsOf($hIn:N), " + beta + ", "
                    + target + ")");
        }
        if (layer.weightDrop()) {
            b.begin("if (dropout && $paramU:N.gradientBeta() == 0)")
                    .comment("∂U = ∂U' ⊙ M, the first write since the gradients were zeroed")
                    .statement("multiply($paramU:N.gradient(), $dUDropped:N, $weightMask:N)")
                    .next("else if (dropout)")
                    .comment("∂U += ∂U' ⊙ M")
                    .statement("addMasked($paramU:N.gradient(), $dUDropped:N, $weightMask:N)")
                    .end();
        }
    }

    private void inputGradient() {
        b.begin("if ($dx:N == null)").statement("return").end();
        if (layer.hasInputMask() && layer.untied()) {
            b.begin("if (dropout)");
            b.comment("∂x_t = Σ_g m_x^g ⊙ (W_gᵀ ∂z_g,t)");
            b.statement("packing.columnsOf($dx:N).zero()");
            b.begin("for (int $gate:N = 0; $gate:N < $gates:L; $gate:N++)");
            b.statement("$blas:T.gemm(true, false, 1, $paramW:N.value().rows($gate:N * $units:L, $units:L),"
                    + " packing.columnsOf($dz:N).rows($gate:N * $units:L, $units:L), 0, packing.columnsOf($dxGate:N))");
            b.statement("packing.addMaskedPerSequence($dx:N, $dxGate:N, $maskX:N, $maskXSorted:N, $gate:N)");
            b.end();
            b.next("else");
            b.comment("∂x_t = Wᵀ ∂z_t for every step at once");
            b.statement("$blas:T.gemm(true, false, 1, $paramW:N.value(), packing.columnsOf($dz:N), 0, packing.columnsOf($dx:N))");
            b.end();
            return;
        }
        b.comment("∂x_t = Wᵀ ∂z_t for every step at once");
        b.statement("$blas:T.gemm(true, false, 1, $paramW:N.value(), packing.columnsOf($dz:N), 0, packing.columnsOf($dx:N))");
        if (layer.hasInputMask()) {
            b.begin("if (dropout)")
                    .comment("∂x_t ⊙= m_x")
                    .statement("packing." + layer.maskMethod() + "($dx:N, $dx:N, $maskX:N, $" + layer.ordered("maskX") + ":N)")
                    .end();
        }
    }
}
