package dev.vdrop.processor;

import com.palantir.javapoet.MethodSpec;
import java.util.Optional;
import javax.lang.model.element.Modifier;

/**
 * The forward pass of one recurrent layer over a segment, specialised to its cell, sizes and masks:
 * {@code forwardLayer<n>(x)} computes the gates of every step from x (or x̃ = x ⊙ m_x), the state
 * of every step (h and c of an LSTM, h of a GRU), and the output y (or h ⊙ m_y). It works on the columns the workspace's
 * {@code packing} lays out: the whole-segment products on the pass's N columns, step t on the b_t
 * sequences still running, each reading h_{t-1} and c_{t-1} as the first b_t columns of the step
 * before — with sequences of the workspace's T steps, the columns t·B + b as before.
 */
final class RecurrentForward {
    private final RecurrentLayer layer;
    private final Body b;

    private RecurrentForward(RecurrentLayer layer, Body body) {
        this.layer = layer;
        this.b = body;
    }

    static MethodSpec write(RecurrentLayer layer, Names names, BufferCode code, Params params) {
        Body body = layer.body(names.workspaceLocals(), code, params)
                .locals("x", "u", "b", "uGate", "t", "hPrev", "zt", "gate", "xChunk")
                .local("hmt", "hm");
        if (layer.keepsDroppedU()) {
            body.locals("perSample");
        }
        if (layer.gru()) {
            body.locals("bh", "zht");
        }
        if (layer.stepsBySample()) {
            body.arg("samples", layer.samplesMethod());
        }
        return new RecurrentForward(layer, body).method();
    }

    /**
     * For a layer with weight drop whose steps make one product with U' (not gate by gate): the
     * steps of a pass of several MC samples, {@code forwardSamples<n>(b)}, each sample's block of
     * columns through the steps on one core with its own U'_k.
     */
    static Optional<MethodSpec> writeSamples(RecurrentLayer layer, Names names, BufferCode code, Params params) {
        if (!layer.stepsBySample()) {
            return Optional.empty();
        }
        Body body = layer.body(names.workspaceLocals(), code, params)
                .locals("b", "passSteps", "span", "zSteps", "chunk", "first", "last", "xChunk", "block", "from", "n", "t", "zt",
                        "hPrev")
                .local("hmt", "hm");
        if (layer.gru()) {
            body.locals("bh", "zht");
        }
        return Optional.of(new RecurrentForward(layer, body).samplesMethod());
    }

    private MethodSpec method() {
        String x = b.name("x");
        MethodSpec.Builder m = MethodSpec.methodBuilder(layer.forwardMethod()).addModifiers(Modifier.PRIVATE)
                .addParameter(TypeNames.MAT, x)
                .addJavadoc("Forward through $L {@code $L} ($L → $L) over the segment; {@code $L} is its input, $L × TB\n",
                        layer.cell().display(), layer.spec().field(), layer.inputs(), layer.units(), x, layer.inputs())
                .addJavadoc("(the pass's first N columns).\n");
        inputTerm();
        b.statement("$mat:T $u:N = $paramU:N.value()");
        if (layer.keepsDroppedU()) {
            b.statement("boolean $perSample:N = dropout && $uSamples:N.several()");
            b.begin("if ($perSample:N)")
                    .comment("MC samples in one pass: U'_k = U ⊙ M_k whole for each sample's block of rows")
                    .statement("$uSamples:N.loadGates($u:N)")
                    .next("else if (dropout)")
                    .comment("U' = U ⊙ M: one weight mask for every sequence and step of the segment")
                    .statement("multiply($uDropped:N, $u:N, $weightMask:N)")
                    .statement("$u:N = $uDropped:N")
                    .end();
        }
        if (layer.stepProduct() && layer.weightDrop()) {
            declareBiases();
            b.begin("if (dropout && $uSamples:N.several())")
                    .comment("MC samples in one pass: each sample's block of columns goes through the steps on one core")
                    .comment("with its own U'_k = U ⊙ M_k, laid out once (M_k read from its stream as it is laid out)")
                    .comment("and kept in that core's cache from step to step")
                    .statement("$uSamples:N.load($u:N)")
                    .statement(layer.gru() ? "$samples:N($b:N, $bh:N)" : "$samples:N($b:N)")
                    .next("else")
                    .comment("U' = U ⊙ M (one weight mask for every sequence and step of the segment), laid out once")
                    .comment("for the products of every step, M applied as it is laid out")
                    .statement("$uSteps:N.load($u:N, dropout ? $weightMask:N : null)");
            stepLoop();
            b.end();
        } else {
            if (layer.stepProduct()) {
                b.comment("U' laid out once for the products of every step");
                b.statement("$uSteps:N.load($u:N)");
            }
            declareBiases();
            declareGateBlocks(layer, b);
            stepLoop();
        }
        keepRecurrentInput();
        if (layer.hasOutputMask()) {
            b.begin("if (dropout)")
                    .comment(layer.perStep() ? "y_t = h_t ⊙ m_y, a fresh mask at every step"
                            : "y_t = h_t ⊙ m_y, one mask per sequence for every step")
                    .statement(maskCall("$ym:N, $h:N.columns(batch, columns)", "maskY"))
                    .statement("$y:N = $ym:N")
                    .next("else")
                    .statement("$y:N = $h:N.columns(batch, columns)")
                    .end();
        }
        return m.addCode(b.build()).build();
    }

