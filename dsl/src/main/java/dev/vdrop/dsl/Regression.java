package dev.vdrop.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The output layer of a forecaster: a Gaussian over {@link #outputs()} real values.
 *
 * <pre>
 *   μ_t = D y_t + d                      D: outputs × H, d: outputs
 *   y ~ N(μ_t, diag(σ²))                 σ² = exp(s), one learned log-variance s_j per output
 *   loss = ½ Σ_j [ s_j + (y_j − μ_j)² e^{−s_j} ] (+ a constant)
 * </pre>
 *
 * <p>Observation noise is homoscedastic: one variance per output, learned with the weights by
 * maximising the Gaussian likelihood. Under MC dropout the predictive variance is the variance
 * of μ across the K samples (epistemic) plus σ² (aleatoric), as in Gal &amp; Ghahramani,
 * "Dropout as a Bayesian Approximation" (arXiv 1506.02142), and Kendall &amp; Gal 2017
 * (arXiv 1703.04977).
 *
 * <p>It must be the last layer.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Regression {
    /**
     * {@return the number of real values predicted; positive when written} Left out (the default,
     * 0), it comes from the data: the generated network's builder asks for it by name,
     * {@code .outputs(n)}. An explicit 0 or a negative value is a compile error.
     */
    int outputs() default 0;

    /** {@return which steps are predicted: the last (forecasting, the default) or every one} */
    Over over() default Over.LAST_STEP;
}
