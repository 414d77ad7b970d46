package dev.sentikit.cli;

import dev.sentikit.train.Examples;
import dev.sentikit.train.Split;
import dev.sentikit.train.data.LabeledData;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code trainer split}: seeded, stratified train / validation / test files from one labelled file. */
@Command(name = "split", mixinStandardHelpOptions = true,
        description = "Splits a labelled file into train.tsv, valid.tsv and test.tsv (label<TAB>text), stratified by "
                + "label and seeded, so that a test split is set aside before any training or model selection. "
                + "Each file keeps the rows in the input's order: to train on part of train.tsv, draw the rows at "
                + "random rather than take its first lines, which may all come from one source.")
final class SplitCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "FILE", description = "The labelled file.")
    Path data;

    @Option(names = "--output", required = true, paramLabel = "DIR", description = "Where to write the three files.")
    Path output;

    @Option(names = "--test-fraction", defaultValue = "0.1", description = "Share for test.tsv (default: ${DEFAULT-VALUE}).")
    double testFraction;

    @Option(names = "--valid-fraction", defaultValue = "0.1",
            description = "Share of the whole for valid.tsv (default: ${DEFAULT-VALUE}).")
    double validFraction;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    DataOptions dataOptions;

    @Override
    public Integer call() throws Exception {
        if (!(testFraction + validFraction < 1)) {
            throw new IllegalArgumentException("--test-fraction + --valid-fraction must be below 1, got "
                    + (testFraction + validFraction));
        }
        PrintWriter out = spec.commandLine().getOut();
        LabeledData read = dataOptions.read(data, null, spec.commandLine().getErr());
        Examples all = DataOptions.toExamples(read);
        Split first = Split.stratified(all, testFraction, seed);
        Split second = Split.stratified(first.train(), validFraction / (1 - testFraction), seed + 1);
        Files.createDirectories(output);
        write(output.resolve("train.tsv"), second.train());
        write(output.resolve("valid.tsv"), second.heldOut());
        write(output.resolve("test.tsv"), first.heldOut());
        out.printf("wrote %s: train.tsv %d, valid.tsv %d, test.tsv %d rows (seed %d, from %s, SHA-256 %s)%n", output,
                second.train().size(), second.heldOut().size(), first.heldOut().size(), seed, data, read.sha256());
        return 0;
    }

    private static void write(Path file, Examples examples) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int i = 0; i < examples.size(); i++) {
                String text = examples.texts().get(i).replace('\t', ' ').replace('\n', ' ').replace('\r', ' ');
                w.write(examples.labels().get(examples.targets()[i]));
                w.write('\t');
                w.write(text);
                w.write('\n');
            }
        }
    }
}
