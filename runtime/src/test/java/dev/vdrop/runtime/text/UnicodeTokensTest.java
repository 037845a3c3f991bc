package dev.vdrop.runtime.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class UnicodeTokensTest {
    @Test
    void charactersAreCodePointsAsWritten() {
        assertEquals(List.of("Z", "o", "ë", " ", "Ё", "ж"), UnicodeTokens.characters("Zoë Ёж"));
        // e + a combining acute accent stays two code points: characters are not normalised
        assertEquals(List.of("e", "\u0301"), UnicodeTokens.characters("e\u0301"));
        // a letter outside the Basic Multilingual Plane is one token of two chars
        assertEquals(List.of("\uD835\uDC9C", "b"), UnicodeTokens.characters("\uD835\uDC9Cb"));
        assertEquals(List.of(), UnicodeTokens.characters(""));
    }

    @Test
    void wordsAreLowerCasedRunsOfLettersAndDigitsOfAnyScript() {
        assertEquals(List.of("привет", "мир", "ёжик2000"), UnicodeTokens.words("Привет, МИР! Ёжик2000"));
        assertEquals(List.of("crème", "brûlée", "zoë", "straße"), UnicodeTokens.words("  Crème BRÛLÉE -- Zoë; Straße."));
        // ASCII punctuation and symbols separate words, an apostrophe and a hyphen included
        assertEquals(List.of("don", "t", "stop", "3"), UnicodeTokens.words("Don't stop-3"));
        assertEquals(List.of("a", "b"), UnicodeTokens.words("a_b"));
        // digits of other scripts are digits
        assertEquals(List.of("٣٤", "x"), UnicodeTokens.words("٣٤ x"));
        assertEquals(List.of(), UnicodeTokens.words("!!! ... —"));
    }

    @Test
    void anAccentTypedAsTwoCodePointsGivesTheSameWord() {
        String composed = "caf\u00e9";
        String decomposed = "cafe\u0301";
        assertEquals(List.of(composed), UnicodeTokens.words(decomposed));
        assertEquals(UnicodeTokens.words("CAF\u00c9"), UnicodeTokens.words("CAFE\u0301"));
    }

    @Test
    void combiningMarksStayInTheirWord() {
        // Devanagari: the vowel signs (ि, ी) and the virama (्) are marks, not letters
        assertEquals(List.of("हिन्दी", "भाषा"), UnicodeTokens.words("हिन्दी भाषा"));
        // a mark with no letter before it is not a word
        assertEquals(List.of("x"), UnicodeTokens.words("\u0301 x"));
    }

    @Test
    void unseenCharactersMapToUnknown() {
        List<String> training = UnicodeTokens.characters("Анна Мария");
        Vocabulary characters = Vocabulary.build(training, Integer.MAX_VALUE);
        // <unk>, then the 8 distinct characters (а ×3, н ×2, the rest once): 9
        assertEquals(9, characters.size());
        int[] ids = characters.encode(UnicodeTokens.characters("Анфиса"));
        assertEquals(characters.id("А"), ids[0]);
        assertEquals(characters.id("н"), ids[1]);
        assertEquals(0, ids[2]); // ф is not in the training text
        assertEquals(characters.id("и"), ids[3]);
        assertEquals(0, ids[4]); // с neither
        assertEquals(characters.id("а"), ids[5]);
    }
}
