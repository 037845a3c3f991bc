package dev.vdrop.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * Rules 3, 5 and 6: how the layers fit together. The dropout modifiers beside their layer, one
 * input first, one output last, at least one recurrent layer (LSTM or GRU, mixed as one likes),
 * and a tied decoder whose shapes fit; each message names the cell that is there.
 *
 * <p>Through javac: one small source per case, asserting the number of errors, the message (rule,
 * value found, fix) and the line the diagnostic points at.
 */
class LayerRulesTest extends CompilingTest {

    // ---------------------------------------------------------------------------------------
    // Rule 3: the dropout modifiers belong beside their layer.

    @Test
    void weightDropOnEmbedding() {
        JavaFileObject source = source("test.Lm", """
                @Model
                abstract class Lm {
                    @Embedding(vocabulary = 100, size = 20)
                    @WeightDrop(0.5)
                    Layer embedding;

                    @VariationalLSTM(units = 20)
                    Layer lstm;

                    @Softmax(classes = 100)
                    Layer decoder;
                }
                """);

        Compilation compilation = compile(source);

        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation)
                .hadErrorContaining("@WeightDrop on 'embedding' needs a recurrent layer, but 'embedding' is"
                        + " @Embedding; put @WeightDrop on a @VariationalLSTM or @VariationalGRU field")
                .inFile(source)
                .onLineContaining("@WeightDrop(0.5)");
    }

    @Test
    void weightDropOnSoftmax() {
        JavaFileObject source = source("test.Lm", """
                @Model
                abstract class Lm {
                    @Embedding(vocabulary = 100, size = 20)
                    Layer embedding;

                    @VariationalLSTM(units = 20)
                    Layer lstm;

                    @WeightDrop(0.5)
                    @Softmax(classes = 100)
                    Layer decoder;
                }
                """);

        Compilation compilation = compile(source);

        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation)
                .hadErrorContaining("@WeightDrop on 'decoder' needs a recurrent layer, but 'decoder' is @Softmax;"
                        + " put @WeightDrop on a @VariationalLSTM or @VariationalGRU field")
                .inFile(source)
                .onLineContaining("@WeightDrop(0.5)");
    }

    @Test
    void embeddingDropoutOnLstm() {
        JavaFileObject source = source("test.Lm", """
                @Model
                abstract class Lm {
                    @Embedding(vocabulary = 100, size = 20)
                    Layer embedding;

                    @EmbeddingDropout(0.1)
                    @VariationalLSTM(units = 20)
                    Layer lstm;

                    @Softmax(classes = 100)
                    Layer decoder;
                }
                """);

        Compilation compilation = compile(source);

        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation)
                .hadErrorContaining("@EmbeddingDropout on 'lstm' needs an embedding, but 'lstm' is"
                        + " @VariationalLSTM; put @EmbeddingDropout on the @Embedding field")
                .inFile(source)
                .onLineContaining("@EmbeddingDropout(0.1)");
    }

    @Test
    void weightDropOnEmbeddingOfAGruModel() {
        JavaFileObject source = source("test.Lm", """
                @Model
                abstract class Lm {
                    @WeightDrop(0.5)
                    @Embedding(vocabulary = 100, size = 20)
                    Layer embedding;

                    @VariationalGRU(units = 20)
                    Layer gru;

                    @Softmax(classes = 100)
                    Layer decoder;
                }
                """);

        Compilation compilation = compile(source);

        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation)
                .hadErrorContaining("@WeightDrop on 'embedding' needs a recurrent layer, but 'embedding' is"
                        + " @Embedding; put @WeightDrop on a @VariationalLSTM or @VariationalGRU field")
                .inFile(source)
                .onLineContaining("@WeightDrop(0.5)");
        assertNothingGenerated(compilation);
    }

    @Test
    void embeddingDropoutOnGru() {
        JavaFileObject source = source("test.Lm", """
                @Model
                abstract class Lm {
                    @Embedding(vocabulary = 100, size = 20)
                    Layer embedding;

                    @VariationalGRU(units = 20)
                    @EmbeddingDropout(0.1)
                    Layer gru;

                    @Softmax(classes = 100)
                    Layer decoder;
                }
                """);

        Compilation compilation = compile(source);

        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation)
                .hadErrorContaining("@EmbeddingDropout on 'gru' needs an embedding, but 'gru' is"
                        + " @VariationalGRU; put @EmbeddingDropout on the @Embedding field")
                .inFile(source)
                .onLineContaining("@EmbeddingDropout(0.1)");
    }

    @Test
    void embeddingDropoutOnInput() {
        JavaFileObject source = source("test.Forecast", """
                @Model
                abstract class Forecast {
                    @Input(features = 3)
                    @EmbeddingDropout(0.1)
                    Layer readings;

                    @VariationalLSTM(units = 16)
                    Layer lstm;

                    @Regression(outputs = 1)
                    Layer forecast;
                }
                """);

        Compilation compilation = compile(source);

        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation)
                .hadErrorContaining("@EmbeddingDropout on 'readings' needs an embedding, but 'readings' is @Input;"
                        + " put @EmbeddingDropout on the @Embedding field")
                .inFile(source)
                .onLineContaining("@EmbeddingDropout(0.1)");
    }

    // ---------------------------------------------------------------------------------------
    // Rule 5: one input first, one output last, at least one recurrent layer.

    @Test
    void noInputLayer() {
        JavaFileObject source = source("test.Lm", """
                @Model
                abstract class Lm {
                    @VariationalLSTM(units = 20)
                    Layer lstm;

                    @Softmax(classes = 100)
                    Layer decoder;
                }
                """);

        Compilation compilation = compile(source);

        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation)
                .hadErrorContaining("@Model Lm has no input layer; declare its first field as"
                        + " @Embedding(vocabulary = .., size = ..) for tokens or @Input(features = ..)")
                .inFile(source)
                .onLineContaining("@Model");
    }

    @Test
    void twoInputLayers() {
        JavaFileObject source = source("test.Lm", """
                @Model
                abstract class Lm {
                    @Embedding(vocabulary = 100, size = 20)
                    Layer embedding;

                    @Input(features = 3)
                    Layer features;

                    @VariationalLSTM(units = 20)
                    Layer lstm;

                    @Softmax(classes = 100)
                    Layer decoder;
                }
                """);

        Compilation compilation = compile(source);

        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation)
                .hadErrorContaining("'features' is a second input layer (the first is 'embedding'); a model has"
                        + " exactly one input layer, so remove one of them")
                .inFile(source)
                .onLineContaining("@Input(features = 3)");
    }

    @Test
    void inputLayerNotFirst() {
        JavaFileObject source = source("test.Lm", """
                @Model
                abstract class Lm {
                    @VariationalLSTM(units = 20)
                    Layer lstm;

                    @Embedding(vocabulary = 100, size = 20)
                    Layer embedding;

                    @Softmax(classes = 100)
                    Layer decoder;
                }
                """);

        Compilation compilation = compile(source);

        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation)
                .hadErrorContaining("input layer 'embedding' must be the first layer, but 'lstm' is declared before"
                        + " it; move 'embedding' above every other layer field")
                .inFile(source)
                .onLineContaining("@Embedding(vocabulary = 100, size = 20)");
    }

    @Test
    void inputLayerAfterAGru() {
        JavaFileObject source = source("test.Lm", """
                @Model
                abstract class Lm {
                    @VariationalGRU(units = 20)
                    Layer gru;

                    @Embedding(vocabulary = 100, size = 20)
                    Layer embedding;

                    @Softmax(classes = 100)
                    Layer decoder;
                }
                """);

        Compilation compilation = compile(source);

        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation)
                .hadErrorContaining("input layer 'embedding' must be the first layer, but 'gru' is declared before"
                        + " it; move 'embedding' above every other layer field")
                .inFile(source)
                .onLineContaining("@Embedding(vocabulary = 100, size = 20)");
    }

    @Test
    void outputLayerBeforeAGru() {
        JavaFileObject source = source("test.Lm", """
                @Model
                abstract class Lm {
                    @Embedding(vocabulary = 100, size = 20)
                    Layer embedding;

                    @VariationalLSTM(units = 20)
                    Layer lstm;

                    @Softmax(classes = 100)
                    Layer decoder;

                    @VariationalGRU(units = 20)
                    Layer gru;
                }
                """);

        Compilation compilation = compile(source);

        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation)
                .hadErrorContaining("output layer 'decoder' must be the last layer, but 'gru' is declared after"
                        + " it; move 'decoder' below every other layer field")
                .inFile(source)
                .onLineContaining("@Softmax(classes = 100)");
        assertNothingGenerated(compilation);
    }

    @Test
    void noOutputLayer() {
        JavaFileObject source = source("test.Lm", """
                @Model
                abstract class Lm {
                    @Embedding(vocabulary = 100, size = 20)
                    Layer embedding;

                    @VariationalLSTM(units = 20)
                    Layer lstm;
                }
                """);

        Compilation compilation = compile(source);

        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation)
                .hadErrorContaining("@Model Lm has no output layer; declare its last field as"
                        + " @Softmax(classes = ..) for classes or tokens or @Regression(outputs = ..)")
                .inFile(source)
                .onLineContaining("@Model");
    }

    @Test
    void twoOutputLayers() {
        JavaFileObject source = source("test.Lm", """
                @Model
                abstract class Lm {
                    @Embedding(vocabulary = 100, size = 20)
                    Layer embedding;

                    @VariationalLSTM(units = 20)
                    Layer lstm;

                    @Softmax(classes = 100)
                    Layer decoder;

                    @Regression(outputs = 1)
                    Layer score;
                }
                """);

        Compilation compilation = compile(source);

        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation)
                .hadErrorContaining("'decoder' is a second output layer (the last is 'score'); a model has"
                        + " exactly one output layer, so remove one of them")
                .inFile(source)
                .onLineContaining("@Softmax(classes = 100)");
    }

    @Test
    void outputLayerNotLast() {
        JavaFileObject source = source("test.Lm", """
                @Model
                abstract class Lm {
                    @Embedding(vocabulary = 100, size = 20)
                    Layer embedding;

                    @Softmax(classes = 100)
                    Layer decoder;

                    @VariationalLSTM(units = 20)
                    Layer lstm;
                }
                """);

        Compilation compilation = compile(source);

        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation)
                .hadErrorContaining("output layer 'decoder' must be the last layer, but 'lstm' is declared after"
                        + " it; move 'decoder' below every other layer field")
                .inFile(source)
                .onLineContaining("@Softmax(classes = 100)");
    }

    @Test
    void noRecurrentLayer() {
        JavaFileObject source = source("test.Lm", """
                @Model
                abstract class Lm {
                    @Embedding(vocabulary = 100, size = 20)
                    Layer embedding;

                    @Softmax(classes = 100)
                    Layer decoder;
                }
                """);

        Compilation compilation = compile(source);

        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation)
                .hadErrorContaining("@Model Lm has no recurrent layer; add a @VariationalLSTM(units = ..) or"
                        + " @VariationalGRU(units = ..) field between the input and the output layer")
                .inFile(source)
                .onLineContaining("@Model");
    }

    @Test
    void emptyModelLacksEveryLayer() {
        JavaFileObject source = source("test.Lm", """
                @Model
                abstract class Lm {
                }
                """);

        Compilation compilation = compile(source);

        assertThat(compilation).hadErrorCount(3);
        assertThat(compilation).hadErrorContaining("@Model Lm has no input layer")
                .inFile(source).onLineContaining("@Model");
        assertThat(compilation).hadErrorContaining("@Model Lm has no output layer")
                .inFile(source).onLineContaining("@Model");
        assertThat(compilation).hadErrorContaining("@Model Lm has no recurrent layer")
                .inFile(source).onLineContaining("@Model");
    }

    // ---------------------------------------------------------------------------------------
    // Rule 6: a tied decoder reuses the embedding, so the shapes must fit.

    @Test
    void tiedDecoderWithClassesNotVocabulary() {
        JavaFileObject source = source("test.Lm", """
                @Model
                abstract class Lm {
                    @Embedding(vocabulary = 100, size = 20)
                    Layer embedding;

                    @VariationalLSTM(units = 20)
                    Layer lstm;

                    @Softmax(
                            classes = 50,
                            tiedToEmbedding = true)
                    Layer decoder;
                }
                """);

        Compilation compilation = compile(source);

        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation)
                .hadErrorContaining("@Softmax(tiedToEmbedding = true) on 'decoder' reuses the embedding as the"
                        + " decoder, so classes (50) must equal the vocabulary of 'embedding' (100); set"
                        + " classes = 100 or tiedToEmbedding = false")
                .inFile(source)
                .onLineContaining("tiedToEmbedding = true");
    }

    @Test
    void tiedDecoderWithUnitsNotEmbeddingSize() {
        JavaFileObject source = source("test.Lm", """
                @Model
                abstract class Lm {
                    @Embedding(vocabulary = 100, size = 20)
                    Layer embedding;

                    @VariationalLSTM(units = 64)
                    Layer lstm1;

                    @VariationalLSTM(units = 30)
                    Layer lstm2;

                    @Softmax(
                            classes = 100,
                            tiedToEmbedding = true)
                    Layer decoder;
                }
                """);

        Compilation compilation = compile(source);

        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation)
                .hadErrorContaining("@Softmax(tiedToEmbedding = true) on 'decoder' reuses the embedding as the"
                        + " decoder, so the last LSTM 'lstm2' must have as many units (30) as the embedding size"
                        + " of 'embedding' (20); set units = 20 on 'lstm2' or tiedToEmbedding = false")
                .inFile(source)
                .onLineContaining("tiedToEmbedding = true");
    }

    @Test
    void tiedDecoderWithGruUnitsNotEmbeddingSize() {
        JavaFileObject source = source("test.Lm", """
                @Model
                abstract class Lm {
                    @Embedding(vocabulary = 100, size = 20)
                    Layer embedding;

                    @VariationalLSTM(units = 20)
                    Layer lstm;

                    @VariationalGRU(units = 30)
                    Layer gru;

                    @Softmax(
                            classes = 100,
                            tiedToEmbedding = true)
                    Layer decoder;
                }
                """);

        Compilation compilation = compile(source);

        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation)
                .hadErrorContaining("@Softmax(tiedToEmbedding = true) on 'decoder' reuses the embedding as the"
                        + " decoder, so the last GRU 'gru' must have as many units (30) as the embedding size"
                        + " of 'embedding' (20); set units = 20 on 'gru' or tiedToEmbedding = false")
                .inFile(source)
                .onLineContaining("tiedToEmbedding = true");
        assertNothingGenerated(compilation);
    }

    @Test
    void tiedDecoderWithLstmOverGruNamesTheLstm() {
        // the GRU below has the embedding's width, the LSTM on top does not: the message is the LSTM's
        JavaFileObject source = source("test.Lm", """
                @Model
                abstract class Lm {
                    @Embedding(vocabulary = 100, size = 20)
                    Layer embedding;

                    @VariationalGRU(units = 20)
                    Layer gru;

                    @VariationalLSTM(units = 30)
                    Layer lstm;

                    @Softmax(
                            classes = 100,
                            tiedToEmbedding = true)
                    Layer decoder;
                }
                """);

        Compilation compilation = compile(source);

        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation)
                .hadErrorContaining("so the last LSTM 'lstm' must have as many units (30) as the embedding size"
                        + " of 'embedding' (20); set units = 20 on 'lstm' or tiedToEmbedding = false")
                .inFile(source)
                .onLineContaining("tiedToEmbedding = true");
    }

    // ---------------------------------------------------------------------------------------
    // LSTM and GRU layers stack in any order.

    @Test
    void mixedStacksCompileWithoutWarnings() {
        JavaFileObject source = source("test.Lm", """
                @Model
                abstract class Lm {
                    @Embedding(vocabulary = 100, size = 20)
                    @EmbeddingDropout(0.1)
                    Layer embedding;

                    @VariationalGRU(units = 32, input = 0.3, recurrent = 0.2, output = 0.3, masks = Masks.UNTIED)
                    Layer gru1;

                    @WeightDrop(0.5)
                    @VariationalLSTM(units = 24, input = 0.3, output = 0.3)
                    Layer lstm;

                    @WeightDrop(0.3)
                    @VariationalGRU(units = 20, output = 0.4, masks = Masks.PER_STEP)
                    Layer gru2;

                    @Softmax(
                            classes = 100,
                            tiedToEmbedding = true)
                    Layer decoder;
                }
                """);

        Compilation compilation = compile(source);

        assertThat(compilation).succeededWithoutWarnings();
        assertGenerated(compilation, "test.LmNetwork");
    }

    @Test
    void tiedDecoderWithoutEmbedding() {
        JavaFileObject source = source("test.Tagger", """
                @Model
                abstract class Tagger {
                    @Input(features = 20)
                    Layer features;

                    @VariationalLSTM(units = 20)
                    Layer lstm;

                    @Softmax(
                            classes = 20,
                            tiedToEmbedding = true)
                    Layer tags;
                }
                """);

        Compilation compilation = compile(source);

        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation)
                .hadErrorContaining("@Softmax(tiedToEmbedding = true) on 'tags' reuses the embedding as the"
                        + " decoder, but the model's input is @Input 'features'; set tiedToEmbedding = false or"
                        + " use an @Embedding input")
                .inFile(source)
                .onLineContaining("tiedToEmbedding = true");
    }

    @Test
    void tiedDecoderWithNeitherShapeFitting() {
        JavaFileObject source = source("test.Lm", """
                @Model
                abstract class Lm {
                    @Embedding(vocabulary = 100, size = 20)
                    Layer embedding;

                    @VariationalLSTM(units = 30)
                    Layer lstm;

                    @Softmax(
                            classes = 50,
                            tiedToEmbedding = true)
                    Layer decoder;
                }
                """);

        Compilation compilation = compile(source);

        assertThat(compilation).hadErrorCount(2);
        assertThat(compilation).hadErrorContaining("set classes = 100 or tiedToEmbedding = false")
                .inFile(source).onLineContaining("tiedToEmbedding = true");
        assertThat(compilation).hadErrorContaining("set units = 20 on 'lstm' or tiedToEmbedding = false")
                .inFile(source).onLineContaining("tiedToEmbedding = true");
    }
}
