package dev.sentikit.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SplitTest {

    @Test
    void keepsEachLabelsShareAndLosesNothing() throws Exception {
        Examples all = Fixtures.vaderExamples();
        Split s = Split.stratified(all, 0.1, 3);
        assertEquals(all.size(), s.train().size() + s.heldOut().size());
        int[] held = new int[3];
        for (int t : s.heldOut().targets()) {
            held[t]++;
        }
        assertEquals(List.of(50, 50, 50), List.of(held[0], held[1], held[2]));
        Set<String> texts = new HashSet<>(s.train().texts());
        texts.addAll(s.heldOut().texts());
        assertEquals(new HashSet<>(all.texts()), texts);
    }

    @Test
    void sameSeedSameSplit() throws Exception {
        Examples all = Fixtures.vaderExamples();
        assertEquals(Split.stratified(all, 0.2, 5).heldOut().texts(), Split.stratified(all, 0.2, 5).heldOut().texts());
        assertThrows(IllegalArgumentException.class, () -> Split.stratified(all, 1.0, 5));
    }
}
