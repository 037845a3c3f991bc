package dev.vdrop.runtime.series;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vdrop.runtime.series.MissingValues.Policy;
import org.junit.jupiter.api.Test;

/** {@link MissingValues#fill}: each policy, the counts, and the refusals with the lines they name. */
class MissingValuesTest {
    private static final double NaN = Double.NaN;

    private static NumericColumn column(String text) {
        return Csv.parse(text, "s.csv").numbers("v");
    }

    private static String refusal(String text, Policy policy) {
        return assertThrows(IllegalArgumentException.class, () -> MissingValues.fill(column(text), policy)).getMessage();
    }

    /**
     * 10, _, _, 40, 41, _, 45. The first gap: 10 + (40 − 10)·1/3 = 20 and 10 + 30·2/3 = 30; the second:
     * 41 + (45 − 41)·1/2 = 43. Each product and quotient is exact in double, so the comparison is too.
     */
    @Test
    void interpolationFillsInteriorGapsOnTheStraightLine() {
        FilledSeries filled = MissingValues.fill(column("d,v\n1,10\n2,NA\n3,\n4,40\n5,41\n6,null\n7,45\n"), Policy.INTERPOLATE);
        assertArrayEquals(new double[] {10, 20, 30, 40, 41, 43, 45}, filled.values(), 0.0);
        assertEquals(3, filled.interpolated());
        assertEquals(0, filled.extended());
        assertEquals(3, filled.filled());
        assertEquals(0, filled.leftMissing());
        assertArrayEquals(new int[] {1, 2, 5}, filled.unobservedRows());
        assertArrayEquals(new boolean[] {true, false, false, true, true, false, true}, filled.observed());
        assertEquals("s.csv column v: 7 values, 3 missing: 3 interpolated, 0 extended from the nearest observed value",
                filled.summary());
    }

    /** 0, _, _, 1: 1/3 and 2/3 rounded to double (0.333…3 and 0.666…6, within one ulp, 1.2e-16). */
    @Test
    void interpolationOfThirds() {
        FilledSeries filled = MissingValues.fill(column("v\n0\nNA\nNA\n1\n"), Policy.INTERPOLATE);
        assertArrayEquals(new double[] {0, 0.3333333333333333, 0.6666666666666666, 1}, filled.values(), 2e-16);
    }

    /** Decreasing too: 9, _, _, _, 1 gives 9 − 8·k/4 = 7, 5, 3. */
    @Test
    void interpolationDownwards() {
        FilledSeries filled = MissingValues.fill(column("v\n9\nNA\nNA\nNA\n1\n"), Policy.INTERPOLATE);
        assertArrayEquals(new double[] {9, 7, 5, 3, 1}, filled.values(), 0.0);
    }

    @Test
    void leadingAndTrailingGapsTakeTheNearestObservedValue() {
        FilledSeries filled = MissingValues.fill(column("d,v\n1,NA\n2,.\n3,5\n4,7\n5,null\n6,N/A\n7,\n"), Policy.INTERPOLATE);
        assertArrayEquals(new double[] {5, 5, 5, 7, 7, 7, 7}, filled.values(), 0.0);
        assertEquals(0, filled.interpolated());
        assertEquals(5, filled.extended());
        assertEquals(5, filled.filled());
        assertArrayEquals(new int[] {0, 1, 4, 5, 6}, filled.unobservedRows());
        assertEquals("s.csv column v: 7 values, 5 missing: 0 interpolated, 5 extended from the nearest observed value",
                filled.summary());
    }

    @Test
    void bothKindsOfGapInOneSeries() {
        // _, 2, _, 8, _ : 2 extended backwards, 2 + (8 − 2)·1/2 = 5 interpolated, 8 extended forwards
        FilledSeries filled = MissingValues.fill(column("d,v\n1,\n2,2\n3,NA\n4,8\n5,nan\n"), Policy.INTERPOLATE);
        assertArrayEquals(new double[] {2, 2, 5, 8, 8}, filled.values(), 0.0);
        assertEquals(1, filled.interpolated());
        assertEquals(2, filled.extended());
    }

    @Test
    void aSingleObservedValueFillsEverything() {
        FilledSeries filled = MissingValues.fill(column("d,v\n1,\n2,3.5\n3,\n"), Policy.INTERPOLATE);
        assertArrayEquals(new double[] {3.5, 3.5, 3.5}, filled.values(), 0.0);
        assertEquals(2, filled.extended());
    }

