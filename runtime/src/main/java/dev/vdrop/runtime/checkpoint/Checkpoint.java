package dev.vdrop.runtime.checkpoint;

import dev.vdrop.runtime.Mat;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a checkpoint holds: free-form metadata, a vocabulary and named groups of named tensors.
 *
 * <ul>
 *   <li>{@link #metadata()}: strings by key, in the order they were put — whatever a resumed run
 *       needs, such as the model class, the network and training configuration, the epoch, the
 *       {@link dev.vdrop.runtime.Rng#state() RNG state} and the learning rate. Read them back with
 *       {@link #require}, {@link #requireLong} or {@link #requireDouble}.
 *   <li>{@link #vocabulary()}: the words of a language model, in id order; empty for others.
 *   <li>{@link #tensors()}: groups such as {@code "parameters"} ({@code lstm1.W → Mat}, …),
 *       {@code "optimizer"} ({@code sgd.average.lstm1.W → Mat}, …) and {@code "best"}. Each tensor
 *       keeps its data type, FLOAT or DOUBLE.
 * </ul>
 *
 * <p>A {@code Checkpoint} is immutable: its maps and lists cannot be changed. The matrices are
 * held, not copied — a checkpoint that is built to be saved costs no extra memory. So pass
 * matrices that nobody changes until the checkpoint is saved: save right after building, or build
 * from {@link Checkpoints#snapshot} copies. A loaded checkpoint's matrices are its own.
 *
 * <p>Building one by hand (example {@code Checkpoint.builder}, compiled and run by
 * {@code dev.vdrop.checks.ExamplesTest}, which checks that this is the code it runs):
 * <pre>{@code
 * Checkpoint c = Checkpoint.builder()
 *         .metadata("model", network.getClass().getName())
 *         .metadata("epoch", Integer.toString(epoch))
 *         .metadata("rng_state", Long.toString(rng.state()))
 *         .vocabulary(vocabulary.words())
 *         .tensors("parameters", Checkpoints.snapshot(network.parameters()))
 *         .build();
 * Checkpoints.save(file, c);
 * }</pre>
 * A checkpoint is training state, for resuming; to keep a trained network for prediction, save a
 * {@link dev.vdrop.runtime.model.ModelFile} instead.
 *
 * <p>Two checkpoints are equal when their version, metadata, vocabulary, groups and tensor names
 * are equal and every tensor has the same data type, shape and bits.
 */
public final class Checkpoint {
    /** The format version this vdrop writes and reads. */
    public static final int FORMAT_VERSION = Format.VERSION;

    private final int version;
    private final Map<String, String> metadata;
    private final List<String> vocabulary;
    private final Map<String, Map<String, Mat>> tensors;

    private Checkpoint(Builder b) {
        this.version = b.version;
        this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(b.metadata));
        this.vocabulary = List.copyOf(b.vocabulary);
        Map<String, Map<String, Mat>> groups = new LinkedHashMap<>();
        b.tensors.forEach((group, named) -> groups.put(group, Collections.unmodifiableMap(new LinkedHashMap<>(named))));
        this.tensors = Collections.unmodifiableMap(groups);
    }

    /** {@return a builder with no metadata, no vocabulary and no tensors} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return the format version, {@value #FORMAT_VERSION} for every checkpoint this vdrop builds or reads} */
    public int version() {
        return version;
    }

    /** {@return the metadata in the order it was put; unmodifiable} */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** {@return the vocabulary in id order, possibly empty; unmodifiable} */
    public List<String> vocabulary() {
        return vocabulary;
    }

    /** {@return the tensor groups, each a map from tensor name to matrix, in the order they were given; unmodifiable} */
    public Map<String, Map<String, Mat>> tensors() {
        return tensors;
    }

    /**
     * The metadata value of {@code key}.
     *
     * @param key the metadata key
     * @return its value
     * @throws CheckpointException if there is none, naming the key and the keys there are
     */
    public String require(String key) throws CheckpointException {
        String value = metadata.get(key);
        if (value == null) {
            throw new CheckpointException(Messages.noMetadata(key, metadata.keySet()));
        }
        return value;
    }

    /**
     * The metadata value of {@code key} as a {@code long}, as written by {@link Long#toString(long)}
     * (an {@link dev.vdrop.runtime.Rng#state() RNG state}, a step count).
     *
     * @param key the metadata key
     * @return its value as a whole number
     * @throws CheckpointException if there is none or it is not a whole number
     */
    public long requireLong(String key) throws CheckpointException {
        String value = require(key);
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new CheckpointException(Messages.notANumber(key, value, "a whole number"), e);
        }
    }

    /**
     * The metadata value of {@code key} as a {@code double}, as written by
     * {@link Double#toString(double)}, which gives back exactly the same double (a learning rate).
     *
     * @param key the metadata key
     * @return its value as a number
     * @throws CheckpointException if there is none or it is not a number
     */
    public double requireDouble(String key) throws CheckpointException {
        String value = require(key);
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new CheckpointException(Messages.notANumber(key, value, "a number"), e);
        }
    }

    /**
     * The tensors of one group, such as {@code "parameters"}.
     *
     * @param group the group's name
     * @return its tensors by name, in saved order
     * @throws CheckpointException if the checkpoint has no such group, naming the groups it has
     */
    public Map<String, Mat> requireGroup(String group) throws CheckpointException {
        Map<String, Mat> named = tensors.get(group);
        if (named == null) {
            throw new CheckpointException(Messages.noGroup(group, tensors.keySet()));
        }
        return named;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Checkpoint other)) {
            return false;
        }
        if (version != other.version || !metadata.equals(other.metadata) || !vocabulary.equals(other.vocabulary)
                || !tensors.keySet().equals(other.tensors.keySet())) {
            return false;
        }
        for (Map.Entry<String, Map<String, Mat>> group : tensors.entrySet()) {
            Map<String, Mat> mine = group.getValue();
            Map<String, Mat> theirs = other.tensors.get(group.getKey());
            if (!mine.keySet().equals(theirs.keySet())) {
                return false;
            }
            for (Map.Entry<String, Mat> tensor : mine.entrySet()) {
                if (!sameBits(tensor.getValue(), theirs.get(tensor.getKey()))) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Same data type, shape and raw bits, so NaN equals the same NaN and 0.0 differs from −0.0. */
    static boolean sameBits(Mat a, Mat b) {
        if (a.dataType() != b.dataType() || a.rows() != b.rows() || a.cols() != b.cols()) {
            return false;
        }
        boolean single = Format.bytesPer(a.dataType()) == Float.BYTES;
        for (int c = 0; c < a.cols(); c++) {
            for (int r = 0; r < a.rows(); r++) {
                boolean same = single
                        ? Float.floatToRawIntBits((float) a.get(r, c)) == Float.floatToRawIntBits((float) b.get(r, c))
                        : Double.doubleToRawLongBits(a.get(r, c)) == Double.doubleToRawLongBits(b.get(r, c));
                if (!same) {
                    return false;
                }
            }
        }
        return true;
    }

    /** From the version, metadata, vocabulary and tensor names and shapes, not the values. */
    @Override
    public int hashCode() {
        int h = Objects.hash(version, metadata, vocabulary);
        for (Map.Entry<String, Map<String, Mat>> group : tensors.entrySet()) {
            for (Map.Entry<String, Mat> tensor : group.getValue().entrySet()) {
                Mat m = tensor.getValue();
                h += Objects.hash(group.getKey(), tensor.getKey(), m.dataType(), m.rows(), m.cols());
            }
        }
        return h;
    }

    /** A summary: {@code Checkpoint[version 1, metadata [model, epoch], 10000 words, parameters: 7 tensors, 4.6M values]}. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("Checkpoint[version ").append(version)
                .append(", metadata ").append(metadata.keySet())
                .append(", ").append(vocabulary.size()).append(vocabulary.size() == 1 ? " word" : " words");
        tensors.forEach((group, named) -> {
            long values = 0;
            for (Mat m : named.values()) {
                values += (long) m.rows() * m.cols();
            }
            s.append(", ").append(group).append(": ").append(named.size())
                    .append(named.size() == 1 ? " tensor, " : " tensors, ").append(values).append(" values");
        });
        return s.append(']').toString();
    }

    /**
     * Builds a {@link Checkpoint}. Every part is optional. Putting a metadata key or a tensor group
     * again replaces the earlier value (a metadata key keeps its first position). Nulls are refused
     * where they are given.
     */
    public static final class Builder {
        private int version = Format.VERSION;
        private final Map<String, String> metadata = new LinkedHashMap<>();
        private final List<String> vocabulary = new ArrayList<>();
        private final Map<String, Map<String, Mat>> tensors = new LinkedHashMap<>();

        private Builder() {}

        /**
         * Puts one metadata entry; use {@code Long.toString}, {@code Double.toString} for numbers.
         *
         * @param key the key
         * @param value the value, not null (leave an absent value out)
         * @return this builder
         */
        public Builder metadata(String key, String value) {
            Objects.requireNonNull(key, "a metadata key is null");
            Objects.requireNonNull(value, () -> "the metadata \"" + key + "\" is null; leave it out instead");
            metadata.put(key, value);
            return this;
        }

        /**
         * Puts every entry of a map, in its iteration order.
         *
         * @param entries the entries
         * @return this builder
         */
        public Builder metadata(Map<String, String> entries) {
            entries.forEach(this::metadata);
            return this;
        }

        /**
         * Sets the vocabulary (a copy of the list is kept).
         *
         * @param words the words in id order, none null
         * @return this builder
         */
        public Builder vocabulary(List<String> words) {
            for (int i = 0; i < words.size(); i++) {
                if (words.get(i) == null) {
                    throw new NullPointerException("word " + i + " of the vocabulary is null");
                }
            }
            vocabulary.clear();
            vocabulary.addAll(words);
            return this;
        }

        /**
         * Sets a group of tensors by name, such as {@code "parameters"}, in the map's iteration
         * order. The map is copied; the matrices are not (see {@link Checkpoint}).
         *
         * @param group the group's name, not empty
         * @param named the tensors by name
         * @return this builder
         */
        public Builder tensors(String group, Map<String, Mat> named) {
            Objects.requireNonNull(group, "a tensor group name is null");
            if (group.isEmpty()) {
                throw new IllegalArgumentException("a tensor group needs a name, got \"\"");
            }
            Map<String, Mat> copy = new LinkedHashMap<>();
            named.forEach((name, m) -> {
                Objects.requireNonNull(name, () -> "a tensor name in group \"" + group + "\" is null");
                if (name.isEmpty()) {
                    throw new IllegalArgumentException("a tensor in group \"" + group + "\" has the empty name");
                }
                Objects.requireNonNull(m, () -> "tensor " + name + " in group \"" + group + "\" is null");
                copy.put(name, m);
            });
            tensors.put(group, copy);
            return this;
        }

        /** The format version of a checkpoint being read. */
        Builder version(int formatVersion) {
            this.version = formatVersion;
            return this;
        }

        /** {@return the checkpoint, with copies of the maps and lists given so far (not of the matrices)} */
        public Checkpoint build() {
            return new Checkpoint(this);
        }
    }
}
