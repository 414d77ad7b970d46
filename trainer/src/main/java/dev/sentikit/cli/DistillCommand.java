package dev.sentikit.cli;

import dev.sentikit.distill.Teacher;
import dev.sentikit.distill.TransferSet;
import dev.sentikit.train.Distillation;
import dev.sentikit.train.Examples;
import dev.sentikit.train.TrainingConfig;
import dev.sentikit.train.TrainingListener;
import dev.sentikit.train.data.LabeledData;
import dev.sentikit.train.data.TextLines;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;

/**
 * {@code trainer distill}: trains a small student on a teacher's probabilities (knowledge distillation) over the
 * labelled rows and unlabelled texts; everything else is {@code train}'s, options included.
 */
@Command(name = "distill", mixinStandardHelpOptions = true,
        description = "Trains a student model (bag, cnn, bilstm) on the probabilities of a teacher model file (any "
                + "model the SDK runs, such as a fine-tuned transformer) over the labelled rows of --data and the "
                + "unlabelled texts of --unlabelled files, with the gold label's loss where a row has one. The "
                + "teacher labels every text once, on all cores; its labels are cached like the encoded data, so a "
                + "rerun or --resume does not pay for them again. Unlabelled texts that are the same as a validation "
                + "or --exclude text (the test split) are dropped. Everything else is as for train: checkpoints, "
                + "--resume DIR, report.html, calibration, export.")
final class DistillCommand extends TrainCommand {

    @Option(names = "--teacher", required = true, paramLabel = "MODEL.onnx", description = "The teacher: a model "
            + "file the SDK runs (bin/sentiment --model FILE), whose labels include the data's. Its calibrated "
            + "probabilities are the soft targets; labels the student lacks are left out and the rest renormalized.")
    Path teacher;

    @Option(names = "--unlabelled", paramLabel = "FILE", description = "Unlabelled texts, one a line (UTF-8, blank "
            + "lines skipped); repeatable. The teacher labels them; the student learns them from its probabilities "
            + "alone.")
    List<Path> unlabelled;

    @Option(names = "--unlabelled-limit", paramLabel = "N", description = "Take at most N texts from each "
            + "--unlabelled file, a seeded sample in file order (default: 0, all), so that each file gets its share.")
    Integer unlabelledLimit;

    @Option(names = "--exclude", paramLabel = "FILE", description = "A labelled file (TSV, CSV, JSONL as --data) "
            + "whose texts the student must never train on, such as the test split: unlabelled texts that are the "
            + "same (after NFKC, lower-casing and keeping letters and digits) are dropped and counted; repeatable. "
            + "The validation texts are always excluded.")
    List<Path> exclude;

    @Option(names = "--alpha", paramLabel = "X", description = "Weight of the gold label's cross-entropy on labelled "
            + "rows; the teacher's soft targets get 1 - X there, and all of the weight on unlabelled texts (default: "
            + Distillation.DEFAULT_ALPHA + ").")
    Double alpha;

    @Option(names = "--temperature", paramLabel = "T", description = "Temperature of the soft term: teacher and "
            + "student probabilities are softened as softmax(log p / T) and the term is scaled by T^2 (default: "
            + Distillation.DEFAULT_TEMPERATURE + ").")
    Double temperature;

    /** The settings made by {@link #trainingExamples} for a new run, added by {@link #configure}. */
    private Distillation distillation;

