package dev.vdrop.processor;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.vdrop.dsl.Over;
import dev.vdrop.processor.NetworkSpec.FeatureInput;
import dev.vdrop.processor.NetworkSpec.RegressionOutput;
import dev.vdrop.processor.NetworkSpec.SoftmaxOutput;
import dev.vdrop.processor.NetworkSpec.TokenInput;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * Writes the network's workspace, the nested class {@code Buffers}: the buffers, masks and carried state for segments of B
 * sequences × T steps, and the forward and backward pass (truncated back-propagation through
 * time) over one segment. Buffers are allocated once per segment shape and reused.
 */
final class WorkspaceWriter {
    /** The generated nested class that implements {@code Workspace}. */
    static final String CLASS_NAME = "Buffers";

    private final NetworkSpec spec;
    private final Params params;
    private final List<LayerCode> layers;
    private final boolean tokens;
    private final boolean softmax;
    private final boolean everyStep;
    private final int outputs;

    private WorkspaceWriter(NetworkSpec spec, Params params) {
        this.spec = spec;
        this.params = params;
        this.layers = spec.lstms().stream().map(l -> new LayerCode(l, params)).toList();
        this.tokens = spec.input() instanceof TokenInput;
        this.softmax = spec.output() instanceof SoftmaxOutput;
        this.everyStep = spec.output().over() == Over.EVERY_STEP;
        this.outputs = softmax ? ((SoftmaxOutput) spec.output()).classes() : ((RegressionOutput) spec.output()).outputs();
    }

    static TypeSpec write(NetworkSpec spec, Params params) {
        return new WorkspaceWriter(spec, params).workspace();
    }

    /** The type of the input a segment reads: {@code int[][]} tokens or {@code double[][][]} features. */
    static TypeName inputType(NetworkSpec spec) {
        return spec.input() instanceof TokenInput ? TypeNames.INT_2D : TypeNames.DOUBLE_3D;
    }

    /** The type of the targets: ids or values, at every step or the last. */
    static TypeName targetType(NetworkSpec spec) {
        boolean every = spec.output().over() == Over.EVERY_STEP;
        if (spec.output() instanceof SoftmaxOutput) {
            return every ? TypeNames.INT_2D : TypeNames.INT_1D;
        }
        return every ? TypeNames.DOUBLE_3D : TypeNames.DOUBLE_2D;
    }

    private TypeName inputType() {
        return inputType(spec);
    }

    private TypeName targetType() {
        return targetType(spec);
    }

    private String inputName() {
        return tokens ? "tokens" : "inputs";
    }

    private LayerCode last() {
        return layers.get(layers.size() - 1);
    }

