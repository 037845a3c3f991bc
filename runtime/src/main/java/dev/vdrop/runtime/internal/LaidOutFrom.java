package dev.vdrop.runtime.internal;

import dev.vdrop.runtime.Mat;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * What a {@link SampleWeights}' blocks were last laid out from: the matrix U, a copy of its
 * values, and each block's mask stream. A load from the same matrix holding the same values, under
 * equal streams, would lay out the same U'_g again, so the layouts are kept: MC prediction over
 * many batches with one seed draws the same K masks for every batch (they are keyed by the sample,
 * not the example) and lays them out once. A changed value of U (a training step, a restore) or
 * another seed or sample lays out again. Reading U's values to compare costs one copy of U per load,
 * against drawing and laying out G masks of U's size.
 */
final class LaidOutFrom {
    private final Mat source;
    private final WeightMaskStream[] masks;
    private final Object values;

    private LaidOutFrom(Mat source, WeightMaskStream[] masks, Object values) {
        this.source = source;
        this.masks = masks;
        this.values = values;
    }

    /** What the products are being laid out from now. */
    static LaidOutFrom of(Mat source, WeightMaskStream[] masks) {
        return new LaidOutFrom(source, masks.clone(), values(source));
    }

    /** Whether {@code source} is the same matrix, still holding the same values, and the masks are equal. */
    boolean matches(Mat source, WeightMaskStream[] masks) {
        if (source != this.source || !Arrays.equals(masks, this.masks)) {
            return false;
        }
        Object now = values(source);
        return now instanceof float[] f ? Arrays.equals(f, (float[]) values) : Arrays.equals((double[]) now, (double[]) values);
    }

    /** The values column by column: float32 as float[], float64 as double[]. */
    private static Object values(Mat m) {
        int rows = m.rows();
        int cols = m.cols();
        boolean isFloat = m.dataType() == DataType.FLOAT;
        if (m.bytes() != null && m.isContiguous()) {
            int n = rows * cols;
            if (isFloat) {
                float[] f = new float[n];
                m.floats().get(m.index(0, 0), f, 0, n);
                return f;
            }
            double[] d = new double[n];
            m.doubles().get(m.index(0, 0), d, 0, n);
            return d;
        }
        float[] f = isFloat ? new float[rows * cols] : null;
        double[] d = isFloat ? null : new double[rows * cols];
        for (int c = 0; c < cols; c++) {
            for (int r = 0; r < rows; r++) {
                if (isFloat) {
                    f[c * rows + r] = (float) m.get(r, c);
                } else {
                    d[c * rows + r] = m.get(r, c);
                }
            }
        }
        return isFloat ? f : d;
    }
}
