package dev.vdrop.runtime.text;

import java.util.List;

/**
 * How a language model's {@link Corpus} becomes tokens. Both split the text into paragraphs at
 * blank lines and end every paragraph that has a token with {@code <eos>}; they differ in what a
 * token is:
 *
 * <ul>
 *   <li>{@link #CONVENTION} — the comparison protocol's ASCII words and punctuation
 *       ({@link Tokenizer}), the default, so that perplexities stay comparable with the papers and
 *       the PyTorch reference. It suits English text only: every letter outside {@code a-z} only
 *       separates tokens, so {@link Corpus#of(String, int, CorpusTokenizer)} refuses a text that
 *       loses more than half of its letters this way (a Cyrillic or Greek corpus, say).</li>
 *   <li>{@link #UNICODE} — lower-cased words of letters and digits of every script
 *       ({@link UnicodeTokens#words(String)}, the words a classifier's {@code WORDS} tokenization
 *       reads); punctuation only separates words. For corpora in any language; its perplexities
 *       are not comparable with the convention's.</li>
 * </ul>
 */
public enum CorpusTokenizer {
    /** The comparison convention: {@link Tokenizer#tokenize(String)}. */
    CONVENTION,
    /** Words of every script: {@link UnicodeTokens#words(String)} in each paragraph. */
    UNICODE;

    /**
     * The token stream of a whole text: each paragraph's tokens, then {@code <eos>}.
     *
     * @param text the text
     * @return its tokens
     */
    public List<String> tokenize(String text) {
        return switch (this) {
            case CONVENTION -> Tokenizer.tokenize(text);
            case UNICODE -> Tokenizer.paragraphs(text, UnicodeTokens::words);
        };
    }

    /** {@return the lower-case name, as the command line's {@code --tokenizer} and the reports write it} */
    public String label() {
        return this == CONVENTION ? "convention" : "unicode";
    }
}
