package dev.vdrop.runtime.internal;

import dev.vdrop.runtime.Mat;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A step product's matrix: U, or U' = U ⊙ M under a weight-drop mask — M a matrix, or one
 * sample's {@link WeightMaskStream} (MC samples in one pass). The panels apply M while they lay U
 * out; BLAS needs U' whole, which {@link #whole()} makes once per load into a buffer of its own,
 * kept for the next loads of the same shape.
 */
final class MaskedWeights implements AutoCloseable {
    private Mat source;
    private Mat mask;
    private WeightMaskStream stream;
    private Mat product;
    private boolean productReady;

    /** Uses {@code source}, times {@code mask} element by element unless it is null. */
    void set(Mat source, Mat mask) {
        if (mask != null && (mask.rows() != source.rows() || mask.cols() != source.cols()
                || mask.dataType() != source.dataType())) {
            throw new IllegalArgumentException("a weight-drop mask of " + mask.shape() + " " + mask.dataType()
                    + " does not fit " + source.shape() + " " + source.dataType());
        }
        this.source = source;
        this.mask = mask;
        this.stream = null;
        this.productReady = false;
    }

    /** Uses {@code source} times the mask of {@code stream}, element by element. */
    void set(Mat source, WeightMaskStream stream) {
        this.source = source;
        this.mask = null;
        this.stream = stream;
        this.productReady = false;
    }

    Mat source() {
        return source;
    }

    /** The mask as a matrix, or null (no mask, or a stream). */
    Mat mask() {
        return mask;
    }

    /** The mask as a stream, or null (no mask, or a matrix). */
    WeightMaskStream stream() {
        return stream;
    }

    /**
     * Column {@code col}'s elements {@code row … row + count − 1} of M into {@code to} from
     * {@code at}, from the matrix or the stream (element (r, c) of the stream is r + c · rows).
     */
    void readMask(int row, int col, int count, float[] to, int at) {
        if (stream != null) {
            stream.fill(to, at, count, (long) col * source.rows() + row);
        } else {
            mask.floats().get(mask.index(row, col), to, at, count);
        }
    }

    /** The float64 twin of {@link #readMask(int, int, int, float[], int)}. */
    void readMask(int row, int col, int count, double[] to, int at) {
        if (stream != null) {
            stream.fill(to, at, count, (long) col * source.rows() + row);
        } else {
            mask.doubles().get(mask.index(row, col), to, at, count);
        }
    }

    /** Whether there is a mask, as a matrix or a stream. */
    boolean masked() {
        return mask != null || stream != null;
    }

    /** U' as one matrix: the source itself without a mask, else U ⊙ M (made at the first call after {@link #set}). */
    Mat whole() {
        if (!masked()) {
            return source;
        }
        if (!productReady) {
            if (product == null || product.rows() != source.rows() || product.cols() != source.cols()
                    || product.dataType() != source.dataType()) {
                close();
                product = Mat.zeros(source.dataType(), source.rows(), source.cols());
            }
            if (mask != null) {
                Elementwise.multiply(product, source, mask);
            } else {
                multiplyByStream();
            }
            productReady = true;
        }
        return product;
    }

    /** product = source ⊙ M from the stream, column by column: the same products as with M in a matrix. */
    private void multiplyByStream() {
        int rows = source.rows();
        if (source.bytes() == null || product.bytes() == null) {
            // outside int-indexed buffers: element by element, in the source's precision
            boolean isFloat = source.dataType() == DataType.FLOAT;
            float[] mf = new float[rows];
            double[] m = new double[rows];
            for (int c = 0; c < source.cols(); c++) {
                stream.fill(mf, 0, rows, (long) c * rows);
                stream.fill(m, 0, rows, (long) c * rows);
                for (int r = 0; r < rows; r++) {
                    product.set(r, c, isFloat ? (float) source.get(r, c) * mf[r] : source.get(r, c) * m[r]);
                }
            }
            return;
        }
        if (source.dataType() == DataType.FLOAT) {
            float[] u = new float[rows];
            float[] m = new float[rows];
            FloatBuffer from = source.floats();
            FloatBuffer to = product.floats();
            for (int c = 0; c < source.cols(); c++) {
                from.get(source.index(0, c), u, 0, rows);
                stream.fill(m, 0, rows, (long) c * rows);
                for (int r = 0; r < rows; r++) {
                    u[r] *= m[r];
                }
                to.put(product.index(0, c), u, 0, rows);
            }
        } else {
            double[] u = new double[rows];
            double[] m = new double[rows];
            DoubleBuffer from = source.doubles();
            DoubleBuffer to = product.doubles();
            for (int c = 0; c < source.cols(); c++) {
                from.get(source.index(0, c), u, 0, rows);
                stream.fill(m, 0, rows, (long) c * rows);
                for (int r = 0; r < rows; r++) {
                    u[r] *= m[r];
                }
                to.put(product.index(0, c), u, 0, rows);
            }
        }
    }

    /** Frees the buffer of U ⊙ M, if one was made. */
    @Override
    public void close() {
        if (product != null) {
            product.close();
            product = null;
            productReady = false;
        }
    }
}
