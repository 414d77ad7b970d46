package dev.sentikit.distill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentikit.Sentiment;
import dev.sentikit.SentimentAnalyzer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The teacher's labels: its calibrated probabilities in the student's label order, cached per text. */
class TeacherLabelsTest {

    private static final List<String> LABELS = List.of("negative", "neutral", "positive");

    private static List<String> texts(int n, String prefix) {
        List<String> t = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            t.add(prefix + " " + (i % 3 == 0 ? "great" : i % 3 == 1 ? "awful" : "okay") + " text " + i);
        }
        return t;
    }

    @Test
    void theTeachersCalibratedProbabilitiesInTheStudentsLabelOrder() throws Exception {
        List<String> texts = List.of("I love it", "terrible service, never again", "it is a phone");
        List<String> reversed = List.of("positive", "neutral", "negative");
        try (Teacher teacher = Teacher.load(TinyTeacher.file());
                SentimentAnalyzer sdk = SentimentAnalyzer.load(TinyTeacher.file())) {
            assertEquals(LABELS, teacher.labels());
            float[][] p = teacher.probabilities(texts, reversed, null);
            List<Sentiment> expected = sdk.analyzeAll(texts);
            for (int i = 0; i < texts.size(); i++) {
                for (int c = 0; c < 3; c++) {
                    assertEquals(expected.get(i).score(reversed.get(c)), p[i][c], 1e-6, texts.get(i));
                }
            }
            // two of the teacher's three labels: the third's probability is left out, the rest renormalized
            float[][] two = teacher.probabilities(texts, List.of("negative", "positive"), null);
            for (int i = 0; i < texts.size(); i++) {
                double neg = expected.get(i).score("negative");
                double pos = expected.get(i).score("positive");
                assertEquals(neg / (neg + pos), two[i][0], 1e-6);
                assertEquals(1.0, two[i][0] + two[i][1], 1e-6);
            }
        }
    }

    @Test
    void aTeacherWithoutTheDatasLabelsIsRefusedNamingThem() throws Exception {
        try (Teacher teacher = Teacher.load(TinyTeacher.file())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TeacherLabels.load(teacher,
                    List.of("x"), List.of("negative", "mixed"), null, m -> {}, m -> {}));
            assertTrue(e.getMessage().contains("[mixed]"), e.getMessage());
            assertTrue(e.getMessage().contains("[negative, neutral, positive]"), e.getMessage());
        }
    }

    @Test
    void aRerunReadsEveryLabelFromTheCacheAndMoreTextsLabelOnlyTheNewOnes(@TempDir Path cache) throws Exception {
        List<String> first = texts(300, "a");
        List<String> more = new ArrayList<>(first);
        more.addAll(texts(200, "b"));
        try (Teacher teacher = Teacher.load(TinyTeacher.file())) {
            TeacherLabels.Result a = TeacherLabels.load(teacher, first, LABELS, cache, m -> {}, m -> {});
            assertEquals(0, a.fromCache());
            assertEquals(300, a.labelled());
            TeacherLabels.Result again = TeacherLabels.load(teacher, first, LABELS, cache, m -> {}, m -> {});
            assertEquals(300, again.fromCache(), "a rerun pays nothing");
            assertEquals(0, again.labelled());
            for (int i = 0; i < first.size(); i++) {
                assertArrayEquals(a.probabilities()[i], again.probabilities()[i]);
            }
            TeacherLabels.Result b = TeacherLabels.load(teacher, more, LABELS, cache, m -> {}, m -> {});
            assertEquals(300, b.fromCache());
            assertEquals(200, b.labelled(), "only the new texts are labelled");
            TeacherLabels.Result none = TeacherLabels.load(teacher, first, LABELS, null, m -> {}, m -> {});
            for (int i = 0; i < first.size(); i++) {
                assertArrayEquals(a.probabilities()[i], none.probabilities()[i], 1e-6f);
            }
        }
    }

    @Test
    void aRecordCutOffByAKilledWriteIsDroppedAndADamagedFileIsStartedAgain(@TempDir Path cache) throws Exception {
        List<String> texts = texts(50, "c");
        try (Teacher teacher = Teacher.load(TinyTeacher.file())) {
            TeacherLabels.load(teacher, texts, LABELS, cache, m -> {}, m -> {});
            Path file = TeacherLabels.file(cache, teacher.sha256(), LABELS);
            long size = Files.size(file);
            Files.write(file, new byte[] {1, 2, 3, 4, 5}, StandardOpenOption.APPEND); // half a record
            List<String> warnings = new ArrayList<>();
            TeacherLabels.Result r = TeacherLabels.load(teacher, texts, LABELS, cache, m -> {}, warnings::add);
            assertEquals(50, r.fromCache());
            assertEquals(size, Files.size(file));
            assertTrue(warnings.get(0).contains("cut off"), warnings.toString());

            Files.write(file, "not a cache file".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            warnings.clear();
            TeacherLabels.Result again = TeacherLabels.load(teacher, texts, LABELS, cache, m -> {}, warnings::add);
            assertEquals(0, again.fromCache());
            assertEquals(50, again.labelled());
            assertTrue(warnings.get(0).contains("cannot be used"), warnings.toString());
            assertEquals(50, TeacherLabels.load(teacher, texts, LABELS, cache, m -> {}, m -> {}).fromCache());
        }
    }
}
