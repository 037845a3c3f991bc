package dev.vdrop.dsl;

/**
 * The type of every layer field of a {@link Model @Model} class.
 *
 * <p>A layer field is a declaration: its annotation ({@link Embedding}, {@link Input},
 * {@link VariationalLSTM}, {@link VariationalGRU}, {@link Softmax} or {@link Regression}) says what the layer is, and its
 * position among the fields says where it sits in the stack. The field itself holds nothing; the
 * generated {@code <Class>Network} holds the parameters.
 *
 * <pre>
 * &#64;Model
 * abstract class Forecaster {
 *     &#64;Input(features = 1) Layer input;
 *     &#64;VariationalLSTM(units = 32, input = 0.1, recurrent = 0.1) Layer lstm;
 *     &#64;Regression(outputs = 1) Layer head;
 * }
 * </pre>
 */
public interface Layer {}
