package dev.vdrop.runtime.model;

import dev.vdrop.runtime.text.CorpusTokenizer;
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
    /**
     * Lower-cased words of letters and digits of any script: {@link UnicodeTokens#words(String)}.
     * A language model trained on a {@link CorpusTokenizer#UNICODE} corpus records this: the
     * corpus's paragraphs are split into these words, each paragraph followed by {@code <eos>}.
     */
    WORDS;

    /**
     * The tokenization a language model trained on a corpus split by {@code tokenizer} records in
     * its model file, so that prediction splits a text into the same words: the convention's
     * {@link #ASCII_WORDS}, or {@link #WORDS} for {@link CorpusTokenizer#UNICODE}. A text predicted
     * from is one paragraph: under {@code WORDS} it has no {@code <eos>}, under {@code ASCII_WORDS}
     * it ends with one, which a caller asking for the next word drops.
     *
     * @param tokenizer the corpus's tokenizer
     * @return the tokenization to record
     */
    public static Tokenization of(CorpusTokenizer tokenizer) {
        return switch (tokenizer) {
            case CONVENTION -> ASCII_WORDS;
            case UNICODE -> WORDS;
        };
    }

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
