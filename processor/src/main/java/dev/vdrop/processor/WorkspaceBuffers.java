package dev.vdrop.processor;

import dev.vdrop.dsl.Over;
import dev.vdrop.dsl.Scope;
import dev.vdrop.processor.Buffer.Extent;
import dev.vdrop.processor.Buffer.Lifetime;
import dev.vdrop.processor.Buffer.Owned;
import dev.vdrop.processor.NetworkSpec.LayerSpec;
import dev.vdrop.processor.NetworkSpec.RegressionOutput;
import dev.vdrop.processor.NetworkSpec.SoftmaxOutput;
import dev.vdrop.processor.NetworkSpec.TokenInput;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Every buffer of the generated workspace, described once (see {@link Buffer}): the workspace's
 * own — the first LSTM's input x_0 and its gradient, the embedding-dropout mask, the output, the
 * chunk buffer the layers share — then each LSTM layer's.
 */
final class WorkspaceBuffers {
    private final Owned input;
    private final Owned inputGradient;
    private final Optional<Owned> embeddingMask;
    private final Owned output;
    private final Optional<Owned> probabilitySums;
    private final Optional<Owned> lastSteps;
    private final Optional<Owned> chunk;
    private final List<RecurrentLayer> layers;

    private WorkspaceBuffers(NetworkSpec spec) {
        Dim width = spec.input().width();
        input = new Owned("x0", 0, width, Extent.STEPS, 0, Lifetime.SEGMENT, "The first recurrent layer's input x_t");
        inputGradient = new Owned("dx0", 0, width, Extent.STEPS, 0, Lifetime.BACKWARD,
                "∂L/∂x_t of the first LSTM's input");
        embeddingMask = spec.input() instanceof TokenInput t && t.dropout() > 0
                ? Optional.of(new Owned("embeddingMask", 0, t.vocabulary(),
                        t.scope() == Scope.SEQUENCE ? Extent.SEQUENCES : Extent.of(1), 0, Lifetime.SEGMENT,
                        "Embedding dropout: one keep-or-drop value per word type, "
                                + (t.scope() == Scope.SEQUENCE ? "per sequence" : "per mini-batch")))
                : Optional.empty();
        boolean softmax = spec.output() instanceof SoftmaxOutput;
        Dim outputs = spec.output().size();
        output = new Owned("out", 0, outputs, spec.output().over() == Over.EVERY_STEP ? Extent.STEPS : Extent.SEQUENCES,
                0, Lifetime.SEGMENT, softmax
                        ? "Predicted probabilities, one column per prediction; backward() turns them into"
                                + " p − onehot(target) = B · ∂L/∂a in place"
                        : "Predicted means μ, one column per prediction; backward() turns them into ∂L/∂μ in place");
        probabilitySums = softmax
                ? Optional.of(new Owned("probabilitySums", 0, outputs, Extent.of(1), 0, Lifetime.SEGMENT,
                        "Σ p over the columns of a forward pass with targets, for ∂d"))
                : Optional.empty();
        lastSteps = spec.output().over() == Over.LAST_STEP
                ? Optional.of(new Owned("yLast", 0, spec.lastRecurrent().units(), Extent.SEQUENCES, 0, Lifetime.RAGGED,
                        "The last LSTM's output at each sequence's own last step in a ragged pass, in the batch's order;"
                                + " backward() writes ∂L/∂y of them here before putting each at its step"))
                : Optional.empty();
        int chunkRows = spec.recurrent().stream().filter(RecurrentLayer::chunksInput).mapToInt(l -> l.cell().gates() * l.units()).max().orElse(0);
        chunk = chunkRows == 0 ? Optional.empty()
                : Optional.of(new Owned("zChunk", 0, chunkRows, Extent.CHUNK, 0, Lifetime.WITHOUT_TARGETS,
                        "A pass without targets: z_t of chunkSteps steps at a time, shared by the layers that"
                                + " chunk their input (they run one after another)"));
        List<RecurrentLayer> lstms = new ArrayList<>();
        for (LayerSpec l : spec.recurrent()) {
            lstms.add(new RecurrentLayer(l, chunk.orElse(null)));
        }
        layers = List.copyOf(lstms);
    }

    static WorkspaceBuffers of(NetworkSpec spec) {
        return new WorkspaceBuffers(spec);
    }

    /** x_0, the first LSTM's input: W × TB. */
    Owned input() {
        return input;
    }

    /** ∂L/∂x_0, made by the first backward(): whether it exists tells whether the others of its lifetime do. */
    Owned inputGradient() {
        return inputGradient;
    }

    Optional<Owned> embeddingMask() {
        return embeddingMask;
    }

    /** The predictions: outputs × TB (every step) or × B (last step). */
    Owned output() {
        return output;
    }

    Optional<Owned> probabilitySums() {
        return probabilitySums;
    }

    /** A head at the last step: where a ragged pass gathers the last LSTM's output at each sequence's last step. */
    Optional<Owned> lastSteps() {
        return lastSteps;
    }

    /** The chunk buffer the layers that chunk their input share, when one does. */
    Optional<Owned> chunk() {
        return chunk;
    }

    List<RecurrentLayer> layers() {
        return layers;
    }

    /** The workspace's own buffers, in the order of their fields. */
    List<Buffer> own() {
        List<Buffer> own = new ArrayList<>(List.of(input, inputGradient));
        embeddingMask.ifPresent(own::add);
        own.add(output);
        probabilitySums.ifPresent(own::add);
        lastSteps.ifPresent(own::add);
        chunk.ifPresent(own::add);
        return own;
    }

    /** The workspace's own buffers, then every layer's. */
    List<Buffer> all() {
        List<Buffer> all = new ArrayList<>(own());
        layers.forEach(l -> all.addAll(l.buffers()));
        return all;
    }
}
