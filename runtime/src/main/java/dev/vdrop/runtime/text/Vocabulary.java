package dev.vdrop.runtime.text;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Word types and their ids: {@code <unk>} is id 0, then the most frequent training tokens, ties
 * broken by first occurrence. Every other word maps to {@code <unk>}. Immutable.
 */
public final class Vocabulary {
    /** The unknown-word token, id 0. */
    public static final String UNK = "<unk>";

    private final List<String> words;
    private final Map<String, Integer> ids;

    private Vocabulary(List<String> words) {
        this.words = List.copyOf(words);
        Map<String, Integer> ids = new HashMap<>();
        for (int i = 0; i < words.size(); i++) {
            ids.put(words.get(i), i);
        }
        this.ids = Collections.unmodifiableMap(ids);
    }

    /**
     * {@code <unk>} plus the {@code size − 1} most frequent of {@code tokens} (fewer if the text has
     * fewer types), ties broken by first occurrence.
     *
     * @param tokens the training tokens
     * @param size the most words, {@code <unk>} included, at least 1
     * @return the vocabulary
     * @throws IllegalArgumentException when size is below 1
     */
    public static Vocabulary build(List<String> tokens, int size) {
        if (size < 1) {
            throw new IllegalArgumentException("a vocabulary needs at least one word (<unk>), got size " + size);
        }
        Map<String, int[]> counts = new LinkedHashMap<>();
        for (String token : tokens) {
            counts.computeIfAbsent(token, k -> new int[1])[0]++;
        }
        counts.remove(UNK);
        List<Map.Entry<String, int[]>> byCount = new ArrayList<>(counts.entrySet());
        // A stable sort keeps first-occurrence order among equal counts.
        byCount.sort((a, b) -> Integer.compare(b.getValue()[0], a.getValue()[0]));
        List<String> words = new ArrayList<>();
        words.add(UNK);
        for (int i = 0; i < byCount.size() && words.size() < size; i++) {
            words.add(byCount.get(i).getKey());
        }
        return new Vocabulary(words);
    }

    /**
     * A vocabulary with exactly these words (as saved in a checkpoint).
     *
     * @param words the words in id order, {@code <unk>} first
     * @return the vocabulary
     * @throws IllegalArgumentException when the first word is not {@code <unk>}
     */
    public static Vocabulary of(List<String> words) {
        if (words.isEmpty() || !UNK.equals(words.get(0))) {
            throw new IllegalArgumentException("a vocabulary starts with " + UNK);
        }
        return new Vocabulary(words);
    }

    /** {@return the number of words, {@code <unk>} included} */
    public int size() {
        return words.size();
    }

    /**
     * The id of a word.
     *
     * @param word a token
     * @return its id, 0 ({@code <unk>}) when it is not in the vocabulary
     */
    public int id(String word) {
        return ids.getOrDefault(word, 0);
    }

    /**
     * The word of an id.
     *
     * @param id an id in [0, size)
     * @return its word
     */
    public String word(int id) {
        return words.get(id);
    }

    /** {@return the words in id order, unmodifiable} */
    public List<String> words() {
        return words;
    }

    /**
     * The ids of a token stream; words outside the vocabulary become 0 ({@code <unk>}).
     *
     * @param tokens the tokens
     * @return their ids
     */
    public int[] encode(List<String> tokens) {
        int[] out = new int[tokens.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = id(tokens.get(i));
        }
        return out;
    }
}
