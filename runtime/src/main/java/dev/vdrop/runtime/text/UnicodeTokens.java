package dev.vdrop.runtime.text;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Text split into tokens for classifiers and taggers, in any script: characters, or lower-cased
 * words of letters and digits. Unlike {@link Tokenizer} (the comparison protocol's ASCII convention
 * for language models, kept as it is so that perplexities stay comparable), letters here are
 * Unicode letters: {@code "Ёжик, café!"} gives the words {@code ёжик} and {@code café}.
 *
 * <p>Ids come from a {@link Vocabulary} built on the training split's tokens: {@code <unk>} is id 0
 * and every character or word the training split does not have maps to it. For example
 *
 * <pre>{@code
 * List<List<String>> train = ...;                      // UnicodeTokens.words(text) of each training text
 * Vocabulary vocabulary = Vocabulary.build(
 *         train.stream().flatMap(List::stream).toList(), 10_000);
 * int[] ids = vocabulary.encode(UnicodeTokens.words("Привет, мир"));
 * }</pre>
 *
 * A model file records which split a model was trained with
 * ({@code dev.vdrop.runtime.model.Tokenization}, whose {@code split} calls these methods).
 */
public final class UnicodeTokens {
    private UnicodeTokens() {}

    /**
     * One token per Unicode code point, as written: no normalisation and no change of case, white
     * space and punctuation included. A character outside the Basic Multilingual Plane (an emoji,
     * {@code 𝒜}) is one token of two {@code char}s.
     *
     * @param text the text
     * @return its code points in order, each as a string
     */
    public static List<String> characters(String text) {
        List<String> tokens = new ArrayList<>(text.length());
        text.codePoints().forEach(c -> tokens.add(new String(Character.toChars(c))));
        return tokens;
    }

    /**
     * The words of a text, lower-cased: the text is first brought to Unicode normalisation form C
     * (so that {@code é} typed as one code point or as {@code e} and a combining accent is one
     * word), then a word is a maximal run of letters and digits of any script
     * ({@link Character#isLetterOrDigit(int)}) together with the combining marks that follow them
     * within the run (the vowel signs and viramas of Indic scripts, accents left uncomposed), and
     * each word is lower-cased with {@link Locale#ROOT}. Everything else — white space,
     * punctuation, symbols, an apostrophe or hyphen inside a word — separates words:
     * {@code "Don't stop-3"} gives {@code don}, {@code t}, {@code stop}, {@code 3}. Scripts written
     * without spaces (Chinese, Japanese, Thai) come out as one word per run.
     *
     * @param text the text
     * @return its words in order; empty when it has no letter or digit
     */
    public static List<String> words(String text) {
        String normal = Normalizer.normalize(text, Normalizer.Form.NFC);
        List<String> words = new ArrayList<>();
        int start = -1;
        for (int i = 0; i < normal.length(); ) {
            int c = normal.codePointAt(i);
            boolean inWord = Character.isLetterOrDigit(c) || (start >= 0 && isMark(c));
            if (inWord && start < 0) {
                start = i;
            } else if (!inWord && start >= 0) {
                words.add(normal.substring(start, i).toLowerCase(Locale.ROOT));
                start = -1;
            }
            i += Character.charCount(c);
        }
        if (start >= 0) {
            words.add(normal.substring(start).toLowerCase(Locale.ROOT));
        }
        return words;
    }

    private static boolean isMark(int c) {
        int type = Character.getType(c);
        return type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK
                || type == Character.ENCLOSING_MARK;
    }
}
