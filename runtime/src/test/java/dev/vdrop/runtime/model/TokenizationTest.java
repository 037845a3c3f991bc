package dev.vdrop.runtime.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
