package dev.vdrop.runtime;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The kernels in SIMD lanes through {@code jdk.incubator.vector}, straight on the native buffers (as
 * direct byte buffers): exp and tanh are the JIT's vector intrinsics, so a gate costs a fraction of
 * a nanosecond instead of a scalar {@code Math.exp}. Rows are processed in whole vectors; the few
 * left at the end of a column go through {@link PlainKernels}' scalar code. Loaded by
 * {@link Kernels} only when the module is present.
 */
final class VectorKernels implements Kernels {
    private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> DOUBLES = DoubleVector.SPECIES_PREFERRED;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    private static final int THREADS = Parallel.THREADS;

    private final PlainKernels plain = new PlainKernels();

    @Override
    public String description() {
        return "vector (" + FLOATS.length() + " × float32 / " + DOUBLES.length() + " × float64 lanes, jdk.incubator.vector)";
    }

    private static boolean inBuffers(Mat... mats) {
        for (Mat m : mats) {
            if (m.bytes() == null) {
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------------------------------------
    // LSTM step

    @Override
    public void lstmForward(Mat z, Mat bias, Mat cPrev, Mat c, Mat tanhC, Mat h) {
        if (!inBuffers(z, bias, cPrev, c, tanhC, h)) {
            plain.lstmForward(z, bias, cPrev, c, tanhC, h);
        } else if (h.dataType() == DataType.FLOAT) {
            lstmForwardFloat(z, bias, cPrev, c, tanhC, h);
        } else {
            lstmForwardDouble(z, bias, cPrev, c, tanhC, h);
        }
    }

    @Override
    public void lstmBackward(Mat gates, Mat tanhC, Mat cPrev, Mat dy, Mat dhNext, Mat dcNext, Mat dz) {
        if (!inBuffers(gates, tanhC, cPrev, dy, dhNext, dcNext, dz)) {
            plain.lstmBackward(gates, tanhC, cPrev, dy, dhNext, dcNext, dz);
        } else if (dy.dataType() == DataType.FLOAT) {
            lstmBackwardFloat(gates, tanhC, cPrev, dy, dhNext, dcNext, dz);
        } else {
            lstmBackwardDouble(gates, tanhC, cPrev, dy, dhNext, dcNext, dz);
        }
    }

    private static void lstmForwardFloat(Mat z, Mat bias, Mat cPrev, Mat c, Mat tanhC, Mat h) {
        int units = h.rows();
        int whole = FLOATS.loopBound(units);
        int lanes = FLOATS.length();
        int gate = units * Float.BYTES;
        ByteBuffer zb = z.bytes();
        ByteBuffer bb = bias.bytes();
        ByteBuffer pb = cPrev.bytes();
        ByteBuffer cb = c.bytes();
        ByteBuffer tb = tanhC.bytes();
        ByteBuffer hb = h.bytes();
        int b0 = bias.byteIndex(0, 0);
        for (int s = 0; s < h.cols(); s++) {
            int z0 = z.byteIndex(0, s);
            int p0 = cPrev.byteIndex(0, s);
            int c0 = c.byteIndex(0, s);
            int t0 = tanhC.byteIndex(0, s);
            int h0 = h.byteIndex(0, s);
            for (int j = 0; j < whole; j += lanes) {
                int at = j * Float.BYTES;
                FloatVector i = sigmoid(load(zb, z0 + at).add(load(bb, b0 + at)));
                FloatVector f = sigmoid(load(zb, z0 + gate + at).add(load(bb, b0 + gate + at)));
                FloatVector g = tanh(load(zb, z0 + 2 * gate + at).add(load(bb, b0 + 2 * gate + at)));
                FloatVector o = sigmoid(load(zb, z0 + 3 * gate + at).add(load(bb, b0 + 3 * gate + at)));
                i.intoByteBuffer(zb, z0 + at, ORDER);
                f.intoByteBuffer(zb, z0 + gate + at, ORDER);
                g.intoByteBuffer(zb, z0 + 2 * gate + at, ORDER);
                o.intoByteBuffer(zb, z0 + 3 * gate + at, ORDER);
                FloatVector cell = f.mul(load(pb, p0 + at)).add(i.mul(g));
                FloatVector tanhCell = tanh(cell);
                cell.intoByteBuffer(cb, c0 + at, ORDER);
                tanhCell.intoByteBuffer(tb, t0 + at, ORDER);
                o.mul(tanhCell).intoByteBuffer(hb, h0 + at, ORDER);
            }
            PlainKernels.lstmForward(z, bias, cPrev, c, tanhC, h, s, whole, units);
        }
    }

    private static void lstmBackwardFloat(Mat gates, Mat tanhC, Mat cPrev, Mat dy, Mat dhNext, Mat dcNext, Mat dz) {
        int units = dy.rows();
        int whole = FLOATS.loopBound(units);
        int lanes = FLOATS.length();
        int gate = units * Float.BYTES;
        ByteBuffer gb = gates.bytes();
        ByteBuffer tb = tanhC.bytes();
        ByteBuffer pb = cPrev.bytes();
        ByteBuffer yb = dy.bytes();
        ByteBuffer hb = dhNext.bytes();
        ByteBuffer cb = dcNext.bytes();
        ByteBuffer db = dz.bytes();
        FloatVector one = FloatVector.broadcast(FLOATS, 1f);
        for (int s = 0; s < dy.cols(); s++) {
            int g0 = gates.byteIndex(0, s);
            int t0 = tanhC.byteIndex(0, s);
            int p0 = cPrev.byteIndex(0, s);
            int y0 = dy.byteIndex(0, s);
            int h0 = dhNext.byteIndex(0, s);
            int c0 = dcNext.byteIndex(0, s);
            int d0 = dz.byteIndex(0, s);
            for (int j = 0; j < whole; j += lanes) {
                int at = j * Float.BYTES;
                FloatVector i = load(gb, g0 + at);
                FloatVector f = load(gb, g0 + gate + at);
                FloatVector g = load(gb, g0 + 2 * gate + at);
                FloatVector o = load(gb, g0 + 3 * gate + at);
                FloatVector tanhCell = load(tb, t0 + at);
                FloatVector dh = load(yb, y0 + at).add(load(hb, h0 + at));
                FloatVector dc = dh.mul(o).mul(one.sub(tanhCell.mul(tanhCell))).add(load(cb, c0 + at));
                dc.mul(f).intoByteBuffer(cb, c0 + at, ORDER);
                dc.mul(g).mul(i).mul(one.sub(i)).intoByteBuffer(db, d0 + at, ORDER);
                dc.mul(load(pb, p0 + at)).mul(f).mul(one.sub(f)).intoByteBuffer(db, d0 + gate + at, ORDER);
                dc.mul(i).mul(one.sub(g.mul(g))).intoByteBuffer(db, d0 + 2 * gate + at, ORDER);
                dh.mul(tanhCell).mul(o).mul(one.sub(o)).intoByteBuffer(db, d0 + 3 * gate + at, ORDER);
            }
            PlainKernels.lstmBackward(gates, tanhC, cPrev, dy, dhNext, dcNext, dz, s, whole, units);
        }
    }

    private static void lstmForwardDouble(Mat z, Mat bias, Mat cPrev, Mat c, Mat tanhC, Mat h) {
        int units = h.rows();
        int whole = DOUBLES.loopBound(units);
        int lanes = DOUBLES.length();
        int gate = units * Double.BYTES;
        ByteBuffer zb = z.bytes();
        ByteBuffer bb = bias.bytes();
        ByteBuffer pb = cPrev.bytes();
        ByteBuffer cb = c.bytes();
        ByteBuffer tb = tanhC.bytes();
        ByteBuffer hb = h.bytes();
        int b0 = bias.byteIndex(0, 0);
        for (int s = 0; s < h.cols(); s++) {
            int z0 = z.byteIndex(0, s);
            int p0 = cPrev.byteIndex(0, s);
            int c0 = c.byteIndex(0, s);
            int t0 = tanhC.byteIndex(0, s);
            int h0 = h.byteIndex(0, s);
            for (int j = 0; j < whole; j += lanes) {
                int at = j * Double.BYTES;
                DoubleVector i = sigmoid(loadD(zb, z0 + at).add(loadD(bb, b0 + at)));
                DoubleVector f = sigmoid(loadD(zb, z0 + gate + at).add(loadD(bb, b0 + gate + at)));
                DoubleVector g = tanh(loadD(zb, z0 + 2 * gate + at).add(loadD(bb, b0 + 2 * gate + at)));
                DoubleVector o = sigmoid(loadD(zb, z0 + 3 * gate + at).add(loadD(bb, b0 + 3 * gate + at)));
                i.intoByteBuffer(zb, z0 + at, ORDER);
                f.intoByteBuffer(zb, z0 + gate + at, ORDER);
                g.intoByteBuffer(zb, z0 + 2 * gate + at, ORDER);
                o.intoByteBuffer(zb, z0 + 3 * gate + at, ORDER);
                DoubleVector cell = f.mul(loadD(pb, p0 + at)).add(i.mul(g));
                DoubleVector tanhCell = tanh(cell);
                cell.intoByteBuffer(cb, c0 + at, ORDER);
                tanhCell.intoByteBuffer(tb, t0 + at, ORDER);
                o.mul(tanhCell).intoByteBuffer(hb, h0 + at, ORDER);
            }
            PlainKernels.lstmForward(z, bias, cPrev, c, tanhC, h, s, whole, units);
        }
    }

    private static void lstmBackwardDouble(Mat gates, Mat tanhC, Mat cPrev, Mat dy, Mat dhNext, Mat dcNext, Mat dz) {
        int units = dy.rows();
        int whole = DOUBLES.loopBound(units);
        int lanes = DOUBLES.length();
        int gate = units * Double.BYTES;
        ByteBuffer gb = gates.bytes();
        ByteBuffer tb = tanhC.bytes();
        ByteBuffer pb = cPrev.bytes();
        ByteBuffer yb = dy.bytes();
        ByteBuffer hb = dhNext.bytes();
        ByteBuffer cb = dcNext.bytes();
        ByteBuffer db = dz.bytes();
        DoubleVector one = DoubleVector.broadcast(DOUBLES, 1);
        for (int s = 0; s < dy.cols(); s++) {
            int g0 = gates.byteIndex(0, s);
            int t0 = tanhC.byteIndex(0, s);
            int p0 = cPrev.byteIndex(0, s);
            int y0 = dy.byteIndex(0, s);
            int h0 = dhNext.byteIndex(0, s);
            int c0 = dcNext.byteIndex(0, s);
            int d0 = dz.byteIndex(0, s);
            for (int j = 0; j < whole; j += lanes) {
                int at = j * Double.BYTES;
                DoubleVector i = loadD(gb, g0 + at);
                DoubleVector f = loadD(gb, g0 + gate + at);
                DoubleVector g = loadD(gb, g0 + 2 * gate + at);
                DoubleVector o = loadD(gb, g0 + 3 * gate + at);
                DoubleVector tanhCell = loadD(tb, t0 + at);
                DoubleVector dh = loadD(yb, y0 + at).add(loadD(hb, h0 + at));
                DoubleVector dc = dh.mul(o).mul(one.sub(tanhCell.mul(tanhCell))).add(loadD(cb, c0 + at));
                dc.mul(f).intoByteBuffer(cb, c0 + at, ORDER);
                dc.mul(g).mul(i).mul(one.sub(i)).intoByteBuffer(db, d0 + at, ORDER);
                dc.mul(loadD(pb, p0 + at)).mul(f).mul(one.sub(f)).intoByteBuffer(db, d0 + gate + at, ORDER);
                dc.mul(i).mul(one.sub(g.mul(g))).intoByteBuffer(db, d0 + 2 * gate + at, ORDER);
                dh.mul(tanhCell).mul(o).mul(one.sub(o)).intoByteBuffer(db, d0 + 3 * gate + at, ORDER);
            }
            PlainKernels.lstmBackward(gates, tanhC, cPrev, dy, dhNext, dcNext, dz, s, whole, units);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Dropout masks

    private static final VectorSpecies<Long> LONGS = LongVector.SPECIES_PREFERRED;
    /** k·γ for lane k: the lanes' offsets from a chunk's first draw. */
    private static final LongVector LANE_STEPS = laneSteps();

    private static LongVector laneSteps() {
        long[] steps = new long[LONGS.length()];
        for (int k = 0; k < steps.length; k++) {
            steps[k] = k * Rng.GAMMA;
        }
        return LongVector.fromArray(LONGS, steps, 0);
    }

    @Override
    public void sampleMask(Mat mask, long threshold, double kept, Rng rng) {
        // One long lane gives two float lanes: only when the shapes pair up, for float masks.
        if (mask.dataType() != DataType.FLOAT || !inBuffers(mask) || threshold >= 1L << 32
                || LONGS.length() * 2 != FLOATS.length()) {
            plain.sampleMask(mask, threshold, kept, rng);
            return;
        }
        long n = (long) mask.rows() * mask.cols();
        long draws = (n + 1) / 2;
        long before = rng.skip(draws);
        ByteBuffer mb = mask.bytes();
        int m0 = mask.byteIndex(0, 0);
        // unsigned u ≥ threshold ⇔ signed (u ^ 2^31) ≥ (threshold ^ 2^31)
        int flippedThreshold = (int) threshold ^ Integer.MIN_VALUE;
        FloatVector keptLanes = FloatVector.broadcast(FLOATS, (float) kept);
        FloatVector zero = FloatVector.zero(FLOATS);
        long wholeDraws = n / FLOATS.length() * LONGS.length();
        for (long k = 0; k < wholeDraws; k += LONGS.length()) {
            // draw k + 1 + lane, SplitMix64's mix in every lane
            LongVector z = LANE_STEPS.add(before + (k + 1) * Rng.GAMMA);
            z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 30)).mul(0xbf58476d1ce4e5b9L);
            z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 27)).mul(0x94d049bb133111ebL);
            z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 31));
            // high half first, as the scalar loop takes them: swap the halves, then read as ints
            IntVector halves = (IntVector) z.lanewise(VectorOperators.ROR, 32).reinterpretAsInts();
            VectorMask<Float> keep = halves.lanewise(VectorOperators.XOR, Integer.MIN_VALUE)
                    .compare(VectorOperators.GE, flippedThreshold).cast(FLOATS);
            zero.blend(keptLanes, keep).intoByteBuffer(mb, m0 + (int) (2 * k) * Float.BYTES, ORDER);
        }
        for (long k = wholeDraws; k < draws; k++) {
            long bits = Rng.mix(before + (k + 1) * Rng.GAMMA);
            mask.setLinear(2 * k, kept * Dropouts.keepBit(bits >>> 32, threshold));
            if (2 * k + 1 < n) {
                mask.setLinear(2 * k + 1, kept * Dropouts.keepBit(bits & 0xffffffffL, threshold));
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Columns

    @Override
    public void scaleColumn(Mat dst, int dstCol, Mat src, int srcCol, double factor, boolean add) {
        if (!inBuffers(dst, src)) {
            plain.scaleColumn(dst, dstCol, src, srcCol, factor, add);
            return;
        }
        int rows = dst.rows();
        ByteBuffer db = dst.bytes();
        ByteBuffer sb = src.bytes();
        int d0 = dst.byteIndex(0, dstCol);
        int s0 = src.byteIndex(0, srcCol);
        int whole;
        if (dst.dataType() == DataType.FLOAT) {
            whole = FLOATS.loopBound(rows);
            float f = (float) factor;
            for (int r = 0; r < whole; r += FLOATS.length()) {
                int at = r * Float.BYTES;
                FloatVector v = load(sb, s0 + at).mul(f);
                (add ? load(db, d0 + at).add(v) : v).intoByteBuffer(db, d0 + at, ORDER);
            }
        } else {
            whole = DOUBLES.loopBound(rows);
            for (int r = 0; r < whole; r += DOUBLES.length()) {
                int at = r * Double.BYTES;
                DoubleVector v = loadD(sb, s0 + at).mul(factor);
                (add ? loadD(db, d0 + at).add(v) : v).intoByteBuffer(db, d0 + at, ORDER);
            }
        }
        PlainKernels.scaleColumn(dst, dstCol, src, srcCol, factor, add, whole, rows);
    }

    // ---------------------------------------------------------------------------------------------
    // Softmax over each column

    @Override
    public void addBiasAndSoftmax(Mat logits, Mat bias, Mat probabilitySums) {
        if (!inBuffers(logits, bias)) {
            plain.addBiasAndSoftmax(logits, bias, probabilitySums);
            return;
        }
        int rows = logits.rows();
        boolean isFloat = logits.dataType() == DataType.FLOAT;
        // Columns are independent: split them over the cores; each part sums its own probabilities.
        int parts = (int) Math.max(1, Math.min(THREADS, (long) rows * logits.cols() / (1 << 16)));
        double[][] partSums = probabilitySums == null ? null : new double[parts][rows];
        Parallel.forEachPart(parts, part -> {
            int from = (int) ((long) logits.cols() * part / parts);
            int to = (int) ((long) logits.cols() * (part + 1) / parts);
            double[] sums = partSums == null ? null : partSums[part];
            if (isFloat) {
                softmaxFloat(logits, bias, from, to, sums);
            } else {
                softmaxDouble(logits, bias, from, to, sums);
            }
        });
        if (partSums != null) {
            for (int r = 0; r < rows; r++) {
                double sum = 0;
                for (double[] sums : partSums) {
                    sum += sums[r];
                }
                probabilitySums.set(r, 0, probabilitySums.get(r, 0) + sum);
            }
        }
    }

    /** Columns [from, to): a = logits + bias, p = exp(a − max a) / Σ exp(a − max a); sums[r] += p[r] when asked. */
    private static void softmaxFloat(Mat logits, Mat bias, int from, int to, double[] sums) {
        int rows = logits.rows();
        int whole = FLOATS.loopBound(rows);
        int lanes = FLOATS.length();
        ByteBuffer ab = logits.bytes();
        ByteBuffer bb = bias.bytes();
        int b0 = bias.byteIndex(0, 0);
        float[] partial = sums == null ? null : new float[rows];
        for (int col = from; col < to; col++) {
            int a0 = logits.byteIndex(0, col);
            FloatVector maxima = FloatVector.broadcast(FLOATS, Float.NEGATIVE_INFINITY);
            for (int r = 0; r < whole; r += lanes) {
                int at = r * Float.BYTES;
                FloatVector a = load(ab, a0 + at).add(load(bb, b0 + at));
                a.intoByteBuffer(ab, a0 + at, ORDER);
                maxima = maxima.max(a);
            }
            double max = maxima.reduceLanes(VectorOperators.MAX);
            for (int r = whole; r < rows; r++) {
                double a = logits.get(r, col) + bias.get(r, 0);
                logits.set(r, col, a);
                max = Math.max(max, a);
            }
            FloatVector shift = FloatVector.broadcast(FLOATS, (float) max);
            FloatVector total = FloatVector.zero(FLOATS);
            for (int r = 0; r < whole; r += lanes) {
                int at = r * Float.BYTES;
                FloatVector e = exp(load(ab, a0 + at).sub(shift));
                e.intoByteBuffer(ab, a0 + at, ORDER);
                total = total.add(e);
            }
            double sum = sumLanes(total);
            for (int r = whole; r < rows; r++) {
                double e = Math.exp(logits.get(r, col) - max);
                logits.set(r, col, e);
                sum += e;
            }
            FloatVector scale = FloatVector.broadcast(FLOATS, (float) (1 / sum));
            for (int r = 0; r < whole; r += lanes) {
                int at = r * Float.BYTES;
                FloatVector p = load(ab, a0 + at).mul(scale);
                p.intoByteBuffer(ab, a0 + at, ORDER);
                if (partial != null) {
                    FloatVector.fromArray(FLOATS, partial, r).add(p).intoArray(partial, r);
                }
            }
            for (int r = whole; r < rows; r++) {
                double p = logits.get(r, col) / sum;
                logits.set(r, col, p);
                if (partial != null) {
                    partial[r] += (float) p;
                }
            }
        }
        if (partial != null) {
            for (int r = 0; r < rows; r++) {
                sums[r] += partial[r];
            }
        }
    }

    private static void softmaxDouble(Mat logits, Mat bias, int from, int to, double[] sums) {
        int rows = logits.rows();
        int whole = DOUBLES.loopBound(rows);
        int lanes = DOUBLES.length();
        ByteBuffer ab = logits.bytes();
        ByteBuffer bb = bias.bytes();
        int b0 = bias.byteIndex(0, 0);
        for (int col = from; col < to; col++) {
            int a0 = logits.byteIndex(0, col);
            DoubleVector maxima = DoubleVector.broadcast(DOUBLES, Double.NEGATIVE_INFINITY);
            for (int r = 0; r < whole; r += lanes) {
                int at = r * Double.BYTES;
                DoubleVector a = loadD(ab, a0 + at).add(loadD(bb, b0 + at));
                a.intoByteBuffer(ab, a0 + at, ORDER);
                maxima = maxima.max(a);
            }
            double max = maxima.reduceLanes(VectorOperators.MAX);
            for (int r = whole; r < rows; r++) {
                double a = logits.get(r, col) + bias.get(r, 0);
                logits.set(r, col, a);
                max = Math.max(max, a);
            }
            DoubleVector shift = DoubleVector.broadcast(DOUBLES, max);
            DoubleVector total = DoubleVector.zero(DOUBLES);
            for (int r = 0; r < whole; r += lanes) {
                int at = r * Double.BYTES;
                DoubleVector e = exp(loadD(ab, a0 + at).sub(shift));
                e.intoByteBuffer(ab, a0 + at, ORDER);
                total = total.add(e);
            }
            double sum = sumLanes(total);
            for (int r = whole; r < rows; r++) {
                double e = Math.exp(logits.get(r, col) - max);
                logits.set(r, col, e);
                sum += e;
            }
            DoubleVector scale = DoubleVector.broadcast(DOUBLES, 1 / sum);
            for (int r = 0; r < whole; r += lanes) {
                int at = r * Double.BYTES;
                DoubleVector p = loadD(ab, a0 + at).mul(scale);
                p.intoByteBuffer(ab, a0 + at, ORDER);
                if (sums != null) {
                    DoubleVector.fromArray(DOUBLES, sums, r).add(p).intoArray(sums, r);
                }
            }
            for (int r = whole; r < rows; r++) {
                double p = logits.get(r, col) / sum;
                logits.set(r, col, p);
                if (sums != null) {
                    sums[r] += p;
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------

    private static FloatVector load(ByteBuffer buffer, int byteIndex) {
        return FloatVector.fromByteBuffer(FLOATS, buffer, byteIndex, ORDER);
    }

    private static DoubleVector loadD(ByteBuffer buffer, int byteIndex) {
        return DoubleVector.fromByteBuffer(DOUBLES, buffer, byteIndex, ORDER);
    }

    // ---------------------------------------------------------------------------------------------
    // exp, σ and tanh from additions, multiplications and bit shifts only. The incubator's EXP and
    // TANH are faster still, but their results depend on whether the JIT has compiled the loop yet
    // (intrinsic or Java fallback), and a run must not depend on that; IEEE +, ×, fma and bit moves
    // give the same bits either way.

    /** 1.5 · 2^23: adding it rounds a float to an integer, kept in the low bits of the mantissa. */
    private static final float ROUND_F = 0x1.8p23f;
    private static final int ROUND_F_BITS = Float.floatToRawIntBits(ROUND_F);
    private static final double ROUND_D = 0x1.8p52;
    private static final long ROUND_D_BITS = Double.doubleToRawLongBits(ROUND_D);

    /**
     * e^x = 2^n · e^r with n = round(x / ln 2) and r = x − n ln 2 (ln 2 in two parts, Cody and Waite),
     * |r| ≤ ln 2 / 2, and e^r by its Taylor polynomial of degree 7 (truncation error below 10⁻⁸);
     * x is clamped to [−87, 88], where 2^n stays a normal float.
     */
    static FloatVector exp(FloatVector x) {
        x = x.max(-87f).min(88f);
        FloatVector t = x.fma(1.44269504f, ROUND_F);
        FloatVector n = t.sub(ROUND_F);
        FloatVector r = x.sub(n.mul(0.693359375f));
        r = r.add(n.mul(2.12194440e-4f));
        FloatVector p = r.fma(1f / 5040, 1f / 720); // 1/7! r + 1/6!
        p = p.fma(r, FloatVector.broadcast(FLOATS, 1f / 120));
        p = p.fma(r, FloatVector.broadcast(FLOATS, 1f / 24));
        p = p.fma(r, FloatVector.broadcast(FLOATS, 1f / 6));
        p = p.fma(r, FloatVector.broadcast(FLOATS, 0.5f));
        p = p.fma(r, FloatVector.broadcast(FLOATS, 1f));
        p = p.fma(r, FloatVector.broadcast(FLOATS, 1f));
        FloatVector twoToN = ((jdk.incubator.vector.IntVector) t.reinterpretAsInts()).sub(ROUND_F_BITS - 127)
                .lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return p.mul(twoToN);
    }

    /** e^x as for floats, with the Taylor polynomial of degree 13 (error below 10⁻¹⁷), x in [−708, 709]. */
    static DoubleVector exp(DoubleVector x) {
        x = x.max(-708).min(709);
        DoubleVector t = x.fma(1.4426950408889634, ROUND_D);
        DoubleVector n = t.sub(ROUND_D);
        DoubleVector r = x.sub(n.mul(0.6931471803691238));
        r = r.sub(n.mul(1.9082149292705877e-10));
        DoubleVector p = DoubleVector.broadcast(DOUBLES, 1.0 / FACTORIALS[13]);
        for (int k = 12; k >= 0; k--) {
            p = p.fma(r, DoubleVector.broadcast(DOUBLES, 1.0 / FACTORIALS[k]));
        }
        DoubleVector twoToN = ((jdk.incubator.vector.LongVector) t.reinterpretAsLongs()).sub(ROUND_D_BITS - 1023)
                .lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
        return p.mul(twoToN);
    }

    private static final double[] FACTORIALS = factorials(13);

    private static double[] factorials(int n) {
        double[] f = new double[n + 1];
        f[0] = 1;
        for (int k = 1; k <= n; k++) {
            f[k] = f[k - 1] * k;
        }
        return f;
    }

    /** σ(x) = 1 / (1 + e^{−x}), lane by lane. */
    static FloatVector sigmoid(FloatVector x) {
        FloatVector one = FloatVector.broadcast(FLOATS, 1f);
        return one.div(exp(x.neg()).add(one));
    }

    static DoubleVector sigmoid(DoubleVector x) {
        DoubleVector one = DoubleVector.broadcast(DOUBLES, 1);
        return one.div(exp(x.neg()).add(one));
    }

    /** tanh(x) = 1 − 2 / (e^{2x} + 1), as {@link Elementwise#tanh}. */
    static FloatVector tanh(FloatVector x) {
        FloatVector one = FloatVector.broadcast(FLOATS, 1f);
        return one.sub(FloatVector.broadcast(FLOATS, 2f).div(exp(x.add(x)).add(one)));
    }

    static DoubleVector tanh(DoubleVector x) {
        DoubleVector one = DoubleVector.broadcast(DOUBLES, 1);
        return one.sub(DoubleVector.broadcast(DOUBLES, 2).div(exp(x.add(x)).add(one)));
    }

    /** The sum of the lanes in lane order (the incubator's ADD reduction may change its order when compiled). */
    private static double sumLanes(FloatVector v) {
        float[] lanes = v.toArray();
        double sum = 0;
        for (float lane : lanes) {
            sum += lane;
        }
        return sum;
    }

    private static double sumLanes(DoubleVector v) {
        double[] lanes = v.toArray();
        double sum = 0;
        for (double lane : lanes) {
            sum += lane;
        }
        return sum;
    }
}
