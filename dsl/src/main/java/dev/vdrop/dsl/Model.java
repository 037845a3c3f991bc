package dev.vdrop.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a recurrent model: the annotated abstract class lists its layers as fields of type
 * {@link Layer}, in order from input to output.
 *
 * <p>The annotation processor checks the stack at compile time and generates a class in the same
 * package, named {@code <Class>Network} (or {@link #name()}), with the model's parameters, a
 * summary, and forward and backward code specialised to exactly these layers and this dropout.
 *
 * <p>The class must be abstract, not private and not final, and either top level or a
 * {@code static} nested class.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface Model {
    /** {@return the simple name of the generated class; empty means {@code <Class>Network}} */
    String name() default "";
}
