package dev.sentikit.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.module.ModuleDescriptor;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/**
 * What a repository such as Maven Central requires of every published pom, read from the pom.xml files (no build
 * needed): name, description, url, licences, scm, developers; one version everywhere; a BOM that lists every
 * published jar.
 */
class ReleasePomsTest {

    private static Reactor reactor;

    @BeforeAll
    static void read() throws Exception {
        reactor = Reactor.read(Reactor.rootDir());
    }

    @Test
    void everyPublishedPomHasTheMetadataRepositoriesRequire() {
        List<String> problems = new ArrayList<>();
        for (Reactor.Module m : reactor.published()) {
            // name and description must be the module's own: an inherited one would describe the parent
            if (m.own("name").filter(s -> !s.isEmpty()).isEmpty()) {
                problems.add(m + ": no <name> of its own");
            }
            if (m.own("description").filter(s -> !s.isEmpty()).isEmpty()) {
                problems.add(m + ": no <description> of its own");
            }
            if (m.inherited("url").map(Element::getTextContent).filter(u -> u.startsWith("https://")).isEmpty()) {
                problems.add(m + ": no https <url>, neither its own nor a parent's");
            }
            Optional<Element> licenses = m.inherited("licenses");
            List<Element> each = licenses.map(l -> Reactor.children(l, "license")).orElse(List.of());
            if (each.isEmpty()) {
                problems.add(m + ": no <licenses>");
            }
            for (Element l : each) {
                if (Reactor.child(l, "name").isEmpty() || Reactor.child(l, "url").isEmpty()) {
                    problems.add(m + ": a <license> without <name> and <url>");
                }
            }
            Optional<Element> scm = m.inherited("scm");
            if (scm.isEmpty() || Reactor.child(scm.get(), "url").isEmpty()
                    || Reactor.child(scm.get(), "connection").isEmpty()) {
                problems.add(m + ": no <scm> with <url> and <connection>");
            }
            List<Element> developers = m.inherited("developers").map(d -> Reactor.children(d, "developer"))
                    .orElse(List.of());
            if (developers.isEmpty() || developers.stream().anyMatch(d -> Reactor.child(d, "name").isEmpty())) {
                problems.add(m + ": no <developers> with a <name> each");
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void childrenTakeTheUrlAndScmAsTheyAre() {
        // Without these attributes Maven appends each child's artifactId to the inherited url and scm addresses,
        // which would name pages and repositories that do not exist.
        Element root = reactor.module("sentikit-parent").pom();
        assertEquals("false", root.getAttribute("child.project.url.inherit.append.path"));
        Element scm = Reactor.child(root, "scm").orElseThrow();
        for (String a : List.of("connection", "developerConnection", "url")) {
            assertEquals("false", scm.getAttribute("child.scm." + a + ".inherit.append.path"), a);
        }
    }

    @Test
    void oneVersionEverywhere() {
        // A SNAPSHOT is allowed here (a development version); the release profile refuses one (enforcer).
        String version = Reactor.version();
        for (Reactor.Module m : reactor.modules) {
            assertEquals(version, m.version(), m.toString());
            Optional<Element> parent = Reactor.child(m.pom(), "parent");
            parent.ifPresent(p -> assertEquals(version, Reactor.text(p, "version").trim(), m + ": parent version"));
        }
    }

    @Test
    void theBomManagesEveryPublishedJarAtTheBuildsVersion() {
        Reactor.Module bom = reactor.module("sentikit-bom");
        assertEquals("dev.sentikit", bom.groupId());
        assertEquals("pom", bom.packaging());
        // Inheriting sentikit-parent would make an import of the BOM manage Jackson, ONNX Runtime, DJL... too.
        assertTrue(Reactor.child(bom.pom(), "parent").isEmpty(), "the BOM must not have a parent");
        Element managed = Reactor.child(bom.pom(), "dependencyManagement")
                .flatMap(d -> Reactor.child(d, "dependencies")).orElseThrow();
        Set<String> listed = new TreeSet<>();
        for (Element d : Reactor.children(managed, "dependency")) {
            String id = Reactor.text(d, "groupId").trim() + ":" + Reactor.text(d, "artifactId").trim();
            assertEquals("${project.version}", Reactor.text(d, "version").trim(), id);
            listed.add(id);
        }
        Set<String> jars = reactor.published().stream().filter(Reactor.Module::isJar)
                .map(m -> m.groupId() + ":" + m.artifactId()).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(jars, listed, "the BOM's list against the published jars");
    }

    @Test
    void everyPublishedJarNamesItsOwnValidModule() {
        Set<String> names = new TreeSet<>();
        for (Reactor.Module m : reactor.published()) {
            if (!m.isJar()) {
                continue;
            }
            Optional<String> own = Reactor.child(m.pom(), "properties")
                    .flatMap(p -> Reactor.child(p, "sentikit.module.name")).map(Element::getTextContent);
            assertTrue(own.isPresent(), m + " sets no sentikit.module.name (its Automatic-Module-Name)");
            String name = own.get().trim();
            ModuleDescriptor.newModule(name); // throws on a name that is not a legal module name
            assertTrue(name.startsWith("dev.sentikit"), m + ": " + name);
            assertTrue(names.add(name), "two modules are named " + name);
        }
    }
}
