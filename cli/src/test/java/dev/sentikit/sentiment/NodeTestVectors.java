package dev.sentikit.sentiment;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentikit.Sentiment;
import dev.sentikit.SentimentAnalyzer;
import dev.sentikit.model.ModelFormat;
import dev.sentikit.text.TextEncoder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * Writes {@code samples/node/test-vectors.json}: for about twenty texts, the ids the Java encoder gives with the
 * English zoo model's vocabulary, and the probabilities the Java SDK gives. The Node quick start ({@code samples/node},
 * {@code npm test}) and the JavaScript package ({@code js/}) analyze the same raw texts with the same model file and
 * check that they get the same ids and probabilities; {@code NodeTestVectorsTest} checks that the committed file is
 * still what Java gives.
 *
 * <pre>
 * bin/test-vectors NodeTestVectors samples/node/test-vectors.json
 * </pre>
 */
@Command(name = "NodeTestVectors", mixinStandardHelpOptions = true,
        description = "Writes, for the texts of the Node quick start, the ids Java's encoder gives with the en zoo "
                + "model and the probabilities the Java SDK gives, as JSON.")
public final class NodeTestVectors implements Callable<Integer> {

    /** The model file, relative to the repository root, that the vectors are for (the {@code en} zoo model). */
    static final String MODEL = "model-zoo/en/src/main/resources/META-INF/sentikit/zoo/en.onnx";
    static final String ZOO_NAME = "en";
    static final String RESOURCE = "META-INF/sentikit/zoo/en.onnx";
    /** The largest difference between Java's and Node's probabilities that the Node test accepts. */
    static final double TOLERANCE = 1e-5;

    /** Texts that cover the encoder's cases: empty, punctuation, emoji, CJK, NFKC, apostrophes, max_tokens. */
    static final List<String> TEXTS = List.of(
            "I love this phone, it is wonderful",
            "This is the worst movie I have ever seen",
            "The package arrived on Tuesday.",
            "",
            "   ",
            "not good",
            "Not bad at all!!!",
            "I don\u2019t like it",
            "Great service \uD83D\uDC4D\uD83D\uDE00",
            "I \u2764\uFE0F it",
            "\u8FD9\u90E8\u7535\u5F71\u4E0D\u597D\u3002",
            "caf\u00E9 au lait, tr\u00E8s bon",
            "\uFF26\uFF35\uFF2C\uFF2C\uFF37\uFF29\uFF24\uFF34\uFF28 text is fine",
            "@user_name #tag https://example.com costs $12.50",
            "Absolutely fantastic service, thank you!",
            "meh",
            "The food was awful and the staff were rude.",
            "\u0130Y\u0130 ISPARTA",
            "rock'n'roll never dies",
            "good bad ".repeat(200).trim());

    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameters(arity = "0..1", paramLabel = "FILE", defaultValue = "samples/node/test-vectors.json",
            description = "The file to write (default: ${DEFAULT-VALUE}, from the repository root).")
    Path file;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private NodeTestVectors() {}

    public static void main(String[] args) {
        Cli.main(new NodeTestVectors(), args);
    }

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(file.toAbsolutePath().getParent())) {
            throw new IOException("no directory " + file.toAbsolutePath().getParent()
                    + "; run from the repository root or give the output file");
        }
        Files.writeString(file, generate(), StandardCharsets.UTF_8);
        spec.commandLine().getOut().println("wrote " + file + " (" + TEXTS.size() + " texts)");
        return 0;
    }

    /** The file's content, from the zoo model on the class path. */
    static String generate() throws Exception {
        byte[] model;
        try (InputStream in = NodeTestVectors.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException("the zoo model " + RESOURCE + " is not on the class path");
            }
            model = in.readAllBytes();
        }
        TextEncoder encoder = encoder(model);
        List<Sentiment> results;
        List<String> labels;
        try (SentimentAnalyzer analyzer = SentimentAnalyzer.fromZoo(ZOO_NAME)) {
            results = analyzer.analyzeAll(TEXTS);
            labels = analyzer.labels();
        }
        StringBuilder out = new StringBuilder();
        out.append("{\n");
        field(out, "about", "Written by dev.sentikit.sentiment.NodeTestVectors (bin/test-vectors NodeTestVectors "
                + "samples/node/test-vectors.json) from the Java encoder and SDK: for each text, the ids the model "
                + "reads and the probabilities Java gives. Do not edit by hand.");
        field(out, "model", MODEL);
        field(out, "model_sha256", sha256(model));
        field(out, "labels", labels);
        field(out, "tolerance", TOLERANCE);
        out.append("  \"cases\": [\n");
        for (int i = 0; i < TEXTS.size(); i++) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("text", TEXTS.get(i));
            c.put("ids", encoder.encode(TEXTS.get(i)));
            float[] p = new float[labels.size()];
            for (int l = 0; l < p.length; l++) {
                p[l] = (float) results.get(i).score(labels.get(l));
            }
            c.put("probabilities", p);
            out.append("    ").append(JSON.writeValueAsString(c)).append(i + 1 < TEXTS.size() ? ",\n" : "\n");
        }
        out.append("  ]\n}\n");
        return out.toString();
    }

    /** The model's encoder, from the metadata of the ONNX file. */
    static TextEncoder encoder(byte[] model) throws OrtException, dev.sentikit.ModelLoadException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(model, new OrtSession.SessionOptions())) {
            Map<String, String> props = session.getMetadata().getCustomMetadata();
            return ModelFormat.fromMetadataProps(props, RESOURCE).encoder();
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void field(StringBuilder out, String name, Object value) throws IOException {
        out.append("  ").append(JSON.writeValueAsString(name)).append(": ").append(JSON.writeValueAsString(value))
                .append(",\n");
    }
}
