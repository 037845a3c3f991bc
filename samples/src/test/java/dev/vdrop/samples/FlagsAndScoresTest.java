package dev.vdrop.samples;

import static dev.vdrop.samples.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdrop.runtime.forecast.Scale;
import dev.vdrop.runtime.train.TrainingException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Numeric flags are checked in long arithmetic against what the data and the arrays allow, before
 * any work; a score that is not a finite number fails a run (exit 1) instead of being reported.
 */
class FlagsAndScoresTest {
    @TempDir
    Path dir;

    @Test
    void aScaleIsParsedByItsLabel() {
        assertEquals(Scale.DIFFERENCE, ForecastFlags.scale("difference"));
        UserError e = assertThrows(UserError.class, () -> ForecastFlags.scale("foo"));
        assertEquals(Scale.MEAN, ForecastFlags.scale("mean"));
        assertEquals("unknown --scale 'foo'; use one of global, window, difference, mean", e.getMessage());
        assertTrue(assertThrows(UserError.class, () -> ForecastFlags.scale("Global")).getMessage().contains("'Global'"));
    }

    @Test
    void lmBatchAndStepsNearTheLargestIntDoNotWrapAround() {
        Cli r = run("lm", "--batch", "2147483647", "--steps", "2147483647", "--epochs", "1", "--out",
                dir.resolve("x.json").toString(), "--no-progress");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("one segment of 2147483647 streams × 2147483648 tokens needs 4611686016279904256"),
                r.err());
        assertEquals(1, r.err().lines().count());
    }

    @Test
    void mcSamplesHaveAnUpperBound() {
        Cli lm = run("lm", "--mc-samples", "2147483647", "--out", dir.resolve("x.json").toString());
        assertEquals(2, lm.code(), lm.err());
        assertTrue(lm.err().startsWith("vdrop: --mc-samples must be at most 10000, got 2147483647"), lm.err());
        Cli classify = run("classify", "--mc-samples", "10001", "--out", dir.resolve("c").toString());
        assertEquals(2, classify.code(), classify.err());
        assertTrue(classify.err().startsWith("vdrop: --mc-samples must be at most 10000, got 10001"), classify.err());
        // checked before the model file is read: this one does not exist
        Cli predict = run("predict", "--model", dir.resolve("none.vdrop").toString(), "--mc-samples", "10001",
                "--text", "x");
        assertEquals(2, predict.code(), predict.err());
        assertTrue(predict.err().startsWith("vdrop: --mc-samples must be at most 10000, got 10001"), predict.err());
    }

    /** 20 × 35 × 10,000 is the preset's 7 million; B·T·V past 2³¹ − 1 fits no array. */
    @Test
    void aSegmentsSoftmaxMustFitOneArrayAndTheHeap() {
        LmExperiment.checkSegmentSize(20, 35, 10_000);
        UserError tooMany = assertThrows(UserError.class, () -> LmExperiment.checkSegmentSize(100_000, 3_000, 10_000));
        assertEquals("--batch 100000 × --steps 3000 × 10,000 words = 3,000,000,000,000 softmax values per segment, more "
                + "than one array holds (2,147,483,647); use a smaller --batch or --steps", tooMany.getMessage());
        // 2³¹ − 1 values fit an array, but with their gradient they need 16 GB, more than this test's heap
        long max = Runtime.getRuntime().maxMemory();
        if (max < 16L << 30) {
            UserError heap = assertThrows(UserError.class, () -> LmExperiment.checkSegmentSize(1, 1, Integer.MAX_VALUE));
            assertTrue(heap.getMessage().contains("alone need 16,384 MB, more than the Java heap's"), heap.getMessage());
            assertTrue(heap.getMessage().contains("VDROP_JAVA_OPTS"), heap.getMessage());
        }
    }

    @Test
    void aScoreThatIsNotFiniteFailsTheRun() {
        Map<String, Double> scores = new LinkedHashMap<>();
        scores.put("test RMSE", 12.5);
        scores.put("80% interval coverage", 1.0);
        FiniteScores.require("forecast", scores);
        scores.put("test RMSE", Double.POSITIVE_INFINITY);
        TrainingException e = assertThrows(TrainingException.class, () -> FiniteScores.require("forecast", scores));
        assertEquals("forecast: the test RMSE came out Infinity, not a finite number, so the run failed and no report is "
                + "written (the model's outputs overflowed or are not numbers)", e.getMessage());
        scores.put("test RMSE", 12.5);
        scores.put("80% interval coverage", Double.NaN);
        assertTrue(assertThrows(TrainingException.class, () -> FiniteScores.require("scheme awd", scores)).getMessage()
                .startsWith("scheme awd: the 80% interval coverage came out NaN"));
    }
}
