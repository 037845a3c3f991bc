package dev.vdrop.runtime.internal;

import dev.vdrop.runtime.Mat;

/**
 * A step product's matrix: U, or U' = U ⊙ M under a weight-drop mask. The panels apply M while
 * they lay U out; BLAS needs U' whole, which {@link #whole()} makes once per load into a buffer of
 * its own, kept for the next loads of the same shape.
 */
final class MaskedWeights implements AutoCloseable {
    private Mat source;
    private Mat mask;
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
        this.productReady = false;
    }

    Mat source() {
        return source;
    }

    /** The mask, or null. */
    Mat mask() {
        return mask;
    }

    /** U' as one matrix: the source itself without a mask, else U ⊙ M (made at the first call after {@link #set}). */
    Mat whole() {
        if (mask == null) {
            return source;
        }
        if (!productReady) {
            if (product == null || product.rows() != source.rows() || product.cols() != source.cols()
                    || product.dataType() != source.dataType()) {
                close();
                product = Mat.zeros(source.dataType(), source.rows(), source.cols());
            }
            Elementwise.multiply(product, source, mask);
            productReady = true;
        }
        return product;
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
