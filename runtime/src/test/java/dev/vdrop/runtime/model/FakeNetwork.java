package dev.vdrop.runtime.model;

import dev.vdrop.runtime.Mat;
import dev.vdrop.runtime.ModelSizes;
import dev.vdrop.runtime.Network;
import dev.vdrop.runtime.Parameter;
import dev.vdrop.runtime.Rng;
import dev.vdrop.runtime.Summary;
import dev.vdrop.runtime.Workspace;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A network with only parameters, sizes and a summary, for the model file's checks without
 * generated code: an "embedding" V × 2, an "lstm.W" 8 × (2 + 2) and a "decoder" C × 2, random from
 * a seed; the summary's rows are those a generated network writes, the recurrent layer "lstm" of
 * the given cell (by default VariationalLSTM) with 2 units. The shapes are the same for either cell:
 * the cell check must not need other shapes to tell the cells apart.
 */
class FakeNetwork implements Network<int[][], int[][]> {
    static final String LSTM = "VariationalLSTM";
    static final String GRU = "VariationalGRU";

    private final List<Parameter> parameters = new ArrayList<>();
    private final ModelSizes sizes;
    private final String cell;

    FakeNetwork(ModelSizes sizes, DataType type, long seed, int lstmRows) {
        this(sizes, type, seed, lstmRows, LSTM);
    }

    FakeNetwork(ModelSizes sizes, DataType type, long seed, int lstmRows, String cell) {
        this.sizes = sizes;
        this.cell = cell;
        Rng rng = new Rng(seed);
        parameters.add(new Parameter("embedding", random(type, sizes.input().value(), 2, rng)));
        parameters.add(new Parameter("lstm.W", random(type, lstmRows, 4, rng)));
        parameters.add(new Parameter("decoder", random(type, sizes.output().value(), 2, rng)));
    }

    /** A language model of vocabulary and classes {@code words}, declared. */
    static FakeNetwork languageModel(int words, long seed) {
        return new FakeNetwork(new ModelSizes(ModelSizes.Size.declared("vocabulary", words),
                ModelSizes.Size.declared("classes", words)), DataType.FLOAT, seed, 8);
    }

    /** The same language model with its layer "lstm" declared with {@code cell}. */
    static FakeNetwork languageModel(int words, long seed, String cell) {
        return new FakeNetwork(new ModelSizes(ModelSizes.Size.declared("vocabulary", words),
                ModelSizes.Size.declared("classes", words)), DataType.FLOAT, seed, 8, cell);
    }

    private static Mat random(DataType type, int rows, int cols, Rng rng) {
        Mat m = Mat.zeros(type, rows, cols);
        for (int c = 0; c < cols; c++) {
            for (int r = 0; r < rows; r++) {
                m.set(r, c, rng.nextDouble() - 0.5);
            }
        }
        return m;
    }

    @Override
    public List<Parameter> parameters() {
        return parameters;
    }

    @Override
    public ModelSizes sizes() {
        return sizes;
    }

    @Override
    public Summary summary() {
        Mat w = parameters.get(1).value();
        return Summary.builder("Model Fake (generated FakeNetwork)")
                .layer("embedding", "Embedding", "(B, T, 2)", "E 2×" + sizes.input().value(), 2L * sizes.input().value(), "none")
                .layer("lstm", cell, "(B, T, 2)", "W " + w.rows() + "×" + w.cols(), (long) w.rows() * w.cols(), "none")
                .layer("decoder", "Softmax", "(B, T, " + sizes.output().value() + ")", "D 2×" + sizes.output().value(),
                        2L * sizes.output().value(), "none")
                .build();
    }

    @Override
    public Workspace<int[][], int[][]> workspace(int batch, int steps) {
        throw new UnsupportedOperationException();
    }

    @Override
    public INDArray predict(int[][] input) {
        throw new UnsupportedOperationException();
    }

    /** The same parameters and sizes under another class name. */
    static final class Other extends FakeNetwork {
        Other(ModelSizes sizes) {
            super(sizes, DataType.FLOAT, 1, 8);
        }

        Other(ModelSizes sizes, String cell) {
            super(sizes, DataType.FLOAT, 1, 8, cell);
        }
    }
}
