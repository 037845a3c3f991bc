package dev.vdrop.runtime.text;

import java.util.ArrayList;
import java.util.List;

/**
 * A token stream cut into B parallel streams for truncated back-propagation through time: the N
 * ids become B streams of ⌊N/B⌋ consecutive tokens (the remainder is dropped), stream b being the
 * b-th slice of the text. Batch k holds steps kT … kT+T−1 of every stream with the next token as
 * its target; the last segment is shorter when ⌊N/B⌋ − 1 is not a multiple of T, so every one of
 * the B·(⌊N/B⌋ − 1) predictions is made exactly once. Carry the state from segment to segment.
 */
public final class TokenStreams {
    /**
     * The ids of one segment of every stream: {@code input[b][t]} is followed by {@code target[b][t]}.
     *
     * @param input {@code [streams][steps]} the ids read
     * @param target {@code [streams][steps]} the id that follows each
     */
    public record Batch(int[][] input, int[][] target) {
        /** {@return the number of steps in this segment} */
        public int steps() {
            return input[0].length;
        }

        /** {@return the number of ids read: streams × steps} */
        public int tokens() {
            return input.length * input[0].length;
        }
    }

    private final int[][] streams;

    /**
     * Streams from token ids: stream b holds the b-th of {@code streamCount} equal consecutive
     * parts of the ids, the remainder dropped.
     *
     * @param ids the token ids
     * @param streamCount B, at least 1
     * @throws IllegalArgumentException when there are fewer than two tokens per stream
     */
    public TokenStreams(int[] ids, int streamCount) {
        if (streamCount <= 0) {
            throw new IllegalArgumentException("the number of streams must be positive, got " + streamCount);
        }
        int length = ids.length / streamCount;
        if (length < 2) {
            throw new IllegalArgumentException("a corpus of " + ids.length + " tokens is too short for " + streamCount
                    + " streams: each needs at least 2 tokens (one input, one target)");
        }
        streams = new int[streamCount][length];
        for (int b = 0; b < streamCount; b++) {
            System.arraycopy(ids, b * length, streams[b], 0, length);
        }
    }

    /**
     * Streams from a user's own ids held in an INDArray (any shape; read in its element order,
     * each value an integer id).
     *
     * @param ids the token ids
     * @param streamCount B, at least 1
     * @throws IllegalArgumentException when a value is not a whole number
     */
    public TokenStreams(org.nd4j.linalg.api.ndarray.INDArray ids, int streamCount) {
        this(toIds(ids), streamCount);
    }

    private static int[] toIds(org.nd4j.linalg.api.ndarray.INDArray ids) {
        double[] values = ids.ravel().toDoubleVector();
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            if (values[i] != Math.rint(values[i]) || Math.abs(values[i]) > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("token ids must be whole numbers, but element " + i + " is " + values[i]);
            }
            out[i] = (int) values[i];
        }
        return out;
    }

    /** {@return the number of streams, B} */
    public int streamCount() {
        return streams.length;
    }

    /** {@return the number of tokens per stream} */
    public int streamLength() {
        return streams[0].length;
    }

    /** {@return the number of predictions over all segments: B · (⌊N/B⌋ − 1)} */
    public long predictions() {
        return (long) streams.length * (streamLength() - 1);
    }

    /**
     * Cuts the streams into segments.
     *
     * @param steps the most steps per segment, T
     * @return the segments in order, each as the batch of every stream's ids; the last may be shorter
     * @throws IllegalArgumentException when steps is not positive
     */
    public List<Batch> batches(int steps) {
        if (steps <= 0) {
            throw new IllegalArgumentException("a segment needs a positive number of steps, got " + steps);
        }
        List<Batch> out = new ArrayList<>();
        int last = streamLength() - 1;
        for (int start = 0; start < last; start += steps) {
            int length = Math.min(steps, last - start);
            int[][] input = new int[streams.length][length];
            int[][] target = new int[streams.length][length];
            for (int b = 0; b < streams.length; b++) {
                System.arraycopy(streams[b], start, input[b], 0, length);
                System.arraycopy(streams[b], start + 1, target[b], 0, length);
            }
            out.add(new Batch(input, target));
        }
        return out;
    }
}
