package org.retina.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.retina.data.Dataset;
import org.retina.data.Datasets;
import org.retina.loss.SoftmaxCrossEntropy;
import org.retina.model.Model;
import org.retina.parallel.DataParallel;
import org.retina.spark.SparkData;
import org.retina.spark.SparkEvaluation;
import org.retina.spark.SparkPredictor;
import org.retina.spark.SparkTrainer;
import org.retina.train.Callback;
import org.retina.train.Checkpoint;
import org.retina.train.Evaluation;
import org.retina.train.History;
import org.retina.train.Trainer;

/**
 * {@code retina train --spark MASTER --workers N} and {@code retina predict --spark MASTER}: the same jobs on
 * Apache Spark ({@code local[N]} on one machine, or a cluster's master, or the one {@code spark-submit} set).
 */
final class SparkRun {
    private SparkRun() {
    }

    static SparkSession session(String master, String app) {
        SparkSession.Builder b = SparkSession.builder().appName(app).config("spark.ui.showConsoleProgress", "false");
        // under spark-submit the master is set already; "submit" leaves it to spark-submit
        if (!master.equals("submit")) {
            b = b.master(master);
        }
        if (master.startsWith("local")) {
            // on one machine nobody opens the web UI; a cluster's users may
            b = b.config("spark.ui.enabled", "false");
        }
        return b.getOrCreate();
    }

    /** Checks what --spark cannot do yet, before any data is read. */
    static void check(int workers, int batchSize, Trainer.Options options, boolean serve, boolean other) {
        if (workers < 1) {
            throw new Errors.UserError("--workers " + workers + ": expected 1 or more");
        }
        if (batchSize % workers != 0) {
            throw new Errors.UserError("--batch-size " + batchSize + " with --workers " + workers + ": the global"
                    + " batch splits into equal shards, one per worker; use a multiple of " + workers);
        }
        if (!options.device().equals("cpu") || options.nanCheck() || serve || other) {
            throw new Errors.UserError("--spark trains on the workers' CPUs and restarts from its own checkpoints;"
                    + " --device, --nan-check, --serve, --tensorboard and --resume are for single-machine runs");
        }
    }

    /**
     * Trains {@code trainer}'s model on {@code workers} Spark tasks with its options, then keeps the final model as
     * the run's best and last; worker 0 saves restart checkpoints in {@code checkpoints} (a Hadoop file system URI).
     */
    static History fit(String master, int workers, Trainer trainer, Datasets.Split split, int epochs, int batchSize,
                       long seed, List<Callback> callbacks, Checkpoint checkpoint, String checkpoints,
                       PrintStream console) {
        SparkSession spark = session(master, "retina train");
        try {
            console.printf(Locale.ROOT, "Spark %s, master %s: %d workers, global batch %d in shards of %d.%n",
                    spark.version(), spark.sparkContext().master(), workers, batchSize, batchSize / workers);
            Trainer.Options o = trainer.options();
            DataParallel.Settings s = new DataParallel.Settings(epochs, batchSize, seed, o.schedule(), o.clipNorm(),
                    o.transforms(), 0);
            Dataset train = split.train();
            org.apache.spark.sql.Dataset<Row> df = SparkData.of(spark, train);
            org.apache.spark.sql.Dataset<Row> vdf = split.validation() == null ? null
                    : SparkData.of(spark, split.validation());
            SparkTrainer st = new SparkTrainer(spark, trainer.model(), trainer.loss(), trainer.optimizer().config(),
                    workers).withClassNames(train.classNames())
                    .withCheckpoints(checkpoints);
            if (train.normalization().isPresent()) {
                st = st.withNormalization(train.normalization().get());
            }
            History h = st.fit(df, vdf, s, callbacks.toArray(Callback[]::new));
            checkpoint.onEpochEnd(trainer, h.last());
            return h;
        } finally {
            spark.stop();
        }
    }

    /** The test set's evaluation on the workers ({@link SparkEvaluation}): the figures of a local evaluation. */
    static Evaluation evaluate(String master, Model model, Dataset test) {
        SparkSession spark = session(master, "retina evaluate");
        try {
            return SparkEvaluation.evaluate(spark, model, new SoftmaxCrossEntropy(), SparkData.of(spark, test),
                    test.normalization().orElse(null), test.classNames(), 256);
        } finally {
            spark.stop();
        }
    }

    /** Scores a folder of images or a Parquet file of pixel rows and writes the predictions as Parquet. */
    static int predict(String master, Path model, Path input, Path output, int batchSize, boolean resize,
                       PrintStream console) throws IOException {
        if (input == null || output == null) {
            throw new Errors.UserError("--spark scores --input (a folder of images, or Parquet of pixel rows) into"
                    + " --output (Parquet): give both");
        }
        if (!Files.exists(input)) {
            throw new Errors.UserError("--input " + input + " does not exist");
        }
        if (Files.exists(output)) {
            throw new Errors.UserError("--output " + output + " exists already; give a new path");
        }
        SparkSession spark = session(master, "retina predict");
        try {
            org.apache.spark.sql.Dataset<Row> in = isParquet(input) ? spark.read().parquet(input.toString())
                    : spark.read().format("binaryFile").option("recursiveFileLookup", "true")
                    .option("pathGlobFilter", "*.{png,PNG,jpg,JPG,jpeg,JPEG,bmp,BMP}").load(input.toString());
            org.apache.spark.sql.Dataset<Row> out = SparkPredictor.predict(spark, model, in, batchSize, resize);
            out.write().parquet(output.toString());
            long n = spark.read().parquet(output.toString()).count();
            console.printf(Locale.ROOT, "Scored %,d images on %s; predictions written to %s%n", n,
                    spark.sparkContext().master(), output);
            return 0;
        } finally {
            spark.stop();
        }
    }

    private static boolean isParquet(Path input) throws IOException {
        if (input.toString().endsWith(".parquet")) {
            return true;
        }
        if (!Files.isDirectory(input)) {
            return false;
        }
        try (Stream<Path> s = Files.list(input)) {
            return s.anyMatch(p -> p.getFileName().toString().endsWith(".parquet"));
        }
    }
}
