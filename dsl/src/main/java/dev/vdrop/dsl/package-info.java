/**
 * The annotations a vdrop model is declared with.
 *
 * <p>A model is an abstract class annotated {@link dev.vdrop.dsl.Model @Model} whose fields of type
 * {@link dev.vdrop.dsl.Layer} are its layers, in declaration order: one input layer
 * ({@link dev.vdrop.dsl.Embedding @Embedding} or {@link dev.vdrop.dsl.Input @Input}), one or more
 * recurrent layers ({@link dev.vdrop.dsl.VariationalLSTM @VariationalLSTM} or
 * {@link dev.vdrop.dsl.VariationalGRU @VariationalGRU}, mixed freely), and one output layer
 * ({@link dev.vdrop.dsl.Softmax @Softmax} or {@link dev.vdrop.dsl.Regression @Regression}).
 * {@link dev.vdrop.dsl.EmbeddingDropout @EmbeddingDropout} and
 * {@link dev.vdrop.dsl.WeightDrop @WeightDrop} add dropout to the layer they sit beside.
 *
 * <p>The annotation processor checks the declaration when it compiles and generates
 * {@code <Class>Network}, the forward and backward code of exactly that model.
 *
 * <p>The sizes that come from the data — {@code Embedding.vocabulary}, {@code Softmax.classes},
 * {@code Input.features}, {@code Regression.outputs} — may be left out: the generated network then
 * has a {@code builder()} that asks for each by name when the network is built. Everything else
 * (units, dropout, layout) is written into the generated code.
 *
 * <p>The LSTM and where each dropout mask goes (all masks use inverted scaling: kept units are
 * multiplied by 1/(1 − p), so a pass with dropout off needs no rescaling):
 * <pre>
 *   z_t = W (x_t ⊙ m_x) + U' (h_{t-1} ⊙ m_h) + b       U' = U ⊙ M   (weight drop)
 *   i = σ(z_i)   f = σ(z_f)   g = tanh(z_g)   o = σ(z_o)
 *   c_t = f ⊙ c_{t-1} + i ⊙ g     h_t = o ⊙ tanh(c_t)     y_t = h_t ⊙ m_y
 * </pre>
 * and the GRU, with the same masks (x̃ = x_t ⊙ m_x, h̃ = h_{t-1} ⊙ m_h):
 * <pre>
 *   r = σ(W_r x̃ + b_xr + U'_r h̃ + b_hr)     u = σ(W_u x̃ + b_xu + U'_u h̃ + b_hu)
 *   n = tanh(W_n x̃ + b_xn + r ⊙ (U'_n h̃ + b_hn))     h_t = (1 − u) ⊙ n + u ⊙ h_{t-1}     y_t = h_t ⊙ m_y
 * </pre>
 */
package dev.vdrop.dsl;
