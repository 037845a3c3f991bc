package dev.vdrop.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Weight drop: DropConnect on the recurrent matrix U of the {@link VariationalLSTM} or
 * {@link VariationalGRU} beside it.
 *
 * <pre>
 *   U' = U ⊙ M / (1 − p)        M_ij ~ Bernoulli(1 − p), one M per forward pass
 *   z_t = W x_t + U' h_{t−1} + b          dU = dU' ⊙ M / (1 − p)     (a GRU: U'_r, U'_u, U'_n)
 * </pre>
 *
 * <p>One mask per mini-batch, shared by every sequence and every step, so the recurrence is
 * regularised without touching the fast fused recurrent step. Merity, Keskar &amp; Socher,
 * "Regularizing and Optimizing LSTM Language Models", ICLR 2018 (arXiv 1708.02182), §4.1; Wan et
 * al., "Regularization of Neural Networks using DropConnect", ICML 2013.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface WeightDrop {
    /** {@return the probability p of dropping each weight of U, in [0, 1)} */
    double value();
}
