package dev.vdrop.runtime.internal;

import static dev.vdrop.runtime.internal.Elementwise.sigmoid;
import static dev.vdrop.runtime.internal.Elementwise.tanh;

import dev.vdrop.runtime.Mat;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.CustomOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.factory.Nd4j;

/** The kernels as scalar Java loops through {@link Mat#get}/{@link Mat#set}, and ND4J's softmax. */
final class PlainKernels implements Kernels {
    @Override
    public void fillMask(float[] to, int at, int count, long first, float kept, long state, long threshold) {
        Dropouts.fillStreamScalar(to, at, count, first, kept, state, threshold);
    }

    @Override
    public StepProduct stepProduct() {
        return new StepProduct.ThroughBlas();
    }

    @Override
    public StepProduct ownStepProduct() {
        return new StepProduct.ThroughBlas();
    }

    @Override
    public void multiply(Mat dst, Mat a, Mat b) {
        checkSameShape(dst, a, b);
        if (Elementwise.large(dst) && dst.isContiguous() && a.isContiguous() && b.isContiguous()) {
            Parallel.runNative(() -> a.flat().mul(b.flat(), dst.flat()));
            return;
        }
        for (int c = 0; c < dst.cols(); c++) {
            for (int r = 0; r < dst.rows(); r++) {
                dst.set(r, c, a.get(r, c) * b.get(r, c));
            }
        }
    }

    @Override
    public void addMasked(Mat dst, Mat scratch, Mat mask) {
        checkSameShape(dst, scratch, mask);
        if (Elementwise.large(dst) && dst.isContiguous() && scratch.isContiguous() && mask.isContiguous()) {
            Parallel.runNative(() -> dst.flat().addi(scratch.flat().muli(mask.flat())));
            return;
        }
        for (int c = 0; c < dst.cols(); c++) {
            for (int r = 0; r < dst.rows(); r++) {
                double product = scratch.get(r, c) * mask.get(r, c);
                scratch.set(r, c, product);
                dst.set(r, c, dst.get(r, c) + product);
            }
        }
    }

    static void checkSameShape(Mat dst, Mat a, Mat b) {
        if (a.rows() != dst.rows() || a.cols() != dst.cols() || b.rows() != dst.rows() || b.cols() != dst.cols()) {
            throw new IllegalArgumentException("element-wise operands of different shapes: " + dst.shape() + ", "
                    + a.shape() + ", " + b.shape());
        }
    }

    @Override
    public boolean vectorized() {
        return false;
    }

    @Override
    public String description() {
        return "plain Java (start java with --add-modules jdk.incubator.vector for the vector kernels)";
    }

    @Override
    public void lstmForward(Mat z, Mat bias, Mat cPrev, Mat c, Mat tanhC, Mat h) {
        for (int s = 0; s < h.cols(); s++) {
            lstmForward(z, bias, cPrev, c, tanhC, h, s, 0, h.rows());
        }
    }

    /** {@link LstmCell#forward} for rows [from, to) of column s. */
    static void lstmForward(Mat z, Mat bias, Mat cPrev, Mat c, Mat tanhC, Mat h, int s, int from, int to) {
        int units = h.rows();
        for (int j = from; j < to; j++) {
            double i = sigmoid(z.get(j, s) + bias.get(j, 0));
            double f = sigmoid(z.get(units + j, s) + bias.get(units + j, 0));
            double g = tanh(z.get(2 * units + j, s) + bias.get(2 * units + j, 0));
            double o = sigmoid(z.get(3 * units + j, s) + bias.get(3 * units + j, 0));
            z.set(j, s, i);
            z.set(units + j, s, f);
            z.set(2 * units + j, s, g);
            z.set(3 * units + j, s, o);
            double cell = f * cPrev.get(j, s) + i * g;
            double tanhCell = tanh(cell);
            c.set(j, s, cell);
            tanhC.set(j, s, tanhCell);
            h.set(j, s, o * tanhCell);
        }
    }

    @Override
    public void lstmBackward(Mat gates, Mat tanhC, Mat cPrev, Mat dy, Mat dhNext, Mat dcNext, Mat dz) {
        for (int s = 0; s < dy.cols(); s++) {
            lstmBackward(gates, tanhC, cPrev, dy, dhNext, dcNext, dz, s, 0, dy.rows());
        }
    }

    /** {@link LstmCell#backward} for rows [from, to) of column s. */
    static void lstmBackward(Mat gates, Mat tanhC, Mat cPrev, Mat dy, Mat dhNext, Mat dcNext, Mat dz, int s,
                             int from, int to) {
        int units = dy.rows();
        for (int j = from; j < to; j++) {
            double i = gates.get(j, s);
            double f = gates.get(units + j, s);
            double g = gates.get(2 * units + j, s);
            double o = gates.get(3 * units + j, s);
            double tanhCell = tanhC.get(j, s);
            double dh = dy.get(j, s) + dhNext.get(j, s);
            double dc = dh * o * (1 - tanhCell * tanhCell) + dcNext.get(j, s);
            dcNext.set(j, s, dc * f);
            dz.set(j, s, dc * g * i * (1 - i));
            dz.set(units + j, s, dc * cPrev.get(j, s) * f * (1 - f));
            dz.set(2 * units + j, s, dc * i * (1 - g * g));
            dz.set(3 * units + j, s, dh * tanhCell * o * (1 - o));
        }
    }

