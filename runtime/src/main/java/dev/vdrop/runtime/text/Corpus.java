package dev.vdrop.runtime.text;

import java.util.List;

/**
 * A tokenised text split for language modelling: train = the first ⌊0.8 N⌋ tokens, validation =
 * the next ⌊0.9 N⌋ − ⌊0.8 N⌋, test = the rest; the vocabulary is built on train only, and all
 * three splits are encoded with it.
 */
public final class Corpus {
    private final Vocabulary vocabulary;
    private final int[] train;
    private final int[] valid;
    private final int[] test;
    private final int distinctTrainTokens;

    private Corpus(Vocabulary vocabulary, int[] train, int[] valid, int[] test, int distinctTrainTokens) {
        this.vocabulary = vocabulary;
        this.train = train;
        this.valid = valid;
        this.test = test;
        this.distinctTrainTokens = distinctTrainTokens;
    }

    /**
     * Tokenises {@code text} and splits it.
     *
     * @param text the whole text
     * @param vocabularySize the most words, {@code <unk>} included, built from the training split
     * @return the corpus
     * @throws IllegalArgumentException when the text has no token
     */
    public static Corpus of(String text, int vocabularySize) {
        List<String> tokens = Tokenizer.tokenize(text);
        int n = tokens.size();
        if (n == 0) {
            throw new IllegalArgumentException("the corpus has no tokens: it is empty or holds no words or punctuation");
        }
        int trainEnd = (int) Math.floor(0.8 * n);
        int validEnd = (int) Math.floor(0.9 * n);
        List<String> trainTokens = tokens.subList(0, trainEnd);
        Vocabulary vocabulary = Vocabulary.build(trainTokens, vocabularySize);
        int distinct = (int) trainTokens.stream().distinct().count();
        return new Corpus(vocabulary, vocabulary.encode(trainTokens), vocabulary.encode(tokens.subList(trainEnd, validEnd)),
                vocabulary.encode(tokens.subList(validEnd, n)), distinct);
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