    /** −1.5e308 and 1.5e308 are 3e308 apart, beyond Double.MAX_VALUE: the midpoint is still 0. */
    @Test
    void interpolationBetweenHugeValuesDoesNotOverflow() {
        FilledSeries filled = MissingValues.fill(column("v\n-1.5e308\nNA\n1.5e308\n"), Policy.INTERPOLATE);
        assertArrayEquals(new double[] {-1.5e308, 0, 1.5e308}, filled.values(), 0.0);
        // a third of the way: −1.5e308·2/3 + 1.5e308·1/3 = −0.5e308, to a few ulps (ulp ≈ 1.5e292)
        assertEquals(-0.5e308, MissingValues.onLine(-1.5e308, 1.5e308, 1, 3), 1e293);
    }

    @Test
    void skipKeepsTheGapsAndEveryRow() {
        FilledSeries filled = MissingValues.fill(column("d,v\n1,\n2,2\n3,NA\n4,8\n5,nan\n"), Policy.SKIP);
        assertArrayEquals(new double[] {NaN, 2, NaN, 8, NaN}, filled.values(), 0.0);
        assertEquals(5, filled.size());
        assertEquals(0, filled.interpolated());
        assertEquals(0, filled.extended());
        assertEquals(0, filled.filled());
        assertEquals(3, filled.leftMissing());
        assertArrayEquals(new int[] {0, 2, 4}, filled.unobservedRows());
        assertEquals(Policy.SKIP, filled.policy());
        assertEquals("s.csv column v: 5 values, 3 missing, kept as gaps (NaN)", filled.summary());
    }

    @Test
    void aCompleteColumnPassesEveryPolicyUnchanged() {
        for (Policy policy : Policy.values()) {
            FilledSeries filled = MissingValues.fill(column("v\n1\n2.5\n-3\n"), policy);
            assertArrayEquals(new double[] {1, 2.5, -3}, filled.values(), 0.0, policy.name());
            assertEquals(0, filled.filled(), policy.name());
            assertEquals(0, filled.leftMissing(), policy.name());
            assertArrayEquals(new int[0], filled.unobservedRows(), policy.name());
            assertEquals("s.csv column v: 3 values, none missing", filled.summary(), policy.name());
        }
    }

    @Test
    void errorRefusesMissingValuesNamingTheirLines() {
        assertEquals("s.csv column v: 2 missing values (lines 3 and 5); use --missing interpolate or --missing skip",
                refusal("d,v\n1,1\n2,NA\n3,3\n4,\n", Policy.ERROR));
        StringBuilder many = new StringBuilder("v\n");
        for (int i = 0; i < 20; i++) {
            many.append(i % 3 == 0 ? "1\n" : "NA\n");
        }
        // rows 1, 2, 4, 5, 7, 8, … (13 of 20) missing: lines 3, 4, 6, 7, 9 and 8 more
        assertEquals("s.csv column v: 13 missing values (lines 3, 4, 6, 7, 9 and 8 more); use --missing interpolate or "
                + "--missing skip", refusal(many.toString(), Policy.ERROR));
    }

    @Test
    void badValuesAreRefusedUnderEveryPolicy() {
        String text = "d,v\n1,1\n2,abc\n3,NA\n4,4\n5,1;5\n";
        String bad = "s.csv column v: 2 values that are not numbers (line 3 'abc' and line 6 '1;5'); write plain decimal "
                + "numbers such as 8486, -0.25 or 1.5e3, and mark a missing value with an empty field or NA";
        assertEquals(bad, refusal(text, Policy.INTERPOLATE));
        assertEquals(bad, refusal(text, Policy.SKIP));
        // ERROR names the missing value too
        assertEquals("s.csv column v: 2 values that are not numbers (line 3 'abc' and line 6 '1;5') and 1 missing value "
                + "(line 4); write plain decimal numbers such as 8486, -0.25 or 1.5e3, and mark a missing value with an "
                + "empty field or NA, then use --missing interpolate or --missing skip", refusal(text, Policy.ERROR));
    }

    @Test
    void aColumnWithoutObservedValuesIsRefusedUnderEveryPolicy() {
        for (Policy policy : Policy.values()) {
            assertEquals("s.csv column v: all 3 values are missing (lines 2, 3 and 4); no policy can fill a column "
                    + "without one observed value", refusal("d,v\n1,\n2,NA\n3,\n", policy), policy.name());
        }
        assertEquals("s.csv column v: its only value is missing (line 2); no policy can fill a column without one observed "
                + "value", refusal("d,v\n1,NA\n", Policy.INTERPOLATE));
    }

    @Test
    void theResultIsACopy() {
        FilledSeries filled = MissingValues.fill(column("v\n1\nNA\n3\n"), Policy.INTERPOLATE);
        filled.values()[1] = 99;
        filled.observed()[1] = true;
        assertEquals(2, filled.values()[1]);
        assertArrayEquals(new int[] {1}, filled.unobservedRows());
    }
}
