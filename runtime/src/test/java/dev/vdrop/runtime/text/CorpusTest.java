package dev.vdrop.runtime.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class CorpusTest {
    /** The samples ship Moby-Dick; the counts are those docs/data.md gives for the word-level convention. */
    private static final Path MOBY_DICK = Path.of("../samples/src/main/resources/dev/vdrop/samples/data/moby-dick.txt");
    /** A Russian text written for the tests (its README says so): 593 words in 14 paragraphs. */
    private static final Path RIVER = Path.of("../samples/src/test/resources/dev/vdrop/samples/cyrillic/river.txt");

    @Test
    void mobyDickSplitsAsTheConventionSays() throws IOException {
        Corpus corpus = Corpus.of(Files.readString(MOBY_DICK, StandardCharsets.UTF_8), 10_000);
        assertEquals(200_429, corpus.train().length);
        assertEquals(25_054, corpus.valid().length);
        assertEquals(25_054, corpus.test().length);
        assertEquals(15_339, corpus.distinctTrainTokens());
        assertEquals(10_000, corpus.vocabulary().size());
        assertEquals(0.973, coverage(corpus.train()), 0.0005);
        assertEquals(0.935, coverage(corpus.valid()), 0.0005);
        assertEquals(0.952, coverage(corpus.test()), 0.0005);
    }

    private static double coverage(int[] ids) {
        long known = java.util.Arrays.stream(ids).filter(id -> id != 0).count();
        return (double) known / ids.length;
    }

    @Test
    void paragraphsEndWithEosAndPunctuationIsAToken() {
        String text = "Call me Ishmael.  Some years ago--\n\n   \nIt's the whale's!\nNo, never";
        assertEquals(List.of("call", "me", "ishmael", ".", "some", "years", "ago", "<eos>",
                "it's", "the", "whale's", "!", "no", ",", "never", "<eos>"), Tokenizer.tokenize(text));
    }

    @Test
    void vocabularyBreaksTiesByFirstOccurrence() {
        Vocabulary v = Vocabulary.build(List.of("b", "a", "c", "a", "b", "d"), 3);
        assertEquals(List.of("<unk>", "b", "a"), v.words());
        assertEquals(0, v.id("c"));
    }

    @Test
    void emptyCorpusIsAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Corpus.of(" \n\n -- \n", 10));
        assertEquals("the corpus has no tokens: it is empty or holds no words or punctuation", e.getMessage());
    }

    @Test
    void theUnicodeTokenizerKeepsWordsOfEveryScriptInParagraphs() {
        String text = "Ёжик, café!\r\n\r\nВторой   абзац: 2 слова.\n\n-- ...\n";
        assertEquals(List.of("ёжик", "café", "<eos>", "второй", "абзац", "2", "слова", "<eos>"),
                CorpusTokenizer.UNICODE.tokenize(text));
        assertEquals(Tokenizer.tokenize(text), CorpusTokenizer.CONVENTION.tokenize(text));
    }

    @Test
    void aCyrillicCorpusIsRefusedByTheConventionAndSplitByUnicode() throws IOException {
        String text = Files.readString(RIVER, StandardCharsets.UTF_8);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Corpus.of(text, 10_000));
        // every letter of the file is Cyrillic, so all are lost
        long letters = text.codePoints().filter(Character::isLetter).count();
        assertEquals(String.format(java.util.Locale.ROOT, "the convention's tokens ([a-z0-9] words and punctuation) drop "
                + "100.0%% of the corpus's letters (%,d of %,d): it is not English text; split it into words of every script "
                + "with --tokenizer unicode (CorpusTokenizer.UNICODE in the library)", letters, letters), e.getMessage());

        Corpus corpus = Corpus.of(text, 10_000, CorpusTokenizer.UNICODE);
        assertEquals(CorpusTokenizer.UNICODE, corpus.tokenizer());
        // 593 words (the README's count, `grep -o '[[:alpha:]]\+'`-style) and 14 paragraph ends
        int n = 593 + 14;
        assertEquals((int) Math.floor(0.8 * n), corpus.train().length);
        assertEquals(n - (int) Math.floor(0.9 * n), corpus.test().length);
        Vocabulary v = corpus.vocabulary();
        assertTrue(v.id("река") > 0 && v.id("деревня") > 0 && v.id("<eos>") > 0, v.words().toString());
    }

    @Test
    void theConventionAcceptsATextThatKeepsHalfItsLetters() {
        // 6 ASCII letters kept and 6 Cyrillic letters lost: exactly half, accepted; one more lost is refused
        assertEquals(CorpusTokenizer.CONVENTION, Corpus.of("abc def. абв где.", 10).tokenizer());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Corpus.of("abc def. абв гдеж.", 10));
        assertTrue(e.getMessage().contains("drop 53.8% of the corpus's letters (7 of 13)"), e.getMessage());
        // the Unicode tokenizer never refuses for letters
        assertEquals(List.of("abc", "def", "абв", "гдеж", "<eos>"), CorpusTokenizer.UNICODE.tokenize("abc def. абв гдеж."));
    }

    @Test
    void aCorpusWithoutLettersOrDigitsHasNoTokensUnderUnicode() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Corpus.of(" \n\n -- !?\n", 10, CorpusTokenizer.UNICODE));
        assertEquals("the corpus has no tokens: it is empty or holds no letters or digits", e.getMessage());
    }
}
