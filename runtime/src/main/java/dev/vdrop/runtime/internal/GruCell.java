package dev.vdrop.runtime.internal;

import dev.vdrop.runtime.Mat;

/** TEMPORARY scalar GRU cell (the lead's stand-in until the kernels land). */
public final class GruCell {
    private GruCell() {}

    /** Forward. */
    public static void forward(Mat z, Mat zh, Mat biasX, Mat biasH, Mat hPrev, Mat h) {
        int units = h.rows();
        for (int s = 0; s < h.cols(); s++) {
            for (int j = 0; j < units; j++) {
                double r = sig(z.get(j, s) + biasX.get(j, 0) + zh.get(j, s) + biasH.get(j, 0));
                double u = sig(z.get(units + j, s) + biasX.get(units + j, 0) + zh.get(units + j, s) + biasH.get(units + j, 0));
                double hn = zh.get(2 * units + j, s) + biasH.get(2 * units + j, 0);
                double n = Math.tanh(z.get(2 * units + j, s) + biasX.get(2 * units + j, 0) + r * hn);
                z.set(j, s, r);
                z.set(units + j, s, u);
                z.set(2 * units + j, s, n);
                zh.set(2 * units + j, s, hn);
                h.set(j, s, (1 - u) * n + u * hPrev.get(j, s));
            }
        }
    }

    /** Backward. */
    public static void backward(Mat gates, Mat zh, Mat hPrev, Mat dy, Mat dh, Mat dz, Mat dzh) {
        int units = dh.rows();
        for (int s = 0; s < dh.cols(); s++) {
            for (int j = 0; j < units; j++) {
                double r = gates.get(j, s);
                double u = gates.get(units + j, s);
                double n = gates.get(2 * units + j, s);
                double hn = zh.get(2 * units + j, s);
                double d = dy.get(j, s) + dh.get(j, s);
                double dn = d * (1 - u);
                double du = d * (hPrev.get(j, s) - n);
                double da = dn * (1 - n * n);
                double dr = da * hn;
                double dzr = dr * r * (1 - r);
                double dzu = du * u * (1 - u);
                dz.set(j, s, dzr);
                dz.set(units + j, s, dzu);
                dz.set(2 * units + j, s, da);
                dzh.set(j, s, dzr);
                dzh.set(units + j, s, dzu);
                dzh.set(2 * units + j, s, da * r);
                dh.set(j, s, d * u);
            }
        }
    }

    private static double sig(double x) {
        return 1 / (1 + Math.exp(-x));
    }
}
