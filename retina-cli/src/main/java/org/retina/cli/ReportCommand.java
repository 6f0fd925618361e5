package org.retina.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.retina.data.Dataset;
import org.retina.data.DatasetStore;
import org.retina.io.AtomicFile;
import org.retina.io.ModelFile;
import org.retina.loss.SoftmaxCrossEntropy;
import org.retina.model.Model;
import org.retina.train.Checkpoint;
import org.retina.train.Evaluation;
import org.retina.train.History;
import org.retina.train.MetricsLog;
import org.retina.train.StepLog;
import org.retina.train.StepResult;
import org.retina.train.Trainer;
import org.retina.viz.Comparison;
import org.retina.viz.RunReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code retina report}: the report page of a run folder, with its pictures as PNG files beside it. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Write the report of a training run: DIR/report.html and its pictures as PNG files in DIR.",
            "The page is self-contained (nothing is loaded from the network): training curves, confusion matrix,"
            + " per-class accuracy, predictions, where the network looks (Grad-CAM), filters, feature maps, model"
            + " summary, hyper-parameters and timings. The best model (best.retina) is evaluated on the test split"
            + " of the dataset it was trained on.",
            "With several run folders: one page comparing them (curves overlaid, final figures side by side,"
            + " hyper-parameters in a table), written to --out."})
final class ReportCommand implements Callable<Integer> {

    @Option(names = "--run", paramLabel = "DIR", description = "The run folder (holding best.retina, metrics.jsonl);"
            + " the same as giving it as RUN_DIR.")
    Path run;

    @Parameters(paramLabel = "RUN_DIR", arity = "0..*", description = "Run folders: one for its report, several"
            + " for a comparison page.")
    List<Path> runs = new ArrayList<>();

    @Option(names = "--out", paramLabel = "FILE", description = "Where the comparison page of several runs goes"
            + " (default: comparison.html in the current folder).")
    Path out;

    @Option(names = "--data", paramLabel = "DIR", description = "Folder holding the dataset's files (default: the dataset store).")
    Path data;

    @Option(names = "--dataset", description = "mnist, fashion-mnist, cifar10, or a folder of images (DIR/train/<class>, DIR/test/<class>) (default: the one the model was trained on).")
    String dataset;

    @Mixin
    ThreadsOption threads;

    @Override
    public Integer call() throws IOException {
        threads.apply();
        List<Path> dirs = new ArrayList<>(runs);
        if (run != null) {
            dirs.addFirst(run);
        }
        if (dirs.isEmpty()) {
            throw new Errors.UserError("no run folder: give RUN_DIR (or --run DIR), or several to compare them");
        }
        for (Path d : dirs) {
            if (!Files.isDirectory(d)) {
                throw new Errors.UserError("run folder " + d + " does not exist (expected the --out folder of a"
                        + " 'retina train')");
            }
        }
        if (dirs.size() > 1) {
            return compare(dirs);
        }
        if (out != null) {
            throw new Errors.UserError("--out is for the comparison of several runs; the report of one run is"
                    + " written into its folder");
        }
        return report(dirs.getFirst());
    }

    /** The comparison page of several run folders: nothing is evaluated, everything comes from their files. */
    private int compare(List<Path> dirs) throws IOException {
        List<Comparison.Run> runs = new ArrayList<>();
        for (Path d : dirs) {
            if (!Files.exists(d.resolve("metrics.jsonl"))) {
                throw new Errors.UserError("run folder " + d + " has no metrics.jsonl (expected the --out folder of"
                        + " a 'retina train' that finished an epoch)");
            }
            RunRecord rec = RunRecord.read(d);
            runs.add(new Comparison.Run(d.toAbsolutePath().normalize().getFileName().toString(), MetricsLog.read(d),
                    StepLog.read(d), rec.settings(), rec.timings(), rec.results()));
        }
        Path page = out != null ? out : Path.of("comparison.html");
        Inputs.writableFile("--out", page);
        AtomicFile.writeString(page, Comparison.html("Retina: " + runs.size() + " runs compared", runs));
        System.out.println("Comparison of " + runs.size() + " runs written to " + page);
        return 0;
    }

    private int report(Path run) throws IOException {
        PrintStream out = System.out;
        Path best = run.resolve(Checkpoint.BEST);
        if (!Files.isRegularFile(best)) {
            throw new Errors.UserError("--run " + run + ": no " + Checkpoint.BEST + " in that folder (expected the"
                    + " run folder of 'retina train', its --out)");
        }
        ModelFile.Contents c = ModelFile.read(best);
        String name = dataset != null ? dataset : (String) c.metadata().get("dataset");
        if (name == null) {
            throw new Errors.UserError(best + " does not say which dataset it was trained on: pass --dataset");
        }
        // the test images as the model saw its training images: with its classes, padded to its input, normalized
        Dataset test = TrainData.split(name, data, (String) c.metadata().get("relabel"), DatasetStore.Split.TEST,
                c.model().inputShape(), out);
        test = Inputs.normalizedLike(test, c.metadata());
        History history = Files.exists(run.resolve("metrics.jsonl")) ? MetricsLog.read(run) : new History();
        Evaluation ev = Trainer.evaluate(c.model(), new SoftmaxCrossEntropy(), test, 256);
        List<Path> files = RunReport.write(run, describe(run, c.model(), history, ev, test, RunRecord.read(run),
                StepLog.read(run)));
        out.println("Report written to " + run.resolve(RunReport.PAGE) + " with " + (files.size() - 1)
                + " pictures beside it (test accuracy " + String.format(Locale.ROOT, "%.2f%%", 100 * ev.accuracy())
                + ")");
        return 0;
    }

    /** What the report of a run shows: the best model evaluated on the test set, and what run.json records. */
    static RunReport.Run describe(Path dir, Model best, History history, Evaluation ev, Dataset test,
                                  RunRecord record, List<StepResult> steps) {
        return new RunReport.Run(title(record, dir), best, history, ev, test, record.settings(), record.timings(),
                test.size(), steps);
    }

    /** "Retina: fashion-cnn on fashion-mnist", or the run folder's name when run.json does not say. */
    static String title(RunRecord record, Path dir) {
        Object model = record.settings().get("model");
        Object data = record.settings().get("dataset");
        return model != null && data != null ? "Retina: " + model + " on " + data
                : "Retina: run " + dir.toAbsolutePath().normalize().getFileName();
    }
}
