package dev.sentikit.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Which writing systems a model was trained on, and whether a text is in one of them. The golden file
 * {@value #RESOURCE} holds the check of many texts against a few profiles, for other implementations (JavaScript);
 * this test writes it with {@code -Dsentikit.golden.write=true} and otherwise fails when it differs.
 */
class ScriptsTest {

    static final String RESOURCE = "golden-scripts-v1.json";

    @Test
    void theCommittedGoldenFileIsWhatTheCheckGives() throws java.io.IOException {
        com.fasterxml.jackson.databind.ObjectMapper json = dev.sentikit.model.ModelFormat.json().copy()
                .enable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT);
        var root = json.createObjectNode();
        root.put("about", "The script check of texts against model profiles (dev.sentikit.text.Scripts.check): "
                + "for each profile (the share of each script among a model's training letters) and text, the "
                + "script most of the text's letters are in (null: fewer than 2 letters) and whether the model "
                + "knows it. Written by ScriptsTest.");
        java.util.List<Map<String, Double>> profiles = java.util.List.of(Map.of("Latin", 0.999, "Han", 0.001),
                Map.of("Han", 0.95, "Latin", 0.05), Map.of());
        java.util.List<String> texts = new java.util.ArrayList<>(List.of("", "a", "ok", "I love this phone",
                "这个手机不错", "iPhone 很好用", "手机很好 ok", "Отличный телефон", "😀👍 10/10", "東京タワー",
                "كتاب جيد", "ab 中", "中文 ab", "ǅungla straße"));
        java.util.Random random = new java.util.Random(4);
        for (int i = 0; i < 200; i++) {
            StringBuilder sb = new StringBuilder();
            for (int k = random.nextInt(8); k >= 0; k--) {
                int cp;
                do {
                    cp = random.nextInt(0x30000);
                } while (!Character.isDefined(cp) || Character.getType(cp) == Character.SURROGATE
                        || Character.getType(cp) == Character.PRIVATE_USE);
                sb.appendCodePoint(cp);
            }
            texts.add(sb.toString());
        }
        var cases = root.putArray("cases");
        for (Map<String, Double> profile : profiles) {
            var p = cases.addObject();
            p.set("profile", json.valueToTree(new java.util.TreeMap<>(profile)));
            var results = p.putArray("texts");
            for (String text : texts) {
                Scripts.Check c = Scripts.check(text, profile);
                var r = results.addObject();
                r.put("text", text);
                r.put("script", c.script());
                r.put("known", c.known());
            }
        }
        String generated = json.writeValueAsString(root) + "\n";
        java.nio.file.Path dir = java.nio.file.Path.of("").toAbsolutePath();
        while (dir != null && !java.nio.file.Files.isDirectory(dir.resolve("sdk-api"))) {
            dir = dir.getParent();
        }
        java.nio.file.Path file = dir.resolve("sdk-api/src/test/resources/dev/sentikit/text/" + RESOURCE);
        if (Boolean.getBoolean("sentikit.golden.write")) {
            java.nio.file.Files.writeString(file, generated, java.nio.charset.StandardCharsets.UTF_8);
            return;
        }
        assertEquals(java.nio.file.Files.readString(file, java.nio.charset.StandardCharsets.UTF_8), generated,
                RESOURCE + " is not what the check gives now: write it again with -Dsentikit.golden.write=true");
    }

    @Test
    void theShortcutsAgreeWithJavaOnEveryCodePoint() {
        for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
            boolean letter = Character.isLetter(cp);
            if (Scripts.isLetter(cp) != letter) {
                fail(String.format("U+%04X: letter %s, Java says %s", cp, Scripts.isLetter(cp), letter));
            }
            if (letter && Scripts.scriptOfLetter(cp) != Character.UnicodeScript.of(cp)) {
                fail(String.format("U+%04X: %s, Java says %s", cp, Scripts.scriptOfLetter(cp),
                        Character.UnicodeScript.of(cp)));
            }
        }
    }

    @Test
    void aProfileIsTheShareOfEachScriptAmongTheLetters() {
        Map<String, Double> p = Scripts.profile(List.of("good movie", "не плохо", "好 😀 123"));
        assertEquals(List.of("Latin", "Cyrillic", "Han"), List.copyOf(p.keySet()), "largest first");
        assertEquals(9 / 17.0, p.get("Latin"), 1e-4, "digits, spaces, emoji and punctuation are not letters");
        assertEquals(7 / 17.0, p.get("Cyrillic"), 1e-4);
        assertEquals(1 / 17.0, p.get("Han"), 1e-4);
        assertTrue(Scripts.profile(List.of("123 !!!")).isEmpty());
    }

    @Test
    void aTextMostlyInAScriptTheModelHardlySawIsFlagged() {
        Map<String, Double> english = Map.of("Latin", 0.9990, "Han", 0.0004, "Cyrillic", 0.0006);
        assertEquals(new Scripts.Check("Han", false), Scripts.check("这个手机不错", english));
        assertEquals(new Scripts.Check("Latin", true), Scripts.check("I love this phone", english));
        assertEquals(new Scripts.Check("Latin", true), Scripts.check("I love this 手机", english),
                "most letters are Latin");
        assertEquals(new Scripts.Check("Han", false), Scripts.check("手机很好 ok", english));
        Scripts.Check emoji = Scripts.check("😀👍 10/10", english);
        assertNull(emoji.script(), "too few letters to judge");
        assertTrue(emoji.known());
        assertTrue(Scripts.check("这个手机不错", null).known(), "a model that does not say flags nothing");
        Map<String, Double> chinese = Map.of("Han", 0.97, "Latin", 0.03);
        assertTrue(Scripts.check("这个手机不错", chinese).known());
        assertTrue(Scripts.check("iPhone 很好用", chinese).known());
        assertFalse(Scripts.check("Отличный телефон", chinese).known());
        assertEquals("Cyrillic", Scripts.check("Отличный телефон", chinese).script());
    }
}
