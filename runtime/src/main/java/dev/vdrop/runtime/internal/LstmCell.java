package dev.vdrop.runtime.internal;

import dev.vdrop.runtime.Mat;

/**
 * The element-wise work of one LSTM step over B sequences, which generated networks call once per
 * step and layer. Matrices are column blocks of a segment's buffers: one column per sequence, the
 * gate matrix with row blocks i, f, g, o of H rows each.
 *
 * <p>It runs SIMD kernels when the JVM was started with {@code --add-modules jdk.incubator.vector}
 * and scalar Java otherwise ({@link #implementation()} says which); both compute the same
 * functions.
 *
 * <p>For generated code; not API (see the package). {@link dev.vdrop.runtime.VectorSupport} tells
 * users which kernels run.
 */
public final class LstmCell {
    private LstmCell() {}

    /**
     * The gates and the new state of one step:
     * <pre>
     *   i = σ(z_i + b_i)   f = σ(z_f + b_f)   g = tanh(z_g + b_g)   o = σ(z_o + b_o)
     *   c_t = f ⊙ c_{t-1} + i ⊙ g     h_t = o ⊙ tanh(c_t)
     * </pre>
     *
     * @param z on entry the pre-activations W x̃_t + U' h̃_{t-1} (4H × B), on exit the gates i, f, g, o
     * @param bias b (4H × 1)
     * @param cPrev c_{t-1} (H × B)
     * @param c receives c_t
     * @param tanhC receives tanh(c_t), kept for the backward pass
     * @param h receives h_t
     */
    public static void forward(Mat z, Mat bias, Mat cPrev, Mat c, Mat tanhC, Mat h) {
        Kernels.CURRENT.lstmForward(z, bias, cPrev, c, tanhC, h);
    }

    /**
     * The gradients of one step, from the gates and cell the forward pass kept:
     * <pre>
     *   ∂h = ∂y_t + ∂h_t (from step t+1)     ∂c = ∂h ⊙ o ⊙ (1 − tanh² c_t) + ∂c_t (from step t+1)
     *   ∂z_i = ∂c ⊙ g ⊙ i(1−i)   ∂z_f = ∂c ⊙ c_{t-1} ⊙ f(1−f)   ∂z_g = ∂c ⊙ i ⊙ (1−g²)   ∂z_o = ∂h ⊙ tanh c_t ⊙ o(1−o)
     *   ∂c_{t-1} = ∂c ⊙ f
     * </pre>
     *
     * @param gates i, f, g, o of step t (4H × B)
     * @param tanhC tanh(c_t)
     * @param cPrev c_{t-1}
     * @param dy ∂L/∂h_t from the layer above (H × B)
     * @param dhNext ∂L/∂h_t through step t+1; read only
     * @param dcNext on entry ∂L/∂c_t through step t+1, on exit ∂L/∂c_{t-1}
     * @param dz receives ∂L/∂z_t (4H × B)
     */
    public static void backward(Mat gates, Mat tanhC, Mat cPrev, Mat dy, Mat dhNext, Mat dcNext, Mat dz) {
        Kernels.CURRENT.lstmBackward(gates, tanhC, cPrev, dy, dhNext, dcNext, dz);
    }

    /**
     * Which kernels this JVM runs, e.g. {@code "vector (16 × float32 / 8 × float64 lanes,
     * jdk.incubator.vector)"}; the same as {@link dev.vdrop.runtime.VectorSupport#description()},
     * which is where code outside vdrop should ask.
     *
     * @return the kernels, in words
     */
    public static String implementation() {
        return KernelSelection.description();
    }
}
