package dev.vdrop.samples;

import dev.vdrop.dsl.Embedding;
import dev.vdrop.dsl.Layer;
import dev.vdrop.dsl.Model;
import dev.vdrop.dsl.Over;
import dev.vdrop.dsl.Softmax;
import dev.vdrop.dsl.VariationalLSTM;

/**
 * The {@code classify} command's model: a token embedding, one LSTM with variational dropout and a
 * softmax over the classes at each sequence's last step. The vocabulary (characters or words) and
 * the classes come from the data: {@code TextClassifierNetwork.builder()} asks for both.
 *
 * <p>No weight drop: with texts of different lengths an MC call runs one sample per pass when the
 * model has weight drop (see {@code McPredictor}), and variational dropout on h already regularises
 * the recurrent connections.
 */
@Model
abstract class TextClassifier {
    /** Token vectors; the vocabulary is the training texts' characters or words. */
    @Embedding(size = 32)
    Layer embedding;

    /** Dropout 0.25 on the input, on h (one mask per sequence) and before the softmax. */
    @VariationalLSTM(units = 64, input = 0.25, recurrent = 0.25, output = 0.25)
    Layer lstm;

    /** One distribution over the labels per text, read at its last token. */
    @Softmax(over = Over.LAST_STEP)
    Layer label;
}
