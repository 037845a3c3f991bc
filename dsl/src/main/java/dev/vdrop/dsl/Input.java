package dev.vdrop.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The input layer of a real-valued model: at each step the model reads a vector
 * x_t ∈ ℝ^{features}, used as it is.
 *
 * <p>It must be the first layer. Dropout on it is the first recurrent layer's
 * {@link VariationalLSTM#input()} or {@link VariationalGRU#input()}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Input {
    /**
     * {@return the width F of the vector read at each step; positive when written} Left out (the
     * default, 0), it comes from the data: the generated network's builder asks for it by name,
     * {@code .features(n)}. An explicit 0 or a negative value is a compile error.
     */
    int features() default 0;
}
