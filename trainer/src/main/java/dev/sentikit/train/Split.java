package dev.sentikit.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A seeded, stratified split of examples into training and held-out parts: each label keeps its share in
 * both, and the same seed always gives the same split.
 *
 * @param train the examples to train on
 * @param heldOut the examples held out
 */
public record Split(Examples train, Examples heldOut) {

    /**
     * Holds out {@code fraction} of each label's examples (at least one where a label has two or more).
     *
     * @throws IllegalArgumentException if fraction is not in (0, 1)
     */
    public static Split stratified(Examples all, double fraction, long seed) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("fraction must be in (0, 1), got " + fraction);
        }
        List<List<Integer>> byLabel = new ArrayList<>();
        for (int l = 0; l < all.labels().size(); l++) {
            byLabel.add(new ArrayList<>());
        }
        for (int i = 0; i < all.size(); i++) {
            if (!all.labelled(i)) {
                throw new IllegalArgumentException("text " + i + " has no label: only labelled rows can be split");
            }
            byLabel.get(all.targets()[i]).add(i);
        }
        Random random = new Random(seed);
        List<Integer> train = new ArrayList<>();
        List<Integer> held = new ArrayList<>();
        for (List<Integer> indices : byLabel) {
            java.util.Collections.shuffle(indices, random);
            int n = indices.size();
            int k = n < 2 ? 0 : Math.max(1, (int) Math.round(n * fraction));
            held.addAll(indices.subList(0, k));
            train.addAll(indices.subList(k, n));
        }
        java.util.Collections.sort(train);
        java.util.Collections.sort(held);
        return new Split(all.subset(train.stream().mapToInt(Integer::intValue).toArray()),
                all.subset(held.stream().mapToInt(Integer::intValue).toArray()));
    }
}
