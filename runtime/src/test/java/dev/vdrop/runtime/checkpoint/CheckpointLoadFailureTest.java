package dev.vdrop.runtime.checkpoint;

import static dev.vdrop.runtime.checkpoint.Fixtures.doubles;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CheckpointLoadFailureTest {
    private static final String USE_EARLIER = "use an earlier checkpoint";

    @TempDir
    Path dir;

    private Path file;
    private byte[] good;
    private int headerLength;

    @BeforeEach
    void saveAGoodCheckpoint() throws Exception {
        file = dir.resolve("lm.ckpt");
        Checkpoints.save(file, Fixtures.sample());
        good = Files.readAllBytes(file);
        headerLength = ByteBuffer.wrap(good).getInt(20);
    }

    private String loadFails(byte[] bytes) throws Exception {
        Files.write(file, bytes);
        return assertThrows(CheckpointException.class, () -> Checkpoints.load(file)).getMessage();
    }

    @Test
    void aMissingFile() {
        Path missing = dir.resolve("runs/none.ckpt");
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoints.load(missing));
        assertEquals("no checkpoint at " + missing, e.getMessage());
    }

    @Test
    void aDirectory() {
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoints.load(dir));
        assertEquals(dir + " is a directory, not a checkpoint; give the path of a checkpoint file inside it", e.getMessage());
    }

    @Test
    void aFileThatIsNotACheckpoint() throws Exception {
        String expected = file + " is not a vdrop checkpoint: it does not start with VDROPCKP";
        assertEquals(expected, loadFails("PK\u0003\u0004 a zip file, say a DL4J model, that is long enough to have a header"
                .getBytes(StandardCharsets.ISO_8859_1)));
        assertEquals(expected, loadFails("hello".getBytes(StandardCharsets.US_ASCII)));
        byte[] lowerCase = good.clone();
        lowerCase[0] = 'v';
        assertEquals(expected, loadFails(lowerCase));
    }

    @Test
    void aNewerFormatVersion() throws Exception {
        byte[] bytes = good.clone();
        ByteBuffer.wrap(bytes).putInt(8, 7);
        assertEquals("checkpoint " + file + " has format version 7; this vdrop reads version 1"
                + " — open it with the newer vdrop that wrote it", loadFails(bytes));
    }

    @Test
    void aVersionNoVdropWrites() throws Exception {
        byte[] bytes = good.clone();
        ByteBuffer.wrap(bytes).putInt(8, 0);
        assertEquals("checkpoint " + file + " has format version 0, which no vdrop writes; this vdrop reads version 1"
                + " — the file is damaged, " + USE_EARLIER, loadFails(bytes));
    }

    private String truncated(long length) {
        return "checkpoint " + file + " is truncated: " + length + " of " + good.length
                + " bytes; it was cut off while being written — " + USE_EARLIER;
    }

    @Test
    void aFileCutInsideTheHeader() throws Exception {
        int cut = 24 + headerLength / 2;
        assertEquals(truncated(cut), loadFails(Arrays.copyOf(good, cut)));
    }

    @Test
    void aFileCutInsideTheData() throws Exception {
        int cut = 24 + headerLength + 5;
        assertEquals(truncated(cut), loadFails(Arrays.copyOf(good, cut)));
    }

    @Test
    void aFileCutInsideTheTrailer() throws Exception {
        assertEquals(truncated(good.length - 1), loadFails(Arrays.copyOf(good, good.length - 1)));
        assertEquals(truncated(good.length - 12), loadFails(Arrays.copyOf(good, good.length - 12)));
    }

    @Test
    void aFileCutBeforeItsLengthIsKnown() throws Exception {
        String early = " of at least 36 bytes; it was cut off while being written — " + USE_EARLIER;
        assertEquals("checkpoint " + file + " is truncated: 0" + early, loadFails(new byte[0]));
        assertEquals("checkpoint " + file + " is truncated: 5" + early, loadFails(Arrays.copyOf(good, 5)));
        assertEquals("checkpoint " + file + " is truncated: 19" + early, loadFails(Arrays.copyOf(good, 19)));
        assertEquals(truncated(20), loadFails(Arrays.copyOf(good, 20)));
    }

    @Test
    void everyCutIsReportedAsTruncated() throws Exception {
        for (int cut = 0; cut < good.length; cut++) {
            String message = loadFails(Arrays.copyOf(good, cut));
            assertTrue(message.startsWith("checkpoint " + file + " is truncated: " + cut + " of "), "cut at " + cut + ": " + message);
        }
    }

    @Test
    void oneFlippedByteInTheData() throws Exception {
        byte[] bytes = good.clone();
        bytes[24 + headerLength + 13] ^= 0x10;
        assertEquals("checkpoint " + file + " is corrupt: its checksum does not match; it was damaged after it was written — "
                + USE_EARLIER, loadFails(bytes));
    }

    @Test
    void everyFlippedBitAfterTheVersionIsReportedAsCorrupt() throws Exception {
        for (int at = 12; at < good.length; at++) {
            for (int bit = 0; bit < 8; bit += 3) {
                byte[] bytes = good.clone();
                bytes[at] ^= (byte) (1 << bit);
                String message = loadFails(bytes);
                assertTrue(message.startsWith("checkpoint " + file + " is corrupt: "), "byte " + at + ", bit " + bit + ": " + message);
            }
        }
    }

    @Test
    void bytesAppendedToACompleteFile() throws Exception {
        assertEquals("checkpoint " + file + " is corrupt: it is " + (good.length + 3) + " bytes long but says it is "
                + good.length + "; it was damaged after it was written — " + USE_EARLIER,
                loadFails(Arrays.copyOf(good, good.length + 3)));
    }

    private String malformed(String detail) {
        return "checkpoint " + file + " has a malformed header: " + detail
                + "; the file is intact but was not written by this vdrop";
    }

    @Test
    void aHeaderThatIsNotJson() throws Exception {
        String message = loadFails(Fixtures.file(1, "{\"metadata\": {", new byte[0]));
        assertTrue(message.startsWith("checkpoint " + file + " has a malformed header: it is not JSON ("), message);
        assertTrue(message.endsWith("; the file is intact but was not written by this vdrop"), message);
    }

    @Test
    void aHeaderWithAMissingOrWrongField() throws Exception {
        assertEquals(malformed("it has no \"vocabulary\""),
                loadFails(Fixtures.file(1, "{\"metadata\":{},\"tensors\":{}}", new byte[0])));
        assertEquals(malformed("metadata \"epoch\" is not a string"),
                loadFails(Fixtures.file(1, "{\"metadata\":{\"epoch\":3},\"vocabulary\":[],\"tensors\":{}}", new byte[0])));
        assertEquals(malformed("it is not a JSON object"), loadFails(Fixtures.file(1, "[1, 2]", new byte[0])));
    }

    @Test
    void aHeaderWithAnUnknownDataType() throws Exception {
        String header = "{\"metadata\":{},\"vocabulary\":[],\"tensors\":{\"parameters\":"
                + "[{\"name\":\"W\",\"dtype\":\"INT\",\"rows\":2,\"cols\":2,\"offset\":0}]}}";
        assertEquals(malformed("tensor W of group \"parameters\" has dtype \"INT\"; a checkpoint holds FLOAT or DOUBLE"),
                loadFails(Fixtures.file(1, header, new byte[16])));
    }

    @Test
    void aHeaderWhoseTensorsDoNotFitTheData() throws Exception {
        String tooBig = "{\"metadata\":{},\"vocabulary\":[],\"tensors\":{\"parameters\":"
                + "[{\"name\":\"W\",\"dtype\":\"DOUBLE\",\"rows\":2,\"cols\":3,\"offset\":0}]}}";
        assertEquals(malformed("tensor W of group \"parameters\" (2 × 3 DOUBLE) ends after the 32 bytes of data"),
                loadFails(Fixtures.file(1, tooBig, doubles(1, 2, 3, 4))));
        String tooSmall = tooBig.replace("\"cols\":3", "\"cols\":1");
        assertEquals(malformed("its tensors take 16 bytes but the file has 32 bytes of data"),
                loadFails(Fixtures.file(1, tooSmall, doubles(1, 2, 3, 4))));
        String gap = "{\"metadata\":{},\"vocabulary\":[],\"tensors\":{\"parameters\":"
                + "[{\"name\":\"W\",\"dtype\":\"DOUBLE\",\"rows\":1,\"cols\":1,\"offset\":8}]}}";
        assertEquals(malformed("tensor W of group \"parameters\" starts at byte 8 of the data, not at 0 where the tensor before it ends"),
                loadFails(Fixtures.file(1, gap, doubles(1, 2))));
        String negative = tooBig.replace("\"rows\":2", "\"rows\":-2");
        assertEquals(malformed("tensor W of group \"parameters\" has a bad \"rows\" (-2)"),
                loadFails(Fixtures.file(1, negative, doubles(1, 2, 3, 4))));
        String huge = tooBig.replace("\"rows\":2,\"cols\":3", "\"rows\":2147483647,\"cols\":2147483647");
        assertEquals(malformed("tensor W of group \"parameters\" is 2147483647 × 2147483647, too large for any file"),
                loadFails(Fixtures.file(1, huge, doubles(1, 2, 3, 4))));
    }

    @Test
    void aHeaderWithEmptyNames() throws Exception {
        assertEquals(malformed("a tensor group has the empty name"),
                loadFails(Fixtures.file(1, "{\"metadata\":{},\"vocabulary\":[],\"tensors\":{\"\":[]}}", new byte[0])));
        String header = "{\"metadata\":{},\"vocabulary\":[],\"tensors\":{\"parameters\":"
                + "[{\"name\":\"\",\"dtype\":\"DOUBLE\",\"rows\":1,\"cols\":1,\"offset\":0}]}}";
        assertEquals(malformed("tensor 0 of group \"parameters\" has the empty name"),
                loadFails(Fixtures.file(1, header, doubles(1))));
    }

    @Test
    void aHeaderWithAKeyTwice() throws Exception {
        String message = loadFails(Fixtures.file(1, "{\"metadata\":{\"a\":\"1\",\"a\":\"2\"},\"vocabulary\":[],\"tensors\":{}}", new byte[0]));
        assertTrue(message.contains("has a malformed header: it is not JSON (Duplicate field 'a'"), message);
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 0, Integer.MAX_VALUE})
    void aHeaderLengthThatDoesNotFit(int length) throws Exception {
        byte[] bytes = Fixtures.file(1, "{\"metadata\":{},\"vocabulary\":[],\"tensors\":{}}", new byte[0]);
        int size = bytes.length;
        // The bad length, with a checksum that matches it.
        ByteBuffer b = ByteBuffer.wrap(bytes);
        b.putInt(20, length);
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, size - 12);
        b.putInt(size - 12, (int) crc.getValue());
        assertEquals(malformed("its length " + length + " does not fit in the " + size + " bytes of the file"), loadFails(bytes));
    }
}
