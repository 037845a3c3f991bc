package dev.vdrop.runtime.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits plain text into word-level tokens: lower-case the text, split it into paragraphs at
 * blank lines (a line of only white space counts as blank), take the matches of
 * {@code [a-z0-9]+(?:'[a-z]+)?|[.,;:!?]} in each, and end every paragraph that has a token with
 * {@code <eos>}.
 */
public final class Tokenizer {
    /** The end-of-paragraph token. */
    public static final String EOS = "<eos>";

    private static final Pattern TOKEN = Pattern.compile("[a-z0-9]+(?:'[a-z]+)?|[.,;:!?]");
    private static final Pattern BLANK_LINES = Pattern.compile("\\n[ \\t\\x0B\\f\\r]*\\n(?:[ \\t\\x0B\\f\\r]*\\n)*");

    private Tokenizer() {}

    /**
     * The token stream of a whole text.
     *
     * @param text the text
     * @return its tokens, {@code <eos>} after each paragraph
     */
    public static List<String> tokenize(String text) {
        return paragraphs(text.toLowerCase(Locale.ROOT), Tokenizer::words);
    }

    /** The convention's tokens of one lower-cased paragraph. */
    private static List<String> words(String paragraph) {
        List<String> tokens = new ArrayList<>();
        Matcher m = TOKEN.matcher(paragraph);
        while (m.find()) {
            tokens.add(m.group());
        }
        return tokens;
    }

    /**
     * A text as paragraphs (split at blank lines, {@code \r\n} and {@code \r} read as line
     * breaks), each paragraph's tokens by {@code split} followed by {@link #EOS} when it has any.
     */
    static List<String> paragraphs(String text, Function<String, List<String>> split) {
        String unified = text.replace("\r\n", "\n").replace('\r', '\n');
        List<String> tokens = new ArrayList<>();
        for (String paragraph : BLANK_LINES.split("\n" + unified + "\n")) {
            List<String> words = split.apply(paragraph);
            if (!words.isEmpty()) {
                tokens.addAll(words);
                tokens.add(EOS);
            }
        }
        return tokens;
    }
}
