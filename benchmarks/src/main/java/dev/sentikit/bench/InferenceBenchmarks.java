package dev.sentikit.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the inference benchmarks with JMH and prints the table of {@code docs/benchmarks.md}.
 *
 * <pre>
 * InferenceBenchmarks [quick|full] [--threads 1,2] [--include REGEX] [--param NAME=V1,V2] [--out DIR]
 * </pre>
 *
 * {@code full} (the default) runs every benchmark on one and on two threads; {@code quick} runs one thread with
 * shorter iterations. The table goes to standard output and, with the JMH results as JSON, to {@code --out}
 * (default {@code benchmarks/target/inference}). Exits with status 3, saying why, when ../shared is absent. The
 * model is the one in {@code -Dsentikit.bench.model=DIR} (default {@code benchmarks/target/model}), which
 * {@code benchmarks/run.sh} trains and exports ({@link BenchModel}).
 */
public final class InferenceBenchmarks {

    /** Exit status when the corpora are missing. */
    static final int NO_DATA = 3;

    private static final String ALL = "dev\\.sentikit\\.bench\\.(Sdk|RawSession|Djl|Encoder|Latency)Benchmark\\..*";

    private InferenceBenchmarks() {}

    public static void main(String[] args) throws IOException, RunnerException {
        String mode = "full";
        List<Integer> threads = null;
        String include = ALL;
        Path out = Paths.get("benchmarks/target/inference");
        Map<String, String[]> params = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "quick":
                case "full":
                    mode = args[i];
                    break;
                case "--threads":
                    threads = new ArrayList<>();
                    for (String t : value(args, ++i).split(",")) {
                        threads.add(Integer.parseInt(t.trim()));
                    }
                    break;
                case "--include":
                    include = value(args, ++i);
                    break;
                case "--param":
                    String[] kv = value(args, ++i).split("=", 2);
                    params.put(kv[0], kv.length > 1 ? kv[1].split(",") : new String[0]);
                    break;
                case "--out":
                    out = Paths.get(value(args, ++i));
                    break;
                default:
                    System.err.println("unknown argument '" + args[i]
                            + "'; usage: InferenceBenchmarks [quick|full] [--threads 1,2] [--include REGEX] [--param NAME=V1,V2] [--out DIR]");
                    System.exit(2);
            }
        }
        boolean quick = mode.equals("quick");
        if (threads == null) {
            threads = quick ? List.of(1) : List.of(1, 2);
        }
        try {
            BenchData.requireAll();
        } catch (IllegalStateException e) {
            System.err.println("benchmarks: " + e.getMessage());
            System.exit(NO_DATA);
        }
        try {
            System.setProperty(BenchModel.PROPERTY, BenchModel.dir().toString()); // forwarded to the forks below
        } catch (IllegalStateException e) {
            System.err.println("benchmarks: " + e.getMessage());
            System.exit(1);
        }
        Files.createDirectories(out);

        // -Dsentikit.bench.* settings (experiments) reach the forked JVMs.
        List<String> jvmArgs = new ArrayList<>(List.of("-D" + BenchData.SHARED_PROPERTY + "=" + BenchData.sharedDir(),
                "-Xms1g", "-Xmx1g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"));
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("sentikit.bench."))
                .sorted().forEach(k -> jvmArgs.add("-D" + k + "=" + System.getProperty(k)));

        List<RunResult> results = new ArrayList<>();
        for (int t : threads) {
            ChainedOptionsBuilder options = new OptionsBuilder()
                    .include(include)
                    .threads(t)
                    .forks(1)
                    .shouldFailOnError(true)
                    .jvmArgsAppend(jvmArgs.toArray(new String[0]))
                    .result(out.resolve("jmh-" + t + "-thread" + (t == 1 ? "" : "s") + ".json").toString())
                    .resultFormat(ResultFormatType.JSON);
            params.forEach(options::param);
            if (quick) {
                options.warmupIterations(1).warmupTime(TimeValue.seconds(1))
                        .measurementIterations(2).measurementTime(TimeValue.seconds(1));
            } else {
                options.warmupIterations(2).warmupTime(TimeValue.seconds(1))
                        .measurementIterations(4).measurementTime(TimeValue.seconds(1));
            }
            Collection<RunResult> run = new Runner(options.build()).run();
            results.addAll(run);
        }

        String table = ResultTable.of(results).markdown(mode);
        Files.writeString(out.resolve("table.md"), table, StandardCharsets.UTF_8);
        System.out.println();
        System.out.println(table);
        System.out.println(String.format(Locale.ROOT, "(also in %s)", out.resolve("table.md")));
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            System.err.println(args[i - 1] + " needs a value");
            System.exit(2);
        }
        return args[i];
    }
}
