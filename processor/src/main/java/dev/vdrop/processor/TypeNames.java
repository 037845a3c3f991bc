package dev.vdrop.processor;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.TypeName;
import java.util.List;
import java.util.stream.Stream;

/** The runtime and JDK types generated code refers to. */
final class TypeNames {
    private TypeNames() {}

    static final ClassName GENERATED = ClassName.get("javax.annotation.processing", "Generated");
    static final ClassName MAT = ClassName.get("dev.vdrop.runtime", "Mat");
    static final ClassName BLAS = ClassName.get("dev.vdrop.runtime.internal", "Blas");
    static final ClassName LSTM_CELL = ClassName.get("dev.vdrop.runtime.internal", "LstmCell");
    static final ClassName GRU_CELL = ClassName.get("dev.vdrop.runtime.internal", "GruCell");
    static final ClassName RECURRENT_WEIGHTS = ClassName.get("dev.vdrop.runtime.internal", "RecurrentWeights");
    static final ClassName SAMPLE_WEIGHTS = ClassName.get("dev.vdrop.runtime.internal", "SampleWeights");
    static final ClassName INPUT_CHUNKS = ClassName.get("dev.vdrop.runtime.internal", "InputChunks");
    static final ClassName PACKING = ClassName.get("dev.vdrop.runtime.internal", "Packing");
    static final ClassName RNG = ClassName.get("dev.vdrop.runtime", "Rng");
    static final ClassName MASK_KEYS = ClassName.get("dev.vdrop.runtime", "MaskKeys");
    static final ClassName PARAMETER = ClassName.get("dev.vdrop.runtime", "Parameter");
    static final ClassName NETWORK = ClassName.get("dev.vdrop.runtime", "Network");
    static final ClassName NETWORK_CONFIG = ClassName.get("dev.vdrop.runtime", "NetworkConfig");
    static final ClassName SUMMARY = ClassName.get("dev.vdrop.runtime", "Summary");
    static final ClassName MODEL_SIZES = ClassName.get("dev.vdrop.runtime", "ModelSizes");
    static final ClassName CHECKS = ClassName.get("dev.vdrop.runtime.internal", "Checks");
    static final ClassName OUTPUTS = ClassName.get("dev.vdrop.runtime.internal", "Outputs");
    static final ClassName ELEMENTWISE = ClassName.get("dev.vdrop.runtime.internal", "Elementwise");
    static final ClassName DROPOUTS = ClassName.get("dev.vdrop.runtime.internal", "Dropouts");
    static final ClassName DROPOUT_MODE = ClassName.get("dev.vdrop.runtime", "DropoutMode");
    static final ClassName WORKSPACE = ClassName.get("dev.vdrop.runtime", "Workspace");
    static final ClassName RECURRENT_STATE = ClassName.get("dev.vdrop.runtime", "RecurrentState");
    static final ClassName INDARRAY = ClassName.get("org.nd4j.linalg.api.ndarray", "INDArray");
    static final ClassName DATA_TYPE = ClassName.get("org.nd4j.linalg.api.buffer", "DataType");
    static final ClassName LIST = ClassName.get(List.class);
    static final ClassName MAP = ClassName.get(java.util.Map.class);
    static final ClassName LINKED_HASH_MAP = ClassName.get(java.util.LinkedHashMap.class);
    static final ClassName ARRAYS = ClassName.get(java.util.Arrays.class);
    static final ClassName ILLEGAL_STATE = ClassName.get(IllegalStateException.class);
    static final ClassName ILLEGAL_ARGUMENT = ClassName.get(IllegalArgumentException.class);

    /**
     * The simple names the generated code writes for types: every class above, and the java.lang
     * ones it names without an import. No field or local may take one of them, or it would hide
     * the type from the code after it ({@code Blas.gemm} would read a field named Blas).
     */
    static final List<String> SIMPLE_NAMES = Stream.concat(
                    Stream.of(GENERATED, MAT, BLAS, LSTM_CELL, GRU_CELL, RECURRENT_WEIGHTS, SAMPLE_WEIGHTS, INPUT_CHUNKS, PACKING, RNG,
                            MASK_KEYS, PARAMETER, NETWORK, NETWORK_CONFIG, SUMMARY, MODEL_SIZES, CHECKS, OUTPUTS, ELEMENTWISE,
                            DROPOUTS, DROPOUT_MODE,
                            WORKSPACE, RECURRENT_STATE, INDARRAY, DATA_TYPE, LIST, MAP, LINKED_HASH_MAP, ARRAYS,
                            ILLEGAL_STATE, ILLEGAL_ARGUMENT).map(ClassName::simpleName),
                    Stream.of("Math", "String", "Override", NetworkWriter.BUILDER))
            .toList();

    static final TypeName MAT_ARRAY = ArrayTypeName.of(MAT);
    static final TypeName MAT_2D = ArrayTypeName.of(ArrayTypeName.of(MAT));
    static final TypeName INT_2D = ArrayTypeName.of(ArrayTypeName.of(TypeName.INT));
    static final TypeName INT_1D = ArrayTypeName.of(TypeName.INT);
    static final TypeName DOUBLE_3D = ArrayTypeName.of(ArrayTypeName.of(ArrayTypeName.of(TypeName.DOUBLE)));
    static final TypeName DOUBLE_2D = ArrayTypeName.of(ArrayTypeName.of(TypeName.DOUBLE));
}
