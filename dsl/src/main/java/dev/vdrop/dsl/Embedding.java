package dev.vdrop.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The input layer of a token model: a lookup table E with one row of {@link #size()} weights per
 * word type.
 *
 * <pre>
 *   x_t = E[w_t]           E: vocabulary × size
 * </pre>
 *
 * <p>It must be the first layer. Pair it with {@link EmbeddingDropout} to drop whole word types.
 * Bengio et al., "A Neural Probabilistic Language Model", JMLR 2003.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Embedding {
    /**
     * {@return the number of word types V, token ids are 0 … V−1; positive when written} Left out
     * (the default, 0), it comes from the data: the generated network's builder asks for it by name,
     * {@code .vocabulary(n)}, and a tied decoder takes it as its classes. An explicit 0 or a negative
     * value is a compile error.
     */
    int vocabulary() default 0;

    /** {@return the width E of each embedding vector; must be positive} */
    int size();
}
