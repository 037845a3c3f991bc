package dev.vdrop.runtime.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class CorpusTest {
    /** The samples ship Moby-Dick; the counts are those docs/data.md gives for the word-level convention. */
    private static final Path MOBY_DICK = Path.of("../samples/src/main/resources/dev/vdrop/samples/data/moby-dick.txt");

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
}
