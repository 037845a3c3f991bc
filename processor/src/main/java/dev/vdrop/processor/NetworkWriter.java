package dev.vdrop.processor;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.vdrop.dsl.Over;
import dev.vdrop.processor.NetworkSpec.FeatureInput;
import dev.vdrop.processor.NetworkSpec.LayerSpec;
import dev.vdrop.processor.NetworkSpec.RegressionOutput;
import dev.vdrop.processor.NetworkSpec.SoftmaxOutput;
import dev.vdrop.processor.NetworkSpec.TokenInput;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.lang.model.element.Element;
import javax.lang.model.element.Modifier;

/**
 * Writes the network class of a {@link NetworkSpec}: parameters with their shapes, a summary and
 * a forward pass specialised to the model's sizes. Every block carries the equation it computes.
 */
final class NetworkWriter {
    static final String PROCESSOR = VdropProcessor.class.getCanonicalName();

    /** The nested class that builds a network whose sizes come from the data. */
    static final String BUILDER = "Builder";

    /** The network class's fields that are not parameters, the sizes from the data among them. */
    static final List<String> FIXED_FIELDS = Stream.concat(
            Stream.of("dataType", "parameters", HeadCode.LOG_TWO_PI), DataSize.fields().stream()).toList();

    private final NetworkSpec spec;
    private final Element model;
    private final WorkspaceBuffers buffers;
    private final Names names;
    private final Params params;

    private NetworkWriter(NetworkSpec spec, Element model) {
        this.spec = spec;
        this.model = model;
        this.buffers = WorkspaceBuffers.of(spec);
        // every name the parameter fields could be hidden by first, then the parameter fields
        this.names = new Names(FIXED_FIELDS, WorkspaceWriter.FIXED_FIELDS);
        for (Buffer buffer : buffers.all()) {
            names.workspaceField(buffer.suggestedName(), buffer);
        }
        this.params = Params.of(spec, names);
    }

    /**
     * The source of the network of {@code spec}; {@code model} is the class it was declared on,
     * recorded as the file's originating element so that an incremental build regenerates the
     * network when (and only when) that class changes.
     */
    static JavaFile write(NetworkSpec spec, Element model) {
        return new NetworkWriter(spec, model).file();
    }

