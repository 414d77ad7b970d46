package dev.sentikit.sentiment;

import dev.sentikit.Sentiment;
import dev.sentikit.SentimentAnalyzer;
import dev.sentikit.model.ModelFormat;
import dev.sentikit.text.TextEncoder;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * Writes what the Java encoder and SDK give, for the JavaScript package ({@code js/}) to be checked against: its
 * test {@code js/test/java-parity.test.mjs} requires the same ids on every text and probabilities within 1e-5.
 *
 * <p>For each zoo model, {@code DIR/NAME.jsonl}: a header line (the model file, its SHA-256, its labels), then one
 * line per text with the ids Java's encoder gives, how it reads the text ({@code read}: the coverage of a read once,
 * {@code [tokens_read, tokens, windows, chars_cut]}; with more than one window in a read in at most {@value #WINDOWS},
 * {@code windows}, their ids, and {@code windows_read}, their tokens read) and, for some, the probabilities Java's
 * SDK gives. The texts, the
 * same for every model: samples of the shared corpora (when {@code ../shared/datasets} is there), odd texts written
 * here, random texts of awkward characters (lone surrogates, marks, format and control characters, emoji sequences,
 * characters of Unicode 14 and 15, …), and a sweep of every code point of planes 0 to 2 and more, each in a few
 * contexts. The odd texts and a part of the samples and of the random texts get probabilities (a transformer takes
 * milliseconds a text). And {@code DIR/normalization.json}: NFKC and NFD of every single code point that they
 * change. JSON is written in ASCII, so that lone surrogates survive.
 *
 * <pre>
 * bin/test-vectors JsParityVectors target/js-parity
 * </pre>
 */
@Command(name = "JsParityVectors", mixinStandardHelpOptions = true,
        description = "Writes what the Java encoder and SDK give, for the JavaScript package's tests: the ids and "
                + "probabilities of every zoo model on about 17,000 texts, NFKC and NFD, UTF-8 decoding, and "
                + "recorded runs of the sentiment CLI.")
public final class JsParityVectors implements Callable<Integer> {

    /** The zoo models, each checked in JavaScript. */
    static final List<String> MODELS = List.of("en", "en-lite", "zh", "zh-lite");
    /** Lines taken from each shared corpus, evenly spread; the first {@link #SCORED_PER_CORPUS} also get probabilities. */
    static final int PER_CORPUS = 400;
    static final int SCORED_PER_CORPUS = 100;
    static final List<String> CORPORA = List.of("en/vader-3class-train.tsv", "en/imdb.tsv",
            "zh/online_shopping_9_cats.tsv", "zh/waimai_10k.tsv");
    /** Random texts; the first {@link #SCORED_RANDOM} also get probabilities. */
    static final int RANDOM_TEXTS = 2000;
    static final int SCORED_RANDOM = 300;
    static final long SEED = 13;
    /** Code points per text of the sweep. */
    static final int SWEEP_CHUNK = 16;
    /** The bound of windows each text is also read with. */
    static final int WINDOWS = 3;
    /** A review longer than every zoo model reads (about 380 words, 450 pieces), its verdict at the end. */
    static final String LONG_REVIEW = "The plot was slow and the acting stiff. ".repeat(40) + "Still, the ending made "
            + "it all worth it: a wonderful, moving film that I loved.";
    /** A Chinese review longer than the zh models read. */
    static final String LONG_REVIEW_ZH = "剧情拖沓，演技生硬。".repeat(40)
            + "不过结局很感人，我很喜欢。";

    @Parameters(index = "0", paramLabel = "DIR", description = "The directory to write, such as target/js-parity.")
    Path dir;

    @Parameters(index = "1", arity = "0..1", paramLabel = "SHARED_DATASETS_DIR", defaultValue = "../shared/datasets",
            description = "The shared corpora to sample texts from (default: ${DEFAULT-VALUE}; left out when absent).")
    Path shared;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private JsParityVectors() {}

    public static void main(String[] args) {
        Cli.main(new JsParityVectors(), args);
    }

