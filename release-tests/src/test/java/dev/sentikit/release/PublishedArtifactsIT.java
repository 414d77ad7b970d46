package dev.sentikit.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The jars this build made for publication (each module's target/), as a repository receives them: a -sources.jar
 * and a -javadoc.jar beside every jar, a stable module name, the version and the licence files inside.
 */
class PublishedArtifactsIT {

    private static Reactor reactor;
    private static List<Reactor.Module> jars;

    @BeforeAll
    static void read() throws Exception {
        reactor = Reactor.read(Reactor.rootDir());
        jars = reactor.published().stream().filter(Reactor.Module::isJar).toList();
        assertTrue(jars.size() >= 8, "published jar modules: " + jars);
    }

    @Test
    void everyJarHasItsSourcesAndJavadocJars() throws Exception {
        List<String> problems = new ArrayList<>();
        for (Reactor.Module m : jars) {
            for (String classifier : new String[] {null, "sources", "javadoc"}) {
                Path jar = m.target(classifier, "jar");
                if (!Files.isRegularFile(jar)) {
                    problems.add(m + ": " + jar + " is missing");
                }
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems) + "\n(run mvn package first)");
    }

    @Test
    void sourcesJarsHoldTheSourceOfEveryClass() throws Exception {
        for (Reactor.Module m : jars) {
            Set<String> classes = entries(m.target(null, "jar")).stream()
                    .filter(e -> e.endsWith(".class") && !e.contains("$") && !e.endsWith("module-info.class"))
                    .map(e -> e.substring(0, e.length() - ".class".length()) + ".java")
                    .collect(Collectors.toCollection(TreeSet::new));
            Set<String> sources = entries(m.target("sources", "jar"));
            if (classes.isEmpty()) {
                // a zoo model: what it was made from instead of Java sources
                assertTrue(sources.containsAll(Set.of("MODEL_CARD.md", "train.sh")), m + ": " + sources);
            } else {
                classes.removeAll(sources);
                assertTrue(classes.isEmpty(), m + ": no source in its -sources.jar for " + classes);
            }
        }
    }

    @Test
    void javadocJarsHoldTheDocumentation() throws Exception {
        for (Reactor.Module m : jars) {
            boolean code = entries(m.target(null, "jar")).stream().anyMatch(e -> e.endsWith(".class"));
            Set<String> docs = entries(m.target("javadoc", "jar"));
            String expected = code ? "index.html" : "MODEL_CARD.md";
            assertTrue(docs.contains(expected), m + ": its -javadoc.jar has no " + expected + ": " + docs);
        }
    }

    @Test
    void everyJarIsAnAutomaticModuleWithItsStableName() throws Exception {
        for (Reactor.Module m : jars) {
            Path jar = m.target(null, "jar");
            String declared = m.property("sentikit.module.name").orElseThrow();
            try (JarFile j = new JarFile(jar.toFile())) {
                Attributes main = j.getManifest().getMainAttributes();
                assertEquals(declared, main.getValue("Automatic-Module-Name"), m + ": manifest of " + jar);
                assertEquals(m.version(), main.getValue("Implementation-Version"), m + ": manifest of " + jar);
                assertNotNull(j.getEntry("META-INF/LICENSE"), jar + " has no META-INF/LICENSE");
                assertNotNull(j.getEntry("META-INF/NOTICE"), jar + " has no META-INF/NOTICE");
            }
            // What the module system itself derives from the jar: it refuses a jar it could not load as a module.
            Set<ModuleReference> found = ModuleFinder.of(jar).findAll();
            assertEquals(1, found.size(), jar.toString());
            assertEquals(declared, found.iterator().next().descriptor().name(), jar.toString());
        }
    }

    private static Set<String> entries(Path jar) throws Exception {
        try (JarFile j = new JarFile(jar.toFile())) {
            return j.stream().map(e -> e.getName()).collect(Collectors.toCollection(TreeSet::new));
        }
    }
}
