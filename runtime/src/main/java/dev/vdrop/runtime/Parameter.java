package dev.vdrop.runtime;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One parameter tensor of a network and its gradient buffer, which the backward pass fills and
 * an optimiser reads. Vectors are stored as one-column matrices.
 */
public final class Parameter {
    private final String name;
    private final Mat value;
    private final Mat gradient;
    /** Set by {@link #zeroGradient()}: the buffer is to be read as zeros and not cleared yet. */
    private boolean gradientZeroPending;

    /** A parameter named like {@code lstm1.W}, with a zero gradient of the same shape. */
    public Parameter(String name, Mat value) {
        this.name = name;
        this.value = value;
        this.gradient = Mat.zeros(value.dataType(), value.rows(), value.cols());
    }

    public String name() {
        return name;
    }

    public Mat value() {
        return value;
    }

    /** The gradient buffer, zeros after {@link #zeroGradient()} until something is added. */
    public Mat gradient() {
        if (gradientZeroPending) {
            gradient.zero();
            gradientZeroPending = false;
        }
        return gradient;
    }

    /**
     * Makes the gradient zero. The buffer is cleared when it is next asked for, unless the first
     * writer overwrites it whole (see {@link #gradientBeta()}): most gradients are a product that
     * can write instead of add, and clearing them all took 3% of a MEDIUM training step.
     */
    public void zeroGradient() {
        gradientZeroPending = true;
    }

    /**
     * The β for a product that accumulates into the whole gradient, {@code G ← α A B + β G}: 0 right
     * after {@link #zeroGradient()} (the product overwrites the buffer, no clearing needed) and 1
     * once anything was added. Call it only for a write that covers every element, and before
     * {@link #gradient()} in the same call: {@code Blas.gemm(…, p.gradientBeta(), p.gradient())}.
     */
    public double gradientBeta() {
        if (gradientZeroPending) {
            gradientZeroPending = false;
            return 0;
        }
        return 1;
    }

    public long size() {
        return (long) value.rows() * value.cols();
    }

    /** The values as an f-order INDArray sharing the parameter's memory. */
    public INDArray array() {
        return value.asINDArray();
    }

    /** Fills the values uniformly from [−scale, scale]. */
    public void initUniform(Rng rng, double scale) {
        for (int c = 0; c < value.cols(); c++) {
            for (int r = 0; r < value.rows(); r++) {
                value.set(r, c, rng.uniform(-scale, scale));
            }
        }
    }

    @Override
    public String toString() {
        return name + " " + value.shape();
    }
}
