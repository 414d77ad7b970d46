package dev.sentikit.text;

/**
 * Texts encoded as one padded matrix of ids, row-major: row i holds the ids of text i followed by
 * {@link Vocabulary#PAD_ID} up to {@link #sequenceLength()}.
 *
 * @param ids {@code batchSize * sequenceLength} ids, row-major
 * @param batchSize the number of texts
 * @param sequenceLength the row length: the longest text's id count, at least 1
 * @param lengths the id count of each text before padding
 */
public record EncodedBatch(long[] ids, int batchSize, int sequenceLength, int[] lengths) {

    public EncodedBatch {
        if (ids.length != (long) batchSize * sequenceLength) {
            throw new IllegalArgumentException("ids has " + ids.length + " values, expected " + batchSize + " x "
                    + sequenceLength);
        }
        if (lengths.length != batchSize) {
            throw new IllegalArgumentException("lengths has " + lengths.length + " values, expected " + batchSize);
        }
    }

    /** The ids of text {@code row}, without padding. */
    public long[] row(int row) {
        long[] out = new long[lengths[row]];
        System.arraycopy(ids, row * sequenceLength, out, 0, out.length);
        return out;
    }
}
