package dev.vdrop.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdrop.runtime.NetworkConfig;
import dev.vdrop.runtime.eval.McPredictor;
import dev.vdrop.runtime.mc.ClassPrediction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The javadoc example of {@link McPredictor}, compiled and run on generated networks, in the way of
 * {@link ExamplesTest}: the example is the code between {@code // example: NAME} and {@code // end}
 * below, and {@link #theJavadocShowsExactlyThisExample} checks that the javadoc's
 * {@code <pre>{@code …}</pre>} block after "(example {@code NAME}" is the same code, line for line.
 */
class McExamplesTest {
    @Test
    void classifyAndTag() {
        ClassifierNetwork classifier = new ClassifierNetwork(NetworkConfig.builder().seed(6).build());
        TaggerNetwork tagger = TaggerNetwork.builder().vocabulary(11).config(NetworkConfig.builder().seed(7).build()).build();
        // example: McPredictor.classify
        int[][] names = {{3, 1, 7}, {5, 2, 9, 2, 4}, {8, 1}};                // token ids, any lengths
        List<ClassPrediction> predicted = McPredictor.classify(classifier, names, 50, 2026L);  // K = 50, seed 2026
        ClassPrediction second = predicted.get(1);
        int label = second.argmax();                                          // the second name's class
        double confidence = second.predictedProbability();
        double epistemic = second.mutualInformation();                        // nats
        List<List<ClassPrediction>> tags = McPredictor.tag(tagger, names, 50, 2026L);  // per name, per step
        int lastTag = tags.get(1).get(4).argmax();
        // end
        assertEquals(3, predicted.size());
        assertTrue(label >= 0 && label < 3, "label " + label);
        assertTrue(confidence >= 1.0 / 3 && confidence <= 1, "the most probable of 3 classes: " + confidence);
        assertTrue(epistemic >= 0 && epistemic <= Math.log(3), "mutual information " + epistemic);
        assertEquals(50, second.samples());
        assertEquals(List.of(3, 5, 2), tags.stream().map(List::size).toList(), "a prediction per step");
        assertTrue(lastTag >= 0 && lastTag < 4, "tag " + lastTag);
    }

    @Test
    void theJavadocShowsExactlyThisExample() throws IOException {
        Path source = Path.of("..", "runtime", "src", "main", "java", "dev", "vdrop", "runtime", "eval", "McPredictor.java");
        String examples = Files.readString(Path.of("src", "test", "java", "dev", "vdrop", "checks", "McExamplesTest.java"));
        assertEquals(Snippets.ofTest(examples, "McPredictor.classify", "McExamplesTest"),
                Snippets.ofJavadoc(Files.readString(source), "McPredictor.classify", source),
                "the javadoc example of McPredictor must be the code of McExamplesTest's, line for line");
    }
}
