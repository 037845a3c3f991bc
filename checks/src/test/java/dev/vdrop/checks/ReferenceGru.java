package dev.vdrop.checks;

import dev.vdrop.runtime.Mat;
import dev.vdrop.runtime.Parameter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A plain-loop GRU network written from torch.nn.GRU's equations (issue 20, docs/guide.md), one
 * sequence, one step and one unit at a time, in float64, with nothing shared with the generated
 * code but the parameter values and the masks, which are given explicitly by name as the workspace
 * names them. Gate blocks are in the order r, u, n; W is 3H × I, U is 3H × H, b (= b_x) and bh
 * (= b_h) are 3H.
 *
 * <pre>
 *   x̃ = x_t ⊙ m_x,  h̃ = h_{t-1} ⊙ m_h            (untied: m_x.g, m_h.g for each gate g)
 *   r_t = σ(W_r x̃ + b_xr + U'_r h̃ + b_hr)        u_t = σ(W_u x̃ + b_xu + U'_u h̃ + b_hu)
 *   n_t = tanh(W_n x̃ + b_xn + r_t ⊙ (U'_n h̃ + b_hn))
 *   h_t = (1 − u_t) ⊙ n_t + u_t ⊙ h_{t-1}           y_t = h_t ⊙ m_y       U' = U ⊙ M (weight drop)
 * </pre>
 *
 * A layer without a {@code .bh} parameter is an LSTM layer, computed by {@link ReferenceLstm} with
 * the same masks, so a stack that mixes the cells is computed layer by layer by the two references.
 * The input is token ids through the embedding ({@code E ⊙} its row mask) or feature vectors as
 * they are; the head a softmax (p = softmax(Dᵀ y + d), the parameter holding Dᵀ, or Eᵀ when tied)
 * or a Gaussian regression (μ = D y + d, log-variance s), applied at every step: a head at the last
 * step reads each sequence's last.
 */
final class ReferenceGru {
    private final Map<String, Parameter> parameters = new HashMap<>();
    private final Map<String, Mat> masks;
    private final String input;
    private final List<String> layers;
    private final String head;
    private final ReferenceLstm lstm;

    /**
     * @param parameters the network's parameters by name ({@code gru.W}, …)
     * @param masks the masks to apply by name ({@code gru.x}, {@code gru.h.r}, {@code gru.U}, …), empty for dropout off
     * @param input the input layer's field: an embedding when it has a {@code .E}, feature input otherwise
     * @param layers the recurrent layers' fields, bottom first
     * @param head the head's field
     */
    ReferenceGru(List<Parameter> parameters, Map<String, Mat> masks, String input, List<String> layers, String head) {
        parameters.forEach(p -> this.parameters.put(p.name(), p));
        this.masks = masks;
        this.input = input;
        this.layers = layers;
        this.head = head;
        this.lstm = new ReferenceLstm(parameters, masks, input, layers, head);
    }

    /**
     * What a pass computes for each sequence of a batch.
     *
     * @param outputs [b][t][k]: the head's output at every step of sequence b (probabilities or μ)
     * @param hidden [b][layer][j]: h where sequence b ends
     * @param cell [b][layer][j]: c where sequence b ends, null for a GRU layer
     */
    record Result(double[][][] outputs, double[][][] hidden, double[][][] cell) {
        /** (1/B) Σ_b Σ_t −log p_t(target), over every step of each sequence. */
        double crossEntropy(int[][] targets) {
            double sum = 0;
            for (int b = 0; b < targets.length; b++) {
                for (int t = 0; t < targets[b].length; t++) {
                    sum -= Math.log(outputs[b][t][targets[b][t]]);
                }
            }
            return sum / targets.length;
        }

        /** (1/B) Σ_b −log p(target) at sequence b's last step. */
        double crossEntropy(int[] targets) {
            double sum = 0;
            for (int b = 0; b < targets.length; b++) {
                sum -= Math.log(last(b)[targets[b]]);
            }
            return sum / targets.length;
        }

        /** (1/B) Σ_b Σ_t Σ_k ½ [log 2π + s_k + (y − μ)² e^{−s_k}], over every step of each sequence. */
        double gaussian(double[][][] targets, Mat logVariance) {
            double sum = 0;
            for (int b = 0; b < targets.length; b++) {
                for (int t = 0; t < targets[b].length; t++) {
                    sum += gaussian(targets[b][t], outputs[b][t], logVariance);
                }
            }
            return sum / targets.length;
        }

        /** The same at each sequence's last step. */
        double gaussian(double[][] targets, Mat logVariance) {
            double sum = 0;
            for (int b = 0; b < targets.length; b++) {
                sum += gaussian(targets[b], last(b), logVariance);
            }
            return sum / targets.length;
        }

        /** The output at sequence b's last step. */
        double[] last(int b) {
            return outputs[b][outputs[b].length - 1];
        }

        private static double gaussian(double[] y, double[] mu, Mat logVariance) {
            double sum = 0;
            for (int k = 0; k < y.length; k++) {
                double s = logVariance.get(k, 0);
                double error = y[k] - mu[k];
                sum += 0.5 * (Math.log(2 * Math.PI) + s + error * error * Math.exp(-s));
            }
            return sum;
        }
    }

    private Mat value(String name) {
        return parameters.get(name).value();
    }

    private boolean isGru(String layer) {
        return parameters.containsKey(layer + ".bh");
    }

    /**
     * The pass over a batch of sequences from a zero state: each sequence on its own, for as many
     * steps as it has (they may differ); a per-step mask's column for step t of sequence b is
     * t·B + b.
     *
     * @param x token ids {@code int[B][len]} or features {@code double[B][len][I]}
     */
    Result run(Object x) {
        int batch = x instanceof int[][] tokens ? tokens.length : ((double[][][]) x).length;
        int n = layers.size();
        double[][][] outputs = new double[batch][][];
        double[][][] hidden = new double[batch][n][];
        double[][][] cell = new double[batch][n][];
        for (int b = 0; b < batch; b++) {
            int steps = x instanceof int[][] tokens ? tokens[b].length : ((double[][][]) x)[b].length;
            outputs[b] = new double[steps][];
            double[][] h = new double[n][];
            double[][] c = new double[n][];
            for (int l = 0; l < n; l++) {
                int units = value(layers.get(l) + ".U").cols();
                h[l] = new double[units];
                c[l] = isGru(layers.get(l)) ? null : new double[units];
            }
            for (int t = 0; t < steps; t++) {
                int column = t * batch + b;
                double[] in = x instanceof int[][] tokens ? embed(tokens[b][t], b) : ((double[][][]) x)[b][t];
                for (int l = 0; l < n; l++) {
                    String layer = layers.get(l);
                    double[] hNew = new double[h[l].length];
                    if (isGru(layer)) {
                        step(layer, in, h[l], hNew, b, column, batch);
                    } else {
                        double[] cNew = new double[c[l].length];
                        lstm.layerStep(batch, layer, in, h[l], c[l], hNew, cNew, b, column);
                        c[l] = cNew;
                    }
                    h[l] = hNew;
                    in = times(hNew, masks.get(layer + ".y"), b, column, batch);
                }
                outputs[b][t] = head(in);
            }
            hidden[b] = h;
            cell[b] = c;
        }
        return new Result(outputs, hidden, cell);
    }

    private double[] embed(int word, int b) {
        Mat e = value(input + ".E");
        Mat mask = masks.get(input + ".E");
        double keep = mask == null ? 1 : mask.get(word, mask.cols() == 1 ? 0 : b);
        double[] x = new double[e.rows()];
        for (int j = 0; j < x.length; j++) {
            x[j] = e.get(j, word) * keep;
        }
        return x;
    }

    /** One step of a GRU layer for sequence b: h from x and hPrev, as the class comment says. */
    private void step(String layer, double[] x, double[] hPrev, double[] h, int b, int column, int batch) {
        Mat w = value(layer + ".W");
        Mat u = value(layer + ".U");
        Mat biasX = value(layer + ".b");
        Mat biasH = value(layer + ".bh");
        Mat weightMask = masks.get(layer + ".U");
        int units = h.length;
        String[] gates = {"r", "u", "n"};
        double[][] inputTerm = new double[3][units];
        double[][] recurrentTerm = new double[3][units];
        for (int g = 0; g < 3; g++) {
            double[] xg = times(x, firstOf(layer + ".x." + gates[g], layer + ".x"), b, column, batch);
            double[] hg = times(hPrev, firstOf(layer + ".h." + gates[g], layer + ".h"), b, column, batch);
            for (int j = 0; j < units; j++) {
                int row = g * units + j;
                double zx = biasX.get(row, 0);
                for (int k = 0; k < xg.length; k++) {
                    zx += w.get(row, k) * xg[k];
                }
                double zh = biasH.get(row, 0);
                for (int k = 0; k < units; k++) {
                    double weight = u.get(row, k) * (weightMask == null ? 1 : weightMask.get(row, k));
                    zh += weight * hg[k];
                }
                inputTerm[g][j] = zx;
                recurrentTerm[g][j] = zh;
            }
        }
        for (int j = 0; j < units; j++) {
            double r = sigmoid(inputTerm[0][j] + recurrentTerm[0][j]);
            double update = sigmoid(inputTerm[1][j] + recurrentTerm[1][j]);
            double n = Math.tanh(inputTerm[2][j] + r * recurrentTerm[2][j]);
            h[j] = (1 - update) * n + update * hPrev[j];
        }
    }

    private static double sigmoid(double a) {
        return 1 / (1 + Math.exp(-a));
    }

    private Mat firstOf(String untied, String tied) {
        Mat m = masks.get(untied);
        return m != null ? m : masks.get(tied);
    }

    /**
     * v ⊙ mask: a per-sequence mask (B columns) gives column b at every step, a per-step mask
     * (T·B columns) gives this step's column t·B + b.
     */
    private static double[] times(double[] v, Mat mask, int b, int column, int batch) {
        if (mask == null) {
            return v;
        }
        int col = mask.cols() == batch ? b : column;
        double[] out = new double[v.length];
        for (int j = 0; j < v.length; j++) {
            out[j] = v[j] * mask.get(j, col);
        }
        return out;
    }

    private double[] head(double[] y) {
        Mat bias = value(head + ".d");
        double[] a = new double[bias.rows()];
        if (parameters.containsKey(head + ".s")) {
            Mat d = value(head + ".D");
            for (int k = 0; k < a.length; k++) {
                double sum = bias.get(k, 0);
                for (int j = 0; j < y.length; j++) {
                    sum += d.get(k, j) * y[j];
                }
                a[k] = sum;
            }
            return a;
        }
        Mat d = parameters.containsKey(head + ".D") ? value(head + ".D") : value(input + ".E");
        for (int k = 0; k < a.length; k++) {
            double sum = bias.get(k, 0);
            for (int j = 0; j < y.length; j++) {
                sum += d.get(j, k) * y[j];
            }
            a[k] = sum;
        }
        return softmax(a);
    }

    private static double[] softmax(double[] a) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : a) {
            max = Math.max(max, v);
        }
        double sum = 0;
        double[] p = new double[a.length];
        for (int k = 0; k < a.length; k++) {
            p[k] = Math.exp(a[k] - max);
            sum += p[k];
        }
        for (int k = 0; k < a.length; k++) {
            p[k] /= sum;
        }
        return p;
    }
}
