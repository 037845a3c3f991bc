package dev.vdrop.runtime.internal;

import dev.vdrop.runtime.Mat;

/**
 * The element-wise work of one GRU step over B sequences, which generated networks call once per
 * step and layer: the formulation of PyTorch and cuDNN ({@code torch.nn.GRU}), with the reset gate
 * applied after the recurrent product and two biases, b_x with the input product and b_h with the
 * recurrent one. Matrices are column blocks of a segment's buffers: one column per sequence, the
 * gate matrices with row blocks r, u, n of H rows each.
 *
 * <p>It runs the same kernels as {@link LstmCell} (SIMD with {@code --add-modules
 * jdk.incubator.vector}, scalar Java otherwise; {@link LstmCell#implementation()} says which).
 * B is the column count of {@code h} forward and of {@code dy} backward: a pass over ragged
 * sequences hands every matrix as its first b_t columns.
 *
 * <p>For generated code; not API (see the package).
 */
public final class GruCell {
    private GruCell() {}

    /**
     * The gates and the new state of one step:
     * <pre>
     *   r = σ(z_r + b_xr + zh_r + b_hr)     u = σ(z_u + b_xu + zh_u + b_hu)
     *   n = tanh(z_n + b_xn + r ⊙ (zh_n + b_hn))     h_t = (1 − u) ⊙ n + u ⊙ h_{t−1}
     * </pre>
     *
     * @param z on entry W x̃_t (3H × B, row blocks r, u, n, no bias), on exit the gates r, u, n
     * @param zh on entry U' h̃_{t−1} (3H × B, no bias); on exit its block n holds zh_n + b_hn (kept for
     *     the backward pass), its blocks r and u are left as they were (U'_r h̃, U'_u h̃, no bias)
     * @param biasX b_x (3H × 1)
     * @param biasH b_h (3H × 1)
     * @param hPrev h_{t−1} (H × B); may be {@code h} itself
     * @param h receives h_t (H × B)
     */
    public static void forward(Mat z, Mat zh, Mat biasX, Mat biasH, Mat hPrev, Mat h) {
        Kernels.CURRENT.gruForward(z, zh, biasX, biasH, hPrev, h);
    }

    /**
     * The gradients of one step, from the gates and zh_n + b_hn the forward pass kept:
     * <pre>
     *   ∂h = ∂y_t + ∂h_t (through step t+1)
     *   ∂n = ∂h ⊙ (1 − u)    ∂u = ∂h ⊙ (h_{t−1} − n)
     *   ∂a = ∂n ⊙ (1 − n²)   ∂r = ∂a ⊙ (zh_n + b_hn)
     *   dz  = [∂r ⊙ r(1−r); ∂u ⊙ u(1−u); ∂a]        (∂L/∂(W x̃ + b_x))
     *   dzh = [∂r ⊙ r(1−r); ∂u ⊙ u(1−u); ∂a ⊙ r]    (∂L/∂(U' h̃ + b_h))
     *   ∂h_{t−1} (the direct part, not through U) = ∂h ⊙ u
     * </pre>
     *
     * @param gates r, u, n of step t (3H × B)
     * @param zh the forward pass's zh: only block n, zh_n + b_hn, is read
     * @param hPrev h_{t−1} (H × B)
     * @param dy ∂L/∂y_t from the layer above (H × B); read only
     * @param dh on entry ∂L/∂h_t through step t+1, on exit ∂h ⊙ u (the direct part of ∂L/∂h_{t−1})
     * @param dz receives dz (3H × B)
     * @param dzh receives dzh (3H × B)
     */
    public static void backward(Mat gates, Mat zh, Mat hPrev, Mat dy, Mat dh, Mat dz, Mat dzh) {
        Kernels.CURRENT.gruBackward(gates, zh, hPrev, dy, dh, dz, dzh);
    }
}
