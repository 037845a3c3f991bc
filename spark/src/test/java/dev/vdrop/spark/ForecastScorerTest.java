package dev.vdrop.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdrop.runtime.forecast.AffineMap;
import dev.vdrop.runtime.forecast.SeriesPrediction;
import dev.vdrop.runtime.mc.Interval;
import dev.vdrop.runtime.mc.RegressionPrediction;
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
 * The Spark scorer of feature columns against {@code McPredictor.forecast} in one JVM, with the
 * births forecaster of the samples: the same mean, variance and bounds (to 1e-5, relative where
 * large) in the data's units (the model file's scaling) or the network's, whatever the partitions
 * and batches, keyed by a column or by line numbers; per-row maps; bad rows; refusals.
 */
class ForecastScorerTest {
    private static final int K = 8;
    private static final long SEED = 5;
    private static final int ROWS = 90;
    private static final int FIRST = 6000;          // the windows' origins: FIRST, FIRST + 3, ...

    @TempDir
    static Path dir;
    private static Births births;
    private static Path model;
    private static Path data;
    private static double[][][] windows;
    private static long[] ids;
    private static List<String> header;

    @BeforeAll
    static void files() throws Exception {
        births = new Births();
        model = births.model(dir.resolve("births.vdrop"));
        windows = new double[ROWS][][];
        ids = new long[ROWS];
        header = new ArrayList<>(List.of("id", "origin"));
        header.addAll(Births.columns());
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < ROWS; i++) {
            int origin = FIRST + 3 * i;
            windows[i] = births.window(origin);
            ids[i] = 7_000_003L * (i + 1);
            List<String> fields = new ArrayList<>(List.of(Long.toString(ids[i]), Integer.toString(origin)));
            fields.addAll(Births.fields(windows[i]));
            rows.add(fields);
        }
        data = TestData.tsv(dir.resolve("windows.tsv"), header, rows);
    }

    private static SparkSession spark() {
        return LocalSpark.session();
    }

    private static McScorer.Builder scorer(String key, int batch) {
        return McScorer.builder().model(model, SampleModels.all()).features(List.of("s*")).key(key).samples(K).seed(SEED)
                .batch(batch);
    }

    private static Map<Long, Row> byLine(Dataset<Row> scored) {
        Map<Long, Row> out = new HashMap<>();
        for (Row r : scored.collectAsList()) {
            out.put(r.getLong(r.fieldIndex(TsvInput.LINE)), r);
        }
        return out;
    }

    /** Row {@code actual}'s columns against a prediction, mapped by {@code map} (null: the network's units). */
    private static void assertSame(RegressionPrediction[] expected, AffineMap map, Row actual, String where) {
        assertNull(actual.getAs(McScorer.ERROR), where);
        for (int j = 0; j < Births.OUTPUTS; j++) {
            RegressionPrediction z = expected[j];
            SeriesPrediction x = map == null ? null : map.map(z);
            Interval i80 = x == null ? z.interval(0.8) : x.interval(0.8);
            Interval i95 = x == null ? z.interval(0.95) : x.interval(0.95);
            double[] want = {x == null ? z.mean() : x.mean(), x == null ? z.variance() : x.variance(), i80.lo(), i80.hi(),
                    i95.lo(), i95.hi()};
            String[] names = {"mean", "variance", "lo80", "hi80", "lo95", "hi95"};
            for (int c = 0; c < names.length; c++) {
                double got = actual.getDouble(actual.fieldIndex(names[c] + "_" + j));
                assertEquals(want[c], got, 1e-5 * Math.max(1, Math.abs(want[c])), where + ", " + names[c] + "_" + j);
            }
        }
    }

    @Test
    void equalsTheLibraryInTheDataUnitsUnderAnyPartitionsAndBatches() throws Exception {
        RegressionPrediction[][] expected = Births.reference(model, windows, K, SEED, ids);
        AffineMap units = new AffineMap(births.normalizer.mean(), births.normalizer.std());
        for (int partitions : new int[] {1, 2, 5}) {
            Dataset<Row> rows = TsvInput.read(spark(), data.toString(), 1).repartition(partitions);
            for (int batch : new int[] {7, 64}) {
                McScorer scorer = scorer("id", batch).build();
                assertTrue(scorer.units().endsWith("(the model file's scaling)"), scorer.units());
                Map<Long, Row> scored = byLine(scorer.score(rows));
                assertEquals(ROWS, scored.size());
                for (int i = 0; i < ROWS; i++) {
                    assertSame(expected[i], units, scored.get(i + 2L), partitions + " partitions, batch " + batch + ", row " + i);
                }
            }
        }
        double mean = byLine(scorer("id", 16).build().score(TsvInput.read(spark(), data.toString(), 2))).get(2L)
                .getDouble(header.size() + 1);
        assertTrue(mean > 5_000 && mean < 15_000, "births a day, not standardised: " + mean);
    }

    @Test
    void keysByLineNumbersAndReportsTheNetworkUnitsWhenAsked() throws Exception {
        long[] lines = new long[ROWS];
        for (int i = 0; i < ROWS; i++) {
            lines[i] = i + 2;
        }
        RegressionPrediction[][] expected = Births.reference(model, windows, K, SEED, lines);
        McScorer scorer = scorer(TsvInput.LINE, 10).networkUnits().build();
        assertEquals("network", scorer.units());
        Map<Long, Row> scored = byLine(scorer.score(TsvInput.read(spark(), data.toString(), 3)));
        for (int i = 0; i < ROWS; i++) {
            assertSame(expected[i], null, scored.get(i + 2L), "row " + i);
        }
    }

    @Test
    void mapsEachRowByItsOwnColumnsOrByOneMap() throws Exception {
        List<List<String>> rows = new ArrayList<>();
        double[] a = new double[ROWS];
        double[] b = new double[ROWS];
        for (int i = 0; i < ROWS; i++) {
            a[i] = births.births[FIRST + 3 * i];                 // as a window scale would: the last value
            b[i] = 100 + i;
            List<String> fields = new ArrayList<>(List.of(Long.toString(ids[i]), Double.toString(a[i]),
                    Double.toString(b[i])));
            fields.addAll(Births.fields(windows[i]));
            rows.add(fields);
        }
        List<String> columns = new ArrayList<>(List.of("id", "a", "b"));
        columns.addAll(Births.columns());
        Path file = TestData.tsv(dir.resolve("mapped.tsv"), columns, rows);
        RegressionPrediction[][] expected = Births.reference(model, windows, K, SEED, ids);
        Map<Long, Row> scored = byLine(scorer("id", 32).mapColumns("a", "b").build()
                .score(TsvInput.read(spark(), file.toString(), 2)));
        for (int i = 0; i < ROWS; i++) {
            assertSame(expected[i], new AffineMap(a[i], b[i]), scored.get(i + 2L), "row " + i);
        }
        Map<Long, Row> fixed = byLine(scorer("id", 32).map(3, 2).build().score(TsvInput.read(spark(), file.toString(), 2)));
        assertSame(expected[4], new AffineMap(3, 2), fixed.get(6L), "row 4");
    }

    @Test
    void marksRowsWithBadFeaturesAndScoresTheOthers() throws Exception {
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            List<String> fields = new ArrayList<>(List.of(Long.toString(ids[i]), "0"));
            fields.addAll(Births.fields(windows[i]));
            rows.add(fields);
        }
        rows.get(1).set(2 + 4, "");                   // line 3: s01_sin empty
        rows.get(2).set(2 + 41, "many");              // line 4: s13_cos no number
        rows.get(3).set(2, "NaN");                    // line 5: s00_z not finite
        rows.get(4).remove(rows.get(4).size() - 1);   // line 6: a field too few
        Path file = TestData.tsv(dir.resolve("bad.tsv"), header, rows);
        Map<Long, Row> scored = byLine(scorer("id", 4).build().score(TsvInput.read(spark(), file.toString(), 2)));
        assertEquals(6, scored.size());
        assertEquals("no value in the feature column s01_sin", scored.get(3L).getAs(McScorer.ERROR));
        assertEquals("the feature column s13_cos holds \"many\", not a number", scored.get(4L).getAs(McScorer.ERROR));
        assertEquals("the feature column s00_z holds NaN, not a finite number", scored.get(5L).getAs(McScorer.ERROR));
        assertEquals((header.size() - 1) + " fields where the header has " + header.size(), scored.get(6L).getAs(McScorer.ERROR));
        for (long line = 3; line <= 6; line++) {
            for (String column : List.of("mean_0", "variance_0", "lo80_0", "hi95_1")) {
                assertNull(scored.get(line).getAs(column), "line " + line + ", " + column);
            }
        }
        RegressionPrediction[][] expected = Births.reference(model, new double[][][] {windows[0], windows[5]}, K, SEED,
                new long[] {ids[0], ids[5]});
        AffineMap units = new AffineMap(births.normalizer.mean(), births.normalizer.std());
        assertSame(expected[0], units, scored.get(2L), "line 2");
        assertSame(expected[1], units, scored.get(7L), "line 7");
    }

    @Test
    void refusesFeaturesThatDoNotMakeItsWindows() throws Exception {
        Dataset<Row> rows = TsvInput.read(spark(), data.toString(), 1);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> McScorer.builder()
                .model(model, SampleModels.all()).build()).getMessage()
                .endsWith("holds a model that reads 3 features a step, not text: name its feature columns"));
        McScorer notAMultiple = scorer("id", 8).features(List.of("s00_z", "s00_sin")).build();
        assertEquals("[s00_z, s00_sin] name 2 feature columns; the model reads 3 features a step, so a window needs a "
                + "multiple of 3 (step 0's, then step 1's, ...)",
                assertThrows(IllegalArgumentException.class, () -> notAMultiple.score(rows)).getMessage());
        McScorer shortWindow = scorer("id", 8).features(List.of("s00*", "s01*")).build();
        assertEquals("[s00*, s01*] name 6 feature columns, windows of 2 steps of 3; the model was trained on windows of "
                + "14 steps (42 columns)", assertThrows(IllegalArgumentException.class, () -> shortWindow.score(rows)).getMessage());
        McScorer twice = scorer("id", 8).features(List.of("s*", "s00_z")).build();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> twice.score(rows)).getMessage()
                .startsWith("the feature column s00_z is named twice"));
        McScorer none = scorer("id", 8).features(List.of("x*")).build();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> none.score(rows)).getMessage()
                .startsWith("no feature column matches x*"));
        Path names = TestData.classifier(dir.resolve("names.vdrop"), Tokenization.CHARS);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> McScorer.builder().model(names, SampleModels.all())
                .features(List.of("s*")).build()).getMessage().endsWith("holds a model that reads text, not feature "
                + "columns: name its text column instead"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> McScorer.builder().model(names, SampleModels.all())
                .map(1, 2).build()).getMessage().endsWith("holds a classifier: its probabilities have no units to map"));
        assertThrows(IllegalArgumentException.class, () -> scorer("id", 8).map(0, -1));
        assertThrows(IllegalArgumentException.class, () -> scorer("id", 8).map(0, 1).networkUnits().build());
        assertEquals(List.of("mean_0", "variance_0", "lo80_0", "hi80_0", "lo95_0", "hi95_0", "mean_1", "variance_1", "lo80_1",
                "hi80_1", "lo95_1", "hi95_1"), scorer("id", 8).build().mcColumns());
    }
}
