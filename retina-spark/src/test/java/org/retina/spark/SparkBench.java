package org.retina.spark;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.retina.data.Dataset;
import org.retina.data.DatasetStore;
import org.retina.data.Datasets;
import org.retina.kernel.Engine;
import org.retina.loss.SoftmaxCrossEntropy;
import org.retina.model.Model;
import org.retina.optim.Adam;
import org.retina.parallel.Collective;
import org.retina.parallel.DataParallel;
import org.retina.parallel.SocketCollective;
import org.retina.testing.TestData;
import org.retina.train.FitOptions;
import org.retina.train.History;
import org.retina.train.Trainer;
import org.retina.zoo.Zoo;

/**
 * The figures of BENCHMARKS.md's Spark section ({@code scripts/spark-bench.sh} runs it): training images/s of the
 * seed network at global batch 128 on one machine with one thread and on 1 and 2 workers of
 * {@code local-cluster} with one core each, and the all-reduce's cost per step on loopback. A benchmark, not a
 * test: it asserts nothing and prints every figure it measures.
 */
public final class SparkBench {
    private SparkBench() {
    }

    /** Runs every measurement and prints one line each. */
    public static void main(String[] args) throws Exception {
        int images = args.length > 0 ? Integer.parseInt(args[0]) : 25_600;
        Dataset train = Datasets.take(DatasetStore.open("fashion-mnist", DatasetStore.Split.TRAIN,
                TestData.dataset("fashion-mnist")), images);
        System.out.printf(Locale.ROOT, "seed network (fashion-cnn), %d Fashion-MNIST images, global batch 128,"
                + " Adam, 2 epochs (the second measured)%n", images);
        allReduce(29_000);
        allReduce(11_700_000);
        single(train, 128);
        // each of 2 workers computes shards of 64: what one core does at that batch
        single(train, 64);
        for (int replicas : new int[] {1, 2}) {
            sharded(train, replicas);
        }
        for (int workers : new int[] {1, 2}) {
            spark(train, workers);
        }
    }

    private static void single(Dataset train, int batch) {
        try (Engine e = Engine.cpu(1)) {
            Model m = Zoo.create("fashion-cnn", 10, 42).withEngine(e);
            History h = new Trainer(m, new SoftmaxCrossEntropy(), Adam.Config.of(1e-3))
                    .fit(train, FitOptions.epochs(2).withBatchSize(batch));
            System.out.printf(Locale.ROOT, "one machine, 1 thread, batch %d: %,.0f images/s (epoch 1: %,.0f)%n",
                    batch, h.last().imagesPerSecond(), h.epochs().getFirst().imagesPerSecond());
        }
    }

    /** The same replicas on threads of this JVM (no Spark, no sockets): what the machine allows. */
    private static void sharded(Dataset train, int replicas) {
        Model m = Zoo.create("fashion-cnn", 10, 42);
        History h = org.retina.parallel.ShardedTraining.fit(m, new SoftmaxCrossEntropy(), Adam.Config.of(1e-3), train,
                null, replicas, 1, DataParallel.Settings.of(2, 128), new DataParallel.Listener() { });
        System.out.printf(Locale.ROOT, "one JVM, %d replica(s) on threads of 1 core: %,.0f images/s (epoch 1: %,.0f)%n",
                replicas, h.last().imagesPerSecond(), h.epochs().getFirst().imagesPerSecond());
    }

    private static void spark(Dataset train, int workers) {
        SparkSession spark = SparkSessions.cluster(workers, 2048, 1536);
        try {
            org.apache.spark.sql.Dataset<Row> df = SparkData.of(spark, train).cache();
            df.count();
            Model m = Zoo.create("fashion-cnn", 10, 42);
            long t0 = System.nanoTime();
            History h = new SparkTrainer(spark, m, new SoftmaxCrossEntropy(), Adam.Config.of(1e-3), workers)
                    .fit(df, null, DataParallel.Settings.of(2, 128));
            double wall = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "local-cluster, %d worker(s) of 1 core: %,.0f images/s (epoch 1: %,.0f);"
                    + " whole fit %.1f s%n", workers, h.last().imagesPerSecond(),
                    h.epochs().getFirst().imagesPerSecond(), wall);
        } finally {
            spark.stop();
        }
    }

    /** Two replicas on loopback, one thread each: the median time of an all-reduce of {@code n} floats. */
    private static void allReduce(int n) throws Exception {
        List<ServerSocketChannel> servers = new ArrayList<>();
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            ServerSocketChannel s = SocketCollective.listen("127.0.0.1");
            servers.add(s);
            addresses.add((InetSocketAddress) s.getLocalAddress());
        }
        Collective[] g = new Collective[2];
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                g[1] = SocketCollective.connect(1, addresses, servers.get(1));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        g[0] = SocketCollective.connect(0, addresses, servers.get(0));
        t.join();
        int rounds = n > 1_000_000 ? 15 : 200;
        float[] a = new float[n];
        float[] b = new float[n];
        double[] ms = new double[rounds];
        Thread other = Thread.ofPlatform().start(() -> {
            for (int i = 0; i < rounds + 5; i++) {
                g[1].allReduce(b, 0, n);
            }
        });
        for (int i = 0; i < rounds + 5; i++) {
            long s = System.nanoTime();
            g[0].allReduce(a, 0, n);
            if (i >= 5) {
                ms[i - 5] = (System.nanoTime() - s) / 1e6;
            }
        }
        other.join();
        g[0].close();
        g[1].close();
        Arrays.sort(ms);
        System.out.printf(Locale.ROOT, "all-reduce of %,d floats, 2 replicas on loopback: median %.3f ms, best %.3f"
                + " ms (%d rounds)%n", n, ms[rounds / 2], ms[0], rounds);
    }
}