    /** {@link GruCell#forward}: h gives H and B. */
    @Override
    public void gruForward(Mat z, Mat zh, Mat biasX, Mat biasH, Mat hPrev, Mat h) {
        int units = h.rows();
        for (int s = 0; s < h.cols(); s++) {
            for (int j = 0; j < units; j++) {
                int ju = units + j;
                int jn = 2 * units + j;
                double r = sigmoid(z.get(j, s) + biasX.get(j, 0) + zh.get(j, s) + biasH.get(j, 0));
                double u = sigmoid(z.get(ju, s) + biasX.get(ju, 0) + zh.get(ju, s) + biasH.get(ju, 0));
                double recurrent = zh.get(jn, s) + biasH.get(jn, 0);
                double n = tanh(z.get(jn, s) + biasX.get(jn, 0) + r * recurrent);
                z.set(j, s, r);
                z.set(ju, s, u);
                z.set(jn, s, n);
                zh.set(jn, s, recurrent);
                h.set(j, s, n + u * (hPrev.get(j, s) - n));
            }
        }
    }

    /** {@link GruCell#backward}: dy gives H and B. */
    @Override
    public void gruBackward(Mat gates, Mat zh, Mat hPrev, Mat dy, Mat dh, Mat dz, Mat dzh) {
        int units = dy.rows();
        for (int s = 0; s < dy.cols(); s++) {
            for (int j = 0; j < units; j++) {
                int ju = units + j;
                int jn = 2 * units + j;
                double r = gates.get(j, s);
                double u = gates.get(ju, s);
                double n = gates.get(jn, s);
                double total = dy.get(j, s) + dh.get(j, s);
                double da = total * (1 - u) * (1 - n * n);
                double dr = da * zh.get(jn, s) * r * (1 - r);
                double du = total * (hPrev.get(j, s) - n) * u * (1 - u);
                dh.set(j, s, total * u);
                dz.set(j, s, dr);
                dz.set(ju, s, du);
                dz.set(jn, s, da);
                dzh.set(j, s, dr);
                dzh.set(ju, s, du);
                dzh.set(jn, s, da * r);
            }
        }
    }

    @Override
    public void maskPerSequence(Mat dst, Mat src, Mat mask) {
        int batch = mask.cols();
        if ((long) dst.rows() * dst.cols() >= Elementwise.NATIVE_FROM && dst.isContiguous() && src.isContiguous() && mask.isContiguous()) {
            // column t·B + b of a rows × TB matrix is element (r, b, t) of an f-order [rows, B, T] array
            int steps = dst.cols() / batch;
            INDArray to = dst.flat().reshape('f', dst.rows(), batch, steps);
            INDArray from = src == dst ? to : src.flat().reshape('f', src.rows(), batch, steps);
            Nd4j.exec(new BroadcastMulOp(from, mask.matrix(), to, 0, 1));
            return;
        }
        for (int c = 0; c < dst.cols(); c++) {
            int s = c % batch;
            for (int r = 0; r < dst.rows(); r++) {
                dst.set(r, c, src.get(r, c) * mask.get(r, s));
            }
        }
    }

    @Override
    public void scaleColumn(Mat dst, int dstCol, Mat src, int srcCol, double factor, boolean add) {
        scaleColumn(dst, dstCol, src, srcCol, factor, add, 0, dst.rows());
    }

    /** {@link #scaleColumn} for rows [from, to). */
    static void scaleColumn(Mat dst, int dstCol, Mat src, int srcCol, double factor, boolean add, int from, int to) {
        for (int r = from; r < to; r++) {
            double value = src.get(r, srcCol) * factor;
            dst.set(r, dstCol, add ? dst.get(r, dstCol) + value : value);
        }
    }

    @Override
    public void addBiasAndSoftmax(Mat logits, Mat bias, Mat probabilitySums) {
        softmax(logits, bias);
        if (probabilitySums != null) {
            Elementwise.addColumnSums(probabilitySums, logits);
        }
    }

    private static void softmax(Mat logits, Mat bias) {
        int rows = logits.rows();
        if (logits.isContiguous() && (long) rows * logits.cols() >= Elementwise.NATIVE_FROM) {
            // An f-order [classes, columns] matrix is a c-order [columns, classes] one: rows of
            // contiguous logits, the layout ND4J's broadcast and softmax are fastest on.
            INDArray a = logits.flat().reshape('c', logits.cols(), rows);
            a.addiRowVector(bias.flat().reshape(1, rows));
            Nd4j.exec((CustomOp) new SoftMax(a, a, 1));
            return;
        }
        for (int c = 0; c < logits.cols(); c++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int r = 0; r < rows; r++) {
                double a = logits.get(r, c) + bias.get(r, 0);
                logits.set(r, c, a);
                max = Math.max(max, a);
            }
            double sum = 0;
            for (int r = 0; r < rows; r++) {
                double e = Math.exp(logits.get(r, c) - max);
                logits.set(r, c, e);
                sum += e;
            }
            for (int r = 0; r < rows; r++) {
                logits.set(r, c, logits.get(r, c) / sum);
            }
        }
    }
}
