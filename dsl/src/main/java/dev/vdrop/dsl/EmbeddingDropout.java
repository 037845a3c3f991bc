package dev.vdrop.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Embedding dropout: drops whole word types, i.e. rows of the embedding matrix, instead of single
 * units.
 *
 * <pre>
 *   x_t = (m_e[w_t] / (1 − p)) · E[w_t]        m_e[v] ~ Bernoulli(1 − p), one per word type v
 * </pre>
 *
 * <p>Every occurrence of a dropped word within the {@link #scope()} is zero together, and its row
 * of E gets no gradient from those occurrences. Only allowed beside {@link Embedding}.
 *
 * <p>Gal &amp; Ghahramani, "A Theoretically Grounded Application of Dropout in Recurrent Neural
 * Networks", NeurIPS 2016 (arXiv 1512.05287), §4.1; Merity, Keskar &amp; Socher, "Regularizing and
 * Optimizing LSTM Language Models", ICLR 2018 (arXiv 1708.02182), §4.3.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface EmbeddingDropout {
    /** {@return the probability p of dropping a word type, in [0, 1)} */
    double value();

    /** {@return which tokens share a mask: one sequence (Gal's default) or the whole mini-batch (AWD)} */
    Scope scope() default Scope.SEQUENCE;
}
