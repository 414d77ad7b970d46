package dev.sentikit.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The trainer's caches on disk (encoded data, teacher labels): one file per key, the most recently used kept. */
public final class CacheFiles {

    private CacheFiles() {}

    /**
     * Deletes all but the {@code keep} most recently modified files of {@code dir} whose names end with
     * {@code suffix}; other files are left alone.
     */
    public static void keepNewest(Path dir, String suffix, int keep) throws IOException {
        List<Path> files;
        try (var stream = Files.list(dir)) {
            files = new ArrayList<>(stream.filter(p -> p.getFileName().toString().endsWith(suffix)).toList());
        }
        if (files.size() <= keep) {
            return;
        }
        Map<Path, Long> used = new HashMap<>();
        for (Path f : files) {
            used.put(f, Files.getLastModifiedTime(f).toMillis());
        }
        files.sort((a, b) -> Long.compare(used.get(b), used.get(a)));
        for (Path old : files.subList(keep, files.size())) {
            Files.deleteIfExists(old);
        }
    }
}
