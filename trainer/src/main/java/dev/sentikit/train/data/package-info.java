/**
 * Reading users' labelled training files: TSV ({@code label<TAB>text}), CSV (RFC 4180, with a header) and
 * JSONL (one JSON object per line).
 *
 * <p>Start with {@link dev.sentikit.train.data.DataReader}: it reads a file into
 * {@link dev.sentikit.train.data.LabeledData}, which holds the usable rows, the label set, every rejected row
 * with its line number and reason ({@link dev.sentikit.train.data.BadRow}) and the SHA-256 of the file for
 * provenance. Nothing is dropped silently: {@code rowsRead() == rows().size() + skippedCount()} always holds.
 */
package dev.sentikit.train.data;
