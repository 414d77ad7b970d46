package dev.sentikit.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Issue 6, text input at the encoder: any string encodes, in bounded memory, to ids inside the id space. */
class HardeningEncoderTest {

    private static final Vocabulary VOCABULARY = Vocabulary.of(List.of("good", "bad", "not good"));
    private static final EncoderSpec SPEC = EncoderSpec.defaults().withHashBuckets(64);
    private static final TextEncoder ENCODER = TextEncoder.of(SPEC, VOCABULARY);

    /** Bytes this thread allocated while running {@code work}, or -1 where the JVM cannot say. */
    private static long allocatedBy(Runnable work) {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        if (!(bean instanceof com.sun.management.ThreadMXBean)) {
            return -1;
        }
        com.sun.management.ThreadMXBean sun = (com.sun.management.ThreadMXBean) bean;
        long id = Thread.currentThread().getId();
        long before = sun.getThreadAllocatedBytes(id);
        work.run();
        return sun.getThreadAllocatedBytes(id) - before;
    }

    @Test
    void aTenMegabyteTextCostsTheSameMemoryAsItsFirstMaxChars() {
        String tenMb = "good movie, not good at all! ".repeat(10 * 1024 * 1024 / 29 + 1);
        String head = tenMb.substring(0, SPEC.maxChars());
        for (int warm = 0; warm < 20; warm++) {
            ENCODER.encode(tenMb);
        }
        long big = allocatedBy(() -> ENCODER.encode(tenMb));
        long small = allocatedBy(() -> ENCODER.encode(head));
        assumeTrue(big >= 0, "this JVM does not count allocated bytes");
        // The text is never copied whole: the work is that of its first max_chars code units.
        assertTrue(big < 2 * 1024 * 1024, "encoding 10 MB allocated " + big + " bytes");
        assertTrue(big < small + 256 * 1024, "10 MB: " + big + " bytes, its head: " + small + " bytes");
        assertEquals(List.of(ENCODER.encode(head).length), List.of(ENCODER.encode(tenMb).length));
        assertEquals(SPEC.maxSequenceLength(), ENCODER.encode(tenMb).length);
    }

    @Test
    void anyStringOfUtf16UnitsEncodesToIdsInsideTheIdSpace() {
        Random random = new Random(6);
        // Code units from everywhere, weighted toward the awkward ones: surrogates, controls, format characters,
        // marks, CJK, full-width forms, emoji halves, noncharacters.
        char[] awkward = {'\uD800', '\uDBFF', '\uDC00', '\uDFFF', '\u0000', '\u0007', '\u001B', '\u200B', '\u200D',
            '\u202E', '\u2066', '\uFEFF', '\u00AD', '\u0301', '\u20E3', '\uFE0F', '\u6211', '\uFF21', '\uFFFE',
            '\uFFFF', '\'', '\u2019', ' ', '\u3000', '\u03A3', '\u0130', 'a', 'Z', '1'};
        for (int n = 0; n < 20_000; n++) {
            StringBuilder sb = new StringBuilder();
            int len = random.nextInt(n % 100 == 0 ? 5000 : 40);
            for (int i = 0; i < len; i++) {
                sb.append(random.nextInt(3) == 0 ? (char) random.nextInt(0x10000)
                        : awkward[random.nextInt(awkward.length)]);
            }
            String text = sb.toString();
            List<String> tokens = ENCODER.tokenize(text);
            assertTrue(tokens.size() <= SPEC.maxTokens());
            for (String token : tokens) {
                assertTrue(!token.isEmpty() && token.codePoints().noneMatch(cp -> Character.getType(cp)
                        == Character.SURROGATE || Character.isWhitespace(cp) || Character.getType(cp)
                        == Character.FORMAT), "token " + token.codePoints().boxed().toList());
            }
            int[] ids = ENCODER.encode(text);
            assertTrue(ids.length <= SPEC.maxSequenceLength());
            for (int id : ids) {
                assertTrue(id >= 1 && id < ENCODER.idSpace(), "id " + id);
            }
        }
    }

    @Test
    void anIdSpaceThatDoesNotFitAnIntIsRefused() {
        EncoderSpec huge = EncoderSpec.defaults().withHashBuckets(Integer.MAX_VALUE);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TextEncoder.of(huge, VOCABULARY));
        assertTrue(e.getMessage().contains("more than the 2147483647 an int id can hold"), e.getMessage());
        // One less bucket than that, with an empty vocabulary, fits: ids 1..2^31-1.
        TextEncoder widest = TextEncoder.of(EncoderSpec.defaults().withHashBuckets(Integer.MAX_VALUE - 1),
                Vocabulary.of(List.of()));
        assertEquals(Integer.MAX_VALUE, widest.idSpace());
        for (int id : widest.encode("every bucket id stays positive \uD83D\uDE00 \u6211")) {
            assertTrue(id >= 1, "id " + id);
        }
    }

    @Test
    void theLongestRowDoesNotOverflowForHugeMaxTokens() {
        assertEquals(Integer.MAX_VALUE, EncoderSpec.defaults().withMaxTokens(Integer.MAX_VALUE).maxSequenceLength());
        assertEquals(Integer.MAX_VALUE, EncoderSpec.defaults().withMaxTokens((1 << 30) + 1).maxSequenceLength());
        assertEquals(Integer.MAX_VALUE, EncoderSpec.defaults().withMaxTokens(1 << 30).maxSequenceLength()); // 2^31 - 1
        assertEquals(2 * 256 - 1, EncoderSpec.defaults().maxSequenceLength());
        assertEquals(Integer.MAX_VALUE, EncoderSpec.defaults().withBigrams(false).withMaxTokens(Integer.MAX_VALUE)
                .maxSequenceLength());
    }
}
