package dev.vdrop.dsl;

/** How a {@link VariationalLSTM} or a {@link VariationalGRU} samples its dropout masks. */
public enum Masks {
    /**
     * Variational, tied: one mask per sequence on x_t, one on h_{t−1} and one on y_t, reused at
     * every step and shared by the gates (Gal &amp; Ghahramani 2016).
     */
    TIED,
    /**
     * Variational, untied: as {@link #TIED}, but x_t and h_{t−1} get one mask per gate, so
     * z_g = W_g (x_t ⊙ m_x^g) + U_g (h_{t−1} ⊙ m_h^g) + b_g for an LSTM's gates g ∈ {i, f, g, o},
     * and likewise for a GRU's r, u, n.
     */
    UNTIED,
    /**
     * Naive dropout, Zaremba et al. 2014 (arXiv 1409.2329): a fresh mask at every step on the
     * input and output connections, never on h_{t−1}. Requires {@code recurrent = 0}.
     */
    PER_STEP
}
