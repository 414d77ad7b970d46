package dev.sentikit.text;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sentikit.model.ModelFormat;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Small BERT-layout tokenizers made in code for the WordPiece tests: a vocabulary of English words, word pieces,
 * accented and CJK characters, emoji and punctuation (some continuation pieces deliberately missing, so that
 * some words cannot be split), written as a Hugging Face {@code tokenizer.json}; and random texts of awkward
 * characters over it.
 */
final class BertTokenizers {

    static final List<String> SPECIAL = List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]");

    static final List<String> WORDS = List.of("the", "a", "movie", "film", "was", "is", "not", "good", "bad", "great",
            "i", "don", "t", "like", "it", "love", "very", "phone", "battery", "died", "after", "two", "days",
            "never", "again", "service", "food", "delivery", "slow", "fast", "cold", "hot", "terrible", "awful",
            "excellent", "but", "and", "or", "no", "yes", "can", "say", "at", "all", "this", "that", "too", "so",
            "play", "un", "re", "dis", "happy", "help", "believ", "think", "work", "café", "naïve", "über", "résumé",
            "straße", "οδος", "привет", "мир", "hello", "world", "İstanbul", "ǅ", "ﬁ", "x²", "①", "one", "tw", "wo");

    static final List<String> PIECES = List.of("##ing", "##ed", "##s", "##ly", "##er", "##able", "##ness", "##ful",
            "##y", "##n", "##t", "##o", "##ie", "##é", "##ü", "##😀", "##好", "##'", "##12", "##123", "##ab");

    static final String CJK = "不好很差电影中文的了是我你他这个服务外卖送餐慢快冷热";

    static final String SYMBOLS = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~，。！？、：；（）《》…—–€£¥©®™°±×÷";

    static final List<String> EMOJI = List.of("😀", "❤", "👍", "😡", "🙏", "🇫🇷", "👨\u200D👩\u200D👧");

    private BertTokenizers() {}

    /** The vocabulary in id order: [PAD] first (id 0), then the other special tokens, characters and pieces. */
    static List<String> vocabulary(boolean upperCaseToo) {
        Set<String> v = new LinkedHashSet<>(SPECIAL);
        for (char c = 'a'; c <= 'z'; c++) {
            v.add(String.valueOf(c));
            if (c != 'q' && c != 'x' && c != 'z') { // words with these after their first letter are [UNK]
                v.add("##" + c);
            }
        }
        for (char c = '0'; c <= '9'; c++) {
            v.add(String.valueOf(c));
            v.add("##" + c);
        }
        for (String w : WORDS) {
            v.add(w);
            if (upperCaseToo) {
                v.add(w.substring(0, 1).toUpperCase(java.util.Locale.ROOT) + w.substring(1));
                v.add(w.toUpperCase(java.util.Locale.ROOT));
            }
        }
        v.addAll(PIECES);
        CJK.codePoints().forEach(cp -> v.add(new String(Character.toChars(cp))));
        SYMBOLS.codePoints().forEach(cp -> v.add(new String(Character.toChars(cp))));
        v.addAll(EMOJI);
        for (String accented : List.of("é", "è", "ü", "ö", "ñ", "ç", "e", "u", "o", "n", "c")) {
            v.add(accented);
        }
        return new ArrayList<>(v);
    }

    /**
     * A {@code tokenizer.json} over {@code vocabulary} with these BertNormalizer settings ({@code stripAccents}
     * null: as lowercase, the way the file leaves it).
     */
    static String tokenizerJson(List<String> vocabulary, boolean lowercase, Boolean stripAccents, boolean cleanText,
            boolean chinese) {
        ObjectNode root = ModelFormat.json().createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        for (String s : SPECIAL) {
            ObjectNode t = added.addObject();
            t.put("id", vocabulary.indexOf(s));
            t.put("content", s);
            t.put("single_word", false);
            t.put("lstrip", false);
            t.put("rstrip", false);
            t.put("normalized", false);
            t.put("special", true);
        }
        ObjectNode normalizer = root.putObject("normalizer");
        normalizer.put("type", "BertNormalizer");
        normalizer.put("clean_text", cleanText);
        normalizer.put("handle_chinese_chars", chinese);
        if (stripAccents == null) {
            normalizer.putNull("strip_accents");
        } else {
            normalizer.put("strip_accents", stripAccents);
        }
        normalizer.put("lowercase", lowercase);
        root.putObject("pre_tokenizer").put("type", "BertPreTokenizer");
        ObjectNode post = root.putObject("post_processor");
        post.put("type", "TemplateProcessing");
        ArrayNode single = post.putArray("single");
        single.addObject().putObject("SpecialToken").put("id", "[CLS]").put("type_id", 0);
        single.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        single.addObject().putObject("SpecialToken").put("id", "[SEP]").put("type_id", 0);
        ArrayNode pair = post.putArray("pair");
        pair.addObject().putObject("SpecialToken").put("id", "[CLS]").put("type_id", 0);
        pair.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        pair.addObject().putObject("SpecialToken").put("id", "[SEP]").put("type_id", 0);
        pair.addObject().putObject("Sequence").put("id", "B").put("type_id", 1);
        pair.addObject().putObject("SpecialToken").put("id", "[SEP]").put("type_id", 1);
        ObjectNode specials = post.putObject("special_tokens");
        for (String s : List.of("[CLS]", "[SEP]")) {
            ObjectNode t = specials.putObject(s);
            t.put("id", s);
            t.putArray("ids").add(vocabulary.indexOf(s));
            t.putArray("tokens").add(s);
        }
        ObjectNode decoder = root.putObject("decoder");
        decoder.put("type", "WordPiece");
        decoder.put("prefix", "##");
        decoder.put("cleanup", true);
        ObjectNode model = root.putObject("model");
        model.put("type", "WordPiece");
        model.put("unk_token", "[UNK]");
        model.put("continuing_subword_prefix", "##");
        model.put("max_input_chars_per_word", 100);
        ObjectNode vocab = model.putObject("vocab");
        for (int i = 0; i < vocabulary.size(); i++) {
            vocab.put(vocabulary.get(i), i);
        }
        return ModelFormat.toJson(root);
    }

    /** A random text of words, pieces, odd characters, whitespace, controls and special tokens. */
    static String randomText(Random random) {
        StringBuilder sb = new StringBuilder();
        int parts = 1 + random.nextInt(24);
        for (int p = 0; p < parts; p++) {
            switch (random.nextInt(20)) {
                case 0, 1, 2, 3, 4 -> {
                    String w = WORDS.get(random.nextInt(WORDS.size()));
                    sb.append(random.nextInt(4) == 0 ? w.toUpperCase(java.util.Locale.ROOT) : w);
                    if (random.nextInt(3) == 0) {
                        sb.append(PIECES.get(random.nextInt(PIECES.size())).substring(2)); // glued continuation
                    }
                }
                case 5 -> sb.appendCodePoint(CJK.codePointAt(random.nextInt(CJK.length())));
                case 6 -> sb.appendCodePoint(SYMBOLS.codePointAt(random.nextInt(SYMBOLS.length())));
                case 7 -> sb.append(EMOJI.get(random.nextInt(EMOJI.size())));
                case 8 -> sb.append(SPECIAL.get(random.nextInt(SPECIAL.size())));
                case 9 -> sb.append("[CL").append(random.nextBoolean() ? "S" : "S]"); // near-misses
                case 10 -> sb.append(" \t\n\r\u00A0\u3000\u2028\u0085\u000B\u000C\u200B\u2003".charAt(random.nextInt(12)));
                case 11 -> sb.append("\u0000\u0007\u001F\u007F\u00AD\u200D\uFEFF\uFFFD\uE000\u0301\u0308".charAt(
                        random.nextInt(11)));
                case 12 -> {
                    // letters with combining marks, precomposed or not
                    sb.append("eE\u00E9\u00C9\u0130Iı\u03A3\u1E9E\u00DF".charAt(random.nextInt(10)));
                    if (random.nextBoolean()) {
                        sb.append("\u0301\u0308\u0327\u0323".charAt(random.nextInt(4)));
                    }
                }
                case 13 -> {
                    // a very long word: at the 100-code-point limit, one over, or far over
                    int n = 99 + random.nextInt(3) + (random.nextInt(4) == 0 ? 200 : 0);
                    for (int i = 0; i < n; i++) {
                        sb.append(random.nextInt(8) == 0 ? "😀" : "a");
                    }
                }
                case 14 -> {
                    // a random assigned code point of planes 0 to 2 (Java's Unicode 13; newer ones may differ)
                    int cp;
                    do {
                        cp = random.nextInt(0x30000);
                    } while (Character.getType(cp) == Character.UNASSIGNED || Character.isSurrogate((char) cp)
                            && cp < 0x10000);
                    sb.appendCodePoint(cp);
                }
                case 15 -> sb.append(random.nextInt(1000));
                default -> sb.append(' ');
            }
            if (random.nextInt(3) > 0) {
                sb.append(' ');
            }
        }
        return sb.toString();
    }

    /** Whether {@code s} holds a surrogate that is not half of a pair: not valid text for a Rust String. */
    static boolean hasLoneSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    /** {@code ids} as longs, as Hugging Face tokenizers gives them. */
    static long[] toLongs(int[] ids) {
        long[] out = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = ids[i];
        }
        return out;
    }
}
