package dev.vdrop.runtime.model;

import dev.vdrop.runtime.series.Normalizer;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What prediction needs besides the parameters: the input (tokens of a tokenization with their
 * symbols, or features), the class labels of a classifier or tagger, and a forecaster's scaling
 * and window length. Immutable. Build it with {@link #languageModel}, {@link #classifier},
 * {@link #forecaster} or {@link #regression}.
 *
 * <p>A classifier of names by their characters (example {@code ModelFile.save classifier}, run by
 * {@code dev.vdrop.checks.ExamplesTest}):
 * <pre>{@code
 * PredictionInfo info = PredictionInfo.classifier(
 *         new ModelInput.Tokens(Tokenization.CHARS, characters), List.of("female", "male", "both"));
 * ModelFile.save(file, network, info);
 * }</pre>
 *
 * @param input what the model reads
 * @param labels the class labels in class order (a classifier's or tagger's), empty for others; unmodifiable
 * @param scaling a forecaster's standardisation, empty for others
 * @param window a forecaster's window length in steps, empty for others
 */
public record PredictionInfo(ModelInput input, List<String> labels, Optional<Scaling> scaling, OptionalInt window) {
    /**
     * Prediction information, checked; the labels are copied.
     *
     * @param input what the model reads
     * @param labels the class labels, possibly empty
     * @param scaling a forecaster's scaling, or empty
     * @param window a forecaster's window, or empty
     * @throws IllegalArgumentException when a label appears twice or the window is below 1
     * @throws NullPointerException when an argument or a label is null
     */
    public PredictionInfo {
        Objects.requireNonNull(input, "input");
        labels = List.copyOf(labels);
        Objects.requireNonNull(scaling, "scaling");
        Objects.requireNonNull(window, "window");
        if (labels.stream().distinct().count() != labels.size()) {
            throw new IllegalArgumentException("class labels must be distinct, got " + labels);
        }
        if (window.isPresent() && window.getAsInt() < 1) {
            throw new IllegalArgumentException("a window is at least 1 step, got " + window.getAsInt());
        }
    }

    /**
     * A language model: it reads tokens and predicts the next one, so its classes are the symbols.
     *
     * @param tokens the tokenization and the vocabulary or character set
     * @return the information
     */
    public static PredictionInfo languageModel(ModelInput.Tokens tokens) {
        return new PredictionInfo(tokens, List.of(), Optional.empty(), OptionalInt.empty());
    }

    /**
     * A classifier ({@code @Softmax(over = LAST_STEP)}) or tagger ({@code EVERY_STEP}).
     *
     * @param input what it reads
     * @param labels the class labels, class {@code c} is {@code labels.get(c)}
     * @return the information
     */
    public static PredictionInfo classifier(ModelInput input, List<String> labels) {
        return new PredictionInfo(input, labels, Optional.empty(), OptionalInt.empty());
    }

    /**
     * A forecaster: it reads windows of {@code window} standardised steps.
     *
     * @param features the features per step
     * @param normalizer the normaliser fitted on the training span
     * @param window the window length in steps
     * @return the information
     */
    public static PredictionInfo forecaster(int features, Normalizer normalizer, int window) {
        return new PredictionInfo(new ModelInput.Features(features), List.of(), Optional.of(Scaling.of(normalizer)),
                OptionalInt.of(window));
    }

    /**
     * A regression over features without a saved scaling or window.
     *
     * @param features the features per step
     * @return the information
     */
    public static PredictionInfo regression(int features) {
        return new PredictionInfo(new ModelInput.Features(features), List.of(), Optional.empty(), OptionalInt.empty());
    }
}
