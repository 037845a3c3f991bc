package dev.vdrop.spark;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vdrop.samples.MobySmallNone;
import dev.vdrop.samples.TextClassifierNetwork;
import java.util.List;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.Test;

/** The heads' columns, and their refusal of networks that predict at every step. */
class HeadTest {
    @Test
    void classifierColumns() {
        assertEquals(List.of("predicted", "p_predicted", "entropy", "mutual_information", "p_a", "p_b"),
                new ClassifierHead(List.of("a", "b")).fields().stream().map(StructField::name).toList());
    }

    @Test
    void regressionColumnsPerOutput() {
        assertEquals(List.of("mean", "variance", "lo80", "hi80", "lo95", "hi95"),
                new RegressionHead(1).fields().stream().map(StructField::name).toList());
        assertEquals(List.of("mean_0", "variance_0", "lo80_0", "hi80_0", "lo95_0", "hi95_0",
                        "mean_1", "variance_1", "lo80_1", "hi80_1", "lo95_1", "hi95_1"),
                new RegressionHead(2).fields().stream().map(StructField::name).toList());
    }

    @Test
    void refusesANetworkThatPredictsAtEveryStep() {
        ClassifierHead head = new ClassifierHead(List.of("a", "b"));
        assertDoesNotThrow(() -> head.check(TextClassifierNetwork.builder().vocabulary(5).classes(2).build()));
        MobySmallNone tagger = MobySmallNone.builder().vocabulary(20).classes(20).build();
        assertEquals("dev.vdrop.samples.MobySmallNone predicts int[][] (at every step), not one int[] per row; "
                + "the Spark scorer scores models with a head at the last step",
                assertThrows(IllegalArgumentException.class, () -> head.check(tagger)).getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new RegressionHead(1).check(TextClassifierNetwork.builder().vocabulary(5).classes(2).build()));
    }
}
