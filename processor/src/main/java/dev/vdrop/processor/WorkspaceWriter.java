package dev.vdrop.processor;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.vdrop.dsl.Over;
import dev.vdrop.processor.Buffer.Lifetime;
import dev.vdrop.processor.Buffer.Owned;
import dev.vdrop.processor.NetworkSpec.RegressionOutput;
import dev.vdrop.processor.NetworkSpec.SoftmaxOutput;
import dev.vdrop.processor.NetworkSpec.TokenInput;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.lang.model.element.Modifier;

/**
 * Writes the network's workspace, the nested class {@code Buffers}: its buffers (see
 * {@link WorkspaceBuffers}), masks and carried state for segments of B sequences × T steps, and
 * the forward and backward pass (truncated back-propagation through time) over one segment,
 * assembled from the input ({@link InputCode}), each layer ({@link RecurrentForward},
 * {@link RecurrentBackward}, {@link RecurrentMasks}) and the head ({@link HeadCode}). Buffers are allocated
 * once per segment shape and reused.
 */
final class WorkspaceWriter {
    /** The generated nested class that implements {@code Workspace}. */
    static final String CLASS_NAME = "Buffers";

    /** The workspace's fields that are no buffers: the segment's shape and the state of its passes. */
    static final List<String> FIXED_FIELDS = List.of("batch", "steps", "columns", "chunkSteps", "packing", "dropout",
            "carry", "readyForBackward", "tokens", "embeddingDropout", "targets");

    private final NetworkSpec spec;
    private final Names names;
    private final Params params;
    private final WorkspaceBuffers buffers;
    private final BufferCode code;
    private final List<RecurrentLayer> layers;
    private final boolean tokens;
    private final boolean softmax;
    private final boolean everyStep;
    private final Dim outputs;

    private WorkspaceWriter(NetworkSpec spec, WorkspaceBuffers buffers, Names names, Params params) {
        this.spec = spec;
        this.names = names;
        this.params = params;
        this.buffers = buffers;
        this.code = new BufferCode(names, params);
        this.layers = buffers.layers();
        this.tokens = spec.input() instanceof TokenInput;
        this.softmax = spec.output() instanceof SoftmaxOutput;
        this.everyStep = spec.output().over() == Over.EVERY_STEP;
        this.outputs = spec.output().size();
    }

