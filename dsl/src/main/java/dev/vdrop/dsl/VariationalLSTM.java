package dev.vdrop.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * An LSTM layer with variational (locked) dropout on its input, its recurrent state and its
 * output.
 *
 * <pre>
 *   z_t = W (x_t ⊙ m_x) + U (h_{t−1} ⊙ m_h) + b          W: 4H × I, U: 4H × H, b: 4H
 *   i = σ(z_i)   f = σ(z_f)   g = tanh(z_g)   o = σ(z_o)
 *   c_t = f ⊙ c_{t−1} + i ⊙ g
 *   h_t = o ⊙ tanh(c_t)
 *   y_t = h_t ⊙ m_y
 * </pre>
 *
 * <p>m_x ~ Bernoulli(1 − {@link #input()}) / (1 − input), m_h likewise with {@link #recurrent()}
 * and m_y with {@link #output()}. With {@link Masks#TIED} (the default) each mask is drawn once
 * per sequence and reused at every step — the Bayesian interpretation of Gal &amp; Ghahramani,
 * "A Theoretically Grounded Application of Dropout in Recurrent Neural Networks", NeurIPS 2016
 * (arXiv 1512.05287). {@link Masks#UNTIED} draws one mask per gate; {@link Masks#PER_STEP} is
 * Zaremba, Sutskever &amp; Vinyals, "Recurrent Neural Network Regularization" (arXiv 1409.2329).
 *
 * <p>Pair it with {@link WeightDrop} for DropConnect on U.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface VariationalLSTM {
    /** {@return the number of hidden units H; must be positive} */
    int units();

    /** {@return the dropout probability on the layer's input x_t, in [0, 1)} */
    double input() default 0;

    /** {@return the dropout probability on the recurrent state h_{t−1}, in [0, 1); 0 for {@code PER_STEP}} */
    double recurrent() default 0;

    /** {@return the dropout probability on the layer's output y_t, in [0, 1)} */
    double output() default 0;

    /** {@return how masks are sampled: tied per sequence (default), one per gate, or fresh each step} */
    Masks masks() default Masks.TIED;
}