    @Override
    public Integer call() throws Exception {
        Files.createDirectories(dir);
        List<String> corpora = new ArrayList<>();
        List<String> scored = new ArrayList<>();
        List<String> unscored = new ArrayList<>();
        texts(shared, corpora, scored, unscored);
        unscored.addAll(sweep());
        for (String name : MODELS) {
            writeModel(dir.resolve(name + ".jsonl"), name, scored, unscored, corpora);
        }
        writeNormalization(dir.resolve("normalization.json"));
        writeUtf8(dir.resolve("utf8.json"));
        int cases = writeCli(dir.resolve("cli"));
        spec.commandLine().getOut().println("wrote " + dir + ": " + MODELS.size() + " models, "
                + (scored.size() + unscored.size()) + " texts, " + scored.size() + " of them with probabilities ("
                + (corpora.isEmpty() ? "no shared corpora: " + shared + " is absent"
                        : "corpora " + String.join(", ", corpora)) + "), " + cases + " runs of the sentiment CLI");
        return 0;
    }

    private static void writeModel(Path file, String name, List<String> texts, List<String> unscored,
            List<String> corpora) throws Exception {
        byte[] model;
        String resource = "META-INF/sentikit/zoo/" + name + ".onnx";
        try (InputStream in = JsParityVectors.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("the zoo model " + resource + " is not on the class path");
            }
            model = in.readAllBytes();
        }
        TextEncoder encoder = NodeTestVectors.encoder(model);
        List<Sentiment> results;
        List<String> labels;
        try (SentimentAnalyzer analyzer = SentimentAnalyzer.fromZoo(name)) {
            results = analyzer.analyzeAll(texts);
            labels = analyzer.labels();
        }
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            Map<String, Object> header = new LinkedHashMap<>();
            header.put("model", "model-zoo/" + name + "/src/main/resources/" + resource);
            header.put("model_sha256", NodeTestVectors.sha256(model));
            header.put("labels", labels);
            header.put("corpora", corpora);
            header.put("scored", texts.size());
            header.put("unscored", unscored.size());
            line(out, header);
            for (int i = 0; i < texts.size(); i++) {
                Map<String, Object> c = new LinkedHashMap<>();
                c.put("text", texts.get(i));
                c.put("ids", encoder.encode(texts.get(i)));
                read(encoder, texts.get(i), c);
                float[] p = new float[labels.size()];
                for (int l = 0; l < p.length; l++) {
                    p[l] = (float) results.get(i).score(labels.get(l));
                }
                c.put("probabilities", p);
                line(out, c);
            }
            for (String text : unscored) {
                Map<String, Object> c = new LinkedHashMap<>();
                c.put("text", text);
                c.put("ids", encoder.encode(text));
                read(encoder, text, c);
                line(out, c);
            }
        }
    }

    /**
     * How the encoder reads {@code text}: "read", the coverage of a read once; "windows" and "windows_read", the ids
     * and the tokens read of a read in at most {@value #WINDOWS} windows, when it has more than one.
     */
    private static void read(TextEncoder encoder, String text, Map<String, Object> c) {
        dev.sentikit.text.Coverage once = encoder.read(text, 1).coverage();
        c.put("read", List.of(once.tokensRead(), once.tokens(), once.windows(), once.charsCut()));
        dev.sentikit.text.EncodedText windows = encoder.read(text, WINDOWS);
        if (windows.windows().length > 1) {
            c.put("windows", windows.windows());
            c.put("windows_read", windows.coverage().tokensRead());
        }
    }

    private static void line(BufferedWriter out, Object value) throws IOException {
        out.write(ModelFormat.toMetadataJson(value));
        out.write('\n');
    }

    /** NFKC and NFD (Java's Normalizer) of every code point that they change; surrogates are left out. */
    private static void writeNormalization(Path file) throws IOException {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Normalizer.Form form : List.of(Normalizer.Form.NFKC, Normalizer.Form.NFD)) {
            List<Object[]> changed = new ArrayList<>();
            for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
                if (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE) {
                    continue;
                }
                String s = Character.toString(cp);
                String n = Normalizer.normalize(s, form);
                if (!n.equals(s)) {
                    changed.add(new Object[] {cp, n});
                }
            }
            out.put(form.name(), changed);
        }
        Files.writeString(file, ModelFormat.toMetadataJson(out), StandardCharsets.UTF_8);
    }

    /**
     * Java's UTF-8 decoder on byte strings (each bad sequence one U+FFFD, as {@link CodingErrorAction#REPLACE} gives):
     * every string of one to three bytes over bytes at the edges of UTF-8's ranges, each alone and followed by
     * {@code x}, and a few longer ones.
     */
    private static void writeUtf8(Path file) throws IOException {
        int[] edges = {0x00, 0x0A, 0x0D, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0,
                0xE1, 0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xF7, 0xF8, 0xFE, 0xFF};
        List<byte[]> inputs = new ArrayList<>();
        for (int a : edges) {
            inputs.add(new byte[] {(byte) a});
            for (int b : edges) {
                inputs.add(new byte[] {(byte) a, (byte) b});
                for (int c : edges) {
                    inputs.add(new byte[] {(byte) a, (byte) b, (byte) c});
                }
            }
        }
        int n = inputs.size();
        for (int i = 0; i < n; i++) {
            byte[] in = inputs.get(i);
            byte[] x = java.util.Arrays.copyOf(in, in.length + 1);
            x[in.length] = 'x';
            inputs.add(x);
        }
        for (String hex : List.of("F0 9F 98 80", "F0 9F 98 80 F0 9F 98", "F4 8F BF BF", "F4 90 80 80", "F0 80 80 80",
                "ED 9F BF", "ED A0 80 ED B0 80", "EF BB BF 61", "E0 A0 80 E0 9F 80", "C0 AF C1 BF", "F8 88 80 80 80",
                "61 F0 9F 62 F0 9F 98 63")) {
            String[] parts = hex.split(" ");
            byte[] b = new byte[parts.length];
            for (int i = 0; i < parts.length; i++) {
                b[i] = (byte) Integer.parseInt(parts[i], 16);
            }
            inputs.add(b);
        }
        List<Object[]> out = new ArrayList<>();
        for (byte[] in : inputs) {
            String decoded = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE).decode(java.nio.ByteBuffer.wrap(in)).toString();
            out.add(new Object[] {java.util.HexFormat.of().formatHex(in), decoded});
        }
        Files.writeString(file, ModelFormat.toMetadataJson(out), StandardCharsets.UTF_8);
    }

    /** A run of the sentiment CLI: its arguments ({@code {dir}} stands for the directory of the input files). */
    record CliCase(String name, boolean utf8Input, List<String> args) {}

    /**
     * Runs the sentiment CLI ({@link SentimentCli#run}) on texts and input files and writes {@code DIR/cases.json}:
     * each case's arguments, exit status, standard output and standard error, for the JavaScript CLI to give the
     * same. Cases marked {@code utf8_input} need the CLI's handling of bad bytes ({@code --strict}, U+FFFD); the
     * file says whether this CLI has it ({@code java_has_strict}).
     */
    private static int writeCli(Path dir) throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("texts.txt"), String.join("\n", NodeTestVectors.TEXTS) + "\n"
                + String.join("\n", List.of("tab\tand \"quotes\" and \\ back", "\u0001\u0008\u000C\u001F\u007F",
                        "\u8FD9\u90E8\u7535\u5F71\u4E0D\u597D\u3002", "\u2028 line separator \u2029")),
                StandardCharsets.UTF_8);
        Files.write(dir.resolve("line-ends.txt"), "crlf\r\nonly cr\rtwo\r\rlf\n\nlast without a line end"
                .getBytes(StandardCharsets.UTF_8));
        Files.write(dir.resolve("bad-bytes.txt"), bytes("good\n", "bad \u00FF\u00FE movie\r\n", "third \u00ED\u00A0\u0080 x\n",
                "\uFEFFbom at the start\n", "nul\u0000byte\n", "mid\uFEFF bom\n", "\u00C0\u00AF \u00E0\u0080\u0080 \u00F4\u0090\u0080\u0080\n",
                "lone \u0080 continuation\rcut \u00F0\u009F\u0098"));
        StringBuilder many = new StringBuilder();
        for (int i = 1; i <= 300; i++) {
            many.append("line ").append(i).append(i % 7 == 0 ? " \u00FF" : "").append(i % 3 == 0 ? " good" : " bad").append('\n');
        }
        Files.write(dir.resolve("many-bad.txt"), bytes(many.toString()));
        Files.write(dir.resolve("bom.txt"), bytes("\u00EF\u00BB\u00BFfirst\n", "second\n"));
        Files.writeString(dir.resolve("long.txt"), String.join("\n", "works great", LONG_REVIEW,
                "word ".repeat(4000) + "the end", LONG_REVIEW_ZH), StandardCharsets.UTF_8);

        List<CliCase> cases = new ArrayList<>();
        for (String model : MODELS) {
            cases.add(new CliCase(model + " texts", false, List.of("--model", model, "I love this phone", "not good", "",
                    "\u8FD9\u90E8\u7535\u5F71\u4E0D\u597D\u3002", "emoji \uD83D\uDE00", "tab\tand \"quotes\" \\")));
            cases.add(new CliCase(model + " input", false, List.of("--model", model, "--input", "{dir}/texts.txt")));
        }
        cases.add(new CliCase("default model", false, List.of("The food was awful.")));
        cases.add(new CliCase("texts then input", false, List.of("--model", "en-lite", "first", "--input",
                "{dir}/line-ends.txt", "second")));
        cases.add(new CliCase("line ends", false, List.of("--model", "en-lite", "--input", "{dir}/line-ends.txt")));
        cases.add(new CliCase("explain", false, List.of("--model", "en-lite", "--explain", "not good at all",
                "I love it!", "")));
        cases.add(new CliCase("explain transformer", false, List.of("--model", "en", "--explain", "not bad, really",
                "The package arrived on Tuesday.")));
        cases.add(new CliCase("bad bytes", true, List.of("--model", "en-lite", "--input", "{dir}/bad-bytes.txt")));
        cases.add(new CliCase("bad bytes zh", true, List.of("--model", "zh", "--input", "{dir}/bad-bytes.txt")));
        cases.add(new CliCase("bad bytes strict", true, List.of("--model", "en-lite", "--strict", "--input",
                "{dir}/bad-bytes.txt")));
        cases.add(new CliCase("many bad lines", true, List.of("--model", "en-lite", "--input", "{dir}/many-bad.txt")));
        cases.add(new CliCase("bom", true, List.of("--model", "en-lite", "--input", "{dir}/bom.txt")));
        cases.add(new CliCase("no input file", true, List.of("--model", "en-lite", "--input", "{dir}/absent.txt")));
        cases.add(new CliCase("nothing to analyze", false, List.of("--model", "en-lite")));
        cases.add(new CliCase("not a model", false, List.of("--model", "{dir}/texts.txt.onnx", "text")));
        // Long texts: cut as each model says, past max_chars, and read in windows; each result's "read" says how.
        for (String model : MODELS) {
            cases.add(new CliCase(model + " long texts", false, List.of("--model", model, "--input", "{dir}/long.txt")));
        }
        cases.add(new CliCase("windows", false, List.of("--model", "en", "--windows", "3", LONG_REVIEW, "works great")));
        cases.add(new CliCase("windows words", false, List.of("--model", "en-lite", "--windows=1000", "--input",
                "{dir}/long.txt")));
        cases.add(new CliCase("windows zh", false, List.of("--model", "zh-lite", "--windows", "2", LONG_REVIEW_ZH)));
        cases.add(new CliCase("windows 0", false, List.of("--model", "en-lite", "--windows", "0", "text")));
        cases.add(new CliCase("windows not a number", false, List.of("--model", "en-lite", "--windows", "two", "text")));

        String where = dir.toAbsolutePath().toString();
        boolean strict = run(List.of("--help")).get("stdout").toString().contains("--strict");
        List<Object> written = new ArrayList<>();
        for (CliCase c : cases) {
            List<String> args = new ArrayList<>();
            for (String a : c.args()) {
                args.add(a.replace("{dir}", where));
            }
            Map<String, Object> result = run(args);
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", c.name());
            entry.put("utf8_input", c.utf8Input());
            entry.put("args", c.args());
            entry.put("status", result.get("status"));
            entry.put("stdout", result.get("stdout").toString().replace(where, "{dir}"));
            entry.put("stderr", result.get("stderr").toString().replace(where, "{dir}"));
            written.add(entry);
        }
        Map<String, Object> file = new LinkedHashMap<>();
        file.put("java_has_strict", strict);
        file.put("cases", written);
        Files.writeString(dir.resolve("cases.json"), ModelFormat.toMetadataJson(file), StandardCharsets.UTF_8);
        return cases.size();
    }

    private static Map<String, Object> run(List<String> args) {
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        int status;
        try (java.io.PrintWriter o = new java.io.PrintWriter(out); java.io.PrintWriter e = new java.io.PrintWriter(err)) {
            status = SentimentCli.run(args.toArray(new String[0]), o, e);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("status", status);
        result.put("stdout", out);
        result.put("stderr", err);
        return result;
    }

    /** The bytes of strings whose chars are all below U+0100 (each char one byte), else of their UTF-8. */
    private static byte[] bytes(String... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (String part : parts) {
            boolean latin1 = part.chars().allMatch(c -> c < 0x100);
            out.writeBytes(part.getBytes(latin1 ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    /**
     * The corpus samples, odd texts and random awkward texts: into {@code scored} those that get probabilities too,
     * into {@code unscored} the others (the transformers take a few milliseconds a text).
     */
    static void texts(Path shared, List<String> corpora, List<String> scored, List<String> unscored)
            throws IOException {
        List<String> texts = scored;
        texts.addAll(NodeTestVectors.TEXTS);
        for (String corpus : CORPORA) {
            Path f = shared.resolve(corpus);
            if (!Files.isRegularFile(f)) {
                continue;
            }
            List<String> lines = new ArrayList<>();
            try (BufferedReader r = new BufferedReader(new java.io.InputStreamReader(Files.newInputStream(f),
                    StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    lines.add(line);
                }
            }
            int step = Math.max(1, lines.size() / PER_CORPUS);
            for (int i = 0, n = 0; i < lines.size() && n < PER_CORPUS; i += step, n++) {
                String line = lines.get(i);
                int tab = line.indexOf('\t');
                (n < SCORED_PER_CORPUS ? scored : unscored).add(tab >= 0 ? line.substring(tab + 1) : line);
            }
            corpora.add(corpus);
        }
        texts.addAll(ODD);
        texts.add("word ".repeat(4000) + "\uD83D\uDE00");                    // past max_chars and max_tokens
        texts.add("a".repeat(16383) + "\uD83D\uDE00 good");                   // a pair across max_chars (16384)
        texts.add("\u00E9".repeat(16383) + "e\u0301 bad");                    // a mark cut off by max_chars
        texts.add("great ".repeat(20) + "[CLS]".repeat(200));                // special tokens past max_tokens
        Random random = new Random(SEED);
        for (int i = 0; i < RANDOM_TEXTS; i++) {
            int length = i % 50 == 0 ? 300 + random.nextInt(500) : random.nextInt(40);
            StringBuilder sb = new StringBuilder();
            for (int k = 0; k < length; k++) {
                sb.append(piece(random));
            }
            (i < SCORED_RANDOM ? scored : unscored).add(sb.toString());
        }
    }

    /**
     * Every code point up to U+323FF (planes 0 to 2, and plane 3 as far as Unicode 15 assigns it), of the first 4,096
     * of plane 14, and of the first and last 256 of planes 15 and 16, in contexts.
     */
    static List<String> sweep() {
        List<int[]> ranges = List.of(new int[] {0, 0x323FF}, new int[] {0xE0000, 0xE0FFF},
                new int[] {0xF0000, 0xF00FF}, new int[] {0xFFF00, 0xFFFFF}, new int[] {0x100000, 0x1000FF},
                new int[] {0x10FF00, 0x10FFFF});
        List<String> texts = new ArrayList<>();
        for (int[] range : ranges) {
            for (int from = range[0]; from <= range[1]; from += SWEEP_CHUNK) {
                StringBuilder sb = new StringBuilder();
                for (int cp = from; cp < from + SWEEP_CHUNK && cp <= range[1]; cp++) {
                    // Inside a word, after a space, doubled after a capital (marks attach, apostrophes join, NFKC
                    // composes, case maps), and in an apostrophe's context.
                    String c = Character.toString(cp);
                    sb.append('a').append(c).append("b ").append(c).append(" A").append(c).append(c)
                            .append("'").append(c).append("\u00C9 ");
                }
                texts.add(sb.toString());
            }
        }
        return texts;
    }

    /** Odd texts: each names what it checks. */
    static final List<String> ODD = List.of(
            "",
            " \t\n\r\u000B\u000C\u0085\u00A0\u1680\u2000\u200A\u2028\u2029\u202F\u205F\u3000",
            "\u0000bad\u0007movie\u001F!\u007F\u0080\u009F",
            "not\u200Bgood don\u2019t don'\u200Bt don''t students\u2019 'quoted' rock'n'roll \uFF07x\uFF07y",
            "\u02BCok\u02BC `tick` \u2018single\u2019 \u00B4acute",
            "\u039F\u0394\u039F\u03A3 \u03A3\u0391\u03A3 \u03BF\u03B4\u03BF\u03C2 \u039A\u0391\u039B\u039F\u03A3 "
                    + "\u039A\u0391\u0399 \u039F\u0394\u039F\u03A3. \u0391\u03A3:\u0391",
            "\u0130Y\u0130 ISPARTA \u0131\u0130 I\u0307",
            "\uFB01ne \uFB00 \u2122 \u00B2 \u00BD \u337F \u2460 \u2170 \uFF21\uFF22\uFF23\uFF11\uFF12\uFF13 "
                    + "\uFF76\uFF80\uFF76\uFF85",
            "cafe\u0301 caf\u00E9 e\u0301\u0301 \u0301start \u1E9B\u0323 a\u0328\u0301",
            "\u1100\u1161\u11A8 \uAC01 \u1100\uAC00\u11A8 \uAC00\u11A8",
            "\u0928\u092E\u0938\u094D\u0924\u0947 \u0E2A\u0E27\u0E31\u0E2A\u0E14\u0E35 \u0645\u0631\u062D\u0628\u0627 "
                    + "\u05E9\u05DC\u05D5\u05DD",
            "\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67 \u2764\uFE0F 1\uFE0F\u20E3 \uD83D\uDC4D\uD83C\uDFFB "
                    + "\uD83C\uDDEF\uD83C\uDDF5 great\uD83D\uDE00",
            "\uD83E\uDEE0 \u2C2F\u2C5F \uA7C0\uA7C1 e\u1DF6\u1DF9 \uD806\uDD38 \u0870\u0898 \uD838\uDE90 "
                    + "\uD87E\uDF50 \u9FFD",
            "\u8FD9\u90E8\u7535\u5F71\u4E0D\u597D\u3002 \u6211\u7231NLP\u548CAI \u3005 \u3007 \uD840\uDC00 \uD869\uDEDE",
            "\uD800 lone \uDC00 \uDBFF\uDBFF x\uDFFFy \uD83D",
            "\uE000 private \uF8FF \uFFFE \uFFFF \uFFFD \uFEFF bom \u00AD soft",
            "[CLS] [SEP] [UNK] [MASK] [PAD] [cls] [CLS good[UNK]movie [CL\u200BS] ##ing",
            "\u202Aembedded\u202C \u200E\u200F \u2066iso\u2069 \u061C",
            "$12.50, 3rd time https://a.com/x?y=1 #tag @user_name 5\u20AC \u00A3 \u00A5",
            "a".repeat(100) + " " + "b".repeat(101) + " " + "c".repeat(99) + "\u0301",
            "\uD835\uDC00\uD835\uDC01 \u2160\u2161 \u00BC \u2474 \u3300 \u32FF",
            "\u2E43 \u2E52 \u08D4 \u1ABF \u08E2 \u1885 \u166D \uD804\uDDC9",
            "\u3042\u30A2\uFF71\u309B\u309C \u304C \u30AC",
            "\u0345\u0399 \u1F80 \u1FB3 \u03D0 \u03F4 \u1E9E \u00DF");

    private static final List<String> WORDS = List.of("good", "bad", "not", "movie", "great", "the", "PLAY", "ing",
            "very", "\u597D", "\u4E0D", "\u5F88\u5DEE", "[CLS]", "[UNK]", "[PAD]", "[MASK]", "##", "don't",
            "\u00E9t\u00E9");
    private static final String PUNCTUATION =
            "!\"#$%&()*+,-./:;<=>?@[\\]^_{|}~\u3002\uFF0C\uFF01\u2026\u2014\u00AB\u00BB";

    /** One random piece of text from pools of awkward characters. */
    private static String piece(Random r) {
        switch (r.nextInt(20)) {
            case 0:
                return " ";
            case 1:
                return Character.toString("abcdefghijKLMNOPQRstuvwxyz0123456789".charAt(r.nextInt(36)));
            case 2:
                return WORDS.get(r.nextInt(WORDS.size()));
            case 3:
                return Character.toString(0x0300 + r.nextInt(0x70)); // combining marks
            case 4:
                return Character.toString(pick(r, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x00AD, 0x200E, 0x202A,
                        0x2066, 0x180E, 0x061C));
            case 5:
                return Character.toString(pick(r, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x85, 0xA0, 0x1680, 0x2000, 0x2028,
                        0x3000, 0x00, 0x07, 0x1F, 0x7F, 0x9F));
            case 6:
                return Character.toString(pick(r, '\'', 0x2019, 0xFF07, 0x02BC, '`', 0x2018, 0xB4));
            case 7:
                return String.valueOf((char) (0xD800 + r.nextInt(0x800))); // a lone surrogate, mostly
            case 8:
                return Character.toString(0x4E00 + r.nextInt(0x5200)); // CJK
            case 9:
                return Character.toString(0x1F300 + r.nextInt(0x300)); // emoji
            case 10:
                return Character.toString(pick(r, 0xFE0F, 0x20E3, 0x1F3FB, 0x1F1EF, 0x200D));
            case 11:
                return Character.toString(0xAC00 + r.nextInt(11172)); // Hangul syllables
            case 12:
                return Character.toString(0x1100 + r.nextInt(0x100)); // Hangul jamo
            case 13:
                return Character.toString(pick(r, 0x391 + r.nextInt(0x40), 0x3A3, 0x3C2, 0x130, 0x131, 0x1E9E,
                        0x400 + r.nextInt(0x60)));
            case 14:
                return Character.toString(pick(r, 0xFB01, 0x2122, 0xB2, 0xBD, 0x337F, 0xFF01 + r.nextInt(0x5E),
                        0xFF61 + r.nextInt(0x3F), 0x2460 + r.nextInt(0x40), 0x1D400 + r.nextInt(0x400)));
            case 15:
                // assigned in Unicode 14 or 15, unassigned in Java 17's 13.0
                return Character.toString(pick(r, 0x1FAE0 + r.nextInt(8), 0x2C2F, 0xA7C0, 0x0870 + r.nextInt(0x1F),
                        0x0898 + r.nextInt(8), 0x1E290 + r.nextInt(0x1F), 0x11F00 + r.nextInt(0x10), 0x31350, 0x9FFD,
                        0x1DF9 + r.nextInt(7), 0x1E08F));
            case 16:
                return Character.toString(0x0900 + r.nextInt(0x80)); // Devanagari, marks among them
            case 17:
                return Character.toString(pick(r, 0xE000 + r.nextInt(0x1900), 0xFFFE, 0xFFFF, 0xFFFD, 0xF0000,
                        0x10FFFD, 0xE0001, 0xE0100));
            case 18:
                return Character.toString(r.nextInt(0x110000)); // anything
            default:
                return Character.toString(PUNCTUATION.charAt(r.nextInt(PUNCTUATION.length())));
        }
    }

    private static int pick(Random r, int... options) {
        return options[r.nextInt(options.length)];
    }
}
