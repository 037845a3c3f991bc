package dev.vdrop.processor;

import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import dev.vdrop.dsl.Over;
import dev.vdrop.processor.NetworkSpec.RegressionOutput;
import dev.vdrop.processor.NetworkSpec.SoftmaxOutput;
import javax.lang.model.element.Modifier;

/**
 * The workspace's output layer and loss: {@code head()} (softmax or Gaussian mean from the last
 * LSTM's output), {@code loss()} (cross-entropy, or Gaussian negative log-likelihood with a learned
 * variance), {@code headBackward()} (their gradients, and ∂L/∂y of the last LSTM) and
 * {@code checkTargets}. A head at every step decodes the pass's N columns (its {@code packing});
 * a head at the last step reads each sequence at its own last step. The loss is summed over each
 * sequence's steps and averaged over the B sequences, whatever their lengths: a batch of one gives
 * that sequence's summed loss.
 */
final class HeadCode {
    /** The network class's constant log 2π, which only a regression head's loss reads. */
    static final String LOG_TWO_PI = "LOG_TWO_PI";

    private final NetworkSpec spec;
    private final Names names;
    private final BufferCode code;
    private final WorkspaceBuffers buffers;
    private final Params params;
    private final boolean softmax;
    private final boolean everyStep;
    private final Dim outputs;

    HeadCode(NetworkSpec spec, Names names, BufferCode code, WorkspaceBuffers buffers, Params params) {
        this.spec = spec;
        this.names = names;
        this.code = code;
        this.buffers = buffers;
        this.params = params;
        this.softmax = spec.output() instanceof SoftmaxOutput;
        this.everyStep = spec.output().over() == Over.EVERY_STEP;
        this.outputs = spec.output().size();
    }

    /** Whether the decoder is the embedding (a = Eᵀ y). */
    private boolean tied() {
        return spec.output() instanceof SoftmaxOutput s && s.tiedToEmbedding();
    }

    private Body body() {
        RecurrentLayer last = buffers.layers().get(buffers.layers().size() - 1);
        String field = spec.output().field();
        Body body = new Body(names.workspaceLocals())
                .arg("out", code.name(buffers.output()))
                .arg("predictions", everyStep ? "packing.columnsOf(" + code.name(buffers.output()) + ")"
                        : code.name(buffers.output()))
                .arg("lastY", code.name(last.buffer("y")))
                .arg("lastDy", code.name(last.buffer("dy")))
                .arg("paramBias", params.get(field, "d").field())
                .arg("outputs", outputs);
        buffers.probabilitySums().ifPresent(sums -> body.arg("probabilitySums", code.name(sums)));
        buffers.lastSteps().ifPresent(yLast -> body.arg("yLast", code.name(yLast)));
        if (tied()) {
            body.arg("paramE", params.get(spec.input().field(), "E").field());
        } else {
            body.arg("paramD", params.get(field, "D").field());
        }
        if (!softmax) {
            body.arg("paramS", params.get(field, "s").field());
        }
        return body;
    }

    /** The last LSTM's output that the head reads: the pass's columns, or each sequence's last step. */
    private String headInput() {
        return everyStep ? "packing.columnsOf($lastY:N)" : "packing.lastSteps($lastY:N, $yLast:N)";
    }

    /** Opens the loops over the pass's columns: step {@code $t}, position {@code $j}, batch row {@code $s}, column {@code $col}. */
    private static void stepsAndSequences(Body b) {
        b.begin("for (int $t:N = 0; $t:N < packing.steps(); $t:N++)")
                .begin("for (int $j:N = 0; $j:N < packing.width($t:N); $j:N++)")
                .statement("int $s:N = packing.row($j:N)")
                .statement("int $col:N = packing.offset($t:N) + $j:N");
    }

    MethodSpec head() {
        Body b = body().locals("y");
        b.statement("$mat:T $y:N = " + headInput());
        if (softmax) {
            if (tied()) {
                b.comment("a = Eᵀ y + d (the decoder is the embedding), p = softmax(a) per column");
                b.statement("$blas:T.gemm(true, false, 1, $paramE:N.value(), $y:N, 0, $predictions:L)");
            } else {
                b.comment("a = D y + d (D stored as Dᵀ, one column per class), p = softmax(a) per column");
                b.statement("$blas:T.gemm(true, false, 1, $paramD:N.value(), $y:N, 0, $predictions:L)");
            }
            b.comment("with targets (a pass that may be followed by backward()), Σ p over the columns as well");
            b.begin("if (targets == null)")
                    .statement("$outputsType:T.addBiasAndSoftmax($predictions:L, $paramBias:N.value())")
                    .next("else")
                    .statement("$probabilitySums:N.zero()")
                    .statement("$outputsType:T.addBiasAndSoftmax($predictions:L, $paramBias:N.value(), $probabilitySums:N)")
                    .end();
        } else {
            b.comment("μ = D y + d");
            b.statement("$blas:T.gemm(false, false, 1, $paramD:N.value(), $y:N, 0, $predictions:L)");
            b.statement("$outputsType:T.addBias($predictions:L, $paramBias:N.value())");
        }
        return MethodSpec.methodBuilder("head").addModifiers(Modifier.PRIVATE).addCode(b.build()).build();
    }

