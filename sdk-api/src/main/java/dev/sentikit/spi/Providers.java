package dev.sentikit.spi;

import dev.sentikit.ModelLoadException;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** Finds the engine that runs model files. */
public final class Providers {

    private Providers() {}

    /**
     * Returns the first {@link AnalyzerProvider} registered on the class path.
     *
     * @throws ModelLoadException when none is, saying which dependency to add
     */
    public static AnalyzerProvider find() throws ModelLoadException {
        List<AnalyzerProvider> found = new ArrayList<>();
        try {
            for (AnalyzerProvider p : ServiceLoader.load(AnalyzerProvider.class, Providers.class.getClassLoader())) {
                found.add(p);
            }
        } catch (java.util.ServiceConfigurationError e) {
            throw new ModelLoadException("a Sentikit engine is registered but cannot be loaded (" + e.getMessage()
                    + "): check that dev.sentikit:runtime-onnx and its ONNX Runtime jar are complete and of the same "
                    + "version as dev.sentikit:sdk-api", e);
        }
        if (found.isEmpty()) {
            throw new ModelLoadException("No Sentikit engine found on the class path. Add the dependency "
                    + "dev.sentikit:runtime-onnx (ONNX Runtime) next to dev.sentikit:sdk-api.");
        }
        return found.get(0);
    }
}
