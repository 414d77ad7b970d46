package dev.sentikit.release;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Copying and deleting folders for the tests' work. */
final class Trees {

    /** Folders a copy of the sources leaves out: build output, VCS data, installed Node packages. */
    private static final Set<String> NOT_SOURCES = Set.of("target", ".git", "node_modules", ".idea");

    private Trees() {}

    /** Deletes what {@code dir} holds (not {@code dir}). */
    static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                if (!d.equals(dir)) {
                    Files.delete(d);
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /**
     * Copies the source tree of {@code root} to {@code to}: the files git tracks or would track (untracked ones not
     * ignored, so that uncommitted work is built too), or, outside a git checkout, every file but build output.
     */
    static void copySources(Path root, Path to) throws IOException, InterruptedException {
        List<Path> files = gitFiles(root);
        if (files == null) {
            files = new ArrayList<>();
            try (Stream<Path> all = Files.walk(root)) {
                for (Path p : (Iterable<Path>) all::iterator) {
                    Path rel = root.relativize(p);
                    boolean skipped = false;
                    for (Path part : rel) {
                        skipped |= NOT_SOURCES.contains(part.toString());
                    }
                    if (!skipped && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                        files.add(rel);
                    }
                }
            }
        }
        for (Path rel : files) {
            Path from = root.resolve(rel);
            if (!Files.isRegularFile(from)) {
                continue; // deleted in the working tree, still in git's index
            }
            Path dest = to.resolve(rel);
            Files.createDirectories(dest.getParent());
            Files.copy(from, dest, StandardCopyOption.COPY_ATTRIBUTES, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static List<Path> gitFiles(Path root) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder("git", "-C", root.toString(), "ls-files", "-z", "--cached", "--others",
                    "--exclude-standard").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException noGit) {
            return null;
        }
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            return null;
        }
        List<Path> files = new ArrayList<>();
        for (String name : new String(out, StandardCharsets.UTF_8).split("\0")) {
            if (!name.isEmpty()) {
                files.add(Path.of(name));
            }
        }
        return files;
    }

    /** Copies the tree {@code from} into {@code to}, as it is. */
    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Path dest = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(p, dest, StandardCopyOption.COPY_ATTRIBUTES, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /** Copies the text files of {@code from} into {@code to}, replacing each {@code @key@} by its value. */
    static void copyFiltered(Path from, Path to, Map<String, String> values) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Path dest = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                    continue;
                }
                String text = Files.readString(p, StandardCharsets.UTF_8);
                for (Map.Entry<String, String> e : values.entrySet()) {
                    if (e.getValue() == null) {
                        throw new IllegalStateException("no value for @" + e.getKey() + "@: run the tests through "
                                + "Maven, which sets it (release-tests/pom.xml)");
                    }
                    text = text.replace("@" + e.getKey() + "@", e.getValue());
                }
                if (text.matches("(?s).*@[a-z.]+\\.version@.*")) {
                    throw new IllegalStateException(p + " has a @…@ placeholder without a value");
                }
                Files.writeString(dest, text, StandardCharsets.UTF_8);
            }
        }
    }
}
