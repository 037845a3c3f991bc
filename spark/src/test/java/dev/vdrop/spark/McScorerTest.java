package dev.vdrop.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdrop.runtime.mc.ClassPrediction;
import dev.vdrop.runtime.model.Tokenization;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark scorer against the library's MC prediction in one JVM: the same probabilities (to
 * 1e-5) whatever the partitions and batches, keyed by a key column or by line numbers; bad rows
 * marked and counted while the others are scored.
 */
class McScorerTest {
    private static final int K = 8;
    private static final long SEED = 77;
    private static final double TOLERANCE = 1e-5;
    private static final int ROWS = 120;

    @TempDir
    static Path dir;
    private static Path chars;
    private static Path words;
    private static Path data;
    private static List<String> names;
    private static long[] ids;

    @BeforeAll
    static void files() throws Exception {
        chars = TestData.classifier(dir.resolve("chars.vdrop"), Tokenization.CHARS);
        words = TestData.classifier(dir.resolve("words.vdrop"), Tokenization.WORDS);
        names = TestData.names(ROWS);
        ids = new long[ROWS];
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < ROWS; i++) {
            ids[i] = 1_000_003L * (i + 1) ^ 0x5DEECE66DL;     // far from the line numbers
            rows.add(List.of(names.get(i), Long.toString(ids[i]), i % 2 == 0 ? "female" : "male"));
        }
        data = TestData.tsv(dir.resolve("names.tsv"), List.of("text", "id", "label"), rows);
    }

    private static SparkSession spark() {
        return LocalSpark.session();
    }

    private static McScorer scorer(Path model, String key, int batch) throws Exception {
        return McScorer.builder().model(model, SampleModels.classifiers()).key(key).samples(K).seed(SEED).batch(batch).build();
    }

    /** The scored rows by line number. */
    private static Map<Long, Row> byLine(Dataset<Row> scored) {
        Map<Long, Row> out = new HashMap<>();
        for (Row r : scored.collectAsList()) {
            out.put(r.getLong(r.fieldIndex(TsvInput.LINE)), r);
        }
        return out;
    }

    private static void assertSame(ClassPrediction expected, Row actual, String where) {
        assertNull(actual.getAs(McScorer.ERROR), where);
        for (int c = 0; c < TestData.LABELS.size(); c++) {
            double p = actual.getDouble(actual.fieldIndex("p_" + TestData.LABELS.get(c)));
            assertEquals(expected.probability(c), p, TOLERANCE, where + ", p_" + TestData.LABELS.get(c));
        }
        assertEquals(TestData.LABELS.get(expected.argmax()), actual.getAs("predicted"), where);
        assertEquals(expected.predictedProbability(), actual.getDouble(actual.fieldIndex("p_predicted")), TOLERANCE, where);
        assertEquals(expected.predictiveEntropy(), actual.getDouble(actual.fieldIndex("entropy")), TOLERANCE, where);
        assertEquals(expected.mutualInformation(), actual.getDouble(actual.fieldIndex("mutual_information")), TOLERANCE, where);
    }

    @Test
    void equalsTheLibraryInOneJvmUnderAnyPartitionsAndBatches() throws Exception {
        List<ClassPrediction> expected = TestData.reference(chars, names, K, SEED, ids);
        for (int partitions : new int[] {1, 2, 5}) {
            Dataset<Row> rows = TsvInput.read(spark(), data.toString(), 1).repartition(partitions);
            assertEquals(partitions, rows.rdd().getNumPartitions());
            for (int batch : new int[] {7, 64}) {
                Map<Long, Row> scored = byLine(scorer(chars, "id", batch).score(rows));
                assertEquals(ROWS, scored.size());
                for (int i = 0; i < ROWS; i++) {
                    Row r = scored.get(i + 2L);
                    assertEquals(names.get(i), r.getAs("text"));
                    assertSame(expected.get(i), r, partitions + " partitions, batch " + batch + ", row " + i);
                }
            }
        }
    }

    @Test
    void keysRowsByTheirLineNumbersWithoutAKeyColumn() throws Exception {
        long[] lines = new long[ROWS];
        for (int i = 0; i < ROWS; i++) {
            lines[i] = i + 2;                         // the header is line 1
        }
        List<ClassPrediction> byLineNumber = TestData.reference(chars, names, K, SEED, lines);
        List<ClassPrediction> byId = TestData.reference(chars, names, K, SEED, ids);
        Map<Long, Row> scored = byLine(scorer(chars, TsvInput.LINE, 16).score(TsvInput.read(spark(), data.toString(), 3)));
        int differ = 0;
        for (int i = 0; i < ROWS; i++) {
            assertSame(byLineNumber.get(i), scored.get(i + 2L), "row " + i);
            differ += byLineNumber.get(i).probability(0) != byId.get(i).probability(0) ? 1 : 0;
        }
        assertTrue(differ > ROWS / 2, "the keys choose the masks: other keys, other probabilities (" + differ + " differ)");
    }

    @Test
    void marksBadRowsAndScoresTheOthers() throws Exception {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("Robin", "11"));
        rows.add(List.of("", "12"));                  // line 3: empty text
        rows.add(List.of("!!!", "13"));               // line 4: no words
        rows.add(List.of("Alex", "fourteen"));        // line 5: no whole number
        rows.add(List.of("Sam", "15", "extra"));      // line 6: a field too many
        rows.add(List.of("Kim", " 16 "));             // line 7: a key with spaces reads as 16
        Path file = TestData.tsv(dir.resolve("bad.tsv"), List.of("text", "id"), rows);
        Map<Long, Row> scored = byLine(scorer(words, "id", 4).score(TsvInput.read(spark(), file.toString(), 2)));
        assertEquals(6, scored.size());
        assertEquals("empty text", scored.get(3L).getAs(McScorer.ERROR));
        assertEquals("no tokens: the text has no word", scored.get(4L).getAs(McScorer.ERROR));
        assertEquals("the key column id holds \"fourteen\", not a whole number", scored.get(5L).getAs(McScorer.ERROR));
        assertEquals("3 fields where the header has 2", scored.get(6L).getAs(McScorer.ERROR));
        for (long line = 3; line <= 6; line++) {
            Row r = scored.get(line);
            for (String column : List.of("predicted", "p_predicted", "entropy", "mutual_information", "p_female")) {
                assertNull(r.getAs(column), "line " + line + ", " + column);
            }
        }
        List<ClassPrediction> expected = TestData.reference(words, List.of("Robin", "Kim"), K, SEED, new long[] {11, 16});
        assertSame(expected.get(0), scored.get(2L), "Robin");
        assertSame(expected.get(1), scored.get(7L), "Kim");
    }

    @Test
    void buildsTheNetworkOncePerJvm() throws Exception {
        int before = ModelCache.builds();
        McScorer scorer = scorer(chars, "id", 5);
        scorer.score(TsvInput.read(spark(), data.toString(), 1).repartition(5)).count();
        scorer.score(TsvInput.read(spark(), data.toString(), 1).repartition(3)).count();
        assertEquals(1, ModelCache.builds() - before, "the driver's check built it; the tasks found it");
    }

    @Test
    void refusesColumnsItCannotRead() throws Exception {
        Dataset<Row> rows = TsvInput.read(spark(), data.toString(), 1);
        McScorer noText = McScorer.builder().model(chars, SampleModels.classifiers()).text("name").build();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> noText.score(rows)).getMessage()
                .startsWith("no text column name in the input; its columns are line, text, id, label, error"));
        McScorer keyedByText = McScorer.builder().model(chars, SampleModels.classifiers()).key("line").build();
        Dataset<Row> clash = rows.withColumnRenamed("label", "entropy");
        assertEquals("the input has a column named entropy, which the scorer adds; rename it",
                assertThrows(IllegalArgumentException.class, () -> keyedByText.score(clash)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> McScorer.builder().model(chars, SampleModels.classifiers())
                .samples(0).build());
        assertNotEquals(0, keyedByText.modelHash().length());
        assertEquals(List.of("predicted", "p_predicted", "entropy", "mutual_information", "p_female", "p_male", "p_both"),
                keyedByText.mcColumns());
    }
}