    @Override
    Examples trainingExamples(Examples train, Examples heldOut, TrainingConfig run, PrintWriter out,
            PrintWriter err) throws Exception {
        if (train.hasLabelSets()) {
            throw new IllegalArgumentException("--partial-data cannot be distilled: the teacher's probabilities cover "
                    + "every label. Train the teacher with it (trainer train), then distil from the teacher");
        }
        Distillation recorded = run == null ? null : run.distillation();
        int limit = recorded != null && !recorded.unlabelled().isEmpty() ? recorded.unlabelled().get(0).limit()
                : unlabelledLimit != null ? unlabelledLimit : 0;
        if (limit < 0) {
            throw new IllegalArgumentException("--unlabelled-limit must be 0 (all) or more, got " + limit);
        }
        long seedUsed = run != null ? run.seed() : seed;
        TransferSet.Builder builder = TransferSet.builder(train).optSeed(seedUsed);
        builder.addHeldOut(null, null, heldOut.texts());
        List<Path> excluded = exclude == null ? List.of() : exclude;
        for (Path file : excluded) {
            LabeledData rows = dataOptions.read(file, null, err);
            List<String> texts = new ArrayList<>(rows.rows().size());
            rows.rows().forEach(r -> texts.add(r.text()));
            builder.addHeldOut(file.toString(), rows.sha256(), texts);
        }
        List<Path> files = unlabelled == null ? List.of() : unlabelled;
        for (Path file : files) {
            TextLines lines = TextLines.read(file);
            err.println(file + ": " + lines.summary());
            builder.addUnlabelled(lines, limit);
        }
        TransferSet set = builder.build();
        for (TransferSet.SourceReport r : set.reports()) {
            out.println("unlabelled " + r.summary());
        }
        if (set.labelledHeldOut() > 0) {
            err.println(String.format(Locale.ROOT, "warning: %,d labelled training rows are the same as a "
                    + "validation or --exclude text: the data's split leaks", set.labelledHeldOut()));
        }
        try (Teacher t = Teacher.load(teacher)) {
            if (recorded != null) {
                checkSameFiles(recorded, t, set);
            }
            out.printf(Locale.ROOT, "teacher %s (labels %s), SHA-256 %s%n", teacher, t.labels(), t.sha256());
            distillation = set.distillation(t, alpha != null ? alpha : Distillation.DEFAULT_ALPHA,
                    temperature != null ? temperature : Distillation.DEFAULT_TEMPERATURE);
            Examples labelled = set.label(t, cacheDirectory(), new TrainingListener() {
                @Override
                public void message(String message) {
                    out.println(message);
                }

                @Override
                public void warning(String message) {
                    err.println("warning: " + message);
                }
            });
            out.printf(Locale.ROOT, "distilling on %,d labelled rows and %,d unlabelled texts%n",
                    labelled.labelledCount(), labelled.size() - labelled.labelledCount());
            return labelled;
        }
    }

    /** Refuses a teacher, unlabelled or excluded file that is not the run's. */
    private static void checkSameFiles(Distillation run, Teacher t, TransferSet set) {
        if (!run.teacherSha256().equals(t.sha256())) {
            throw new IllegalArgumentException("--teacher " + t.file() + " is not the run's teacher: its SHA-256 is "
                    + t.sha256() + ", the run's (" + run.teacher() + ") is " + run.teacherSha256());
        }
        Distillation now = set.distillation(t, run.alpha(), run.temperature());
        sameSources("--unlabelled", run.unlabelled(), now.unlabelled());
        sameSources("--exclude", run.excluded(), now.excluded());
    }

    private static void sameSources(String option, List<Distillation.Source> run, List<Distillation.Source> given) {
        List<String> a = run.stream().map(Distillation.Source::sha256).toList();
        List<String> b = given.stream().map(Distillation.Source::sha256).toList();
        if (!a.equals(b)) {
            throw new IllegalArgumentException("the " + option + " files are not the run's: it had "
                    + run.stream().map(Distillation.Source::file).toList() + " (SHA-256 " + a + "), the command line "
                    + given.stream().map(Distillation.Source::file).toList() + " (SHA-256 " + b + "). Give the run's "
                    + "files, in the same order");
        }
    }

    @Override
    void configure(TrainingConfig.Builder builder) {
        builder.optDistillation(distillation);
    }

    /** Refuses to resume with {@code distill} a run that was trained without a teacher. */
    @Override
    void checkKind(TrainingConfig run, Path dir) {
        if (run.distillation() == null) {
            throw new IllegalArgumentException("the run in " + dir + " was trained without a teacher: continue it "
                    + "with trainer train --resume " + dir);
        }
    }

    @Override
    List<ResumeCheck.Difference> ownDifferences(ParseResult parsed, Map<String, Object> h) {
        Distillation run = Distillation.fromMap(h.get("distillation"));
        List<ResumeCheck.Difference> found = new ArrayList<>();
        if (parsed.hasMatchedOption("--alpha") && alpha != run.alpha()) {
            found.add(new ResumeCheck.Difference("--alpha", Double.toString(run.alpha()), Double.toString(alpha)));
        }
        if (parsed.hasMatchedOption("--temperature") && temperature != run.temperature()) {
            found.add(new ResumeCheck.Difference("--temperature", Double.toString(run.temperature()),
                    Double.toString(temperature)));
        }
        int runLimit = run.unlabelled().isEmpty() ? 0 : run.unlabelled().get(0).limit();
        if (parsed.hasMatchedOption("--unlabelled-limit") && unlabelledLimit != runLimit) {
            found.add(new ResumeCheck.Difference("--unlabelled-limit", Integer.toString(runLimit),
                    Integer.toString(unlabelledLimit)));
        }
        return found;
    }
}
