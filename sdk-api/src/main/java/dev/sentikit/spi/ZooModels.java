package dev.sentikit.spi;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Enumeration;
import java.util.Properties;
import java.util.TreeSet;
import java.util.SortedSet;

/**
 * Model-zoo artifacts on the class path. Each zoo artifact holds its model at
 * {@code META-INF/sentikit/zoo/<name>.onnx} and names itself in {@code META-INF/sentikit/zoo/index.properties}
 * ({@code name=<name>}), so that the models present can be listed.
 */
public final class ZooModels {

    /** The folder inside a zoo artifact that holds its model. */
    public static final String ZOO_FOLDER = "META-INF/sentikit/zoo/";

    private ZooModels() {}

    /** The class-path resource of the zoo model {@code name}. */
    public static String resourceOf(String name) {
        if (!name.matches("[a-z0-9][a-z0-9_-]*")) {
            throw new IllegalArgumentException("invalid zoo model name '" + name
                    + "': use lower-case letters, digits, '-' and '_'");
        }
        return ZOO_FOLDER + name + ".onnx";
    }

    /** Names of the zoo models present on the class path of {@code loader}, sorted. */
    public static SortedSet<String> available(ClassLoader loader) {
        SortedSet<String> names = new TreeSet<>();
        try {
            Enumeration<URL> urls = loader.getResources(ZOO_FOLDER + "index.properties");
            while (urls.hasMoreElements()) {
                Properties p = new Properties();
                try (InputStream in = urls.nextElement().openStream()) {
                    p.load(in);
                }
                String name = p.getProperty("name");
                if (name != null) {
                    names.add(name.trim());
                }
            }
        } catch (IOException e) {
            // An unreadable index only makes the list shorter; the load itself reports its own error.
        }
        return names;
    }
}
