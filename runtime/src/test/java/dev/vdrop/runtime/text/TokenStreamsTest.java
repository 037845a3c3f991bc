package dev.vdrop.runtime.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class TokenStreamsTest {
    @Test
    void streamsAreConsecutiveSlicesAndTargetsAreTheNextToken() {
        int[] ids = new int[23];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = i;
        }
        TokenStreams streams = new TokenStreams(ids, 3);
        assertEquals(7, streams.streamLength());
        assertEquals(18, streams.predictions());
        List<TokenStreams.Batch> segments = streams.batches(4);
        assertEquals(2, segments.size());
        assertArrayEquals(new int[] {7, 8, 9, 10}, segments.get(0).input()[1]);
        assertArrayEquals(new int[] {8, 9, 10, 11}, segments.get(0).target()[1]);
        assertArrayEquals(new int[] {18, 19}, segments.get(1).input()[2]);
        assertArrayEquals(new int[] {19, 20}, segments.get(1).target()[2]);
        assertEquals(18, segments.stream().mapToInt(TokenStreams.Batch::tokens).sum());
    }

    @Test
    void aCorpusTooShortForTheStreamsIsAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TokenStreams(new int[5], 3));
        assertEquals("a corpus of 5 tokens is too short for 3 streams: each needs at least 2 tokens (one input, one target)",
                e.getMessage());
    }

    @Test
    void idsFromAnIndArrayWorkLikeAnIntArray() {
        org.nd4j.linalg.api.ndarray.INDArray ids = org.nd4j.linalg.factory.Nd4j.arange(23).castTo(
                org.nd4j.linalg.api.buffer.DataType.FLOAT);
        TokenStreams streams = new TokenStreams(ids, 3);
        assertArrayEquals(new int[] {7, 8, 9, 10}, streams.batches(4).get(0).input()[1]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TokenStreams(org.nd4j.linalg.factory.Nd4j.createFromArray(1.0, 2.5, 3.0, 4.0), 1));
        assertEquals("token ids must be whole numbers, but element 1 is 2.5", e.getMessage());
    }
}
