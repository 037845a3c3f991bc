package dev.vdrop.runtime.model;

import java.util.List;
import java.util.Objects;

/**
 * What a model reads at prediction time: tokens of a {@link Tokenization} with their symbols in id
 * order, or a number of features per step. Immutable.
 */
public sealed interface ModelInput permits ModelInput.Tokens, ModelInput.Features {
    /**
     * Token ids: how text is split and the symbols (words or characters) in id order, so that id
     * {@code i} is {@code symbols().get(i)}.
     *
     * @param tokenization how text is split into tokens
     * @param symbols the vocabulary or character set in id order, not empty, none null, unmodifiable
     */
    record Tokens(Tokenization tokenization, List<String> symbols) implements ModelInput {
        /**
         * Tokens, checked; the list is copied.
         *
         * @param tokenization how text is split into tokens
         * @param symbols the symbols in id order
         * @throws IllegalArgumentException when there are no symbols or one appears twice
         * @throws NullPointerException when the tokenization or a symbol is null
         */
        public Tokens {
            Objects.requireNonNull(tokenization, "tokenization");
            symbols = List.copyOf(symbols);
            if (symbols.isEmpty()) {
                throw new IllegalArgumentException("a token input needs at least one symbol");
            }
            if (symbols.stream().distinct().count() != symbols.size()) {
                throw new IllegalArgumentException("a token input's symbols must be distinct; ids would be ambiguous");
            }
        }
    }

    /**
     * Real-valued features, {@code count} per step.
     *
     * @param count the features per step, at least 1
     */
    record Features(int count) implements ModelInput {
        /**
         * Features, checked.
         *
         * @param count the features per step
         * @throws IllegalArgumentException when count is below 1
         */
        public Features {
            if (count < 1) {
                throw new IllegalArgumentException("a feature input needs at least 1 feature, got " + count);
            }
        }
    }
}