    private MethodSpec samplesMethod() {
        MethodSpec.Builder m = MethodSpec.methodBuilder(layer.samplesMethod()).addModifiers(Modifier.PRIVATE)
                .addParameter(TypeNames.MAT, b.name("b"));
        if (layer.gru()) {
            m.addParameter(TypeNames.MAT, b.name("bh"));
        }
        m.addJavadoc("The steps of $L {@code $L} in a pass of several MC samples of equal lengths, each\n",
                        layer.cell().display(), layer.spec().field())
                .addJavadoc("sample's block of columns with its own U'_k = U ⊙ M_k (loaded): a block goes through the\n")
                .addJavadoc("steps on one core, U'_k staying in that core's cache from step to step, and the cores share\n")
                .addJavadoc("out the blocks. Step by step, every step would read all the samples' U' from memory.\n")
                .addJavadoc("Without targets the steps go chunk by chunk, each chunk's input term for every block at\n")
                .addJavadoc("once first.\n");
        b.statement("int $passSteps:N = packing.steps()");
        if (layer.chunksInput()) {
            b.statement("int $span:N = targets != null ? $passSteps:N : chunkSteps");
            b.statement("$matArray:T $zSteps:N = targets != null ? $zStep:N : $zChunkStep:N");
        } else {
            b.statement("int $span:N = $passSteps:N");
            b.statement("$matArray:T $zSteps:N = $zStep:N");
        }
        b.begin("for (int $chunk:N = 0; $chunk:N * $span:N < $passSteps:N; $chunk:N++)");
        b.statement("int $first:N = $chunk:N * $span:N");
        b.statement("int $last:N = Math.min($first:N + $span:N, $passSteps:N)");
        if (layer.chunksInput()) {
            b.begin("if (targets == null)")
                    .comment("z_t = W $L for the chunk's steps, every block at once", inputSymbol())
                    .statement("$mat:T $xChunk:N = packing.stepColumns($xIn:N, $first:N, $last:N - $first:N)")
                    .statement("$blas:T.gemm(false, false, 1, $paramW:N.value(), $xChunk:N, 0, $zChunk:N.columns(0, $xChunk:N.cols()))")
                    .end();
        }
        b.begin("$uSamples:N.forEachBlock(batch, (int $block:N, int $from:N, int $n:N) ->");
        b.begin("for (int $t:N = $first:N; $t:N < $last:N; $t:N++)");
        b.statement("$mat:T $zt:N = $zSteps:N[$t:N].columns($from:N, $n:N)");
        b.statement("$mat:T $hPrev:N = $hStep:N[$t:N].columns($from:N, $n:N)");
        if (layer.gru()) {
            b.statement("$mat:T $zht:N = $zhStep:N[$t:N].columns($from:N, $n:N)");
        }
        String sum = recurrentSum();
        String beta = layer.gru() ? "0" : "1";
        if (layer.hasRecurrentMask()) {
            b.comment("$L U'_k (h_{t-1} ⊙ m_h), the block's own U'_k, one mask per sequence for every step", sum);
            b.statement("$mat:T $hmt:N = $hmStep:N[$t:N].columns($from:N, $n:N)");
            b.statement("maskPerSequence($hmt:N, $hPrev:N, $maskH:N.columns($from:N, $n:N))");
            b.statement("$uSamples:N.multiply($block:N, $hmt:N, " + beta + ", " + recurrentTarget() + ")");
        } else {
            b.comment("$L U'_k h_{t-1}, the block's own U'_k", sum);
            b.statement("$uSamples:N.multiply($block:N, $hPrev:N, " + beta + ", " + recurrentTarget() + ")");
        }
        if (layer.gru()) {
            gruUpdate("$hPrev:N", "$hStep:N[$t:N + 1].columns($from:N, $n:N)");
        } else {
            cellUpdate("$zt:N", "$cStep:N[$t:N].columns($from:N, $n:N)", "$cStep:N[$t:N + 1].columns($from:N, $n:N)",
                    "$tcStep:N[$t:N].columns($from:N, $n:N)", "$hStep:N[$t:N + 1].columns($from:N, $n:N)");
        }
        b.end();
        b.endLambdaArgument();
        b.end();
        return m.addCode(b.build()).build();
    }

