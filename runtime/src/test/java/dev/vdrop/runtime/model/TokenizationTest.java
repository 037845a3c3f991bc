package dev.vdrop.runtime.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vdrop.runtime.text.CorpusTokenizer;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenizationTest {
    private static final String TEXT = "Ёжик's café, 2 cats.";

    @Test
    void eachTokenizationSplitsItsOwnWay() {
        assertEquals(List.of("ёжик", "s", "café", "2", "cats"), Tokenization.WORDS.split(TEXT));
        assertEquals(List.of("Ё", "ж", "и", "к", "'", "s", " ", "c", "a", "f", "é", ",", " ", "2", " ", "c", "a", "t", "s", "."),
                Tokenization.CHARS.split(TEXT));
        // the comparison protocol's ASCII convention drops the Cyrillic word and the accented letter
        assertEquals(List.of("s", "caf", ",", "2", "cats", ".", "<eos>"), Tokenization.ASCII_WORDS.split(TEXT));
    }

    /** A language model records the tokenization whose split gives its corpus's words, one paragraph without {@code <eos>}. */
    @Test
    void aCorpusTokenizerMapsToTheTokenizationThatSplitsItsWords() {
        for (CorpusTokenizer t : CorpusTokenizer.values()) {
            List<String> corpus = t.tokenize(TEXT);
            List<String> words = Tokenization.of(t).split(TEXT);
            List<String> withoutEos = words.get(words.size() - 1).equals("<eos>") ? words.subList(0, words.size() - 1) : words;
            assertEquals(corpus.subList(0, corpus.size() - 1), withoutEos, t.label());
        }
        assertEquals(Tokenization.ASCII_WORDS, Tokenization.of(CorpusTokenizer.CONVENTION));
        assertEquals(Tokenization.WORDS, Tokenization.of(CorpusTokenizer.UNICODE));
    }
}
