package dev.sentikit.train.data;

import java.io.IOException;

/** Turns the physical lines of one format into rows, reporting each row (good or bad) to a {@link RowCollector}. */
interface RecordParser {

    /**
     * Reads every line to the end of the stream (so that the file's digest covers all of it), unless the collector
     * throws in strict mode.
     */
    void parse(Utf8LineReader lines, RowCollector rows) throws IOException, DataFormatException;
}
