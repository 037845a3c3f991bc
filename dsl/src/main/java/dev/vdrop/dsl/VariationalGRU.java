package dev.vdrop.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A GRU layer with variational (locked) dropout on its input, its recurrent state and its output,
 * in the formulation of PyTorch's {@code torch.nn.GRU} and cuDNN: the reset gate multiplies the
 * recurrent product, and the gates have two bias vectors, b_x beside the input product and b_h
 * beside the recurrent one.
 *
 * <pre>
 *   x̃ = x_t ⊙ m_x     h̃ = h_{t−1} ⊙ m_h          W: 3H × I, U: 3H × H, b_x, b_h: 3H (blocks r, u, n)
 *   r = σ(W_r x̃ + b_xr + U_r h̃ + b_hr)
 *   u = σ(W_u x̃ + b_xu + U_u h̃ + b_hu)
 *   n = tanh(W_n x̃ + b_xn + r ⊙ (U_n h̃ + b_hn))
 *   h_t = (1 − u) ⊙ n + u ⊙ h_{t−1}
 *   y_t = h_t ⊙ m_y
 * </pre>
 *
 * <p>W, U, b_x and b_h are {@code weight_ih}, {@code weight_hh}, {@code bias_ih} and
 * {@code bias_hh} of {@code torch.nn.GRU} (whose update gate is called z), so a layer has the
 * same 3H·(I + H) + 6H parameters. The masks are those of {@link VariationalLSTM}: m_x ~
 * Bernoulli(1 − {@link #input()}) / (1 − input), m_h likewise with {@link #recurrent()} and m_y
 * with {@link #output()}; {@link Masks#TIED} (the default) draws each once per sequence and shares
 * it by the three gates, {@link Masks#UNTIED} draws one per gate, {@link Masks#PER_STEP} a fresh
 * one at every step on the input and the output only. Gal &amp; Ghahramani, "A Theoretically
 * Grounded Application of Dropout in Recurrent Neural Networks", NeurIPS 2016 (arXiv 1512.05287),
 * apply the same masks to the GRU; Cho et al., arXiv 1406.1078, introduced the cell.
 *
 * <p>Pair it with {@link WeightDrop} for DropConnect on U. GRU and LSTM layers may be stacked in
 * one model.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface VariationalGRU {
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