    /** The steps one after another, each on all of the pass's running columns. */
    private void stepLoop() {
        b.begin("for (int $t:N = 0; $t:N < packing.steps(); $t:N++)");
        b.comment(layer.gru() ? "h_{t-1} of the sequences still running: the first b_t columns of the step before"
                : "h_{t-1}, c_{t-1} of the sequences still running: the first b_t columns of the step before");
        b.statement("$mat:T $hPrev:N = packing.running($hStep:N[$t:N], $t:N)");
        if (layer.chunksInput()) {
            b.statement("$mat:T $zt:N");
            b.begin("if (targets != null)")
                    .statement("$zt:N = $zStep:N[$t:N]")
                    .next("else")
                    .comment("without targets no gates are kept: z_t = W $L for chunkSteps steps at a time", inputSymbol())
                    .begin("if ($t:N % chunkSteps == 0)")
                    .statement("$mat:T $xChunk:N = packing.stepColumns($xIn:N, $t:N, Math.min(chunkSteps, packing.steps() - $t:N))")
                    .statement("$blas:T.gemm(false, false, 1, $paramW:N.value(), $xChunk:N, 0, $zChunk:N.columns(0, $xChunk:N.cols()))")
                    .end()
                    .statement("$zt:N = $zChunkStep:N[$t:N]")
                    .end();
        } else {
            b.statement("$mat:T $zt:N = $zStep:N[$t:N]");
        }
        if (layer.gru()) {
            b.statement("$mat:T $zht:N = $zhStep:N[$t:N]");
        }
        recurrentTerm();
        if (layer.gru()) {
            gruUpdate("$hPrev:N", "$hStep:N[$t:N + 1]");
        } else {
            cellUpdate("$zt:N", "packing.running($cStep:N[$t:N], $t:N)", "$cStep:N[$t:N + 1]", "$tcStep:N[$t:N]", "$hStep:N[$t:N + 1]");
        }
        b.end();
    }

    /** The biases the cell adds: b, and a GRU's b_h. */
    private void declareBiases() {
        b.statement("$mat:T $b:N = $paramB:N.value()");
        if (layer.gru()) {
            b.statement("$mat:T $bh:N = $paramBh:N.value()");
        }
    }

    /** The GRU cell of one step: z_t (W x̃_t) becomes the gates r, u, n, zh_t keeps U'_n h̃ + b_hn, then h_t. */
    private void gruUpdate(String hPrev, String h) {
        b.comment("r = σ(z_r + b_xr + zh_r + b_hr), u = σ(z_u + b_xu + zh_u + b_hu) (z_t ← the gates r, u, n)");
        b.comment("n = tanh(z_n + b_xn + r ⊙ (zh_n + b_hn)),  h_t = (1 − u) ⊙ n + u ⊙ h_{t-1}");
        b.statement("$gruCell:T.forward($zt:N,$W$zht:N,$W$b:N,$W$bh:N,$W" + hPrev + ",$W" + h + ")");
    }

