package dev.vdrop.processor;

import java.util.Arrays;
import java.util.List;

/**
 * The four sizes that may come from the data, each an annotation element with default 0 ("from
 * the data"). Left out, it becomes a final {@code int} field of the generated network of the same
 * name, which its builder's method of that name sets; the name is reserved in both scopes of the
 * generated code ({@link Names}), so nothing else takes it.
 */
enum DataSize {
    VOCABULARY(Kind.EMBEDDING, "vocabulary", "word types"),
    FEATURES(Kind.INPUT, "features", "values read at each step"),
    CLASSES(Kind.SOFTMAX, "classes", "classes (the vocabulary size for a language model)"),
    OUTPUTS(Kind.REGRESSION, "outputs", "real values predicted");

    private final Kind kind;
    private final String element;
    private final String meaning;

    DataSize(Kind kind, String element, String meaning) {
        this.kind = kind;
        this.element = element;
        this.meaning = meaning;
    }

    /** The annotation it belongs to. */
    Kind kind() {
        return kind;
    }

    /** The annotation element, the network's field and the builder's method: {@code vocabulary}. */
    String field() {
        return element;
    }

    /** What the number counts, for messages: "set it to the number of word types". */
    String meaning() {
        return meaning;
    }

    /** The generated network's fixed field names, one per size. */
    static List<String> fields() {
        return Arrays.stream(values()).map(DataSize::field).toList();
    }
}
