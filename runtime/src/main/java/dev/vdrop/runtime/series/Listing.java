package dev.vdrop.runtime.series;

import java.util.List;

/**
 * How messages list the fields in trouble: the first {@value #SHOWN} in file order, then how many
 * more, so a file with thousands of gaps still gives a one-line message.
 */
final class Listing {
    /** How many items a message names before it counts the rest. */
    static final int SHOWN = 5;

    private Listing() {}

    /**
     * Joins items as prose: {@code a}, {@code a and b}, {@code a, b and c}; beyond {@value #SHOWN}
     * items, the first {@value #SHOWN} and then {@code and N more}.
     */
    static String join(List<String> items) {
        if (items.isEmpty()) {
            throw new IllegalArgumentException("nothing to list");
        }
        int shown = Math.min(items.size(), SHOWN);
        StringBuilder text = new StringBuilder(items.get(0));
        for (int i = 1; i < shown; i++) {
            text.append(i == shown - 1 && items.size() <= SHOWN ? " and " : ", ").append(items.get(i));
        }
        if (items.size() > SHOWN) {
            text.append(" and ").append(items.size() - SHOWN).append(" more");
        }
        return text.toString();
    }

    /** {@return {@code line 12}, or {@code lines 12, 40 and 41}, {@code lines 12, 40, 41, 97, 130 and 54 more}} */
    static String lines(List<Integer> lines) {
        return numbered("line", lines);
    }

    /** {@return e.g. {@code row 3}, or {@code rows 3 and 4}: the word, in the plural for more than one number} */
    static String numbered(String word, List<Integer> numbers) {
        return word + (numbers.size() == 1 ? " " : "s ") + join(numbers.stream().map(String::valueOf).toList());
    }

    /** {@return e.g. {@code 1 missing value} or {@code 59 missing values}} */
    static String count(int n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }
}
