package dev.sentikit.release;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The modules of the build as their pom.xml files declare them, read without Maven: the root's {@code <modules>},
 * recursively. A module is <em>published</em> unless its pom sets {@code maven.deploy.skip} to {@code true}.
 */
final class Reactor {

    /** One module: its folder, coordinates and the pom it was read from. */
    record Module(Path dir, String groupId, String artifactId, String version, String packaging, Element pom,
                  Module parent) {

        /** A direct child element's text, or empty. */
        Optional<String> own(String tag) {
            return child(pom, tag).map(Node::getTextContent).map(String::trim);
        }

        /** A direct child element of this pom or, when absent, of the nearest parent in the build that has it. */
        Optional<Element> inherited(String tag) {
            for (Module m = this; m != null; m = m.parent) {
                Optional<Element> e = child(m.pom, tag);
                if (e.isPresent()) {
                    return e;
                }
            }
            return Optional.empty();
        }

        /** A property of this pom or of a parent in the build. */
        Optional<String> property(String name) {
            for (Module m = this; m != null; m = m.parent) {
                Optional<String> v = child(m.pom, "properties").flatMap(p -> child(p, name))
                        .map(Node::getTextContent).map(String::trim);
                if (v.isPresent()) {
                    return v;
                }
            }
            return Optional.empty();
        }

        boolean published() {
            return !"true".equals(property("maven.deploy.skip").orElse("false"));
        }

        boolean isJar() {
            return "jar".equals(packaging);
        }

        String coordinates() {
            return groupId + ":" + artifactId + ":" + version;
        }

        /** Where the build writes this module's {@code artifactId-version[-classifier].ext}. */
        Path target(String classifier, String extension) {
            return dir.resolve("target").resolve(fileName(classifier, extension));
        }

        String fileName(String classifier, String extension) {
            return artifactId + "-" + version + (classifier == null ? "" : "-" + classifier) + "." + extension;
        }

        /** The folder of this module's version in a Maven repository. */
        Path in(Path repository) {
            return repository.resolve(groupId.replace('.', '/')).resolve(artifactId).resolve(version);
        }

        @Override
        public String toString() {
            return coordinates() + " (" + dir.getFileName() + "/pom.xml)";
        }
    }

    final Path root;
    final List<Module> modules;

    private Reactor(Path root, List<Module> modules) {
        this.root = root;
        this.modules = modules;
    }

    /** The repository root the build runs in ({@code sentikit.root.dir}, set by the pom). */
    static Path rootDir() {
        String dir = System.getProperty("sentikit.root.dir");
        if (dir == null) {
            throw new IllegalStateException("sentikit.root.dir is not set: run these tests through Maven "
                    + "(mvn -pl release-tests -am verify)");
        }
        return Path.of(dir).toAbsolutePath().normalize();
    }

    /** The version the build is making ({@code sentikit.version}, set by the pom). */
    static String version() {
        String v = System.getProperty("sentikit.version");
        if (v == null) {
            throw new IllegalStateException("sentikit.version is not set: run these tests through Maven");
        }
        return v;
    }

    static Reactor read(Path root) throws Exception {
        Map<Path, Module> modules = new LinkedHashMap<>();
        read(root.toAbsolutePath().normalize(), null, modules);
        return new Reactor(root, new ArrayList<>(modules.values()));
    }

    private static void read(Path dir, Module aggregator, Map<Path, Module> into) throws Exception {
        Path file = dir.resolve("pom.xml");
        Element pom = parse(file);
        Optional<Element> parentRef = child(pom, "parent");
        Module parent = null;
        if (parentRef.isPresent()) {
            String parentId = text(parentRef.get(), "artifactId");
            Path parentDir = dir.resolve(child(parentRef.get(), "relativePath").map(Node::getTextContent)
                    .orElse("../pom.xml")).normalize();
            parentDir = parentDir.getFileName().toString().equals("pom.xml") ? parentDir.getParent() : parentDir;
            Module candidate = into.get(parentDir);
            if (candidate != null && candidate.artifactId.equals(parentId)) {
                parent = candidate;
            }
        }
        String groupId = child(pom, "groupId").map(Node::getTextContent)
                .orElseGet(() -> text(parentRef.orElseThrow(() -> new IllegalStateException(file + ": no groupId")),
                        "groupId")).trim();
        String version = child(pom, "version").map(Node::getTextContent)
                .orElseGet(() -> text(parentRef.orElseThrow(() -> new IllegalStateException(file + ": no version")),
                        "version")).trim();
        String packaging = child(pom, "packaging").map(Node::getTextContent).orElse("jar").trim();
        Module module = new Module(dir, groupId, text(pom, "artifactId").trim(), version, packaging, pom, parent);
        into.put(dir, module);
        Optional<Element> list = child(pom, "modules");
        if (list.isPresent()) {
            for (Node n = list.get().getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element e && e.getTagName().equals("module")) {
                    read(dir.resolve(e.getTextContent().trim()).normalize(), module, into);
                }
            }
        }
    }

    List<Module> published() {
        return modules.stream().filter(Module::published).toList();
    }

    Module module(String artifactId) {
        return modules.stream().filter(m -> m.artifactId.equals(artifactId)).findFirst()
                .orElseThrow(() -> new AssertionError("no module " + artifactId + " in " + root.resolve("pom.xml")));
    }

    static Element parse(Path file) throws Exception {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + " is missing");
        }
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(false);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document d = f.newDocumentBuilder().parse(file.toFile());
        return d.getDocumentElement();
    }

    static Optional<Element> child(Element parent, String tag) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(tag)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    static List<Element> children(Element parent, String tag) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(tag)) {
                out.add(e);
            }
        }
        return out;
    }

    static String text(Element parent, String tag) {
        return child(parent, tag).map(Node::getTextContent)
                .orElseThrow(() -> new IllegalStateException("<" + parent.getTagName() + "> has no <" + tag + ">"));
    }
}
