package dev.sentikit.distill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentikit.train.Examples;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The student's rows: held-out texts never among the unlabelled ones, repeats dropped, limits sampled. */
class TransferSetTest {

    private static final List<String> LABELS = List.of("negative", "positive");

    private static Examples labelled() {
        return new Examples(LABELS, List.of("awful phone", "great phone"), new int[] {0, 1});
    }

    @Test
    void unlabelledTextsThatAreHeldOutTextsAreDroppedAndCounted() {
        TransferSet set = TransferSet.builder(labelled())
                .addHeldOut("test.tsv", null, List.of("The battery died after two days.", "Best. Purchase. Ever!"))
                .addUnlabelled("u.txt", null, List.of(
                        "the battery died after two days",     // a test text, other case and punctuation
                        "BEST purchase ever",                   // a test text, other spacing and case
                        "Great phone!",                         // a labelled row again
                        "a new text", "a new text.",            // a repeat within the file
                        "another new text"), 0)
                .build();
        TransferSet.SourceReport r = set.reports().get(0);
        assertEquals(6, r.read());
        assertEquals(2, r.heldOut(), r.summary());
        assertEquals(2, r.repeated(), r.summary());
        assertEquals(2, r.kept(), r.summary());
        Examples e = set.examples();
        assertEquals(List.of("awful phone", "great phone", "a new text", "another new text"), e.texts());
        assertEquals(2, e.labelledCount());
        assertFalse(e.labelled(2));
        for (String text : e.texts()) {
            assertFalse(TransferSet.sameTextKey(text).equals(TransferSet.sameTextKey("The battery died after two days.")));
        }
        assertEquals(List.of("test.tsv"), set.excludedSources().stream().map(x -> x.file()).toList(),
                "the test file is recorded");
        assertEquals(List.of("u.txt"), set.unlabelledSources().stream().map(x -> x.file()).toList());
    }

    @Test
    void aLimitTakesASeededSampleInFileOrderAndALargerLimitKeepsIt() {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            texts.add("text number " + i);
        }
        List<String> small = TransferSet.builder(labelled()).addUnlabelled("u", null, texts, 100).build().examples()
                .texts();
        List<String> again = TransferSet.builder(labelled()).addUnlabelled("u", null, texts, 100).build().examples()
                .texts();
        List<String> large = TransferSet.builder(labelled()).addUnlabelled("u", null, texts, 300).build().examples()
                .texts();
        assertEquals(102, small.size());
        assertEquals(small, again, "seeded");
        assertTrue(large.containsAll(small), "a larger limit keeps the smaller one's texts (their labels are cached)");
        List<Integer> positions = small.subList(2, small.size()).stream().map(texts::indexOf).toList();
        assertEquals(positions.stream().sorted().toList(), positions, "in file order");
        List<String> otherSeed = TransferSet.builder(labelled()).optSeed(1).addUnlabelled("u", null, texts, 100)
                .build().examples().texts();
        assertFalse(otherSeed.equals(small));
    }

    @Test
    void labelledRowsThatAreHeldOutAreCountedAndUnlabelledRowsNeedNoSoftTargets() {
        TransferSet set = TransferSet.builder(labelled()).addHeldOut(null, null, List.of("GREAT phone")).build();
        assertEquals(1, set.labelledHeldOut());
        assertTrue(set.excludedSources().isEmpty(), "the validation split is not recorded");
        assertThrows(IllegalArgumentException.class, () -> TransferSet.builder(labelled()).addUnlabelled("u", null,
                List.of("x"), -1));
    }
}