    /** How the recurrent product enters: added to z_t (an LSTM), or kept apart in zh_t (a GRU, for its reset gate). */
    private String recurrentSum() {
        return layer.gru() ? "zh_t =" : "z_t +=";
    }

    /** Where the recurrent product of a step goes: z_t, or a GRU's zh_t. */
    private String recurrentTarget() {
        return layer.gru() ? "$zht:N" : "$zt:N";
    }

    /** The LSTM cell of one step on the given operands: z_t becomes the gates, then c_t, tanh c_t and h_t. */
    private void cellUpdate(String z, String cPrev, String c, String tanhC, String h) {
        b.comment("i = σ(z_i + b_i), f = σ(z_f + b_f), g = tanh(z_g + b_g), o = σ(z_o + b_o) (z_t ← the gates)");
        b.comment("c_t = f ⊙ c_{t-1} + i ⊙ g,  h_t = o ⊙ tanh(c_t)");
        b.statement("$lstmCell:T.forward(" + z + ",$W$b:N,$W" + cPrev + ",$W" + c + ",$W" + tanhC + ",$W" + h + ")");
    }

    /**
     * The statement that masks {@code operands} ("dst, src") with this layer's {@code mask} (maskX
     * or maskY) over the pass's columns: per sequence or per step, the mask itself in an equal pass
     * and its copy in the pass's order in a ragged one.
     */
    private String maskCall(String operands, String mask) {
        return "packing." + layer.maskMethod() + "(" + operands + ", $" + mask + ":N, $" + layer.ordered(mask) + ":N)";
    }

    /**
     * hIn for ∂U, in a pass that backward() may follow: the masked copy, which the steps wrote in
     * the columns of z_t, or h_{t-1} itself — the steps of h as they are in an equal pass, aligned
     * into hPrevs in a ragged one.
     */
    private void keepRecurrentInput() {
        b.begin("if (targets != null)");
        b.comment("∂U reads h̃_{t-1} in the columns of z_t");
        if (!layer.hasRecurrentMask()) {
            b.statement("$hIn:N = packing.previousStates($h:N, $hPrevs:N)");
        } else if (layer.untied()) {
            b.statement("$hIn:N = dropout ? null : packing.previousStates($h:N, $hPrevs:N)");
        } else {
            b.statement("$hIn:N = dropout ? $hm:N : packing.previousStates($h:N, $hPrevs:N)");
        }
        b.end();
    }

    /** The input term W x̃_t of every step, masked per gate, per sequence or per step. */
    private void inputTerm() {
        int g = layer.gateRows();
        Dim in = layer.inputs();
        String shape = String.format("Z[%d × TB] = W[%d × %s] · X̃[%s × TB]", g, g, in, in);
        if (!layer.hasInputMask()) {
            b.statement("$xIn:N = $x:N");
            wholeInputProduct(shape);
            return;
        }
        if (layer.untied()) {
            b.begin("if (dropout)");
            b.comment("z_g,t = W_g (x_t ⊙ m_x^g) for each gate g and every step at once");
            b.begin("for (int $gate:N = 0; $gate:N < $gates:L; $gate:N++)");
            b.statement("packing.maskPerSequence($xm:N[$gate:N], $x:N, $maskX:N, $maskXSorted:N, $gate:N)");
            b.statement("$blas:T.gemm(false, false, 1, $paramW:N.value().rows($gate:N * $units:L, $units:L),"
                    + " packing.columnsOf($xm:N[$gate:N]), 0, packing.columnsOf($z:N).rows($gate:N * $units:L, $units:L))");
            b.end();
            b.statement("$xIn:N = null");
            b.next("else");
            b.comment("z_t = W x_t for every step at once: $L", shape);
            b.statement("$xIn:N = $x:N");
            b.statement("$blas:T.gemm(false, false, 1, $paramW:N.value(), packing.columnsOf($x:N), 0, packing.columnsOf($z:N))");
            b.end();
            return;
        }
        b.begin("if (dropout)")
                .comment(layer.perStep() ? "x̃_t = x_t ⊙ m_x, a fresh mask at every step"
                        : "x̃_t = x_t ⊙ m_x, one mask per sequence for every step")
                .statement(maskCall("$xm:N, $x:N", "maskX"))
                .statement("$xIn:N = $xm:N")
                .next("else")
                .statement("$xIn:N = $x:N")
                .end();
        wholeInputProduct(shape);
    }