    static TypeSpec write(NetworkSpec spec, WorkspaceBuffers buffers, Names names, Params params) {
        return new WorkspaceWriter(spec, buffers, names, params).workspace();
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

    /**
     * The input parameter of forward and run: {@code tokens} is stored into the field of that name
     * ({@link Locals#sameAsField}), {@code inputs} is read at once.
     */
    private String inputParameter(Locals locals) {
        return tokens ? locals.sameAsField("tokens") : locals.get("inputs");
    }

    private TypeSpec workspace() {
        TypeSpec.Builder type = TypeSpec.classBuilder(CLASS_NAME).addModifiers(Modifier.PRIVATE, Modifier.FINAL)
                .addSuperinterface(ParameterizedTypeName.get(TypeNames.WORKSPACE, inputType(), targetType()))
                .addJavadoc("Buffers, dropout masks and carried state for segments of {@code batch} sequences ×\n")
                .addJavadoc("{@code steps} steps: reuse one for every segment of that shape. Call order for training:\n")
                .addJavadoc("{@link #sampleMasks} when a segment starts, {@link #forward} (returns the loss), then\n")
                .addJavadoc("{@link #backward}, which adds this segment's gradients to the parameters' gradient buffers.\n")
                .addJavadoc("The state (h, c) at the end of a segment is carried into the next, detached: gradients stop\n")
                .addJavadoc("at the segment boundary. The sequences of a batch may have 1 to {@code steps} steps each: a\n")
                .addJavadoc("ragged pass packs them ({@link $T}), runs each step on the sequences still running, and\n", TypeNames.PACKING)
                .addJavadoc("leaves each sequence's state where its last step left it. Not thread-safe.\n");
        type.addFields(stateFields());
        type.addFields(code.fields(buffers.all()));
        InputCode input = new InputCode(spec, names, code, buffers, params);
        HeadCode head = new HeadCode(spec, names, code, buffers, params);
        type.addMethod(constructor());
        type.addMethod(getter("batch", "Sequences per segment."));
        type.addMethod(getter("steps", "Steps per segment."));
        type.addMethod(sampleMasks());
        type.addMethod(sampleMasksByKey());
        type.addMethod(resampleStepMasks());
        type.addMethod(dropoutOff());
        type.addMethod(close());
        type.addMethod(flag("hasWeightDrop", layers.stream().anyMatch(RecurrentLayer::weightDrop)));
        type.addMethod(flag("hasStepMasks", layers.stream().anyMatch(l -> l.perStep()
                && (l.hasInputMask() || l.hasOutputMask()))));
        type.addMethod(masks());
        type.addMethod(resetState());
        type.addMethod(state());
        type.addMethod(setState());
        type.addMethod(forwardWithTargets(head));
        type.addMethod(forwardWithoutTargets());
        type.addMethod(head.checkTargets());
        PackingCode packing = new PackingCode(spec, names, code, buffers);
        type.addMethod(packing.pack());
        if (buffers.chunk().isPresent()) {
            type.addMethod(allocateForward());
        }
        type.addMethod(packing.layOut());
        type.addMethod(packing.allocateRagged());
        Optional<MethodSpec> orderMasks = packing.orderMasks();
        orderMasks.ifPresent(type::addMethod);
        type.addMethod(run(orderMasks.isPresent()));
        type.addMethod(tokens ? input.embed() : input.read());
        for (RecurrentLayer layer : layers) {
            type.addMethod(RecurrentForward.write(layer, names, code, params));
            RecurrentForward.writeSamples(layer, names, code, params).ifPresent(type::addMethod);
        }
        type.addMethod(head.head());
        type.addMethod(head.loss());
        type.addMethod(backward());
        type.addMethod(allocateBackward());
        type.addMethod(head.headBackward());
        for (RecurrentLayer layer : layers) {
            type.addMethod(RecurrentBackward.write(layer, names, code, params));
        }
        if (tokens) {
            type.addMethod(input.backwardEmbedding());
        }
        type.addMethod(inputGradient());
        type.addMethod(output());
        return type.build();
    }

    /** The fields of {@link #FIXED_FIELDS} this model has, in that order. */
    private List<FieldSpec> stateFields() {
        List<FieldSpec> fields = new ArrayList<>();
        fields.add(FieldSpec.builder(TypeName.INT, "batch", Modifier.PRIVATE, Modifier.FINAL).build());
        fields.add(FieldSpec.builder(TypeName.INT, "steps", Modifier.PRIVATE, Modifier.FINAL).build());
        fields.add(FieldSpec.builder(TypeName.INT, "columns", Modifier.PRIVATE, Modifier.FINAL)
                .addJavadoc("T·B: one column per (step, sequence).\n").build());
        if (buffers.chunk().isPresent()) {
            fields.add(FieldSpec.builder(TypeName.INT, "chunkSteps", Modifier.PRIVATE, Modifier.FINAL)
                    .addJavadoc("Steps whose input products a pass without targets computes at once.\n").build());
        }
        fields.add(FieldSpec.builder(TypeNames.PACKING, "packing", Modifier.PRIVATE)
                .addJavadoc("The layout of the columns of the last (or current) pass: the equal packing, column t·B + b\n")
                .addJavadoc("for step t of sequence b, while every sequence has T steps.\n").build());
        fields.add(FieldSpec.builder(TypeName.BOOLEAN, "dropout", Modifier.PRIVATE)
                .addJavadoc("Whether the LSTM masks (and weight drop) apply to the next forward pass.\n").build());
        fields.add(FieldSpec.builder(TypeName.BOOLEAN, "carry", Modifier.PRIVATE)
                .addJavadoc("Whether the next forward pass starts from the state the last one ended in.\n").build());
        fields.add(FieldSpec.builder(TypeName.BOOLEAN, "readyForBackward", Modifier.PRIVATE).build());
        if (tokens) {
            fields.add(FieldSpec.builder(TypeNames.INT_2D, "tokens", Modifier.PRIVATE).build());
            if (buffers.embeddingMask().isPresent()) {
                fields.add(FieldSpec.builder(TypeName.BOOLEAN, "embeddingDropout", Modifier.PRIVATE).build());
            }
        }
        fields.add(FieldSpec.builder(targetType(), "targets", Modifier.PRIVATE).build());
        return fields;
    }

    private String name(Buffer buffer) {
        return code.name(buffer);
    }

    private MethodSpec getter(String name, String doc) {
        return MethodSpec.methodBuilder(name).addAnnotation(Override.class).addModifiers(Modifier.PUBLIC).returns(TypeName.INT)
                .addJavadoc("$L\n", doc).addStatement("return $L", name).build();
    }

    private MethodSpec constructor() {
        Locals locals = names.workspaceLocals();
        // the parameters are stored into the fields of their names
        String batch = locals.sameAsField("batch");
        String steps = locals.sameAsField("steps");
        MethodSpec.Builder m = MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE)
                .addParameter(TypeName.INT, batch).addParameter(TypeName.INT, steps)
                .beginControlFlow("if (batch <= 0 || steps <= 0)")
                .addStatement("throw new $T(\"a segment needs a positive batch and number of steps, got \" + batch + \" × \" + steps)",
                        TypeNames.ILLEGAL_ARGUMENT)
                .endControlFlow()
                .addStatement("this.batch = batch")
                .addStatement("this.steps = steps")
                .addStatement("this.columns = batch * steps")
                .addStatement("this.packing = $T.equal(batch, steps)", TypeNames.PACKING);
        buffers.chunk().ifPresent(chunk ->
                m.addStatement("this.chunkSteps = $T.steps(steps, batch, $L)", TypeNames.INPUT_CHUNKS, chunk.rows()));
        m.addCode(code.make(buffers.own(), Lifetime.SEGMENT, locals));
        for (RecurrentLayer layer : layers) {
            m.addComment("layer $L, $L: $L → $L", layer.number(), layer.spec().field(), layer.inputs(), layer.units());
            m.addCode(code.make(layer.buffers(), Lifetime.SEGMENT, locals));
        }
        return m.build();
    }