    private TypeSpec workspace() {
        TypeSpec.Builder type = TypeSpec.classBuilder(CLASS_NAME).addModifiers(Modifier.PRIVATE, Modifier.FINAL)
                .addSuperinterface(ParameterizedTypeName.get(TypeNames.WORKSPACE, inputType(), targetType()))
                .addJavadoc("Buffers, dropout masks and carried state for segments of {@code batch} sequences ×\n")
                .addJavadoc("{@code steps} steps: reuse one for every segment of that shape. Call order for training:\n")
                .addJavadoc("{@link #sampleMasks} when a segment starts, {@link #forward} (returns the loss), then\n")
                .addJavadoc("{@link #backward}, which adds this segment's gradients to the parameters' gradient buffers.\n")
                .addJavadoc("The state (h, c) at the end of a segment is carried into the next, detached: gradients stop\n")
                .addJavadoc("at the segment boundary. Not thread-safe.\n");
        type.addField(FieldSpec.builder(TypeName.INT, "batch", Modifier.PRIVATE, Modifier.FINAL).build());
        type.addField(FieldSpec.builder(TypeName.INT, "steps", Modifier.PRIVATE, Modifier.FINAL).build());
        type.addField(FieldSpec.builder(TypeName.INT, "columns", Modifier.PRIVATE, Modifier.FINAL)
                .addJavadoc("T·B: one column per (step, sequence).\n").build());
        if (chunksInput()) {
            type.addField(FieldSpec.builder(TypeName.INT, "chunkSteps", Modifier.PRIVATE, Modifier.FINAL)
                    .addJavadoc("Steps whose input products a pass without targets computes at once.\n").build());
            type.addField(FieldSpec.builder(TypeNames.MAT, "zChunk", Modifier.PRIVATE)
                    .addJavadoc("A pass without targets: z_t of chunkSteps steps at a time, $L × (chunkSteps·B), one buffer\n",
                            chunkRows())
                    .addJavadoc("for the layers that take their input products in chunks (they run one after another), made by\n")
                    .addJavadoc("the first such pass.\n").build());
        }
        type.addField(FieldSpec.builder(TypeName.BOOLEAN, "dropout", Modifier.PRIVATE)
                .addJavadoc("Whether the LSTM masks (and weight drop) apply to the next forward pass.\n").build());
        type.addField(FieldSpec.builder(TypeName.BOOLEAN, "carry", Modifier.PRIVATE)
                .addJavadoc("Whether the next forward pass starts from the state the last one ended in.\n").build());
        type.addField(FieldSpec.builder(TypeName.BOOLEAN, "readyForBackward", Modifier.PRIVATE).build());
        type.addField(FieldSpec.builder(TypeNames.MAT, "x0", Modifier.PRIVATE, Modifier.FINAL)
                .addJavadoc("The first LSTM's input x_t: $L × TB.\n", spec.input().width()).build());
        type.addField(FieldSpec.builder(TypeNames.MAT, "dx0", Modifier.PRIVATE)
                .addJavadoc("∂L/∂x_t of the first LSTM's input (allocated by the first backward(), like every\n")
                .addJavadoc("buffer only the backward pass uses).\n").build());
        if (tokens) {
            type.addField(FieldSpec.builder(TypeNames.INT_2D, "tokens", Modifier.PRIVATE).build());
            if (embeddingDropout()) {
                type.addField(FieldSpec.builder(TypeName.BOOLEAN, "embeddingDropout", Modifier.PRIVATE).build());
                type.addField(FieldSpec.builder(TypeNames.MAT, "embeddingMask", Modifier.PRIVATE, Modifier.FINAL)
                        .addJavadoc("Embedding dropout: one keep-or-drop value per word type, $L.\n",
                                sequenceScope() ? "per sequence (vocabulary × B)" : "per mini-batch (vocabulary × 1)")
                        .build());
            }
        }
        type.addField(FieldSpec.builder(targetType(), "targets", Modifier.PRIVATE).build());
        type.addField(FieldSpec.builder(TypeNames.MAT, "out", Modifier.PRIVATE, Modifier.FINAL)
                .addJavadoc(softmax ? "Predicted probabilities, one column per prediction; backward() turns them into p − onehot(target) = B · ∂L/∂a in place.\n"
                        : "Predicted means μ, one column per prediction; backward() turns them into ∂L/∂μ in place.\n").build());
        if (softmax) {
            type.addField(FieldSpec.builder(TypeNames.MAT, "probabilitySums", Modifier.PRIVATE, Modifier.FINAL)
                    .addJavadoc("Σ p over the columns of a forward pass with targets, for ∂d: $L × 1.\n", outputs).build());
        }
        for (LayerCode layer : layers) {
            layer.fields().forEach(type::addField);
        }
        type.addMethod(constructor());
        type.addMethod(getter("batch", "Sequences per segment."));
        type.addMethod(getter("steps", "Steps per segment."));
        type.addMethod(sampleMasks());
        type.addMethod(resampleStepMasks());
        type.addMethod(dropoutOff());
        type.addMethod(close());
        type.addMethod(flag("hasWeightDrop", layers.stream().anyMatch(LayerCode::weightDrop)));
        type.addMethod(flag("hasStepMasks", layers.stream().anyMatch(l -> l.perStep()
                && (l.hasInputMask() || l.hasOutputMask()))));
        type.addMethod(masks());
        type.addMethod(resetState());
        type.addMethod(state());
        type.addMethod(setState());
        type.addMethod(forwardWithTargets());
        type.addMethod(forwardWithoutTargets());
        type.addMethod(checkTargets());
        if (chunksInput()) {
            type.addMethod(allocateForward());
        }
        type.addMethod(run());
        type.addMethod(tokens ? embed() : read());
        for (LayerCode layer : layers) {
            type.addMethod(layer.forward());
        }
        type.addMethod(head());
        type.addMethod(loss());
        type.addMethod(backward());
        type.addMethod(allocateBackward());
        type.addMethod(headBackward());
        for (LayerCode layer : layers) {
            type.addMethod(layer.backward());
        }
        if (tokens) {
            type.addMethod(embeddingBackward());
        }
        type.addMethod(MethodSpec.methodBuilder("inputGradient").addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC).returns(TypeNames.MAT)
                .addJavadoc("∂L/∂x of the first LSTM's input after {@link #backward}: $L × TB, column t·B + b.\n",
                        spec.input().width())
                .beginControlFlow("if (dx0 == null)")
                .addStatement("throw new $T(\"inputGradient() needs a backward() first\")", TypeNames.ILLEGAL_STATE)
                .endControlFlow()
                .addStatement("return dx0").build());
        type.addMethod(MethodSpec.methodBuilder("output").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC).returns(TypeNames.MAT)
                .addJavadoc(softmax ? "The predicted probabilities of the last forward pass, until backward(): $L × $L.\n"
                        : "The predicted means of the last forward pass, until backward(): $L × $L.\n", outputs,
                        everyStep ? "TB, column t·B + b" : "B")
                .addStatement("return out").build());
        return type.build();
    }

    private boolean embeddingDropout() {
        return spec.input() instanceof TokenInput t && t.dropout() > 0;
    }

    private boolean sequenceScope() {
        return spec.input() instanceof TokenInput t && t.scope() == dev.vdrop.dsl.Scope.SEQUENCE;
    }

    private MethodSpec getter(String name, String doc) {
        return MethodSpec.methodBuilder(name).addAnnotation(Override.class).addModifiers(Modifier.PUBLIC).returns(TypeName.INT)
                .addJavadoc("$L\n", doc).addStatement("return $L", name).build();
    }

    private MethodSpec constructor() {
        MethodSpec.Builder m = MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE)
                .addParameter(TypeName.INT, "batch").addParameter(TypeName.INT, "steps")
                .beginControlFlow("if (batch <= 0 || steps <= 0)")
                .addStatement("throw new $T(\"a segment needs a positive batch and number of steps, got \" + batch + \" × \" + steps)",
                        TypeNames.ILLEGAL_ARGUMENT)
                .endControlFlow()
                .addStatement("this.batch = batch")
                .addStatement("this.steps = steps")
                .addStatement("this.columns = batch * steps");
        if (chunksInput()) {
            m.addStatement("this.chunkSteps = $T.steps(steps, batch, $L)", TypeNames.INPUT_CHUNKS, chunkRows());
        }
        m.addStatement("x0 = $T.zeros(dataType, $L, columns)", TypeNames.MAT, spec.input().width());
        if (embeddingDropout()) {
            m.addStatement("embeddingMask = $T.zeros(dataType, $L, $L)", TypeNames.MAT,
                    ((TokenInput) spec.input()).vocabulary(), sequenceScope() ? "batch" : "1");
        }
        String outCols = everyStep ? "columns" : "batch";
        m.addStatement("out = $T.zeros(dataType, $L, $L)", TypeNames.MAT, outputs, outCols);
        if (softmax) {
            m.addStatement("probabilitySums = $T.zeros(dataType, $L, 1)", TypeNames.MAT, outputs);
        }
        for (LayerCode layer : layers) {
            m.addCode(layer.allocate());
        }
        return m.build();
    }

    private MethodSpec sampleMasks() {
        MethodSpec.Builder m = MethodSpec.methodBuilder("sampleMasks").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                .addParameter(TypeNames.RNG, "rng").addParameter(TypeNames.DROPOUT_MODE, "mode")
                .addJavadoc("Samples every mask this model has for the next forward passes: {@code TRAIN} all of them,\n")
                .addJavadoc("{@code MC} all but embedding dropout, {@code OFF} none. Masks stay until sampled again, so\n")
                .addJavadoc("sample when a segment starts, and not between a forward pass and its backward pass.\n")
                .addStatement("dropout = mode != $T.OFF", TypeNames.DROPOUT_MODE);
        if (embeddingDropout()) {
            TokenInput t = (TokenInput) spec.input();
            m.addStatement("embeddingDropout = mode == $T.TRAIN", TypeNames.DROPOUT_MODE)
                    .beginControlFlow("if (embeddingDropout)")
                    .addStatement("$T.sample(embeddingMask, $L, rng)", TypeNames.DROPOUTS, t.dropout())
                    .endControlFlow();
        }
        m.beginControlFlow("if (dropout)");
        for (LayerCode layer : layers) {
            m.addCode(layer.sampleMasks());
        }
        m.endControlFlow();
        return m.build();
    }

    private MethodSpec close() {
        MethodSpec.Builder m = MethodSpec.methodBuilder("close").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                .addStatement("x0.close()").addStatement("out.close()");
        if (softmax) {
            m.addStatement("probabilitySums.close()");
        }
        if (embeddingDropout()) {
            m.addStatement("embeddingMask.close()");
        }
        for (LayerCode layer : layers) {
            m.addCode(layer.close());
        }
        if (chunksInput()) {
            m.beginControlFlow("if (zChunk != null)").addStatement("zChunk.close()").endControlFlow();
        }
        m.beginControlFlow("if (dx0 != null)").addStatement("dx0.close()");
        for (LayerCode layer : layers) {
            m.addCode(layer.closeBackward());
        }
        m.endControlFlow();
        return m.build();
    }

    private MethodSpec flag(String name, boolean value) {
        return MethodSpec.methodBuilder(name).addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                .returns(TypeName.BOOLEAN).addStatement("return $L", value).build();
    }

    private MethodSpec resampleStepMasks() {
        MethodSpec.Builder m = MethodSpec.methodBuilder("resampleStepMasks").addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC).addParameter(TypeNames.RNG, "rng");
        CodeBlock.Builder body = CodeBlock.builder();
        for (LayerCode layer : layers) {
            body.add(layer.resampleStepMasks());
        }
        CodeBlock code = body.build();
        if (!code.isEmpty()) {
            m.beginControlFlow("if (dropout)").addCode(code).endControlFlow();
        }
        return m.build();
    }

    private MethodSpec dropoutOff() {
        MethodSpec.Builder m = MethodSpec.methodBuilder("dropoutOff").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                .addJavadoc("No dropout in the next forward passes: the standard dropout approximation.\n")
                .addStatement("dropout = false");
        if (embeddingDropout()) {
            m.addStatement("embeddingDropout = false");
        }
        return m.build();
    }

    private MethodSpec masks() {
        MethodSpec.Builder m = MethodSpec.methodBuilder("masks").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                .returns(ParameterizedTypeName.get(TypeNames.MAP, ClassName.get(String.class), TypeNames.MAT))
                .addJavadoc("Every mask this model has, by name ({@code lstm1.x}, {@code lstm1.h.f}, {@code lstm1.U},\n")
                .addJavadoc("{@code embedding.E}, …), as the buffers themselves: for inspection and tests.\n")
                .addStatement("$T<String, $T> masks = new $T<>()", TypeNames.MAP, TypeNames.MAT, TypeNames.LINKED_HASH_MAP);
        if (embeddingDropout()) {
            m.addStatement("masks.put($S, embeddingMask)", spec.input().field() + ".E");
        }
        for (LayerCode layer : layers) {
            m.addCode(layer.listMasks());
        }
        m.addStatement("return masks");
        return m.build();
    }

    private MethodSpec resetState() {
        MethodSpec.Builder m = MethodSpec.methodBuilder("resetState").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                .addJavadoc("The next forward pass starts from h = c = 0, as at the start of an epoch.\n")
                .addStatement("carry = false");
        for (LayerCode layer : layers) {
            m.addCode(layer.reset());
        }
        return m.build();
    }

    private MethodSpec state() {
        MethodSpec.Builder m = MethodSpec.methodBuilder("state").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC).returns(TypeNames.RECURRENT_STATE)
                .addJavadoc("A copy of the state the next forward pass starts from.\n");
        List<String> h = layers.stream().map(l -> "carry ? " + l.finalHidden() + " : " + l.initialHidden()).toList();
        List<String> c = layers.stream().map(l -> "carry ? " + l.finalCell() + " : " + l.initialCell()).toList();
        m.addStatement("return new $T($T.of($L), $T.of($L))", TypeNames.RECURRENT_STATE, TypeNames.LIST,
                String.join(", ", h.stream().map(s -> "(" + s + ")").toList()), TypeNames.LIST,
                String.join(", ", c.stream().map(s -> "(" + s + ")").toList()));
        return m.build();
    }

    private MethodSpec setState() {
        MethodSpec.Builder m = MethodSpec.methodBuilder("setState").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                .addParameter(TypeNames.RECURRENT_STATE, "state")
                .addJavadoc("The next forward pass starts from {@code state} (copied).\n")
                .beginControlFlow("if (state.layers() != $L)", layers.size())
                .addStatement("throw new $T(\"the state has \" + state.layers() + \" layers, this model $L\")",
                        TypeNames.ILLEGAL_ARGUMENT, layers.size())
                .endControlFlow();
        for (int i = 0; i < layers.size(); i++) {
            m.addStatement("$L.copyFrom(state.hidden($L))", layers.get(i).initialHidden(), i);
            m.addStatement("$L.copyFrom(state.cell($L))", layers.get(i).initialCell(), i);
        }
        return m.addStatement("carry = false").build();
    }

    private MethodSpec forwardWithTargets() {
        String targetShape = softmax
                ? (everyStep ? "{@code [batch][steps]} class ids" : "{@code [batch]} class ids")
                : (everyStep ? "{@code [batch][steps][" + outputs + "]} values" : "{@code [batch][" + outputs + "]} values");
        String lossDoc = softmax
                ? "the cross-entropy summed over the " + (everyStep ? "steps" : "last step") + " and averaged over the sequences"
                : "the Gaussian negative log-likelihood summed over the " + (everyStep ? "steps" : "last step")
                        + " and outputs and averaged over the sequences";
        return MethodSpec.methodBuilder("forward").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC).returns(TypeName.DOUBLE)
                .addParameter(inputType(), inputName()).addParameter(targetType(), "targets")
                .addJavadoc("Forward pass over one segment with the current masks, from the carried state.\n\n")
                .addJavadoc("@param $L the segment's input, {@code [batch][steps]$L}\n", inputName(),
                        tokens ? "" : "[" + spec.input().width() + "]")
                .addJavadoc("@param targets $L\n", targetShape)
                .addJavadoc("@return the loss: $L\n", lossDoc)
                .addStatement("checkTargets(targets)")
                .addStatement("this.targets = targets")
                .addStatement("run($L)", inputName())
                .addStatement("readyForBackward = true")
                .addStatement("return loss()")
                .build();
    }

    private MethodSpec forwardWithoutTargets() {
        return MethodSpec.methodBuilder("forward").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                .addParameter(inputType(), inputName())
                .addJavadoc("Forward pass without targets, for prediction: read the result with {@link #output()}.\n")
                .addStatement("targets = null")
                .addStatement("run($L)", inputName())
                .addStatement("readyForBackward = false")
                .build();
    }

    /** The rows of the shared chunk buffer: the most gates of a layer that computes its input term in chunks. */
    private int chunkRows() {
        return layers.stream().filter(LayerCode::chunksInput).mapToInt(LayerCode::gates).max().orElseThrow();
    }

    /** Whether some layer computes its input term in chunks in a pass without targets. */
    private boolean chunksInput() {
        return layers.stream().anyMatch(LayerCode::chunksInput);
    }

    /** The gates of every step for a pass with targets, a chunk's for one without: each made once. */
    private MethodSpec allocateForward() {
        MethodSpec.Builder m = MethodSpec.methodBuilder("allocateForward").addModifiers(Modifier.PRIVATE)
                .addJavadoc("The buffers this pass needs and the segment does not have yet: with targets, every step's\n")
                .addJavadoc("gates for backward(); without, the pre-activations of chunkSteps steps at a time.\n")
                .beginControlFlow("if (targets != null)");
        for (LayerCode layer : layers) {
            if (layer.chunksInput()) {
                m.addCode(layer.allocateGates());
            }
        }
        m.nextControlFlow("else if (zChunk == null)");
        m.addStatement("zChunk = $T.zeros(dataType, $L, chunkSteps * batch)", TypeNames.MAT, chunkRows());
        for (LayerCode layer : layers) {
            if (layer.chunksInput()) {
                m.addCode(layer.allocateChunk(chunkRows()));
            }
        }
        return m.endControlFlow().build();
    }

    private MethodSpec run() {
        MethodSpec.Builder m = MethodSpec.methodBuilder("run").addModifiers(Modifier.PRIVATE)
                .addParameter(inputType(), inputName());
        if (tokens) {
            m.addStatement("$T.tokens($L, $L)", TypeNames.CHECKS, inputName(), ((TokenInput) spec.input()).vocabulary());
        } else {
            m.addStatement("$T.features($L, $L)", TypeNames.CHECKS, inputName(), spec.input().width());
        }
        m.beginControlFlow("if ($L.length != batch || $L[0].length != steps)", inputName(), inputName())
                .addStatement("throw new $T(\"this segment takes \" + batch + \" sequences of \" + steps + \" steps, got \" + $L.length + \" of \" + $L[0].length)",
                        TypeNames.ILLEGAL_ARGUMENT, inputName(), inputName())
                .endControlFlow();
        m.beginControlFlow("if (carry)").addComment("h_{-1}, c_{-1} ← the state the previous segment ended in (detached)");
        for (LayerCode layer : layers) {
            m.addCode(layer.carry());
        }
        m.endControlFlow();
        if (chunksInput()) {
            m.addStatement("allocateForward()");
        }
        m.addStatement(tokens ? "embed(tokens)" : "read(inputs)");
        String input = "x0";
        for (LayerCode layer : layers) {
            m.addStatement("$L($L)", layer.forwardMethod(), input);
            input = layer.output();
        }
        m.addStatement("head()");
        m.addStatement("carry = true");
        return m.build();
    }

    private MethodSpec embed() {
        TokenInput t = (TokenInput) spec.input();
        String e = params.get(t.field(), "E").field();
        MethodSpec.Builder m = MethodSpec.methodBuilder("embed").addModifiers(Modifier.PRIVATE)
                .addParameter(TypeNames.INT_2D, "tokens")
                .addStatement("this.tokens = tokens")
                .addStatement("$T embedding = $L.value()", TypeNames.MAT, e);
        if (embeddingDropout()) {
            m.addComment("x_t = E[w_t] · m_e[w_t]: a dropped word type is zero at every one of its occurrences");
        } else {
            m.addComment("x_t = E[w_t]: column w of E is the vector of word w");
        }
        m.beginControlFlow("for (int t = 0; t < steps; t++)")
                .beginControlFlow("for (int s = 0; s < batch; s++)")
                .addStatement("int word = tokens[s][t]")
                .addStatement("int col = t * batch + s");
        if (embeddingDropout()) {
            m.addStatement("double keep = embeddingDropout ? embeddingMask.get(word, $L) : 1", sequenceScope() ? "s" : "0");
        } else {
            m.addStatement("double keep = 1");
        }
        m.addStatement("copyColumn(x0, col, embedding, word, keep)")
                .endControlFlow()
                .endControlFlow();
        return m.build();
    }

    private MethodSpec embeddingBackward() {
        TokenInput t = (TokenInput) spec.input();
        String e = params.get(t.field(), "E").field();
        // Tied to the decoder, whose product already wrote ∂E whole, the gradient is dense anyway.
        boolean byColumns = !(spec.output() instanceof SoftmaxOutput s && s.tiedToEmbedding());
        MethodSpec.Builder m = MethodSpec.methodBuilder("backwardEmbedding").addModifiers(Modifier.PRIVATE)
                .addComment("∂E[w] += ∂x_t · m_e[w] for every occurrence of w: a dropped word gets no gradient from it");
        if (byColumns) {
            m.addComment("(column by column: the norm, the SGD step and the next clearing visit only the columns written)")
                    .addStatement("$T gradient = $L.gradientColumns()", TypeNames.MAT, e);
        } else {
            m.addStatement("$T gradient = $L.gradient()", TypeNames.MAT, e);
        }
        m.beginControlFlow("for (int t = 0; t < steps; t++)")
                .beginControlFlow("for (int s = 0; s < batch; s++)")
                .addStatement("int word = tokens[s][t]")
                .addStatement("int col = t * batch + s");
        if (embeddingDropout()) {
            m.addStatement("double keep = embeddingDropout ? embeddingMask.get(word, $L) : 1", sequenceScope() ? "s" : "0");
        } else {
            m.addStatement("double keep = 1");
        }
        m.beginControlFlow("if (keep != 0)");
        if (byColumns) {
            m.addStatement("$L.columnWritten(word)", e);
        }
        m.addStatement("addToColumn(gradient, word, dx0, col, keep)")
                .endControlFlow()
                .endControlFlow()
                .endControlFlow();
        return m.build();
    }

    private MethodSpec read() {
        FeatureInput f = (FeatureInput) spec.input();
        return MethodSpec.methodBuilder("read").addModifiers(Modifier.PRIVATE)
                .addParameter(TypeNames.DOUBLE_3D, "inputs")
                .addComment("x_t: column t·B + b holds step t of sequence b")
                .beginControlFlow("for (int t = 0; t < steps; t++)")
                .beginControlFlow("for (int s = 0; s < batch; s++)")
                .beginControlFlow("for (int j = 0; j < $L; j++)", f.features())
                .addStatement("x0.set(j, t * batch + s, inputs[s][t][j])")
                .endControlFlow()
                .endControlFlow()
                .endControlFlow()
                .build();
    }

    /** The last LSTM's output that the head reads: every column, or the last step's block. */
    private String headInput() {
        return everyStep ? last().output() : last().output() + ".columns((steps - 1) * batch, batch)";
    }

    private String decoder() {
        return softmax && ((SoftmaxOutput) spec.output()).tiedToEmbedding() ? null : params.get(spec.output().field(), "D").field();
    }

    private String embeddingParam() {
        return params.get(spec.input().field(), "E").field();
    }

    private MethodSpec head() {
        MethodSpec.Builder m = MethodSpec.methodBuilder("head").addModifiers(Modifier.PRIVATE);
        String field = spec.output().field();
        String biasField = params.get(field, "d").field();
        m.addStatement("$T y = $L", TypeNames.MAT, headInput());
        if (softmax) {
            if (decoder() == null) {
                m.addComment("a = Eᵀ y + d (the decoder is the embedding), p = softmax(a) per column");
                m.addStatement("$T.gemm(true, false, 1, $L.value(), y, 0, out)", TypeNames.BLAS, embeddingParam());
            } else {
                m.addComment("a = D y + d (D stored as Dᵀ, one column per class), p = softmax(a) per column");
                m.addStatement("$T.gemm(true, false, 1, $L.value(), y, 0, out)", TypeNames.BLAS, decoder());
            }
            m.addComment("with targets (a pass that may be followed by backward()), Σ p over the columns as well");
            m.beginControlFlow("if (targets == null)")
                    .addStatement("$T.addBiasAndSoftmax(out, $L.value())", TypeNames.OUTPUTS, biasField)
                    .nextControlFlow("else")
                    .addStatement("probabilitySums.zero()")
                    .addStatement("$T.addBiasAndSoftmax(out, $L.value(), probabilitySums)", TypeNames.OUTPUTS, biasField)
                    .endControlFlow();
        } else {
            m.addComment("μ = D y + d");
            m.addStatement("$T.gemm(false, false, 1, $L.value(), y, 0, out)", TypeNames.BLAS, decoder());
            m.addStatement("$T.addBias(out, $L.value())", TypeNames.OUTPUTS, biasField);
        }
        return m.build();
    }

    private MethodSpec loss() {
        MethodSpec.Builder m = MethodSpec.methodBuilder("loss").addModifiers(Modifier.PRIVATE).returns(TypeName.DOUBLE)
                .addStatement("double sum = 0");
        if (softmax) {
            m.addComment("L = (1/B) Σ −log p(target)");
            if (everyStep) {
                m.beginControlFlow("for (int t = 0; t < steps; t++)")
                        .beginControlFlow("for (int s = 0; s < batch; s++)")
                        .addStatement("sum -= Math.log(out.get(targets[s][t], t * batch + s))")
                        .endControlFlow().endControlFlow();
            } else {
                m.beginControlFlow("for (int s = 0; s < batch; s++)")
                        .addStatement("sum -= Math.log(out.get(targets[s], s))")
                        .endControlFlow();
            }
        } else {
            String logVariance = params.get(spec.output().field(), "s").field();
            m.addComment("L = (1/B) Σ ½ [log 2π + s_j + (y − μ)² e^{−s_j}]");
            m.addStatement("$T logVariance = $L.value()", TypeNames.MAT, logVariance);
            if (everyStep) {
                m.beginControlFlow("for (int t = 0; t < steps; t++)")
                        .beginControlFlow("for (int s = 0; s < batch; s++)")
                        .beginControlFlow("for (int j = 0; j < $L; j++)", outputs)
                        .addStatement("double error = targets[s][t][j] - out.get(j, t * batch + s)")
                        .addStatement("sum += 0.5 * (LOG_TWO_PI + logVariance.get(j, 0) + error * error * Math.exp(-logVariance.get(j, 0)))")
                        .endControlFlow().endControlFlow().endControlFlow();
            } else {
                m.beginControlFlow("for (int s = 0; s < batch; s++)")
                        .beginControlFlow("for (int j = 0; j < $L; j++)", outputs)
                        .addStatement("double error = targets[s][j] - out.get(j, s)")
                        .addStatement("sum += 0.5 * (LOG_TWO_PI + logVariance.get(j, 0) + error * error * Math.exp(-logVariance.get(j, 0)))")
                        .endControlFlow().endControlFlow();
            }
        }
        m.addStatement("return sum / batch");
        return m.build();
    }

    private MethodSpec backward() {
        MethodSpec.Builder m = MethodSpec.methodBuilder("backward").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                .addJavadoc("Back-propagates the last forward pass's loss through the segment (and not beyond it) and\n")
                .addJavadoc("adds the gradients to the parameters' gradient buffers.\n\n")
                .addJavadoc("@throws IllegalStateException when there was no forward pass with targets since the last one\n")
                .beginControlFlow("if (!readyForBackward)")
                .addStatement("throw new $T(\"backward() needs a forward pass with targets first\")", TypeNames.ILLEGAL_STATE)
                .endControlFlow()
                .addStatement("readyForBackward = false")
                .addStatement("allocateBackward()")
                .addStatement("headBackward()");
        for (int i = layers.size() - 1; i >= 0; i--) {
            String dx = i == 0 ? "dx0" : layers.get(i - 1).outputGradient();
            m.addStatement("$L($L)", layers.get(i).backwardMethod(), dx);
        }
        if (tokens) {
            m.addStatement("backwardEmbedding()");
        }
        return m.build();
    }

    private MethodSpec allocateBackward() {
        MethodSpec.Builder m = MethodSpec.methodBuilder("allocateBackward").addModifiers(Modifier.PRIVATE)
                .addJavadoc("The buffers only backward() uses, made on its first call: prediction and evaluation\n")
                .addJavadoc("never pay for them.\n")
                .beginControlFlow("if (dx0 != null)").addStatement("return").endControlFlow()
                .addStatement("dx0 = $T.zeros(dataType, $L, columns)", TypeNames.MAT, spec.input().width());
        for (LayerCode layer : layers) {
            m.addCode(layer.allocateBackward());
        }
        return m.build();
    }

    private MethodSpec headBackward() {
        MethodSpec.Builder m = MethodSpec.methodBuilder("headBackward").addModifiers(Modifier.PRIVATE);
        String field = spec.output().field();
        String biasField = params.get(field, "d").field();
        String dy = last().outputGradient();
        if (softmax) {
            m.addComment("∂L/∂a = (p − onehot(target)) / B: p − onehot in place of p, the 1/B in the products below");
            m.addComment("∂d += Σ ∂a = (Σ p − Σ onehot) / B, with Σ p from the forward pass");
            m.addStatement("$T dBias = $L.gradient()", TypeNames.MAT, biasField);
            m.beginControlFlow("for (int k = 0; k < $L; k++)", outputs)
                    .addStatement("dBias.add(k, 0, probabilitySums.get(k, 0) / batch)")
                    .endControlFlow();
            if (everyStep) {
                m.beginControlFlow("for (int t = 0; t < steps; t++)")
                        .beginControlFlow("for (int s = 0; s < batch; s++)")
                        .addStatement("int target = targets[s][t]")
                        .addStatement("int col = t * batch + s")
                        .addStatement("out.set(target, col, out.get(target, col) - 1)")
                        .addStatement("dBias.add(target, 0, -1.0 / batch)")
                        .endControlFlow().endControlFlow();
            } else {
                m.beginControlFlow("for (int s = 0; s < batch; s++)")
                        .addStatement("out.set(targets[s], s, out.get(targets[s], s) - 1)")
                        .addStatement("dBias.add(targets[s], 0, -1.0 / batch)")
                        .endControlFlow();
            }
        } else {
            String logVariance = params.get(field, "s").field();
            m.addComment("∂L/∂μ = (μ − y) e^{−s} / B in place of μ,  ∂L/∂s_j = (1/B) Σ ½ (1 − (y − μ)² e^{−s_j})");
            m.addStatement("$T logVariance = $L.value()", TypeNames.MAT, logVariance);
            m.addStatement("$T dLogVariance = $L.gradient()", TypeNames.MAT, logVariance);
            if (everyStep) {
                m.beginControlFlow("for (int t = 0; t < steps; t++)")
                        .beginControlFlow("for (int s = 0; s < batch; s++)")
                        .addStatement("int col = t * batch + s")
                        .beginControlFlow("for (int j = 0; j < $L; j++)", outputs)
                        .addStatement("double error = targets[s][t][j] - out.get(j, col)");
            } else {
                m.beginControlFlow("for (int s = 0; s < batch; s++)")
                        .addStatement("int col = s")
                        .beginControlFlow("for (int j = 0; j < $L; j++)", outputs)
                        .addStatement("double error = targets[s][j] - out.get(j, col)");
            }
            m.addStatement("double precision = Math.exp(-logVariance.get(j, 0))")
                    .addStatement("out.set(j, col, -error * precision / batch)")
                    .addStatement("dLogVariance.set(j, 0, dLogVariance.get(j, 0) + 0.5 * (1 - error * error * precision) / batch)");
            m.endControlFlow().endControlFlow();
            if (everyStep) {
                m.endControlFlow();
            }
        }
        m.addStatement("$T y = $L", TypeNames.MAT, headInput());
        String alpha = "1";
        if (softmax) {
            alpha = "1.0 / batch";
        } else {
            m.addComment("∂d += Σ ∂μ");
            m.addStatement("addColumnSums($L.gradient(), out)", biasField);
        }
        String dyTarget = dy;
        if (!everyStep) {
            m.addComment("only the last step is decoded: ∂y is zero at the other steps");
            m.addStatement("$L.zero()", dy);
            dyTarget = dy + ".columns((steps - 1) * batch, batch)";
        }
        String a = softmax ? "∂a" : "∂μ";
        if (decoder() == null) {
            m.addComment("tied decoder, a = Eᵀ y: ∂E += y $Lᵀ, ∂y = E $L$L", a, a, LayerCode.OVERWRITE_NOTE);
            m.addStatement("$T.gemm(false, true, $L, y, out, $L.gradientBeta(), $L.gradient())", TypeNames.BLAS, alpha,
                    embeddingParam(), embeddingParam());
            m.addStatement("$T.gemm(false, false, $L, $L.value(), out, 0, $L)", TypeNames.BLAS, alpha, embeddingParam(), dyTarget);
        } else if (softmax) {
            m.addComment("D stored as Dᵀ: ∂Dᵀ += y $Lᵀ, ∂y = Dᵀ $L$L", a, a, LayerCode.OVERWRITE_NOTE);
            m.addStatement("$T.gemm(false, true, $L, y, out, $L.gradientBeta(), $L.gradient())", TypeNames.BLAS, alpha,
                    decoder(), decoder());
            m.addStatement("$T.gemm(false, false, $L, $L.value(), out, 0, $L)", TypeNames.BLAS, alpha, decoder(), dyTarget);
        } else {
            m.addComment("∂D += $L yᵀ, ∂y = Dᵀ $L$L", a, a, LayerCode.OVERWRITE_NOTE);
            m.addStatement("$T.gemm(false, true, $L, out, y, $L.gradientBeta(), $L.gradient())", TypeNames.BLAS, alpha,
                    decoder(), decoder());
            m.addStatement("$T.gemm(true, false, $L, $L.value(), out, 0, $L)", TypeNames.BLAS, alpha, decoder(), dyTarget);
        }
        return m.build();
    }

    /** Checks the targets' shape against the segment and their ids or values. */
    private MethodSpec checkTargets() {
        MethodSpec.Builder m = MethodSpec.methodBuilder("checkTargets").addModifiers(Modifier.PRIVATE)
                .addParameter(targetType(), "targets");
        if (softmax && everyStep) {
            m.addStatement("$T.tokens(targets, $L)", TypeNames.CHECKS, outputs);
        } else if (softmax) {
            m.addStatement("$T.classes(targets, $L)", TypeNames.CHECKS, outputs);
        } else if (everyStep) {
            m.addStatement("$T.features(targets, $L)", TypeNames.CHECKS, outputs);
        } else {
            m.addStatement("$T.values(targets, $L)", TypeNames.CHECKS, outputs);
        }
        String steps = everyStep ? " || targets[0].length != steps" : "";
        m.beginControlFlow("if (targets.length != batch$L)", steps)
                .addStatement("throw new $T(\"the targets must be $L, got \" + targets.length + \" rows\")",
                        TypeNames.ILLEGAL_ARGUMENT, everyStep ? "[batch][steps] = [\" + batch + \"][\" + steps + \"]"
                                : "[batch] = [\" + batch + \"]")
                .endControlFlow();
        return m.build();
    }
}
