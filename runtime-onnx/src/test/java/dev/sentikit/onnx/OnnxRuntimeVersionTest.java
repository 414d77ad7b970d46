package dev.sentikit.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.onnxruntime.OrtEnvironment;
import dev.sentikit.SentikitVersion;
import java.util.List;
import org.junit.jupiter.api.Test;

class OnnxRuntimeVersionTest {

    @Test
    void versionLineNamesTheOnnxRuntimeThatRuns() {
        // The line comes from the jar's manifest, without loading the native library; it must name the version
        // that the loaded native library reports.
        List<String> lines = SentikitVersion.report("t");
        String title = OrtEnvironment.class.getPackage().getImplementationTitle();
        assertEquals("ONNX Runtime " + OrtEnvironment.getEnvironment().getVersion() + " (" + title + ")",
                lines.get(1));
    }
}
