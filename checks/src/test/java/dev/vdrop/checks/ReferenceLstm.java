package dev.vdrop.checks;

import dev.vdrop.runtime.Mat;
import dev.vdrop.runtime.Parameter;
import java.util.List;
import java.util.Map;

/**
 * A plain-loop LSTM language model written from the LSTM equations (docs/generated-code.md), one sequence, one
 * step and one unit at a time, in float64, with nothing shared with the generated code but the
 * parameter values and the masks. Gates are in the order i, f, g, o.
 *
 * <pre>
 *   z_t = W (x_t ⊙ m_x) + (U ⊙ M) (h_{t-1} ⊙ m_h) + b
 *   c_t = f ⊙ c_{t-1} + i ⊙ g        h_t = o ⊙ tanh(c_t)        y_t = h_t ⊙ m_y
 *   p_t = softmax(D y_t + d)          (the parameter holds Dᵀ, one column per class; D = Eᵀ when tied)
 * </pre>
 */
final class ReferenceLstm {
    private final Map<String, Parameter> parameters;
    private final Map<String, Mat> masks;
    private final String embedding;
    private final List<String> layers;
    private final String decoder;
    private int batch;

    /**
     * @param parameters the network's parameters by name ({@code lstm1.W}, …)
     * @param masks the masks to apply by name, empty for dropout off
     */
    ReferenceLstm(List<Parameter> parameters, Map<String, Mat> masks, String embedding, List<String> layers, String decoder) {
        this.parameters = new java.util.HashMap<>();
        parameters.forEach(p -> this.parameters.put(p.name(), p));
        this.masks = masks;
        this.embedding = embedding;
        this.layers = layers;
        this.decoder = decoder;
    }

    private Mat value(String name) {
        return parameters.get(name).value();
    }

    /**
     * Probabilities [b][t][k] of a batch of sequences, from a zero state: each sequence on its own,
     * for as many steps as it has (they may differ); a per-step mask's column for step t of
     * sequence b is t·B + b.
     */
    double[][][] probabilities(int[][] tokens) {
        batch = tokens.length;
        double[][][] out = new double[batch][][];
        for (int b = 0; b < batch; b++) {
            int steps = tokens[b].length;
            out[b] = new double[steps][];
            int n = layers.size();
            double[][] h = new double[n][];
            double[][] c = new double[n][];
            for (int l = 0; l < n; l++) {
                int units = value(layers.get(l) + ".U").cols();
                h[l] = new double[units];
                c[l] = new double[units];
            }
            for (int t = 0; t < steps; t++) {
                int column = t * batch + b;
                double[] x = embed(tokens[b][t], b);
                for (int l = 0; l < n; l++) {
                    String layer = layers.get(l);
                    double[] hNew = new double[h[l].length];
                    double[] cNew = new double[c[l].length];
                    step(layer, x, h[l], c[l], hNew, cNew, b, column);
                    h[l] = hNew;
                    c[l] = cNew;
                    x = times(hNew, mask(layer + ".y"), b, column);
                }
                out[b][t] = softmax(decode(x));
            }
        }
        return out;
    }

    private double[] embed(int word, int b) {
        Mat e = value(embedding + ".E");
        Mat mask = masks.get(embedding + ".E");
        double keep = mask == null ? 1 : mask.get(word, mask.cols() == 1 ? 0 : b);
        double[] x = new double[e.rows()];
        for (int j = 0; j < x.length; j++) {
            x[j] = e.get(j, word) * keep;
        }
        return x;
    }

    /**
     * One step of LSTM layer {@code layer} for sequence b of a batch of {@code batch} (a per-step
     * mask's column is {@code column}), as {@link #probabilities} takes it: for a stack that mixes
     * cells ({@link ReferenceGru}), whose LSTM layers this computes.
     */
    void layerStep(int batch, String layer, double[] x, double[] hPrev, double[] cPrev, double[] h, double[] c, int b,
                   int column) {
        this.batch = batch;
        step(layer, x, hPrev, cPrev, h, c, b, column);
    }

    private void step(String layer, double[] x, double[] hPrev, double[] cPrev, double[] h, double[] c, int b, int column) {
        Mat w = value(layer + ".W");
        Mat u = value(layer + ".U");
        Mat bias = value(layer + ".b");
        Mat weightMask = masks.get(layer + ".U");
        int units = h.length;
        String[] gates = {"i", "f", "g", "o"};
        double[][] a = new double[4][units];
        for (int g = 0; g < 4; g++) {
            double[] xg = times(x, firstOf(layer + ".x." + gates[g], layer + ".x"), b, column);
            double[] hg = times(hPrev, firstOf(layer + ".h." + gates[g], layer + ".h"), b, column);
            for (int j = 0; j < units; j++) {
                int row = g * units + j;
                double z = bias.get(row, 0);
                for (int k = 0; k < xg.length; k++) {
                    z += w.get(row, k) * xg[k];
                }
                for (int k = 0; k < units; k++) {
                    double weight = u.get(row, k) * (weightMask == null ? 1 : weightMask.get(row, k));
                    z += weight * hg[k];
                }
                a[g][j] = g == 2 ? Math.tanh(z) : 1 / (1 + Math.exp(-z));
            }
        }
        for (int j = 0; j < units; j++) {
            c[j] = a[1][j] * cPrev[j] + a[0][j] * a[2][j];
            h[j] = a[3][j] * Math.tanh(c[j]);
        }
    }

    private Mat firstOf(String untied, String tied) {
        Mat m = masks.get(untied);
        return m != null ? m : masks.get(tied);
    }

    private Mat mask(String name) {
        return masks.get(name);
    }

    /**
     * v ⊙ mask: a per-sequence mask (B columns) gives column b at every step, a per-step mask
     * (T·B columns) gives this step's column t·B + b.
     */
    private double[] times(double[] v, Mat mask, int b, int column) {
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

    private double[] decode(double[] y) {
        Mat bias = value(decoder + ".d");
        Parameter d = parameters.get(decoder + ".D");
        Mat e = value(embedding + ".E");
        double[] a = new double[bias.rows()];
        for (int k = 0; k < a.length; k++) {
            double sum = bias.get(k, 0);
            for (int j = 0; j < y.length; j++) {
                sum += (d == null ? e.get(j, k) : d.value().get(j, k)) * y[j];
            }
            a[k] = sum;
        }
        return a;
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
