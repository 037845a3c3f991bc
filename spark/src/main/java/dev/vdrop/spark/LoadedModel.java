package dev.vdrop.spark;

import dev.vdrop.runtime.Network;
import dev.vdrop.runtime.model.ModelFile;
import dev.vdrop.runtime.model.ModelFileException;
import dev.vdrop.runtime.model.ModelInput;
import dev.vdrop.runtime.model.Tokenization;
import dev.vdrop.runtime.text.Tokenizer;
import dev.vdrop.runtime.text.Vocabulary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A model file restored into its network, with what turns a row into its input: for a model of
 * tokens the file's tokenization and symbols, as {@code vdrop predict} reads them; for a model of
 * features the count per step. Built once per JVM
 * ({@link ModelCache}); its network only reads its parameters when predicting, so tasks share it.
 * It keeps no reference to the loaded file, whose parameters are then the network's alone.
 */
final class LoadedModel {
    private final Network<?, ?> network;
    private final Head head;
    private final Tokenization tokenization;
    private final Vocabulary vocabulary;
    private final int features;

    private LoadedModel(ModelFile file, Network<?, ?> network) {
        this.network = network;
        this.head = Head.of(file);
        if (file.info().input() instanceof ModelInput.Tokens tokens) {
            this.tokenization = tokens.tokenization();
            this.vocabulary = Vocabulary.of(tokens.symbols());
            this.features = 0;
        } else {
            this.tokenization = null;
            this.vocabulary = null;
            this.features = ((ModelInput.Features) file.info().input()).count();
        }
    }

    /**
     * Restores a loaded model file into the network the factory builds.
     *
     * @param model the loaded model file
     * @param factory builds the file's network
     * @return the loaded model
     * @throws ModelFileException when the file does not fit the network
     * @throws IllegalArgumentException when the model is a language model, predicts at every step,
     *     the factory cannot build its class, or its network reads other inputs than the file says
     */
    static LoadedModel load(ModelFile model, NetworkFactory factory) throws ModelFileException {
        Head head = Head.of(model);
        Network<?, ?> network = Objects.requireNonNull(factory.create(model), "the network factory returned null");
        head.check(network);
        Class<?> expected = readsFeatures(model) ? double[][][].class : int[][].class;
        if (Head.typeArgument(network, 0) instanceof Class<?> input && input != expected) {
            throw new IllegalArgumentException(network.getClass().getName() + " reads " + input.getSimpleName() + ", but "
                    + model.file() + " holds a model that reads " + (readsFeatures(model) ? "features" : "tokens")
                    + " (" + expected.getSimpleName() + "); the network factory built the wrong class");
        }
        return new LoadedModel(model, model.restoreInto(network));
    }

    /** {@return whether a model file's model reads features (a forecaster's windows) rather than tokens} */
    static boolean readsFeatures(ModelFile file) {
        return file.info().input() instanceof ModelInput.Features;
    }

    /**
     * Loads a model file's bytes (written to a temporary file, which is deleted again).
     *
     * @param bytes the file's contents
     * @param factory builds the file's network
     * @return the loaded model
     * @throws IllegalStateException when the bytes are no model file the factory fits: the driver
     *     checked the same bytes, so this is not the user's mistake
     */
    static LoadedModel load(byte[] bytes, NetworkFactory factory) {
        Path temporary = null;
        try {
            temporary = Files.createTempFile("vdrop-spark-", ".vdrop");
            Files.write(temporary, bytes);
            return load(ModelFile.load(temporary), factory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the broadcast model file to a temporary file", e);
        } catch (ModelFileException e) {
            throw new IllegalStateException("the broadcast model file does not load: " + e.getMessage(), e);
        } finally {
            if (temporary != null) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException e) {
                    // a temporary file left behind is no reason to fail the task
                }
            }
        }
    }

    /** {@return the restored network} */
    Network<?, ?> network() {
        return network;
    }

    /** {@return the features per step of a model of features, 0 for a model of tokens} */
    int features() {
        return features;
    }

    /** {@return what the model predicts and its MC columns} */
    Head head() {
        return head;
    }

    /**
     * A text's token ids, split as the model file says and unknown tokens read as {@code <unk>}
     * ({@code vdrop predict}'s reading: a trailing {@code <eos>} of the ASCII word convention is
     * dropped), or why the text cannot be scored.
     *
     * @param text the text, possibly null
     * @return the ids or the problem
     */
    Encoded encode(String text) {
        if (vocabulary == null) {
            throw new IllegalStateException("a model of features has no text to encode");
        }
        if (text == null || text.isEmpty()) {
            return Encoded.problem("empty text");
        }
        List<String> tokens = new ArrayList<>(tokenization.split(text));
        if (tokenization == Tokenization.ASCII_WORDS && !tokens.isEmpty()
                && Tokenizer.EOS.equals(tokens.get(tokens.size() - 1))) {
            tokens.remove(tokens.size() - 1);
        }
        if (tokens.isEmpty()) {
            return Encoded.problem("no tokens: the text has no " + (tokenization == Tokenization.CHARS ? "character" : "word"));
        }
        return new Encoded(vocabulary.encode(tokens), null);
    }

    /**
     * A text's ids, or the problem that keeps it from being scored.
     *
     * @param ids the token ids, null when there is a problem
     * @param problem why the text is not scored, null when it is
     */
    record Encoded(int[] ids, String problem) {
        static Encoded problem(String why) {
            return new Encoded(null, why);
        }
    }
}
