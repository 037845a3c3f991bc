package dev.vdrop.runtime.text;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A tokenised text split for language modelling: train = the first ⌊0.8 N⌋ tokens, validation =
 * the next ⌊0.9 N⌋ − ⌊0.8 N⌋, test = the rest; the vocabulary is built on train only, and all
 * three splits are encoded with it. The tokens come from a {@link CorpusTokenizer}: the comparison
 * convention by default, or words of every script for a corpus in another language:
 *
 * <pre>{@code
 * Corpus english = Corpus.of(Utf8.read(Path.of("moby-dick.txt")), 10_000);
 * Corpus russian = Corpus.of(Utf8.read(Path.of("chekhov.txt")), 10_000, CorpusTokenizer.UNICODE);
 * }</pre>
 */
public final class Corpus {
    private final Vocabulary vocabulary;
    private final int[] train;
    private final int[] valid;
    private final int[] test;
    private final int distinctTrainTokens;
    private final CorpusTokenizer tokenizer;

    /** The most of a text's letters the convention may drop before {@link #of} refuses the text. */
    static final double MOST_LETTERS_LOST = 0.5;

    private Corpus(CorpusTokenizer tokenizer, Vocabulary vocabulary, int[] train, int[] valid, int[] test,
                   int distinctTrainTokens) {
        this.tokenizer = tokenizer;
        this.vocabulary = vocabulary;
        this.train = train;
        this.valid = valid;
        this.test = test;
        this.distinctTrainTokens = distinctTrainTokens;
    }

    /**
     * Tokenises {@code text} by the comparison convention ({@link CorpusTokenizer#CONVENTION}) and
     * splits it: {@code of(text, vocabularySize, CorpusTokenizer.CONVENTION)}.
     *
     * @param text the whole text
     * @param vocabularySize the most words, {@code <unk>} included, built from the training split
     * @return the corpus
     * @throws IllegalArgumentException when the text has no token, or loses more than half of its
     *     letters to the convention
     */
    public static Corpus of(String text, int vocabularySize) {
        return of(text, vocabularySize, CorpusTokenizer.CONVENTION);
    }

    /**
     * Tokenises {@code text} with {@code tokenizer} and splits it. Under the convention, a text
     * that loses more than half of its letters is refused rather than trained on what is left
     * (a Cyrillic corpus keeps only its punctuation): letters are counted as code points with
     * {@link Character#isLetter(int)}, in the text and in its tokens.
     *
     * @param text the whole text
     * @param vocabularySize the most words, {@code <unk>} included, built from the training split
     * @param tokenizer how the text becomes tokens
     * @return the corpus
     * @throws IllegalArgumentException when the text has no token, or, under the convention, loses
     *     more than half of its letters; the message is one line and names the Unicode tokenizer
     */
    public static Corpus of(String text, int vocabularySize, CorpusTokenizer tokenizer) {
        Objects.requireNonNull(tokenizer, "tokenizer");
        List<String> tokens = tokenizer.tokenize(text);
        if (tokenizer == CorpusTokenizer.CONVENTION) {
            refuseLostLetters(text, tokens);
        }
        int n = tokens.size();
        if (n == 0) {
            throw new IllegalArgumentException(tokenizer == CorpusTokenizer.CONVENTION
                    ? "the corpus has no tokens: it is empty or holds no words or punctuation"
                    : "the corpus has no tokens: it is empty or holds no letters or digits");
        }
        int trainEnd = (int) Math.floor(0.8 * n);
        int validEnd = (int) Math.floor(0.9 * n);
        List<String> trainTokens = tokens.subList(0, trainEnd);
        Vocabulary vocabulary = Vocabulary.build(trainTokens, vocabularySize);
        int distinct = (int) trainTokens.stream().distinct().count();
        return new Corpus(tokenizer, vocabulary, vocabulary.encode(trainTokens), vocabulary.encode(tokens.subList(trainEnd, validEnd)),
                vocabulary.encode(tokens.subList(validEnd, n)), distinct);
    }

    private static void refuseLostLetters(String text, List<String> tokens) {
        long letters = letters(text);
        long kept = 0;
        for (String token : tokens) {
            if (!Tokenizer.EOS.equals(token)) {
                kept += letters(token);
            }
        }
        long lost = Math.max(0, letters - kept);
        if (letters > 0 && lost > MOST_LETTERS_LOST * letters) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "the convention's tokens ([a-z0-9] words and "
                    + "punctuation) drop %.1f%% of the corpus's letters (%,d of %,d): it is not English text; split it "
                    + "into words of every script with --tokenizer unicode (CorpusTokenizer.UNICODE in the library)",
                    100.0 * lost / letters, lost, letters));
        }
    }

    private static long letters(String s) {
        return s.codePoints().filter(Character::isLetter).count();
    }

    /** {@return how the text became tokens} */
    public CorpusTokenizer tokenizer() {
        return tokenizer;
    }

    /** {@return the vocabulary of the training split} */
    public Vocabulary vocabulary() {
        return vocabulary;
    }

    /** {@return a copy of the training split's ids, the first 80% of the tokens} */
    public int[] train() {
        return train.clone();
    }

    /** {@return a copy of the validation split's ids, the next 10%} */
    public int[] valid() {
        return valid.clone();
    }

    /** {@return a copy of the test split's ids, the last 10%} */
    public int[] test() {
        return test.clone();
    }

    /** {@return the number of distinct token types in the training split, before the vocabulary cut} */
    public int distinctTrainTokens() {
        return distinctTrainTokens;
    }
}
