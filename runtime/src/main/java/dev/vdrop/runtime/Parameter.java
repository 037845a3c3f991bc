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

    public Mat gradient() {
        return gradient;
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
