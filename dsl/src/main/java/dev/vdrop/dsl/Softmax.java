package dev.vdrop.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The output layer of a classifier or language model: a softmax over {@link #classes()} classes,
 * trained with cross-entropy.
 *
 * <pre>
 *   p(k | x_{1..t}) = softmax(D y_t + d)_k         D: classes × H, d: classes
 *   loss = −Σ_t log p(k_t | x_{1..t})
 * </pre>
 *
 * <p>With {@link #tiedToEmbedding()} the decoder is the transposed embedding, D = E (Inan et al.
 * 2017, arXiv 1611.01462; Press &amp; Wolf 2017, arXiv 1608.05859), which needs classes equal to
 * the vocabulary and the last recurrent layer's units equal to the embedding size. Under MC
 * dropout the predictive distribution is the mean of the sampled probabilities (Gal &amp;
 * Ghahramani, arXiv 1506.02142).
 *
 * <p>It must be the last layer.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Softmax {
    /**
     * {@return the number of classes (the vocabulary size for a language model); positive when
     * written} Left out (the default, 0), it comes from the data: the generated network's builder asks
     * for it by name, {@code .classes(n)} — or, with {@link #tiedToEmbedding()}, it is the embedding's
     * vocabulary. An explicit 0 or a negative value is a compile error.
     */
    int classes() default 0;

    /** {@return which steps are predicted: every one (language model, the default) or the last (classifier)} */
    Over over() default Over.EVERY_STEP;

    /** {@return whether the decoder is the embedding matrix, D = E; needs an {@link Embedding} input} */
    boolean tiedToEmbedding() default false;
}