    private JavaFile file() {
        TypeSpec.Builder type = TypeSpec.classBuilder(spec.networkName())
                .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
                .addSuperinterface(ParameterizedTypeName.get(TypeNames.NETWORK, WorkspaceWriter.inputType(spec).box(),
                        WorkspaceWriter.targetType(spec).box()))
                .addOriginatingElement(model)
                .addJavadoc(classJavadoc())
                .addAnnotation(com.palantir.javapoet.AnnotationSpec.builder(TypeNames.GENERATED)
                        .addMember("value", "$S", PROCESSOR).build());
        for (Params.Param p : params.all()) {
            type.addField(FieldSpec.builder(TypeNames.PARAMETER, p.field(), Modifier.PRIVATE, Modifier.FINAL)
                    .addJavadoc("$L\n", p.doc()).build());
        }
        type.addField(FieldSpec.builder(TypeNames.DATA_TYPE, "dataType", Modifier.PRIVATE, Modifier.FINAL).build());
        type.addField(FieldSpec.builder(ParameterizedTypeName.get(TypeNames.LIST, TypeNames.PARAMETER), "parameters",
                Modifier.PRIVATE, Modifier.FINAL).build());
        SizesCode sizes = new SizesCode(spec);
        sizes.fields().forEach(type::addField);
        type.addMethod(constructor());
        if (spec.dataSizes().isEmpty()) {
            type.addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PUBLIC)
                    .addJavadoc("A float32 network with the default seed and initial scale.\n")
                    .addStatement("this($T.builder().build())", TypeNames.NETWORK_CONFIG).build());
        } else {
            type.addMethod(sizes.builderMethod());
        }
        type.addMethod(MethodSpec.methodBuilder("parameters").addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC).returns(ParameterizedTypeName.get(TypeNames.LIST, TypeNames.PARAMETER))
                .addStatement("return parameters").build());
        type.addMethod(sizes.sizesMethod());
        type.addMethod(summary());
        if (spec.output() instanceof RegressionOutput) {
            type.addField(FieldSpec.builder(TypeName.DOUBLE, HeadCode.LOG_TWO_PI, Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                    .initializer("Math.log(2 * Math.PI)").build());
        }
        type.addMethod(workspaceFactory());
        type.addMethod(predict());
        TypeSpec workspace = WorkspaceWriter.write(spec, buffers, names, params);
        type.addType(workspace);
        if (!spec.dataSizes().isEmpty()) {
            type.addType(sizes.builderClass());
        }
        TypeSpec network = type.build();
        checkFieldsNamed(network);
        checkFieldsNamed(workspace);
        return JavaFile.builder(spec.packageName(), network)
                .addStaticImport(TypeNames.ELEMENTWISE, "*")
                .skipJavaLangImports(true)
                .indent("    ")
                .build();
    }

    /** Every field went through {@link Names}: a field named past it could hide a parameter or a type. */
    private void checkFieldsNamed(TypeSpec type) {
        for (FieldSpec field : type.fieldSpecs()) {
            if (!names.isTaken(field.name())) {
                throw new IllegalStateException("field " + type.name() + "." + field.name() + " was not named by Names");
            }
        }
    }

    private CodeBlock classJavadoc() {
        CodeBlock.Builder doc = CodeBlock.builder()
                .add("The network of {@code $L}, generated by vdrop: forward and backward code for exactly these\n",
                        spec.modelName())
                .add("layers and this dropout.\n\n")
                .add("<pre>\n");
        doc.add("  $L: $L\n", spec.input().field(), inputLine());
        for (LayerSpec l : spec.recurrent()) {
            doc.add("  $L: $L $L → $L, dropout $L\n", l.field(), l.cell().display(), l.inputSize(), l.units(),
                    Describe.dropout(l));
        }
        doc.add("  $L: $L\n", spec.output().field(), Describe.output(spec.output()));
        doc.add("</pre>\n\n");
        if (spec.recurrent().stream().anyMatch(l -> l.cell() == Cell.LSTM)) {
            doc.add("Each LSTM layer computes, with gates in the order i, f, g, o:\n")
                    .add("<pre>\n")
                    .add("  z_t = W (x_t ⊙ m_x) + U' (h_{t-1} ⊙ m_h) + b\n")
                    .add("  i = σ(z_i)   f = σ(z_f)   g = tanh(z_g)   o = σ(z_o)\n")
                    .add("  c_t = f ⊙ c_{t-1} + i ⊙ g     h_t = o ⊙ tanh(c_t)     y_t = h_t ⊙ m_y\n")
                    .add("</pre>\n\n");
        }
        if (spec.recurrent().stream().anyMatch(l -> l.cell() == Cell.GRU)) {
            doc.add("Each GRU layer computes, with gates in the order r, u, n (torch.nn.GRU's formulation):\n")
                    .add("<pre>\n")
                    .add("  x̃ = x_t ⊙ m_x     h̃ = h_{t-1} ⊙ m_h\n")
                    .add("  r = σ(W_r x̃ + b_xr + U'_r h̃ + b_hr)     u = σ(W_u x̃ + b_xu + U'_u h̃ + b_hu)\n")
                    .add("  n = tanh(W_n x̃ + b_xn + r ⊙ (U'_n h̃ + b_hn))\n")
                    .add("  h_t = (1 − u) ⊙ n + u ⊙ h_{t-1}     y_t = h_t ⊙ m_y\n")
                    .add("</pre>\n\n");
        }
        doc.add("Activations are column-major with one column per (step, sequence): column t·B + b is step t\n")
                .add("of sequence b. Sequences of different lengths are packed: sorted by length, longest first, step\n")
                .add("t's columns are the b_t sequences still running, from off_t = b_0 + … + b_{t-1} on (see\n")
                .add("{@link $T}).\n", TypeNames.PACKING);
        if (!spec.dataSizes().isEmpty()) {
            boolean one = spec.dataSizes().size() == 1;
            doc.add("\n<p>The $L come$L from the data: build the network with {@link #builder()}, which asks for\n",
                    String.join(" and ", spec.dataSizes().stream().map(DataSize::field).toList()), one ? "s" : "")
                    .add("$L by name. Every other size is written into this code.\n", one ? "it" : "each");
        }
        return doc.build();
    }

    private String inputLine() {
        if (spec.input() instanceof TokenInput t) {
            return "embedding of " + Describe.count(t.vocabulary(), "words") + " → " + t.embeddingSize() + ", "
                    + Describe.dropout(t);
        }
        return Describe.count(((FeatureInput) spec.input()).features(), "real features per step");
    }

    private MethodSpec constructor() {
        Locals locals = names.networkLocals();
        String config = locals.get("config");
        String rng = locals.get("rng");
        boolean fromData = !spec.dataSizes().isEmpty();
        MethodSpec.Builder ctor = MethodSpec.constructorBuilder().addModifiers(fromData ? Modifier.PRIVATE : Modifier.PUBLIC)
                .addJavadoc("A network with the data type, seed and initial scale of {@code $L}$L: weights\n", config,
                        fromData ? " and the sizes given" : "")
                .addJavadoc("uniform in [−scale, scale] drawn in the order of {@link #parameters()}, biases zero.\n")
                .addParameter(TypeNames.NETWORK_CONFIG, config);
        for (DataSize size : spec.dataSizes()) {
            // a parameter named like its field: the code below reads the size it was given
            ctor.addParameter(TypeName.INT, locals.sameAsField(size.field()));
        }
        ctor.addStatement("this.dataType = $N.dataType()", config);
        for (DataSize size : spec.dataSizes()) {
            ctor.addStatement("this.$N = $N", size.field(), size.field());
        }
        List<CodeBlock> fields = new ArrayList<>();
        for (Params.Param p : params.all()) {
            ctor.addStatement("this.$N = new $T($S, $T.zeros(dataType, $L, $L))", p.field(), TypeNames.PARAMETER, p.name(), TypeNames.MAT,
                    p.rows(), p.cols());
            fields.add(CodeBlock.of("$N", p.field()));
        }
        ctor.addStatement("this.parameters = $T.of($L)", TypeNames.LIST, CodeBlock.join(fields, ", "));
        ctor.addStatement("$T $N = new $T($N.seed())", TypeNames.RNG, rng, TypeNames.RNG, config);
        for (Params.Param p : params.all()) {
            if (p.initialised()) {
                ctor.addStatement("$N.initUniform($N, $N.initScale())", p.field(), rng, config);
            }
        }
        return ctor.build();
    }

    private MethodSpec summary() {
        CodeBlock.Builder body = CodeBlock.builder()
                .add("return $T.builder($S)\n", TypeNames.SUMMARY,
                        "Model " + spec.modelName() + " (generated " + spec.networkName() + ")")
                .indent();
        String perStep = spec.output().over() == Over.EVERY_STEP ? "(B, T, " : "(B, ";
        if (spec.input() instanceof TokenInput t) {
            body.add(".layer($S, $S, $S, $L, $L, $S)\n", t.field(), "Embedding", "(B, T, " + t.embeddingSize() + ")",
                    params.shapes(t.field()), params.count(t.field()), Describe.dropout(t));
        } else {
            FeatureInput f = (FeatureInput) spec.input();
            body.add(".layer($S, $S, $L, $S, $LL, $S)\n", f.field(), "Input", Dim.text("(B, T, ", f.features(), ")"),
                    "", 0, Describe.dropout(f));
        }
        for (LayerSpec l : spec.recurrent()) {
            body.add(".layer($S, $S, $S, $L, $L, $S)\n", l.field(), l.cell().kind().display().substring(1), "(B, T, " + l.units() + ")",
                    params.shapes(l.field()), params.count(l.field()), Describe.dropout(l));
        }
        String field = spec.output().field();
        if (spec.output() instanceof SoftmaxOutput s) {
            body.add(".layer($S, $S, $L, $L, $L, $S)\n", field, "Softmax", Dim.text(perStep, s.classes(), ")"),
                    params.shapes(field), params.count(field), s.tiedToEmbedding() ? "none; decoder tied to the embedding" : "none");
        } else {
            RegressionOutput r = (RegressionOutput) spec.output();
            body.add(".layer($S, $S, $L, $L, $L, $S)\n", field, "Regression", Dim.text(perStep, r.outputs(), ")"),
                    params.shapes(field), params.count(field), "none");
        }
        body.add(".build();\n").unindent();
        return MethodSpec.methodBuilder("summary").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                .returns(TypeNames.SUMMARY).addCode(body.build()).build();
    }

    private MethodSpec workspaceFactory() {
        Locals locals = names.networkLocals();
        String batch = locals.get("batch");
        String steps = locals.get("steps");
        return MethodSpec.methodBuilder("workspace").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                .returns(ParameterizedTypeName.get(TypeNames.WORKSPACE, WorkspaceWriter.inputType(spec),
                        WorkspaceWriter.targetType(spec)))
                .addParameter(TypeName.INT, batch).addParameter(TypeName.INT, steps)
                .addJavadoc("A workspace for segments of {@code $L} sequences × {@code $L} steps, with dropout off and\n",
                        batch, steps)
                .addJavadoc("a zero state until told otherwise.\n\n")
                .addJavadoc("@throws IllegalArgumentException when $L or $L is not positive\n", batch, steps)
                .addStatement("return new $L($N, $N)", WorkspaceWriter.CLASS_NAME, batch, steps)
                .build();
    }

    private MethodSpec predict() {
        boolean tokens = spec.input() instanceof TokenInput;
        Locals locals = names.networkLocals();
        String input = locals.get(tokens ? "tokens" : "inputs");
        String workspace = locals.get("workspace");
        MethodSpec.Builder m = MethodSpec.methodBuilder("predict").addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC).returns(TypeNames.INDARRAY)
                .addParameter(WorkspaceWriter.inputType(spec), input);
        String out = spec.output() instanceof SoftmaxOutput ? "probabilities" : "predictive means";
        String shape = spec.output().over() == Over.EVERY_STEP
                ? "[batch, steps, " + outputWidth() + "] (steps: the longest sequence's; zeros past each one's end)"
                : "[batch, " + outputWidth() + "] (at each sequence's last step)";
        m.addJavadoc("Forward pass with dropout off (the standard dropout approximation) from a zero state.\n\n");
        if (tokens) {
            m.addJavadoc("@param $L {@code [batch][length]} token ids in [0, $L), sequences of any lengths\n", input,
                    ((TokenInput) spec.input()).vocabulary());
            m.addStatement("$T.tokens($N, $L)", TypeNames.CHECKS, input, ((TokenInput) spec.input()).vocabulary());
        } else {
            m.addJavadoc("@param $L {@code [batch][length][$L]} real-valued inputs, sequences of any lengths\n", input,
                    spec.input().width());
            m.addStatement("$T.features($N, $L)", TypeNames.CHECKS, input, spec.input().width());
        }
        m.addJavadoc("@return the $L, $L\n", out, shape);
        m.addComment("a workspace of the input's shape (steps: the longest sequence's), freed as soon as its output is copied out");
        m.beginControlFlow("try ($L $N = new $L($N.length, $T.longest($N)))", WorkspaceWriter.CLASS_NAME, workspace,
                WorkspaceWriter.CLASS_NAME, input, TypeNames.CHECKS, input);
        m.addStatement("$N.forward($N)", workspace, input);
        if (spec.output().over() == Over.EVERY_STEP) {
            m.addStatement("return $T.toBatchTimeFeature($N.output(), $N.packing)", TypeNames.OUTPUTS, workspace, workspace);
        } else {
            m.addStatement("return $T.toBatchFeature($N.output())", TypeNames.OUTPUTS, workspace);
        }
        m.endControlFlow();
        return m.build();
    }

    private Dim outputWidth() {
        return spec.output().size();
    }
}
