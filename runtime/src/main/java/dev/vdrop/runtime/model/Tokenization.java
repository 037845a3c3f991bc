package dev.vdrop.runtime.model;

import dev.vdrop.runtime.text.Tokenizer;
import dev.vdrop.runtime.text.UnicodeTokens;
import java.util.List;

/**
 * How text becomes the tokens a model reads; a model file records which, so that prediction splits
 * text exactly as training did: train and predict both through {@link #split(String)}.
 */
public enum Tokenization {
    /**
     * Words by the comparison protocol's ASCII convention: {@link dev.vdrop.runtime.text.Tokenizer}
     * (lower-cased, {@code [a-z0-9]+(?:'[a-z]+)?} and punctuation, {@code <eos>} after each paragraph).
     */
    ASCII_WORDS,
    /** One token per Unicode code point, as written: {@link UnicodeTokens#characters(String)}. */
    CHARS,
    /** Lower-cased words of letters and digits of any script: {@link UnicodeTokens#words(String)}. */
    WORDS;

    /**
     * Splits a text into this tokenization's tokens; map them to ids with the vocabulary (or
     * character set) the model file records, unknown ones to {@code <unk>}.
     *
     * @param text the text
     * @return its tokens in order, possibly none
     */
    public List<String> split(String text) {
        return switch (this) {
            case ASCII_WORDS -> Tokenizer.tokenize(text);
            case CHARS -> UnicodeTokens.characters(text);
            case WORDS -> UnicodeTokens.words(text);
        };
    }
}
