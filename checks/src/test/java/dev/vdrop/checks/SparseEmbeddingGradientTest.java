package dev.vdrop.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdrop.runtime.DropoutMode;
import dev.vdrop.runtime.Gradients;
import dev.vdrop.runtime.Mat;
import dev.vdrop.runtime.Parameter;
import dev.vdrop.runtime.Rng;
import dev.vdrop.runtime.Workspace;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The embedding gradient of a 500-word model is written column by column, and the norm, the SGD
 * step and the clearing before the next pass visit only the columns a pass wrote. Two passes over
 * disjoint words: the second pass's norm and step must equal the dense definitions, computed here
 * from every element of every gradient, so a column left over from the first pass, or one the
 * generated code wrote without saying so, shows. With a batch of sequences of different lengths
 * too, whose pass visits only the sequences' own steps: only the words that occur get a column.
 */
class SparseEmbeddingGradientTest {
    @ParameterizedTest(name = "sequences of {0} steps")
    @ValueSource(strings = {"4, 4, 4", "4, 1, 3"})
    void normAndStepOverWrittenColumnsEqualTheDenseOnes(String lengths) {
        int[] steps = java.util.Arrays.stream(lengths.split(", ")).mapToInt(Integer::parseInt).toArray();
        ManyWordsNetwork network = new ManyWordsNetwork(GradientCheckTest.float64(21));
        Workspace<int[][], int[][]> segment = network.workspace(3, 4);
        Rng rng = new Rng(5);
        segment.sampleMasks(rng, DropoutMode.TRAIN);
        List<Parameter> parameters = network.parameters();
        java.util.Set<Integer> occurring = new java.util.HashSet<>();
        for (int pass = 0; pass < 2; pass++) {
            int[][] words = new int[3][];
            for (int b = 0; b < 3; b++) {
                words[b] = new int[steps[b]];
            }
            occurring.clear();
            for (int[] row : words) {
                for (int t = 0; t < row.length; t++) {
                    row[t] = 250 * pass + (int) (rng.nextDouble() * 250);
                    occurring.add(row[t]);
                }
            }
            Gradients.zero(parameters);
            segment.forward(words, words);
            segment.backward();
        }
        List<double[]> before = new ArrayList<>();
        for (Parameter p : parameters) {
            before.add(Harness.flatten(p.value()));
        }
        double norm = Gradients.globalNorm(parameters);
        Gradients.sgdStep(parameters, 0.5, 0, 0.25);

        // the dense definitions, from every element (reading gradient() ends the column tracking)
        double squares = 0;
        for (int k = 0; k < parameters.size(); k++) {
            Parameter p = parameters.get(k);
            double[] g = Harness.flatten(p.gradient());
            double[] after = Harness.flatten(p.value());
            for (int i = 0; i < g.length; i++) {
                squares += g[i] * g[i];
                assertEquals(before.get(k)[i] - 0.5 * 0.25 * g[i], after[i], 1e-15, p.name() + " element " + i);
            }
        }
        assertEquals(Math.sqrt(squares), norm, 1e-12 * Math.sqrt(squares));

        Mat embedding = parameters.get(0).gradient();
        assertEquals("embedding.E", parameters.get(0).name());
        int nonZero = 0;
        for (int word = 0; word < 500; word++) {
            for (int r = 0; r < embedding.rows(); r++) {
                if (word < 250) {
                    assertEquals(0, embedding.get(r, word), 0, "word " + word + " of the first pass was cleared");
                } else if (embedding.get(r, word) != 0) {
                    assertTrue(occurring.contains(word), "word " + word + " does not occur in the second pass");
                    nonZero++;
                }
            }
        }
        assertTrue(nonZero > 0, "the second pass wrote some of its words' columns");
    }
}