    MethodSpec loss() {
        Body b = body().locals("sum", "t", "j", "s", "col", "k", "logVariance", "error");
        b.statement("double $sum:N = 0");
        if (softmax) {
            b.comment("L = (1/B) Σ −log p(target), over each sequence's steps");
            if (everyStep) {
                stepsAndSequences(b);
                b.statement("$sum:N -= Math.log($out:N.get(targets[$s:N][$t:N], $col:N))")
                        .end().end();
            } else {
                b.begin("for (int $s:N = 0; $s:N < batch; $s:N++)")
                        .statement("$sum:N -= Math.log($out:N.get(targets[$s:N], $s:N))")
                        .end();
            }
        } else {
            String nll = "$sum:N += 0.5 * (" + LOG_TWO_PI + " + $logVariance:N.get($k:N, 0)"
                    + " + $error:N * $error:N * Math.exp(-$logVariance:N.get($k:N, 0)))";
            b.comment("L = (1/B) Σ ½ [log 2π + s_k + (y − μ)² e^{−s_k}]");
            b.statement("$mat:T $logVariance:N = $paramS:N.value()");
            if (everyStep) {
                stepsAndSequences(b);
                b.begin("for (int $k:N = 0; $k:N < $outputs:L; $k:N++)")
                        .statement("double $error:N = targets[$s:N][$t:N][$k:N] - $out:N.get($k:N, $col:N)")
                        .statement(nll)
                        .end().end().end();
            } else {
                b.begin("for (int $s:N = 0; $s:N < batch; $s:N++)")
                        .begin("for (int $k:N = 0; $k:N < $outputs:L; $k:N++)")
                        .statement("double $error:N = targets[$s:N][$k:N] - $out:N.get($k:N, $s:N)")
                        .statement(nll)
                        .end().end();
            }
        }
        b.statement("return $sum:N / batch");
        return MethodSpec.methodBuilder("loss").addModifiers(Modifier.PRIVATE).returns(TypeName.DOUBLE)
                .addCode(b.build()).build();
    }