    private MethodSpec sampleMasks() {
        Locals locals = names.workspaceLocals();
        String rng = locals.get("rng");
        String mode = locals.get("mode");
        MethodSpec.Builder m = MethodSpec.methodBuilder("sampleMasks").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                .addParameter(TypeNames.RNG, rng).addParameter(TypeNames.DROPOUT_MODE, mode)
                .addJavadoc("Samples every mask this model has for the next forward passes: {@code TRAIN} all of them,\n")
                .addJavadoc("{@code MC} all but embedding dropout, {@code OFF} none. Masks stay until sampled again, so\n")
                .addJavadoc("sample when a segment starts, and not between a forward pass and its backward pass.\n")
                .addStatement("dropout = $N != $T.OFF", mode, TypeNames.DROPOUT_MODE);
        buffers.embeddingMask().ifPresent(mask -> m
                .addStatement("embeddingDropout = $N == $T.TRAIN", mode, TypeNames.DROPOUT_MODE)
                .beginControlFlow("if (embeddingDropout)")
                .addStatement("$T.sample($N, $L, $N)", TypeNames.DROPOUTS, name(mask), ((TokenInput) spec.input()).dropout(), rng)
                .endControlFlow());
        m.beginControlFlow("if (dropout)");
        for (RecurrentLayer layer : layers) {
            m.addCode(new RecurrentMasks(layer, code).sample(locals));
        }
        m.endControlFlow();
        return m.build();
    }

    /**
     * {@code sampleMasks(MaskKeys, DropoutMode)}: the masks of MC prediction, each column from a
     * stream keyed by its row's example and sample ({@code MaskKeys}); refuses TRAIN, keys of
     * another batch and, with weight drop, rows that are not blocks of equal size each of one
     * sample (each block gets its own U'), before drawing anything.
     */
    private MethodSpec sampleMasksByKey() {
        Locals locals = names.workspaceLocals();
        String keys = locals.get("keys");
        String mode = locals.get("mode");
        MethodSpec.Builder m = MethodSpec.methodBuilder("sampleMasks").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                .addParameter(TypeNames.MASK_KEYS, keys).addParameter(TypeNames.DROPOUT_MODE, mode)
                .addJavadoc("Samples the masks of MC prediction ({@code MC}; {@code OFF}: none), keyed by example: a row's\n")
                .addJavadoc("masks come from streams keyed by the seed, its example key and sample index, the mask's name\n")
                .addJavadoc("and, per step, the step's position, whatever the other rows are ({@link $T}).\n", TypeNames.MASK_KEYS)
                .addStatement("$T.checkKeys($N, $N, batch)", TypeNames.DROPOUTS, keys, mode);
        if (layers.stream().anyMatch(RecurrentLayer::weightDrop)) {
            m.addStatement("$T.checkSampleBlocks($N)", TypeNames.DROPOUTS, keys);
        }
        m.addStatement("dropout = $N != $T.OFF", mode, TypeNames.DROPOUT_MODE);
        if (buffers.embeddingMask().isPresent()) {
            m.addStatement("embeddingDropout = false");
        }
        m.beginControlFlow("if (dropout)");
        for (RecurrentLayer layer : layers) {
            m.addCode(new RecurrentMasks(layer, code).sampleKeyed(locals));
        }
        m.endControlFlow();
        return m.build();
    }

