package org.retina.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.retina.data.Dataset;
import org.retina.data.DatasetStore;
import org.retina.data.Datasets;
import org.retina.loss.SoftmaxCrossEntropy;
import org.retina.model.Model;
import org.retina.model.Sequential;
import org.retina.nn.BatchNorm2d;
import org.retina.nn.Conv2d;
import org.retina.nn.Dense;
import org.retina.nn.Flatten;
import org.retina.nn.MaxPool2d;
import org.retina.nn.ReLU;
import org.retina.optim.Adam;
import org.retina.optim.OptimizerConfig;
import org.retina.optim.Sgd;
import org.retina.parallel.DataParallel;
import org.retina.parallel.ShardedTraining;
import org.retina.tensor.Parameter;
import org.retina.tensor.Shape;
import org.retina.testing.TestData;
import org.retina.train.History;

/**
 * Training on real Spark: two workers on Fashion-MNIST with batch norm end with the very parameters of the
 * single-process two-shard mode, with SGD and with Adam, in {@code local[2]} and in {@code local-cluster} (separate
 * executor JVMs), and a worker killed mid-run recovers from the last checkpoint to the same final parameters.
 */
class SparkTrainerIT {

    static Model net() {
        return Sequential.builder().add("conv1", Conv2d.of(8, 3).withPadding(1)).add("bn1", BatchNorm2d.of())
                .add("relu1", ReLU.of()).add("pool1", MaxPool2d.of(2)).add("conv2", Conv2d.of(16, 3))
                .add("bn2", BatchNorm2d.of()).add("relu2", ReLU.of()).add("pool2", MaxPool2d.of(2))
                .add("flatten", Flatten.of()).add("fc", Dense.of(10)).build(Shape.of(1, 28, 28), 5);
    }

    static Dataset fashion(DatasetStore.Split split, int n) {
        try {
            return Datasets.take(DatasetStore.open("fashion-mnist", split, TestData.dataset("fashion-mnist")), n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static float[] values(Model m) {
        List<Float> all = new ArrayList<>();
        for (Map<String, Parameter> ps : List.of(m.namedParameters(), m.namedBuffers())) {
            for (Parameter p : ps.values()) {
                for (float v : p.value().data()) {
                    all.add(v);
                }
            }
        }
        float[] r = new float[all.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = all.get(i);
        }
        return r;
    }

    /** What one process with two replicas computes: the reference of every distributed run here. */
    static Model reference(byte[] start, OptimizerConfig opt, Dataset train, DataParallel.Settings s) {
        Model m = ShardedTraining.replica(start);
        ShardedTraining.fit(m, new SoftmaxCrossEntropy(), opt, train, null, 2, 1, s, new DataParallel.Listener() { });
        return m;
    }

    @Test
    void twoLocalWorkersEqualTheTwoShardModeBitForBit() {
        Dataset train = fashion(DatasetStore.Split.TRAIN, 12_800);
        Dataset val = fashion(DatasetStore.Split.TEST, 1000);
        SparkSession spark = SparkSessions.local(2);
        try {
            org.apache.spark.sql.Dataset<Row> df = SparkData.of(spark, train);
            org.apache.spark.sql.Dataset<Row> vdf = SparkData.of(spark, val);
            // 200 steps of SGD with momentum, 100 of Adam, global batch 128 in shards of 64
            for (OptimizerConfig opt : List.of(Sgd.Config.of(0.05).withMomentum(0.9), Adam.Config.of(1e-3))) {
                DataParallel.Settings s = DataParallel.Settings.of(opt instanceof Adam.Config ? 1 : 2, 128)
                        .withSeed(9);
                Model spread = net();
                byte[] start = ShardedTraining.toBytes(spread);
                History h = new SparkTrainer(spark, spread, new SoftmaxCrossEntropy(), opt, 2).fit(df, vdf, s);
                Model ref = reference(start, opt, train, s);
                assertArrayEquals(values(ref), values(spread), 0f, opt.name() + ": Spark vs two shards in one process");
                assertEquals(s.epochs(), h.epochs().size());
                assertTrue(h.last().valAccuracy() > 0.7, "it learns: " + h.last());
            }
        } finally {
            spark.stop();
        }
    }

    @Test
    void aKilledExecutorRecoversToTheSameParameters() throws IOException {
        Dataset train = fashion(DatasetStore.Split.TRAIN, 12_800);
        DataParallel.Settings s = DataParallel.Settings.of(1, 64).withSeed(4).withCheckpointEvery(50);
        Model spread = net();
        byte[] start = ShardedTraining.toBytes(spread);
        Path checkpoints = Files.createTempDirectory("retina-spark-checkpoints");
        SparkSession spark = SparkSessions.cluster(2, 1024, 768);
        try {
            // worker 1's JVM halts at step 120 of 200: the stage fails, and the run resumes from step 100
            spark.sparkContext().setLocalProperty(TrainTask.FAULT, "halt:120");
            org.apache.spark.sql.Dataset<Row> df = SparkData.of(spark, train);
            History h = new SparkTrainer(spark, spread, new SoftmaxCrossEntropy(), Sgd.Config.of(0.05)
                    .withMomentum(0.9), 2).withCheckpoints(checkpoints.toUri().toString()).fit(df, null, s);
            assertTrue(Files.exists(checkpoints.resolve(".fault-injected")), "the fault was injected");
            assertEquals(1, h.epochs().size());
        } finally {
            spark.stop();
        }
        Model ref = reference(start, Sgd.Config.of(0.05).withMomentum(0.9), train, s);
        assertArrayEquals(values(ref), values(spread), 0f, "recovered run vs uninterrupted two-shard run");
    }

    @Test
    void aBatchThatDoesNotSplitIsRefusedBeforeAnyWork() {
        SparkSession spark = SparkSessions.local(2);
        try {
            org.apache.spark.sql.Dataset<Row> df = SparkData.of(spark, fashion(DatasetStore.Split.TRAIN, 100));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SparkTrainer(spark,
                    net(), new SoftmaxCrossEntropy(), Sgd.Config.of(0.1), 3).fit(df, null,
                    DataParallel.Settings.of(1, 64)));
            assertEquals("batch size 64 does not split into 3 equal shards: use a multiple of 3", e.getMessage());
            IllegalArgumentException cols = assertThrows(IllegalArgumentException.class, () -> new SparkTrainer(
                    spark, net(), new SoftmaxCrossEntropy(), Sgd.Config.of(0.1), 2).fit(df.drop("label"), null,
                    DataParallel.Settings.of(1, 64)));
            assertTrue(cols.getMessage().contains("expected 'image' (binary or array<float>) and 'label' (int)"),
                    cols.getMessage());
        } finally {
            spark.stop();
        }
    }
}