    MethodSpec headBackward() {
        Body b = body().locals("dBias", "k", "t", "j", "s", "target", "col", "logVariance", "dLogVariance", "error",
                "precision", "y", "dyLast");
        if (softmax) {
            b.comment("∂L/∂a = (p − onehot(target)) / B: p − onehot in place of p, the 1/B in the products below");
            b.comment("∂d += Σ ∂a = (Σ p − Σ onehot) / B, with Σ p from the forward pass");
            b.statement("$mat:T $dBias:N = $paramBias:N.gradient()");
            b.begin("for (int $k:N = 0; $k:N < $outputs:L; $k:N++)")
                    .statement("$dBias:N.add($k:N, 0, $probabilitySums:N.get($k:N, 0) / batch)")
                    .end();
            if (everyStep) {
                stepsAndSequences(b);
                b.statement("int $target:N = targets[$s:N][$t:N]")
                        .statement("$out:N.set($target:N, $col:N, $out:N.get($target:N, $col:N) - 1)")
                        .statement("$dBias:N.add($target:N, 0, -1.0 / batch)")
                        .end().end();
            } else {
                b.begin("for (int $s:N = 0; $s:N < batch; $s:N++)")
                        .statement("$out:N.set(targets[$s:N], $s:N, $out:N.get(targets[$s:N], $s:N) - 1)")
                        .statement("$dBias:N.add(targets[$s:N], 0, -1.0 / batch)")
                        .end();
            }
        } else {
            b.comment("∂L/∂μ = (μ − y) e^{−s} / B in place of μ,  ∂L/∂s_k = (1/B) Σ ½ (1 − (y − μ)² e^{−s_k})");
            b.statement("$mat:T $logVariance:N = $paramS:N.value()");
            b.statement("$mat:T $dLogVariance:N = $paramS:N.gradient()");
            if (everyStep) {
                stepsAndSequences(b);
                b.begin("for (int $k:N = 0; $k:N < $outputs:L; $k:N++)")
                        .statement("double $error:N = targets[$s:N][$t:N][$k:N] - $out:N.get($k:N, $col:N)");
            } else {
                b.begin("for (int $s:N = 0; $s:N < batch; $s:N++)")
                        .statement("int $col:N = $s:N")
                        .begin("for (int $k:N = 0; $k:N < $outputs:L; $k:N++)")
                        .statement("double $error:N = targets[$s:N][$k:N] - $out:N.get($k:N, $col:N)");
            }
            b.statement("double $precision:N = Math.exp(-$logVariance:N.get($k:N, 0))")
                    .statement("$out:N.set($k:N, $col:N, -$error:N * $precision:N / batch)")
                    .statement("$dLogVariance:N.set($k:N, 0, $dLogVariance:N.get($k:N, 0)"
                            + " + 0.5 * (1 - $error:N * $error:N * $precision:N) / batch)");
            b.end().end();
            if (everyStep) {
                b.end();
            }
        }
        b.statement("$mat:T $y:N = " + headInput());
        String alpha = softmax ? "1.0 / batch" : "1";
        if (!softmax) {
            b.comment("∂d += Σ ∂μ");
            b.statement("addColumnSums($paramBias:N.gradient(), $predictions:L)");
        }
        String dy = "packing.columnsOf($lastDy:N)";
        if (!everyStep) {
            b.comment("only each sequence's last step is decoded: ∂y is zero at the other steps");
            b.statement("packing.columnsOf($lastDy:N).zero()");
            b.comment("∂y of the last steps: into dy's last block (all of T steps), or gathered, then put at each last step");
            b.statement("$mat:T $dyLast:N = packing.lastStepsGradient($lastDy:N, $yLast:N)");
            dy = "$dyLast:N";
        }
        String a = softmax ? "∂a" : "∂μ";
        if (tied()) {
            b.comment("tied decoder, a = Eᵀ y: ∂E += y $Lᵀ, ∂y = E $L$L", a, a, RecurrentBackward.OVERWRITE_NOTE);
            b.statement("$blas:T.gemm(false, true, " + alpha + ", $y:N, $predictions:L, $paramE:N.gradientBeta(), $paramE:N.gradient())");
            b.statement("$blas:T.gemm(false, false, " + alpha + ", $paramE:N.value(), $predictions:L, 0, " + dy + ")");
        } else if (softmax) {
            b.comment("D stored as Dᵀ: ∂Dᵀ += y $Lᵀ, ∂y = Dᵀ $L$L", a, a, RecurrentBackward.OVERWRITE_NOTE);
            b.statement("$blas:T.gemm(false, true, " + alpha + ", $y:N, $predictions:L, $paramD:N.gradientBeta(), $paramD:N.gradient())");
            b.statement("$blas:T.gemm(false, false, " + alpha + ", $paramD:N.value(), $predictions:L, 0, " + dy + ")");
        } else {
            b.comment("∂D += $L yᵀ, ∂y = Dᵀ $L$L", a, a, RecurrentBackward.OVERWRITE_NOTE);
            b.statement("$blas:T.gemm(false, true, " + alpha + ", $predictions:L, $y:N, $paramD:N.gradientBeta(), $paramD:N.gradient())");
            b.statement("$blas:T.gemm(true, false, " + alpha + ", $paramD:N.value(), $predictions:L, 0, " + dy + ")");
        }
        if (!everyStep) {
            b.statement("packing.scatterLastSteps($dyLast:N, $lastDy:N)");
        }
        return MethodSpec.methodBuilder("headBackward").addModifiers(Modifier.PRIVATE).addCode(b.build()).build();
    }

    /** Whether {@code checkTargets} compares the targets' rows with the input's ({@code next}): targets at every step. */
    boolean checksLengths() {
        return everyStep;
    }

    /**
     * Checks the targets' ids or values, and their shape against the input: at every step, a row
     * per sequence as long as it ({@code next} knows the input's lengths); at the last step, one
     * per sequence.
     */
    MethodSpec checkTargets() {
        Body b = body();
        String targets = b.names().sameAsField("targets");
        b.arg("targets", targets);
        MethodSpec.Builder m = MethodSpec.methodBuilder("checkTargets").addModifiers(Modifier.PRIVATE)
                .addParameter(WorkspaceWriter.targetType(spec), targets);
        if (softmax && everyStep) {
            b.statement("$checks:T.tokens($targets:N, $outputs:L)");
        } else if (softmax) {
            b.statement("$checks:T.classes($targets:N, $outputs:L)");
        } else if (everyStep) {
            b.statement("$checks:T.features($targets:N, $outputs:L)");
        } else {
            b.statement("$checks:T.values($targets:N, $outputs:L)");
        }
        if (everyStep) {
            String next = b.names().get("next");
            b.arg("next", next);
            m.addParameter(TypeNames.PACKING, next);
            b.statement("$checks:T.sameLengths($checks:T.rowLengths($targets:N), $next:N)");
        } else {
            b.begin("if ($targets:N.length != batch)")
                    .statement("throw new $illegalArgument:T(\"the targets must be [batch] = [\" + batch + \"], got \" + $targets:N.length + \" rows\")")
                    .end();
        }
        return m.addCode(b.build()).build();
    }
}
