package dev.vdrop.runtime;

import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * How a generated network is built: the data type it computes in, the seed of its
 * initialisation, and the scale of its uniform initial weights. Immutable; make one with
 * {@link #builder()}.
 *
 * <pre>
 * MobyLmNetwork net = new MobyLmNetwork(NetworkConfig.builder().seed(1).initScale(0.1).build());
 * </pre>
 */
public final class NetworkConfig {
    private final DataType dataType;
    private final long seed;
    private final double initScale;

    private NetworkConfig(Builder builder) {
        this.dataType = builder.dataType;
        this.seed = builder.seed;
        this.initScale = builder.initScale;
    }

    /** {@return a builder with the defaults: FLOAT, seed 1, initial scale 0.1} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return the data type: FLOAT (the default, for training) or DOUBLE (for gradient checks)} */
    public DataType dataType() {
        return dataType;
    }

    /** {@return the seed of the initial weights} */
    public long seed() {
        return seed;
    }

    /** {@return the scale of the initial weights: uniform in [−initScale, initScale]; biases start at zero} */
    public double initScale() {
        return initScale;
    }

    @Override
    public String toString() {
        return "NetworkConfig[dataType=" + dataType + ", seed=" + seed + ", initScale=" + initScale + "]";
    }

    /** Builds a {@link NetworkConfig}; every setting has a default. */
    public static final class Builder {
        private DataType dataType = DataType.FLOAT;
        private long seed = 1;
        private double initScale = 0.1;

        private Builder() {}

        /**
         * Sets the data type the network computes in.
         *
         * @param dataType FLOAT (the default, for training) or DOUBLE (for gradient checks)
         * @return this builder
         */
        public Builder dataType(DataType dataType) {
            this.dataType = Objects.requireNonNull(dataType, "dataType");
            return this;
        }

        /**
         * Sets the seed of the initial weights.
         *
         * @param seed the seed; default 1
         * @return this builder
         */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Sets the scale of the initial weights, drawn uniform in [−initScale, initScale].
         *
         * @param initScale a finite number ≥ 0; default 0.1
         * @return this builder
         */
        public Builder initScale(double initScale) {
            this.initScale = initScale;
            return this;
        }

        /**
         * Checks the settings and builds the configuration.
         *
         * @return the configuration
         * @throws IllegalArgumentException for a data type other than FLOAT or DOUBLE, or a bad scale
         */
        public NetworkConfig build() {
            if (dataType != DataType.FLOAT && dataType != DataType.DOUBLE) {
                throw new IllegalArgumentException("vdrop computes in FLOAT or DOUBLE, not " + dataType);
            }
            if (!(initScale >= 0) || Double.isInfinite(initScale)) {
                throw new IllegalArgumentException("initScale must be a finite number ≥ 0, got " + initScale);
            }
            return new NetworkConfig(this);
        }
    }
}
