package org.retina.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.retina.data.Dataset;
import org.retina.data.Datasets;
import org.retina.data.HorizontalFlip;
import org.retina.data.RandomCrop;
import org.retina.io.ModelFile;
import org.retina.loss.SoftmaxCrossEntropy;
import org.retina.model.Model;
import org.retina.optim.LrSchedule;
import org.retina.optim.OptimizerConfig;
import org.retina.tensor.Shape;
import org.retina.train.Callback;
import org.retina.train.Checkpoint;
import org.retina.train.EarlyStopping;
import org.retina.train.Evaluation;
import org.retina.train.FineTune;
import org.retina.train.History;
import org.retina.train.MetricsLog;
import org.retina.train.StepLog;
import org.retina.train.ProgressBar;
import org.retina.train.Trainer;
import org.retina.viz.RunReport;
import org.retina.viz.TensorBoard;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code retina train}: the main job — train a model on a dataset, keep the best, report test accuracy. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train a model on a dataset, keep the best by validation loss, evaluate it on the test set.",
            "With no options: the fashion-cnn network on Fashion-MNIST, Adam, 5 epochs, batch 64."})
final class TrainCommand implements Callable<Integer> {

    @Option(names = "--model", defaultValue = "fashion-cnn", description = "Zoo name or model file (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--dataset", defaultValue = "fashion-mnist", description = "mnist, fashion-mnist or cifar10, or a folder of images laid out as DIR/train/<class>/<image> and DIR/test/<class>/<image>, read at the model's input size (default: ${DEFAULT-VALUE}).")
    String dataset;

    @Option(names = "--data", description = "Folder holding the dataset's files (default: the dataset store).")
    Path data;

