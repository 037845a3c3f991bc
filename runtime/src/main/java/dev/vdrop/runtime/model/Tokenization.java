package dev.vdrop.runtime.model;

/**
 * How text becomes the tokens a model reads; a model file records which, so that prediction splits
 * text exactly as training did.
 */
public enum Tokenization {
    /**
     * Words by the comparison protocol's ASCII convention: {@link dev.vdrop.runtime.text.Tokenizer}
     * (lower-cased, {@code [a-z0-9]+(?:'[a-z]+)?} and punctuation, {@code <eos>} after each paragraph).
     */
    ASCII_WORDS,
    /** One token per Unicode code point, as written. */
    CHARS,
    /** Lower-cased words of letters and digits of any script. */
    WORDS
}
