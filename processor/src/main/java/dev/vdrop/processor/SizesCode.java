package dev.vdrop.processor;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * The network's sizes that come from the data ({@link DataSize}): a final {@code int} field for
 * each, {@code sizes()}, and — only when the model leaves a size out — the static {@code builder()}
 * and its nested {@code Builder}, which asks for each size by name and refuses a missing one or one
 * below 1 with a message naming the model, the size and the annotation it was left out of. A model
 * whose sizes are all written keeps its public constructors and gets no builder: there is nothing
 * to ask for, and its code stays as it was. The names here are all fixed ({@link Names} reserves
 * the size fields and {@code Builder}); no user name reaches them.
 */
final class SizesCode {
    private final NetworkSpec spec;
    private final ClassName network;
    private final ClassName builder;

    SizesCode(NetworkSpec spec) {
        this.spec = spec;
        this.network = ClassName.get(spec.packageName(), spec.networkName());
        this.builder = network.nestedClass(NetworkWriter.BUILDER);
    }

    /** The annotation field a size was left out of, as a user reads it: {@code @Embedding on 'embedding'}. */
    private String leftOutOf(DataSize size) {
        String field = size == DataSize.VOCABULARY || size == DataSize.FEATURES ? spec.input().field() : spec.output().field();
        return size.kind().display() + " on '" + field + "'";
    }

    /** One final field per size from the data. */
    List<FieldSpec> fields() {
        return spec.dataSizes().stream()
                .map(size -> FieldSpec.builder(TypeName.INT, size.field(), Modifier.PRIVATE, Modifier.FINAL)
                        .addJavadoc("The $L, given when the network was built (left out of $L).\n", size.field(), leftOutOf(size))
                        .build())
                .toList();
    }

    /** {@code sizes()}: each size with whether it is declared or was given. */
    MethodSpec sizesMethod() {
        return MethodSpec.methodBuilder("sizes").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                .returns(TypeNames.MODEL_SIZES)
                .addStatement("return new $T($L, $L)", TypeNames.MODEL_SIZES,
                        size(inputName(), spec.input().size()), size(outputName(), spec.output().size()))
                .build();
    }

    private String inputName() {
        return spec.input() instanceof NetworkSpec.TokenInput ? "vocabulary" : "features";
    }

    private String outputName() {
        return spec.output() instanceof NetworkSpec.SoftmaxOutput ? "classes" : "outputs";
    }

    private CodeBlock size(String name, Dim dim) {
        return CodeBlock.of("$T.Size.$L($S, $L)", TypeNames.MODEL_SIZES,
                dim.declared() ? "declared" : "given", name, dim);
    }

    /** {@code builder()}: where a network with sizes from the data starts. */
    MethodSpec builderMethod() {
        return MethodSpec.methodBuilder("builder").addModifiers(Modifier.PUBLIC, Modifier.STATIC).returns(builder)
                .addJavadoc("A builder that asks for the sizes from the data by name: $L; the configuration is optional\n",
                        String.join(", ", spec.dataSizes().stream().map(s -> "{@code ." + s.field() + "(n)}").toList()))
                .addJavadoc("(float32, the default seed and initial scale).\n\n")
                .addJavadoc("@return a new builder\n")
                .addStatement("return new $T()", builder)
                .build();
    }

    /** The nested {@code Builder}. */
    TypeSpec builderClass() {
        TypeSpec.Builder type = TypeSpec.classBuilder(NetworkWriter.BUILDER)
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("Builds a {@code $L}: each size from the data by name, checked when given and again by\n",
                        spec.networkName())
                .addJavadoc("{@link #build()}, which refuses a size that was not given.\n")
                .addField(FieldSpec.builder(TypeNames.NETWORK_CONFIG, "config", Modifier.PRIVATE)
                        .initializer("$T.builder().build()", TypeNames.NETWORK_CONFIG).build());
        for (DataSize size : spec.dataSizes()) {
            type.addField(FieldSpec.builder(TypeName.INT, size.field(), Modifier.PRIVATE).build());
        }
        type.addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE).build());
        for (DataSize size : spec.dataSizes()) {
            String name = size.field();
            type.addMethod(MethodSpec.methodBuilder(name).addModifiers(Modifier.PUBLIC).returns(builder)
                    .addParameter(TypeName.INT, name)
                    .addJavadoc("The $L, left out of $L: the number of $L.\n\n", name, leftOutOf(size), size.meaning())
                    .addJavadoc("@param $L at least 1\n", name)
                    .addJavadoc("@return this builder\n")
                    .addJavadoc("@throws IllegalArgumentException when $L is below 1\n", name)
                    .beginControlFlow("if ($N < 1)", name)
                    .addStatement("throw new $T($S + $N)", TypeNames.ILLEGAL_ARGUMENT,
                            spec.modelName() + "'s " + name + " (left out of " + leftOutOf(size) + ") must be at least 1, got ",
                            name)
                    .endControlFlow()
                    .addStatement("this.$N = $N", name, name)
                    .addStatement("return this")
                    .build());
        }
        type.addMethod(MethodSpec.methodBuilder("config").addModifiers(Modifier.PUBLIC).returns(builder)
                .addParameter(TypeNames.NETWORK_CONFIG, "config")
                .addJavadoc("The data type, seed and initial scale; float32, the default seed and scale when not given.\n\n")
                .addJavadoc("@param config the configuration\n")
                .addJavadoc("@return this builder\n")
                .addJavadoc("@throws IllegalArgumentException when config is null\n")
                .beginControlFlow("if (config == null)")
                .addStatement("throw new $T($S)", TypeNames.ILLEGAL_ARGUMENT, "the network's config must not be null")
                .endControlFlow()
                .addStatement("this.config = config")
                .addStatement("return this")
                .build());
        MethodSpec.Builder build = MethodSpec.methodBuilder("build").addModifiers(Modifier.PUBLIC).returns(network)
                .addJavadoc("A network with the sizes given, its weights drawn from the configuration's seed.\n\n")
                .addJavadoc("@return the network\n")
                .addJavadoc("@throws IllegalStateException when a size was not given\n");
        for (DataSize size : spec.dataSizes()) {
            String name = size.field();
            build.beginControlFlow("if ($N == 0)", name)
                    .addStatement("throw new $T($S)", TypeNames.ILLEGAL_STATE, spec.modelName() + " needs its " + name
                            + " (left out of " + leftOutOf(size) + "): call ." + name + "(n) with n ≥ 1 before build()")
                    .endControlFlow();
        }
        build.addStatement("return new $T(config, $L)", network,
                String.join(", ", spec.dataSizes().stream().map(DataSize::field).toList()));
        return type.addMethod(build.build()).build();
    }
}