    @Option(names = "--epochs", defaultValue = "5", description = "Epochs in all (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "64", description = "Mini-batch size (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--lr", defaultValue = "0.001", description = "Learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--optimizer", defaultValue = "adam", description = "sgd, momentum, nesterov, adam, adamw or rmsprop (default: ${DEFAULT-VALUE}).")
    String optimizer;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of weights, shuffling and dropout (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--device", defaultValue = "cpu", description = "Where to train: cpu, or cuda (an NVIDIA GPU through cuDNN and cuBLAS) (default: ${DEFAULT-VALUE}).")
    String device;

    @Mixin
    ThreadsOption threads;

    @Option(names = "--validation", defaultValue = "5000", description = "Validation samples held out from the training set: a count, or a fraction below 1 (default: ${DEFAULT-VALUE}; 0 = none).")
    String validation;

    @Option(names = "--out", description = "Run folder for checkpoints and logs (default: runs/<model>-<dataset>-<time>).")
    Path out;

    @Option(names = "--report", description = "Write a JSON report of the run to this file.")
    Path report;

    @Option(names = "--patience", description = "Stop when the validation loss has not improved for this many epochs.")
    Integer patience;

    @Option(names = "--normalize", defaultValue = "none", description = "Input normalization: none, or dataset (per-channel mean and standard deviation of the training images; saved with the model) (default: ${DEFAULT-VALUE}).")
    String normalize;

    @Option(names = "--nan-check", description = "After every step, check each layer's output, the gradients and the weights, and stop at the first NaN or infinity naming where it appeared.")
    boolean nanCheck;

    @Option(names = "--augment", description = "Augment training images: random crop with 4-pixel padding and horizontal flip.")
    boolean augment;

    @Option(names = "--schedule", defaultValue = "constant", description = "Learning-rate schedule: constant, step:N[:GAMMA], exp:GAMMA, cosine:EPOCHS[:MIN], warmup:EPOCHS[:SCHEDULE] (default: ${DEFAULT-VALUE}).")
    String schedule;

    @Option(names = "--clip-norm", defaultValue = "0", description = "Clip the gradients' joint norm to this value (default: off).")
    double clipNorm;

    @Option(names = "--label-smoothing", defaultValue = "0", description = "Label smoothing of the cross-entropy (default: ${DEFAULT-VALUE}).")
    double labelSmoothing;

    @Option(names = "--subset", description = "Train on the first N training images only (a quick run).")
    Integer subset;

    @Option(names = "--resume", description = "Continue the run saved in this run folder (its last.retina).")
    Path resume;

    @Option(names = "--num-classes", description = "Classes to predict: a zoo model is built with N outputs; a model file gets a new classifier head (its last Dense layer) of N outputs, the other weights kept.")
    Integer numClasses;

    @Option(names = "--freeze-until", paramLabel = "LAYER", description = "Freeze the weights of every node up to and including LAYER (names as retina summary shows them): only the later layers learn.")
    String freezeUntil;

    @Option(names = "--classes", paramLabel = "LIST", description = "Train and test on these classes only, numbered anew (5,7,9 become 0, 1, 2).")
    String classes;

    @Option(names = "--binary", paramLabel = "LIST", description = "Two classes: these (class 1) against all the others (class 0), e.g. 5,7,9 for shoes against the rest of Fashion-MNIST.")
    String binary;

    @Option(names = "--tensorboard", paramLabel = "DIR", description = "Also write TensorBoard event files into DIR:"
            + " loss, accuracy and learning rate per step, epoch figures, and per epoch the prediction grid and the"
            + " filters as images (tensorboard --logdir DIR shows them).")
    Path tensorboard;

    @Option(names = "--serve", paramLabel = "PORT", description = "Serve the report page on http://localhost:PORT/"
            + " while training, redrawn after every epoch and every 20 s; once training ends, the final report stays"
            + " served until you stop the command with Ctrl-C (0: any free port).")
    Integer serve;

    @Option(names = "--spark", paramLabel = "MASTER", description = "Train on Apache Spark: local[N] on this machine,"
            + " a cluster's master URL, or submit under spark-submit. One replica per worker; gradients summed each step.")
    String spark;

    @Option(names = "--workers", defaultValue = "2", description = "Spark workers (tasks) with --spark; the batch size"
            + " is the global batch, split equally among them (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--checkpoints", paramLabel = "URI", description = "With --spark: where worker 0 saves restart"
            + " checkpoints, a folder every machine reaches (hdfs://, s3a://, a shared file system) (default: the run"
            + " folder's spark-checkpoints, right for local[N]).")
    String checkpoints;

    @Spec
    CommandSpec spec;

    /** The data of this run, once opened. */
    private TrainData trainData;

    @Override
    public Integer call() throws IOException {
        PrintStream console = System.out;
        long start = System.nanoTime();
        threads.apply();
        if (epochs < 1) {
            throw new Errors.UserError("--epochs " + epochs + ": expected a whole number from 1 to " + Integer.MAX_VALUE
                    + " (passes over the training data)");
        }
        if (batchSize < 1) {
            throw new Errors.UserError("--batch-size " + batchSize + ": expected a whole number from 1 to "
                    + Integer.MAX_VALUE + " (images per step)");
        }
        // refused before any data is read or any epoch is spent
        if (out != null) {
            Inputs.writableFolder("--out", out);
        }
        if (report != null) {
            Inputs.writableFile("--report", report);
        }
        if (tensorboard != null) {
            Inputs.writableFolder("--tensorboard", tensorboard);
        }
        if (classes != null && binary != null) {
            throw new Errors.UserError("--classes and --binary: choose one");
        }
        if (spark != null) {
            SparkRun.check(workers, batchSize, options(), serve != null, tensorboard != null || resume != null);
        }
        String relabel = classes != null ? "classes:" + classes : binary != null ? "binary:" + binary : null;
        trainData = TrainData.open(dataset, data, relabel, console);
        Trainer trainer;
        Path runDir;
        Map<String, Object> resumedMeta = Map.of();
        if (resume != null) {
            runDir = resume;
            Path last = resume.resolve(Checkpoint.LAST);
            if (!Files.exists(last)) {
                throw new Errors.UserError("--resume " + resume + ": no " + Checkpoint.LAST + " in that folder");
            }
            trainer = Trainer.resume(last, null, options());
            resumedMeta = ModelFile.read(last).metadata();
            if (resumedMeta.get("relabel") instanceof String saved) {
                trainData.resumeRelabel(saved);
            }
            console.printf(Locale.ROOT, "Resuming %s after epoch %d.%n", last, trainer.completedEpochs());
        } else {
            OptimizerConfig oc = Inputs.optimizer(optimizer, lr);
            Model m = model(trainData.classes());
            SoftmaxCrossEntropy loss;
            try {
                loss = new SoftmaxCrossEntropy(labelSmoothing);
            } catch (IllegalArgumentException e) {
                throw new Errors.UserError("--label-smoothing: " + e.getMessage());
            }
            trainer = new Trainer(m, loss, oc.create(m.namedParameters()), options().withSeed(seed));
            runDir = out != null ? out : Path.of("runs", Inputs.safe(model) + "-" + Inputs.safe(trainData.name()) + "-"
                    + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        }
        Model m = trainer.model();
        trainData.fitTo(m.inputShape(), seed, console);
        Dataset train = trainData.train();
        Dataset test = trainData.test();
        relabel = trainData.relabel();
        switch (resume != null && resumedMeta.containsKey("normalizeMean") ? "resumed" : normalize) {
            case "none" -> { }
            case "resumed" -> {
                train = Inputs.normalizedLike(train, resumedMeta);
                test = Inputs.normalizedLike(test, resumedMeta);
            }
            case "dataset" -> {
                Datasets.Stats st = Datasets.channelStats(train);
                train = train.normalized(st.mean(), st.std());
                test = test.normalized(st.mean(), st.std());
                console.println("Normalizing inputs by the training images' mean " + java.util.Arrays.toString(st.mean())
                        + " and standard deviation " + java.util.Arrays.toString(st.std()) + ".");
            }
            default -> throw new Errors.UserError("--normalize " + normalize + ": expected none or dataset");
        }
        if (subset != null) {
            if (subset < 2 || subset > train.size()) {
                throw new Errors.UserError("--subset " + subset + ": expected 2 to " + train.size());
            }
            train = Datasets.take(train, subset);
        }
        Datasets.Split split = split(train);
        Files.createDirectories(runDir);
        console.println(m.summary().format(batchSize));
        console.printf(Locale.ROOT, "Training on %,d images, validating on %,d, testing on %,d; %s, lr %s, batch %d,"
                + " %d epochs, %d threads. Run folder: %s%n", split.train().size(),
                split.validation() == null ? 0 : split.validation().size(), test.size(),
                trainer.optimizer().config().name(), lr, batchSize, epochs,
                org.retina.kernel.Engine.current().threads(), runDir);
        Map<String, Object> meta = Inputs.metadata(trainData.name(), train, m.inputShape());
        if (relabel != null) {
            meta.put("relabel", relabel);
        }
        Checkpoint checkpoint = new Checkpoint(runDir, meta);
        List<Callback> callbacks = new ArrayList<>(List.of(ProgressBar.console(), new MetricsLog(runDir),
                new StepLog(runDir)));
        if (spark == null) {
            callbacks.add(checkpoint);
        }
        if (patience != null) {
            callbacks.add(new EarlyStopping("val_loss", patience, 0));
        }
        RunRecord record = record(trainer, split, test, runDir);
        record.write(runDir);
        try (LiveReport live = serve == null ? null
                : LiveReport.start(serve, ReportCommand.title(record, runDir), record.settings(), test, console);
             TensorBoard board = tensorboard == null ? null : new TensorBoard(tensorboard, test)) {
            if (live != null) {
                callbacks.add(live);
            }
            if (board != null) {
                callbacks.add(board);
                console.println("TensorBoard events in " + board.file() + " (tensorboard --logdir " + tensorboard
                        + ")");
            }
            long fitStart = System.nanoTime();
            History history = spark != null ? SparkRun.fit(spark, workers, trainer, split, epochs, batchSize, seed,
                    callbacks, checkpoint, checkpoints != null ? checkpoints : runDir.resolve("spark-checkpoints")
                    .toAbsolutePath().toUri().toString(), console) : trainer.fit(split.train(), split.validation(), epochs,
                    batchSize, callbacks.toArray(Callback[]::new));
            double fitSeconds = (System.nanoTime() - fitStart) / 1e9;
            Model best = ModelFile.load(checkpoint.bestFile());
            long testStart = System.nanoTime();
            trainer.close();
            Evaluation ev = spark != null ? SparkRun.evaluate(spark, best, test)
                    : Trainer.evaluate(best, new SoftmaxCrossEntropy(), test, 256, device);
            double testSeconds = (System.nanoTime() - testStart) / 1e9;
            console.printf(Locale.ROOT, "Test accuracy %.2f%% (loss %.4f) of the best model (epoch %d), saved to %s%n",
                    100 * ev.accuracy(), ev.loss(), checkpoint.bestEpoch(), checkpoint.bestFile());
            double wall = (System.nanoTime() - start) / 1e9;
            record = record.withTimings(RunRecord.timings(history, wall, fitSeconds, testSeconds))
                    .withResults(RunRecord.results(ev,
                    checkpoint.bestEpoch()));
            record.write(runDir);
            RunReport.write(runDir, ReportCommand.describe(runDir, best, history, ev, test, record,
                    StepLog.read(runDir)));
            Path page = runDir.resolve(RunReport.PAGE);
            console.println("Report written to " + page);
            if (report != null) {
                RunRecord.writeJson(report, model, trainData.name(), history, ev, checkpoint.bestEpoch(), wall, fitSeconds,
                        batchSize, seed);
                console.println("Report written to " + report);
            }
            if (live != null) {
                live.finish(Files.readString(page));
                live.serveUntilStopped(console);
            }
        }
        return 0;
    }

    /** The model to train: a zoo model or a file, with a new head and frozen layers when asked. */
    private Model model(int datasetClasses) throws IOException {
        if (numClasses != null && numClasses < 1) {
            throw new Errors.UserError("--num-classes " + numClasses + ": expected 1 or more");
        }
        boolean file = Inputs.isModelFile(model);
        Model m = Inputs.model(model, numClasses != null ? numClasses : datasetClasses, seed).model();
        if (file && numClasses != null) {
            m = FineTune.replaceHead(m, numClasses, seed);
        }
        if (freezeUntil != null) {
            m.freezeUntil(freezeUntil);
        }
        Shape out = m.outputShape();
        if (out.rank() != 1 || out.dim(0) != datasetClasses) {
            throw new Errors.UserError("the model gives outputs " + out.toBatchString() + ", the dataset has "
                    + datasetClasses + " classes" + (file ? ": pass --num-classes " + datasetClasses
                    + " to give the model a new head" : ""));
        }
        return m;
    }

    /** What run.json keeps of this run: the command and its settings (a resumed run keeps those it began with). */
    private RunRecord record(Trainer trainer, Datasets.Split split, Dataset test, Path runDir) throws IOException {
        if (resume != null) {
            RunRecord before = RunRecord.read(runDir);
            if (!before.settings().isEmpty()) {
                Map<String, Object> s = new LinkedHashMap<>(before.settings());
                s.put("resumed_after_epoch", trainer.completedEpochs());
                return new RunRecord(s, Map.of());
            }
        }
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("command", "retina " + String.join(" ", spec.commandLine().getParseResult().originalArgs().stream()
                .map(a -> a.isEmpty() || a.contains(" ") ? "'" + a + "'" : a).toList()));
        s.put("model", model);
        s.put("dataset", trainData.name());
        s.put("epochs", epochs);
        s.put("batch_size", batchSize);
        s.put("optimizer", trainer.optimizer().config().name());
        s.put("learning_rate", lr);
        s.put("schedule", schedule);
        s.put("seed", seed);
        s.put("threads", org.retina.kernel.Engine.current().threads());
        if (spark != null) {
            s.put("spark", spark);
            s.put("workers", workers);
        }
        s.put("training_images", split.train().size());
        s.put("validation_images", split.validation() == null ? 0 : split.validation().size());
        s.put("test_images", test.size());
        s.put("normalize", normalize);
        s.put("augment", augment);
        s.put("clip_norm", clipNorm);
        s.put("label_smoothing", labelSmoothing);
        if (patience != null) {
            s.put("patience", patience);
        }
        if (subset != null) {
            s.put("subset", subset);
        }
        if (numClasses != null) {
            s.put("num_classes", numClasses);
        }
        if (freezeUntil != null) {
            s.put("freeze_until", freezeUntil);
        }
        if (classes != null || binary != null) {
            s.put(classes != null ? "classes" : "binary", classes != null ? classes : binary);
        }
        if (resume != null) {
            s.put("resumed_after_epoch", trainer.completedEpochs());
        }
        s.put("started", LocalDateTime.now().withNano(0).toString());
        return new RunRecord(s, Map.of());
    }

    private Trainer.Options options() {
        Trainer.Options o = Trainer.Options.defaults();
        try {
            o = o.withSchedule(LrSchedule.parse(schedule)).withClipNorm(clipNorm).withNanCheck(nanCheck)
                    .withDevice(device);
        } catch (IllegalArgumentException e) {
            throw new Errors.UserError(e.getMessage());
        }
        return augment ? o.withTransforms(List.of(new RandomCrop(4), new HorizontalFlip())) : o;
    }

    private Datasets.Split split(Dataset train) {
        double v;
        try {
            v = Double.parseDouble(validation);
        } catch (NumberFormatException e) {
            throw new Errors.UserError("--validation '" + validation + "': expected a count or a fraction below 1");
        }
        if (v == 0) {
            return new Datasets.Split(train, null);
        }
        if (v < 0 || (v >= 1 && v != Math.rint(v)) || v >= train.size()) {
            throw new Errors.UserError("--validation " + validation + ": expected a count below " + train.size()
                    + " or a fraction below 1");
        }
        return v < 1 ? Datasets.holdOutFraction(train, v) : Datasets.holdOut(train, (int) v);
    }
}
