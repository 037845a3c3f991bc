package dev.vdrop.runtime.mc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ClassPredictionTest {
    private static final double LOG2 = Math.log(2);

    @Test
    void twoConfidentPassesThatDisagree() {
        ClassPrediction p = ClassPrediction.of(new double[][] {{1, 0}, {0, 1}});
        assertEquals(2, p.samples());
        assertEquals(2, p.classes());
        assertArrayEquals(new double[] {0.5, 0.5}, p.mean(), 0);
        assertEquals(LOG2, p.predictiveEntropy(), 1e-15);
        assertEquals(0, p.expectedEntropy(), 0); // 0 log 0 = 0, no NaN
        assertEquals(LOG2, p.mutualInformation(), 1e-15);
    }

    @Test
    void identicalPassesHaveNoMutualInformation() {
        double[] q = {0.2, 0.3, 0.5};
        double h = -(0.2 * Math.log(0.2) + 0.3 * Math.log(0.3) + 0.5 * Math.log(0.5)); // 1.0297 nats
        ClassPrediction p = ClassPrediction.of(new double[][] {q, q, q});
        assertEquals(h, p.predictiveEntropy(), 1e-12);
        assertEquals(h, p.expectedEntropy(), 1e-12);
        assertEquals(0, p.mutualInformation(), 1e-12);
        assertTrue(p.mutualInformation() >= 0);
        assertEquals(2, p.argmax());
    }

    @Test
    void roundingNeverGivesNegativeMutualInformation() {
        // Three equal samples whose mean is not exactly representable: the raw difference may be a few
        // ulps below 0, the reported mutual information may not.
        double[] q = {0.1, 0.7, 0.2};
        for (int k = 1; k <= 40; k++) {
            ClassPrediction.Accumulator acc = ClassPrediction.accumulator(3);
            for (int i = 0; i < k; i++) {
                acc.add(q);
            }
            assertTrue(acc.result().mutualInformation() >= 0, "K = " + k);
        }
    }

    @Test
    void aHalfAndAConfidentPass() {
        // p1 = [.5, .5] (entropy log 2), p2 = [1, 0] (entropy 0): mean [.75, .25].
        ClassPrediction p = ClassPrediction.of(new double[][] {{0.5, 0.5}, {1, 0}});
        double predictive = -(0.75 * Math.log(0.75) + 0.25 * Math.log(0.25)); // 0.5623 nats
        assertArrayEquals(new double[] {0.75, 0.25}, p.mean(), 0);
        assertEquals(predictive, p.predictiveEntropy(), 1e-15);
        assertEquals(LOG2 / 2, p.expectedEntropy(), 1e-15);
        assertEquals(predictive - LOG2 / 2, p.mutualInformation(), 1e-15);
        assertEquals(0, p.argmax());
    }

    @Test
    void entropyIsInNats() {
        // Uniform over 4 classes: log 4 nats (2 bits).
        ClassPrediction p = ClassPrediction.of(new double[][] {{0.25, 0.25, 0.25, 0.25}});
        assertEquals(Math.log(4), p.predictiveEntropy(), 1e-15);
        assertEquals(1.3862943611198906, p.predictiveEntropy(), 1e-15);
    }

    @Test
    void averagesProbabilitiesNotLogits() {
        // Logits of three passes over two classes: [10, 0], [-2, 0], [-2, 0].
        // Softmax by hand: [1/(1+e^-10), e^-10/(1+e^-10)] and twice [e^-2/(e^-2+1), 1/(e^-2+1)].
        double a = 1 / (1 + Math.exp(-10));
        double b = Math.exp(-2) / (Math.exp(-2) + 1); // 0.1192
        double[][] probabilities = {{a, 1 - a}, {b, 1 - b}, {b, 1 - b}};
        ClassPrediction p = ClassPrediction.of(probabilities);
        double meanOfProbabilities = (a + 2 * b) / 3; // 0.413: class 1 wins
        assertEquals(meanOfProbabilities, p.mean()[0], 1e-15);
        assertEquals(1, p.argmax());
        // Averaging the logits first gives [2, 0], softmax 1/(1+e^-2) = 0.881 for class 0: another answer.
        double softmaxOfMeanLogits = 1 / (1 + Math.exp(-2));
        assertNotEquals(softmaxOfMeanLogits, p.mean()[0], 0.1);
        assertTrue(softmaxOfMeanLogits > 0.5 && p.mean()[0] < 0.5);
    }

    @Test
    void accumulatorMatchesTheBatchAndKeepsGoing() {
        double[][] samples = {{0.7, 0.2, 0.1}, {0.1, 0.8, 0.1}, {0.3, 0.3, 0.4}};
        ClassPrediction.Accumulator acc = ClassPrediction.accumulator(3);
        acc.add(samples[0]).add(samples[1]);
        ClassPrediction two = acc.result();
        assertEquals(2, two.samples());
        assertArrayEquals(new double[] {0.4, 0.5, 0.1}, two.mean(), 1e-15);
        acc.add(samples[2]);
        ClassPrediction three = acc.result();
        ClassPrediction batch = ClassPrediction.of(samples);
        assertEquals(3, three.samples());
        // Means by hand: (0.7+0.1+0.3)/3, (0.2+0.8+0.3)/3, (0.1+0.1+0.4)/3.
        assertArrayEquals(new double[] {1.1 / 3, 1.3 / 3, 0.2}, three.mean(), 1e-15);
        assertArrayEquals(batch.mean(), three.mean(), 0);
        assertEquals(batch.predictiveEntropy(), three.predictiveEntropy(), 0);
        assertEquals(batch.expectedEntropy(), three.expectedEntropy(), 0);
        // The earlier result is a value: adding more did not change it.
        assertEquals(2, two.samples());
        assertArrayEquals(new double[] {0.4, 0.5, 0.1}, two.mean(), 1e-15);
    }

    @Test
    void thePredictedProbabilityIsTheMeanAtTheArgmax() {
        // mean of (0.1, 0.6, 0.3) and (0.5, 0.2, 0.3): (0.3, 0.4, 0.3), class 1 at 0.4
        ClassPrediction p = ClassPrediction.of(new double[][] {{0.1, 0.6, 0.3}, {0.5, 0.2, 0.3}});
        assertEquals(1, p.argmax());
        assertEquals(0.4, p.predictedProbability(), 1e-15);
    }

    @Test
    void argmaxTakesTheLowestIndexOnTies() {
        assertEquals(1, ClassPrediction.of(new double[][] {{0.2, 0.4, 0.4}}).argmax());
    }

    @Test
    void meanIsACopy() {
        ClassPrediction p = ClassPrediction.of(new double[][] {{0.5, 0.5}});
        p.mean()[0] = 9;
        assertEquals(0.5, p.mean()[0]);
        assertEquals(0.5, p.probability(0));
    }

    @Test
    void rejectsWhatIsNotAProbabilityVector() {
        assertEquals("sample 1 sums to 3.0, not 1 (tolerance 1.0E-4); pass softmax outputs, not logits",
                assertThrows(IllegalArgumentException.class,
                        () -> ClassPrediction.of(new double[][] {{0.5, 0.5}, {2, 1}})).getMessage());
        assertEquals("sample 0, class 1: -0.5 is not a probability; pass softmax outputs, not logits",
                assertThrows(IllegalArgumentException.class,
                        () -> ClassPrediction.of(new double[][] {{1.5, -0.5}})).getMessage());
        assertEquals("sample 0, class 0: NaN is not a probability; pass softmax outputs, not logits",
                assertThrows(IllegalArgumentException.class,
                        () -> ClassPrediction.of(new double[][] {{Double.NaN, 1}})).getMessage());
        assertEquals("sample 1 has 3 probabilities; expected one per class, 2",
                assertThrows(IllegalArgumentException.class,
                        () -> ClassPrediction.of(new double[][] {{0.5, 0.5}, {0.2, 0.3, 0.5}})).getMessage());
        assertEquals("an MC prediction needs at least one sample (K >= 1), got none",
                assertThrows(IllegalArgumentException.class, () -> ClassPrediction.of(new double[0][])).getMessage());
        assertThrows(IllegalArgumentException.class, () -> ClassPrediction.accumulator(0));
        assertThrows(IllegalStateException.class, () -> ClassPrediction.accumulator(2).result());
    }

    @Test
    void aRejectedSampleLeavesTheAccumulatorUnchanged() {
        ClassPrediction.Accumulator acc = ClassPrediction.accumulator(2).add(new double[] {1, 0});
        assertThrows(IllegalArgumentException.class, () -> acc.add(new double[] {0.9, 0.9}));
        assertEquals(1, acc.samples());
        assertArrayEquals(new double[] {1, 0}, acc.result().mean(), 0);
    }

    @Test
    void floatSoftmaxRoundingIsAccepted() {
        float third = 1f / 3;
        ClassPrediction p = ClassPrediction.of(new double[][] {{third, third, third}});
        assertEquals(Math.log(3), p.predictiveEntropy(), 1e-6);
    }

    @Test
    void variationRatioCountsEachSamplesVote() {
        // Argmaxes of the five samples: 0, 1, 1, 2, 1 (the last a tie of 1 and 2: the lowest index).
        // Class 1 has m = 3 votes: 1 - 3/5 = 0.4. The mean is [1.4, 1.7, 1.9]/5 = [0.28, 0.34, 0.38]:
        // its argmax is 2, not the modal vote; votes do not weigh confidence.
        double[][] samples = {{0.5, 0.4, 0.1}, {0.1, 0.5, 0.4}, {0.2, 0.45, 0.35}, {0.3, 0, 0.7}, {0.3, 0.35, 0.35}};
        ClassPrediction batch = ClassPrediction.of(samples);
        assertEquals(0.4, batch.variationRatio(), 1e-15);
        assertEquals(2, batch.argmax());
        ClassPrediction.Accumulator acc = ClassPrediction.accumulator(3);
        for (double[] sample : samples) {
            acc.add(sample);
        }
        assertEquals(0.4, acc.result().variationRatio(), 1e-15);
    }

    @Test
    void variationRatioIsZeroWhenEveryPassAgreesEvenIfUnsure() {
        // Every pass votes for class 2 with 0.4: no disagreement in votes, 1 - 3/3 = 0.
        ClassPrediction p = ClassPrediction.of(new double[][] {{0.3, 0.3, 0.4}, {0.35, 0.25, 0.4}, {0.2, 0.39, 0.41}});
        assertEquals(0, p.variationRatio(), 0);
        assertEquals(0, ClassPrediction.of(new double[][] {{0.5, 0.5}}).variationRatio(), 0); // K = 1
    }

    @Test
    void variationRatioTakesTheLowestIndexOnATiedSample() {
        // {0.5, 0.5} votes for class 0 (lowest index), {0, 1} for class 1, {0.5, 0.5} again for class 0:
        // m = 2 out of K = 3, 1 - 2/3 = 1/3. Had ties gone to the highest index, m would be 3 and the ratio 0.
        ClassPrediction p = ClassPrediction.of(new double[][] {{0.5, 0.5}, {0, 1}, {0.5, 0.5}});
        assertEquals(1.0 / 3, p.variationRatio(), 1e-15);
    }

    @Test
    void variationRatioWithVotesSpreadEvenly() {
        // Four passes, two votes each for classes 0 and 1: 1 - 2/4 = 0.5 = 1 - 1/C, the largest for C = 2.
        ClassPrediction.Accumulator acc = ClassPrediction.accumulator(2);
        acc.add(new double[] {0.9, 0.1}).add(new double[] {0.2, 0.8});
        assertEquals(0.5, acc.result().variationRatio(), 1e-15); // after two: 1 - 1/2
        acc.add(new double[] {0.2, 0.8});
        assertEquals(1.0 / 3, acc.result().variationRatio(), 1e-15); // after three: 1 - 2/3
        acc.add(new double[] {0.6, 0.4});
        assertEquals(0.5, acc.result().variationRatio(), 1e-15);
    }

    @Test
    void aRejectedSampleCastsNoVote() {
        ClassPrediction.Accumulator acc = ClassPrediction.accumulator(2).add(new double[] {1, 0});
        assertThrows(IllegalArgumentException.class, () -> acc.add(new double[] {0.1, 1.2}));
        acc.add(new double[] {0, 1});
        // Votes for 0 and 1 only: 1 - 1/2. Had the rejected sample's vote (class 1) been kept, m = 2 of K = 2: 0.
        assertEquals(0.5, acc.result().variationRatio(), 1e-15);
    }
}