    private MethodSpec resampleStepMasks() {
        Locals locals = names.workspaceLocals();
        MethodSpec.Builder m = MethodSpec.methodBuilder("resampleStepMasks").addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC).addParameter(TypeNames.RNG, locals.get("rng"));
        CodeBlock.Builder body = CodeBlock.builder();
        for (RecurrentLayer layer : layers) {
            body.add(new RecurrentMasks(layer, code).resampleStepMasks(locals));
        }
        CodeBlock resample = body.build();
        if (!resample.isEmpty()) {
            m.beginControlFlow("if (dropout)").addCode(resample).endControlFlow();
        }
        return m.build();
    }

    private MethodSpec dropoutOff() {
        MethodSpec.Builder m = MethodSpec.methodBuilder("dropoutOff").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                .addJavadoc("No dropout in the next forward passes: the standard dropout approximation.\n")
                .addStatement("dropout = false");
        if (buffers.embeddingMask().isPresent()) {
            m.addStatement("embeddingDropout = false");
        }
        return m.build();
    }

    /**
     * Frees every buffer: those of the constructor, those a first forward pass made, and — when
     * the first backward() made ∂L/∂x_0, which it makes first — those of backward().
     */
    private MethodSpec close() {
        Locals locals = names.workspaceLocals();
        List<Buffer> all = buffers.all();
        return MethodSpec.methodBuilder("close").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                .addCode(code.close(all, locals))
                .beginControlFlow("if ($N != null)", name(buffers.inputGradient()))
                .addCode(code.closeBackward(all, locals))
                .endControlFlow()
                .build();
    }

    private MethodSpec flag(String name, boolean value) {
        return MethodSpec.methodBuilder(name).addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                .returns(TypeName.BOOLEAN).addStatement("return $L", value).build();
    }

    private MethodSpec masks() {
        Locals locals = names.workspaceLocals();
        String masks = locals.get("masks");
        MethodSpec.Builder m = MethodSpec.methodBuilder("masks").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                .returns(ParameterizedTypeName.get(TypeNames.MAP, ClassName.get(String.class), TypeNames.MAT))
                .addJavadoc("Every mask this model has, by name ({@code lstm1.x}, {@code lstm1.h.f}, {@code lstm1.U},\n")
                .addJavadoc("{@code embedding.E}, …), as the buffers themselves: for inspection and tests.\n")
                .addStatement("$T<String, $T> $N = new $T<>()", TypeNames.MAP, TypeNames.MAT, masks, TypeNames.LINKED_HASH_MAP);
        buffers.embeddingMask().ifPresent(mask ->
                m.addStatement("$N.put($S, $N)", masks, spec.input().field() + ".E", name(mask)));
        for (RecurrentLayer layer : layers) {
            m.addCode(new RecurrentMasks(layer, code).list(locals));
        }
        return m.addStatement("return $N", masks).build();
    }

    // ---------------------------------------------------------------------------------------------
    // The state carried from one segment into the next: block 0 of h and c

    private String hidden(RecurrentLayer layer) {
        return name(layer.buffer("h"));
    }

    /** An LSTM's buffer of c; a GRU has none. */
    private Optional<String> cell(RecurrentLayer layer) {
        return layer.find("c").map(this::name);
    }

    private MethodSpec resetState() {
        MethodSpec.Builder m = MethodSpec.methodBuilder("resetState").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                .addJavadoc("The next forward pass starts from h = c = 0, as at the start of an epoch.\n")
                .addStatement("carry = false");
        for (RecurrentLayer layer : layers) {
            m.addStatement("$N.columns(0, batch).zero()", hidden(layer));
            cell(layer).ifPresent(c -> m.addStatement("$N.columns(0, batch).zero()", c));
        }
        return m.build();
    }

    private MethodSpec state() {
        List<CodeBlock> h = new ArrayList<>();
        List<CodeBlock> c = new ArrayList<>();
        for (RecurrentLayer layer : layers) {
            h.add(CodeBlock.of("$N", hidden(layer)));
            c.add(cell(layer).map(name -> CodeBlock.of("$N", name)).orElse(CodeBlock.of("($T) null", TypeNames.MAT)));
        }
        boolean everyCell = layers.stream().allMatch(l -> l.cell() == Cell.LSTM);
        return MethodSpec.methodBuilder("state").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                .returns(TypeNames.RECURRENT_STATE)
                .addJavadoc("A copy of the state the next forward pass starts from, in the batch's order: block 0 of h and\n")
                .addJavadoc("c, or (carried) where each sequence's last step of the last pass left it.$L\n",
                        everyCell ? "" : " A GRU layer has no c (null).")
                .addStatement("return packing.state(carry, $T.of($L), $L($L))", TypeNames.LIST,
                        CodeBlock.join(h, ", "), everyCell ? CodeBlock.of("$T.of", TypeNames.LIST) : CodeBlock.of("$T.asList", TypeNames.ARRAYS),
                        CodeBlock.join(c, ", "))
                .build();
    }

    private MethodSpec setState() {
        String state = names.workspaceLocals().get("state");
        MethodSpec.Builder m = MethodSpec.methodBuilder("setState").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                .addParameter(TypeNames.RECURRENT_STATE, state)
                .addJavadoc("The next forward pass starts from {@code $L} (copied).\n", state)
                .beginControlFlow("if ($N.layers() != $L)", state, layers.size())
                .addStatement("throw new $T(\"the state has \" + $N.layers() + \" layers, this model $L\")",
                        TypeNames.ILLEGAL_ARGUMENT, state, layers.size())
                .endControlFlow();
        for (int i = 0; i < layers.size(); i++) {
            m.addStatement("$N.columns(0, batch).copyFrom($N.hidden($L))", hidden(layers.get(i)), state, i);
            int layer = i;
            cell(layers.get(i)).ifPresent(c -> m.addStatement("$N.columns(0, batch).copyFrom($N.cell($L))", c, state, layer));
        }
        return m.addStatement("carry = false").build();
    }

    // ---------------------------------------------------------------------------------------------
    // The passes

    private MethodSpec forwardWithTargets(HeadCode head) {
        Locals locals = names.workspaceLocals();
        String input = inputParameter(locals);
        String targets = locals.sameAsField("targets");
        String next = locals.get("next");
        String targetShape = softmax
                ? (everyStep ? "{@code [batch][length]} class ids, each row as long as its input" : "{@code [batch]} class ids")
                : (everyStep ? "{@code [batch][length][" + outputs + "]} values, each row as long as its input"
                        : "{@code [batch][" + outputs + "]} values");
        String lossDoc = softmax
                ? "the cross-entropy summed over each sequence's " + (everyStep ? "steps" : "last step")
                        + " and averaged over the sequences"
                : "the Gaussian negative log-likelihood summed over each sequence's " + (everyStep ? "steps" : "last step")
                        + " and outputs and averaged over the sequences";
        return MethodSpec.methodBuilder("forward").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC).returns(TypeName.DOUBLE)
                .addParameter(inputType(), input).addParameter(targetType(), targets)
                .addJavadoc("Forward pass over one segment with the current masks, from the carried state.\n\n")
                .addJavadoc("@param $L the segment's input, {@code [batch][length]$L}, each sequence 1 to {@code steps} long\n",
                        input, tokens ? "" : "[" + spec.input().width() + "]")
                .addJavadoc("@param $L $L\n", targets, targetShape)
                .addJavadoc("@return the loss: $L\n", lossDoc)
                .addStatement("$T $N = pack($N)", TypeNames.PACKING, next, input)
                .addStatement(head.checksLengths() ? "checkTargets($N, $N)" : "checkTargets($N)",
                        head.checksLengths() ? new Object[] {targets, next} : new Object[] {targets})
                .addStatement("this.targets = $N", targets)
                .addStatement("run($N, $N)", input, next)
                .addStatement("readyForBackward = true")
                .addStatement("return loss()")
                .build();
    }

    private MethodSpec forwardWithoutTargets() {
        String input = inputParameter(names.workspaceLocals());
        return MethodSpec.methodBuilder("forward").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                .addParameter(inputType(), input)
                .addJavadoc("Forward pass without targets, for prediction: read the result with {@link #output()}.\n")
                .addStatement("targets = null")
                .addStatement("run($N, pack($N))", input, input)
                .addStatement("readyForBackward = false")
                .build();
    }

    /**
     * The buffers this pass needs and the segment does not have yet: with targets, each layer's
     * {@link Lifetime#WITH_TARGETS} buffers (made together, the first one null until then); without,
     * the {@link Lifetime#WITHOUT_TARGETS} ones, the shared chunk first.
     */
    private MethodSpec allocateForward() {
        Locals locals = names.workspaceLocals();
        MethodSpec.Builder m = MethodSpec.methodBuilder("allocateForward").addModifiers(Modifier.PRIVATE)
                .addJavadoc("The buffers this pass needs and the segment does not have yet: with targets, every step's\n")
                .addJavadoc("gates for backward(); without, the pre-activations of chunkSteps steps at a time.\n")
                .beginControlFlow("if (targets != null)");
        for (RecurrentLayer layer : layers) {
            CodeBlock make = code.make(layer.buffers(), Lifetime.WITH_TARGETS, locals);
            if (!make.isEmpty()) {
                Buffer first = layer.buffers().stream()
                        .filter(b -> b.lifetime() == Lifetime.WITH_TARGETS && b instanceof Owned).findFirst().orElseThrow();
                m.beginControlFlow("if ($N == null)", name(first)).addCode(make).endControlFlow();
            }
        }
        m.nextControlFlow("else if ($N == null)", name(buffers.chunk().orElseThrow()));
        m.addCode(code.make(buffers.all(), Lifetime.WITHOUT_TARGETS, locals));
        return m.endControlFlow().build();
    }

    private MethodSpec run(boolean orderMasks) {
        Locals locals = names.workspaceLocals();
        String input = inputParameter(locals);
        String next = locals.get("next");
        String previous = locals.get("previous");
        MethodSpec.Builder m = MethodSpec.methodBuilder("run").addModifiers(Modifier.PRIVATE)
                .addParameter(inputType(), input).addParameter(TypeNames.PACKING, next)
                .addCode(checkSampleBlocks(next))
                .addStatement("$T $N = packing", TypeNames.PACKING, previous)
                .addStatement("packing = $N", next)
                .addComment("h_{-1}, c_{-1} in block 0, in this pass's order: where each sequence ended in the previous")
                .addComment("segment when carried (detached), else the state set");
        for (RecurrentLayer layer : layers) {
            m.addStatement("$N.enter($N, $N, carry)", next, hidden(layer), previous);
            cell(layer).ifPresent(c -> m.addStatement("$N.enter($N, $N, carry)", next, c, previous));
        }
        m.beginControlFlow("if ($N.ragged() || $N.ragged())", next, previous)
                .addStatement("layOut()")
                .endControlFlow();
        if (buffers.chunk().isPresent()) {
            m.addStatement("allocateForward()");
        }
        m.beginControlFlow("if ($N.ragged())", next).addStatement("allocateRagged()");
        if (orderMasks) {
            m.beginControlFlow("if (dropout)").addStatement("orderMasks()").endControlFlow();
        }
        m.endControlFlow();
        m.addStatement(tokens ? "embed($N)" : "read($N)", input);
        String x = name(buffers.input());
        for (RecurrentLayer layer : layers) {
            m.addStatement("$L($N)", layer.forwardMethod(), x);
            x = name(layer.buffer("y"));
        }
        m.addStatement("head()");
        m.addStatement("carry = true");
        return m.build();
    }

    /** The weight-drop layers' holders of one U' per sample ({@code SampleWeights}). */
    private List<String> sampleWeights() {
        return layers.stream().filter(RecurrentLayer::weightDrop).map(l -> name(l.buffer("uSamples"))).toList();
    }

    /** A pass of several weight-drop samples needs sequences of equal length: refused before anything changes. */
    private CodeBlock checkSampleBlocks(String next) {
        CodeBlock.Builder b = CodeBlock.builder();
        if (sampleWeights().isEmpty()) {
            return b.build();
        }
        b.beginControlFlow("if (dropout)");
        for (String holder : sampleWeights()) {
            b.addStatement("$N.checkPass($N)", holder, next);
        }
        return b.endControlFlow().build();
    }

    /** A pass of several weight-drop samples has no backward pass. */
    private CodeBlock refuseSampleBlocks() {
        CodeBlock.Builder b = CodeBlock.builder();
        if (sampleWeights().isEmpty()) {
            return b.build();
        }
        b.beginControlFlow("if (dropout)");
        for (String holder : sampleWeights()) {
            b.addStatement("$N.checkBackward()", holder);
        }
        return b.endControlFlow().build();
    }

    private MethodSpec backward() {
        MethodSpec.Builder m = MethodSpec.methodBuilder("backward").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                .addJavadoc("Back-propagates the last forward pass's loss through the segment (and not beyond it) and\n")
                .addJavadoc("adds the gradients to the parameters' gradient buffers.\n\n")
                .addJavadoc("@throws IllegalStateException when there was no forward pass with targets since the last one\n")
                .beginControlFlow("if (!readyForBackward)")
                .addStatement("throw new $T(\"backward() needs a forward pass with targets first\")", TypeNames.ILLEGAL_STATE)
                .endControlFlow()
                .addCode(refuseSampleBlocks())
                .addStatement("readyForBackward = false")
                .addStatement("allocateBackward()")
                .addStatement("headBackward()");
        for (int i = layers.size() - 1; i >= 0; i--) {
            Buffer dx = i == 0 ? buffers.inputGradient() : layers.get(i - 1).buffer("dy");
            m.addStatement("$L($N)", layers.get(i).backwardMethod(), name(dx));
        }
        if (tokens) {
            m.addStatement("backwardEmbedding()");
        }
        return m.build();
    }

    /** The {@link Lifetime#BACKWARD} buffers, ∂L/∂x_0 first: while it is null, none of them exists. */
    private MethodSpec allocateBackward() {
        return MethodSpec.methodBuilder("allocateBackward").addModifiers(Modifier.PRIVATE)
                .addJavadoc("The buffers only backward() uses, made on its first call: prediction and evaluation\n")
                .addJavadoc("never pay for them.\n")
                .beginControlFlow("if ($N != null)", name(buffers.inputGradient())).addStatement("return").endControlFlow()
                .addCode(code.make(buffers.all(), Lifetime.BACKWARD, names.workspaceLocals()))
                .build();
    }

    private MethodSpec inputGradient() {
        String dx0 = name(buffers.inputGradient());
        return MethodSpec.methodBuilder("inputGradient").addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC).returns(TypeNames.MAT)
                .addJavadoc("∂L/∂x of the first LSTM's input after {@link #backward}: $L × N, in the columns of the pass\n",
                        spec.input().width())
                .addJavadoc("(t·B + b for step t of sequence b when every sequence has T steps; see {@link $T}).\n",
                        TypeNames.PACKING)
                .beginControlFlow("if ($N == null)", dx0)
                .addStatement("throw new $T(\"inputGradient() needs a backward() first\")", TypeNames.ILLEGAL_STATE)
                .endControlFlow()
                .addStatement("return packing.columnsOf($N)", dx0).build();
    }

    private MethodSpec output() {
        MethodSpec.Builder m = MethodSpec.methodBuilder("output").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                .returns(TypeNames.MAT);
        String what = softmax ? "The predicted probabilities" : "The predicted means";
        if (everyStep) {
            return m.addJavadoc("$L of the last forward pass, until backward(): $L × N, in the columns of the pass\n",
                            what, outputs)
                    .addJavadoc("(t·B + b for step t of sequence b when every sequence has T steps; see {@link $T}).\n",
                            TypeNames.PACKING)
                    .addStatement("return packing.columnsOf($N)", name(buffers.output())).build();
        }
        return m.addJavadoc("$L of the last forward pass, until backward(): $L × B, column b for sequence b at its\n", what, outputs)
                .addJavadoc("last step.\n")
                .addStatement("return $N", name(buffers.output())).build();
    }
}
