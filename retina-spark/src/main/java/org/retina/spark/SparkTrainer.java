package org.retina.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.retina.data.Normalization;
import org.retina.loss.Loss;
import org.retina.model.Model;
import org.retina.optim.OptimizerConfig;
import org.retina.parallel.DataParallel;
import org.retina.parallel.ShardedTraining;
import org.retina.train.Callback;
import org.retina.train.History;
import org.retina.train.Trainer;
import scala.reflect.ClassTag$;

/**
 * Synchronous data-parallel training on Apache Spark: one barrier stage of {@code workers} tasks, each a replica of
 * the model on its partition of the data, gradients summed over direct TCP connections between the tasks in rank
 * order. The run computes bit for bit what {@link ShardedTraining} computes in one process with as many replicas,
 * and leaves the trained values in the model given. With a checkpoint folder, replica 0 saves the run every
 * {@code checkpointEvery} steps and each epoch, and a failed stage (a lost executor) restarts from the last save.
 */
public final class SparkTrainer {
    private final SparkSession spark;
    private final Model model;
    private final Loss loss;
    private final OptimizerConfig optimizer;
    private final int workers;
    private int threadsPerWorker = 1;
    private String checkpointDir;
    private int maxRestarts = 3;
    private Normalization normalization;
    private List<String> classNames;

    /** A trainer of {@code model} on {@code workers} Spark tasks; the model must be built. */
    public SparkTrainer(SparkSession spark, Model model, Loss loss, OptimizerConfig optimizer, int workers) {
        if (!model.isBuilt()) {
            throw new IllegalStateException("SparkTrainer: build the model before training it");
        }
        if (workers < 1) {
            throw new IllegalArgumentException("SparkTrainer: workers " + workers + ", expected 1 or more");
        }
        if (spark.sparkContext().conf().getBoolean("spark.dynamicAllocation.enabled", false)) {
            throw new IllegalArgumentException("SparkTrainer: spark.dynamicAllocation.enabled is true; a barrier"
                    + " stage needs all its tasks at once: set it to false for training");
        }
        this.spark = spark;
        this.model = model;
        this.loss = loss;
        this.optimizer = optimizer;
        this.workers = workers;
    }

    /** Threads of each worker's engine (default 1: one task per core). */
    public SparkTrainer withThreadsPerWorker(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("SparkTrainer: threads per worker " + threads + ", expected >= 1");
        }
        this.threadsPerWorker = threads;
        return this;
    }

    /**
     * Where replica 0 saves checkpoints (any Hadoop file system path: local, {@code hdfs://}, {@code s3a://}); a
     * run finding checkpoints there resumes from the newest, and a failed stage restarts from it.
     */
    public SparkTrainer withCheckpoints(String dir) {
        this.checkpointDir = dir;
        return this;
    }

    /** How many times a failed stage is restarted from the last checkpoint before the error is thrown (default 3). */
    public SparkTrainer withMaxRestarts(int restarts) {
        if (restarts < 0) {
            throw new IllegalArgumentException("SparkTrainer: max restarts " + restarts + ", expected >= 0");
        }
        this.maxRestarts = restarts;
        return this;
    }

    /** The per-channel normalization the workers apply to the pixels, as a Retina dataset's. */
    public SparkTrainer withNormalization(Normalization n) {
        this.normalization = n;
        return this;
    }

    /** The class names of the labels (default {@code 0 .. K-1} for the model's K outputs). */
    public SparkTrainer withClassNames(List<String> names) {
        this.classNames = List.copyOf(names);
        return this;
    }

    /**
     * Trains on {@code train} (and evaluates {@code validation} after each epoch, when not null): DataFrames of
     * {@link SparkData}'s columns. The callbacks hear every step and epoch on the driver, given a trainer of the model
     * whose history grows with each epoch (callbacks that save or draw the model see its values at the start until
     * the run ends). Returns the history.
     */
    public History fit(org.apache.spark.sql.Dataset<Row> train, org.apache.spark.sql.Dataset<Row> validation,
                       DataParallel.Settings settings, Callback... callbacks) {
        SparkData.check(train, "training");
        if (validation != null) {
            SparkData.check(validation, "validation");
        }
        settings.shard(workers);
        List<String> names = classNames != null ? classNames : defaultNames(model.outputShape().size());
        var rows = SparkData.keyed(train, false);
        long trainSize = rows.count();
        long valSize = 0;
        if (validation != null) {
            var v = SparkData.keyed(validation, true);
            valSize = v.count();
            rows = rows.union(v);
        }
        RDD<Sample> parts = rows.partitionBy(new SparkData.Ranges(workers, trainSize, valSize)).values().rdd();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<byte[]> image = jsc.broadcast(ShardedTraining.toBytes(model));
        String driverHost = spark.sparkContext().conf().get("spark.driver.host", "127.0.0.1");
        // the callbacks' view of the run: the model being trained and a history that grows with each epoch
        Trainer view = new Trainer(model, loss, optimizer);
        for (Callback c : callbacks) {
            c.onTrainBegin(view, settings.epochs());
        }
        try (Progress.Server progress = new Progress.Server(driverHost, view, List.of(callbacks))) {
            TrainTask task = new TrainTask(image, loss, optimizer, settings, threadsPerWorker,
                    model.inputShape(), names, normalization, checkpointDir, progress.address());
            for (int attempt = 0; ; attempt++) {
                try {
                    Object[] got = (Object[]) parts.barrier().mapPartitions(task, false,
                            ClassTag$.MODULE$.apply(TrainTask.Result.class)).collect();
                    TrainTask.Result r = (TrainTask.Result) got[0];
                    ShardedTraining.copyValues(ShardedTraining.replica(r.model()), model);
                    History h = History.fromMaps(r.history());
                    for (Callback c : callbacks) {
                        c.onTrainEnd(view, h);
                    }
                    return h;
                } catch (Exception e) {
                    // Spark's Scala code throws its checked SparkException undeclared
                    boolean stageFailed = e instanceof SparkException || e.getCause() instanceof SparkException;
                    if (checkpointDir == null || attempt >= maxRestarts || !stageFailed) {
                        throw e instanceof RuntimeException re ? re
                                : new IllegalStateException("SparkTrainer: training failed: " + firstLine(e), e);
                    }
                    System.err.println("retina-spark: the training stage failed (" + firstLine(e)
                            + "); restarting from the last checkpoint in " + checkpointDir);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("SparkTrainer: " + e.getMessage(), e);
        } finally {
            image.destroy();
        }
    }

    private static String firstLine(Throwable e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    private static List<String> defaultNames(int k) {
        return java.util.stream.IntStream.range(0, k).mapToObj(Integer::toString).toList();
    }
}