    /** The input the products take: x̃_t when the layer masks it, else x_t. */
    private String inputSymbol() {
        return layer.hasInputMask() ? "x̃_t" : "x_t";
    }

    /** Z = W X̃ for every step at once: always, or in a pass with targets when the input goes in chunks. */
    private void wholeInputProduct(String shape) {
        if (layer.chunksInput()) {
            b.begin("if (targets != null)");
        }
        b.comment("z_t = W $L for every step at once: $L", inputSymbol(), shape);
        b.statement("$blas:T.gemm(false, false, 1, $paramW:N.value(), packing.columnsOf($xIn:N), 0, packing.columnsOf($z:N))");
        if (layer.chunksInput()) {
            b.end();
        }
    }

    /** {@code uGate}: the gate blocks of the U this pass uses, for untied recurrent masks. */
    static void declareGateBlocks(RecurrentLayer layer, Body b) {
        if (layer.untied() && layer.hasRecurrentMask()) {
            b.statement(layer.weightDrop() ? "$matArray:T $uGate:N = dropout ? $uDroppedGates:N : $uGates:N"
                    : "$matArray:T $uGate:N = $uGates:N");
        }
    }

    private void recurrentTerm() {
        String sum = recurrentSum();
        String beta = layer.gru() ? "0" : "1";
        String target = recurrentTarget();
        String gateTarget = layer.gru() ? "$zhGate:N[$t:N][$gate:N]" : "$zGate:N[$t:N][$gate:N]";
        if (!layer.hasRecurrentMask()) {
            b.comment("$L U' h_{t-1}", sum);
            b.statement("$uSteps:N.multiply($hPrev:N, " + beta + ", " + target + ")");
            return;
        }
        b.begin("if (dropout)");
        if (layer.untied()) {
            b.comment("$L U'_g (h_{t-1} ⊙ m_h^g) for each gate g", layer.gru() ? "zh_g,t =" : "z_g,t +=");
            b.begin("for (int $gate:N = 0; $gate:N < $gates:L; $gate:N++)");
            b.statement("$mat:T $hmt:N = $hmStep:N[$gate:N][$t:N]");
            b.statement("maskPerSequence($hmt:N, $hPrev:N, packing.mask($maskH:N, $maskHSorted:N, $gate:N, $t:N))");
            if (layer.weightDrop()) {
                b.begin("if ($perSample:N)")
                        .statement("$uSamples:N.multiplyGate($gate:N, $hmt:N, " + beta + ", " + gateTarget + ")")
                        .next("else")
                        .statement("$blas:T.gemm(false, false, 1, $uGate:N[$gate:N], $hmt:N, " + beta + ", " + gateTarget + ")")
                        .end();
            } else {
                b.statement("$blas:T.gemm(false, false, 1, $uGate:N[$gate:N], $hmt:N, " + beta + ", " + gateTarget + ")");
            }
            b.end();
        } else {
            b.comment("$L U' (h_{t-1} ⊙ m_h), one mask per sequence for every step", sum);
            b.statement("$mat:T $hmt:N = $hmStep:N[$t:N]");
            b.statement("maskPerSequence($hmt:N, $hPrev:N, packing.mask($maskH:N, $maskHSorted:N, $t:N))");
            b.statement("$uSteps:N.multiply($hmt:N, " + beta + ", " + target + ")");
        }
        b.next("else");
        b.comment("$L U' h_{t-1}", sum);
        if (layer.stepProduct()) {
            b.statement("$uSteps:N.multiply($hPrev:N, " + beta + ", " + target + ")");
        } else {
            b.statement("$blas:T.gemm(false, false, 1, $u:N, $hPrev:N, " + beta + ", " + target + ")");
        }
        b.end();
    }
}
