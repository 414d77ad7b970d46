package dev.sentikit.samples;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** The corpora in ../shared/datasets, which live beside the project: tests that need them skip openly without. */
final class SharedData {

    private SharedData() {}

    /** The path of a file under ../shared/datasets, or a skipped test saying it is missing. */
    static Path require(String relative) {
        Path dir = Path.of(System.getProperty("sentikit.shared.dir", "../shared")).resolve("datasets");
        Path file = dir.resolve(relative);
        Assumptions.assumeTrue(Files.isRegularFile(file),
                "skipped: " + file + " is absent (the shared datasets live beside the repository, see README)");
        return file;
    }
}
