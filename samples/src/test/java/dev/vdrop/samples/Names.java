package dev.vdrop.samples;

import dev.vdrop.dsl.Embedding;
import dev.vdrop.dsl.Layer;
import dev.vdrop.dsl.Model;
import dev.vdrop.dsl.Over;
import dev.vdrop.dsl.Softmax;
import dev.vdrop.dsl.VariationalLSTM;

/** The README's classifier, compiled here so that it cannot drift: {@link ReadmeClassifierTest} checks the README shows it. */
// example: model
@Model                                   // generates NamesNetwork
abstract class Names {
    @Embedding(size = 32)                // vocabulary: from the data
    Layer embedding;

    @VariationalLSTM(units = 64, input = 0.25, recurrent = 0.25, output = 0.25)
    Layer lstm;

    @Softmax(over = Over.LAST_STEP)      // one label per name, read at its last character
    Layer label;
}
// end
