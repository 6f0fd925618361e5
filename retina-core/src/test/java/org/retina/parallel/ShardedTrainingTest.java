package org.retina.parallel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.retina.data.Batch;
import org.retina.data.DataLoader;
import org.retina.data.Dataset;
import org.retina.data.DatasetStore;
import org.retina.data.Datasets;
import org.retina.kernel.Engine;
import org.retina.loss.SoftmaxCrossEntropy;
import org.retina.model.Model;
import org.retina.model.Sequential;
import org.retina.nn.BatchNorm2d;
import org.retina.nn.Conv2d;
import org.retina.nn.ConvBlock;
import org.retina.nn.Dense;
import org.retina.nn.Flatten;
import org.retina.nn.MaxPool2d;
import org.retina.nn.Mode;
import org.retina.nn.ReLU;
import org.retina.nn.Replicas;
import org.retina.optim.Adam;
import org.retina.optim.OptimizerConfig;
import org.retina.optim.Sgd;
import org.retina.tensor.Parameter;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;
import org.retina.testing.TestData;
import org.retina.train.History;
import org.retina.train.Trainer;

/**
 * The single-process N-shards mode: it equals the same replicas connected by sockets bit for bit, equals plain
 * training on the same global batches to float rounding, and synchronized batch norm sees the whole batch.
 */
class ShardedTrainingTest {

    static Model net() {
        return Sequential.builder().add("conv", Conv2d.of(6, 3)).add("bn", BatchNorm2d.of()).add("relu", ReLU.of())
                .add("pool", MaxPool2d.of(2)).add("flatten", Flatten.of()).add("fc", Dense.of(10))
                .build(Shape.of(1, 28, 28), 7);
    }

    static Dataset fashion(int n) {
        try {
            return Datasets.take(DatasetStore.open("fashion-mnist", DatasetStore.Split.TRAIN,
                    TestData.dataset("fashion-mnist")), n);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static float[] values(Model m) {
        List<float[]> parts = new ArrayList<>();
        int n = 0;
        for (Map<String, Parameter> ps : List.of(m.namedParameters(), m.namedBuffers())) {
            for (Parameter p : ps.values()) {
                parts.add(p.value().data());
                n += p.size();
            }
        }
        float[] all = new float[n];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }

    @Test
    void socketReplicasEqualTheLocalModeBitForBit() throws Exception {
        Dataset data = fashion(1024);
        DataParallel.Settings s = DataParallel.Settings.of(2, 64).withSeed(3);
        for (OptimizerConfig opt : List.of(Sgd.Config.of(0.05).withMomentum(0.9), Adam.Config.of(2e-3))) {
            Model local = net();
            byte[] start = ShardedTraining.toBytes(local);
            History h = ShardedTraining.fit(local, new SoftmaxCrossEntropy(), opt, data, null, 2, 1, s,
                    new DataParallel.Listener() { });
            assertEquals(2, h.epochs().size());

            List<Collective> group = CollectiveTest.sockets(2);
            List<Model> replicas = new ArrayList<>();
            List<Thread> threads = new ArrayList<>();
            List<Engine> engines = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                Engine e = Engine.cpu(1);
                engines.add(e);
                Model m = ShardedTraining.replica(start).withEngine(e);
                replicas.add(m);
                int rank = r;
                threads.add(Thread.ofPlatform().start(() -> DataParallel.run(group.get(rank), m,
                        new SoftmaxCrossEntropy(), opt.create(m.namedParameters()),
                        ShardedTraining.partition(data, rank, 2), null, s, DataParallel.Position.START,
                        new History(), new DataParallel.Listener() { })));
            }
            for (Thread t : threads) {
                t.join();
            }
            group.forEach(Collective::close);
            engines.forEach(Engine::close);
            assertArrayEquals(values(local), values(replicas.get(0)), 0f, opt.name() + ": sockets vs local mode");
            assertArrayEquals(values(replicas.get(0)), values(replicas.get(1)), 0f, "every replica holds the model");
        }
    }

    @Test
    void equalsPlainTrainingOnTheSameGlobalBatches() {
        Dataset data = fashion(2048);
        int replicas = 2;
        DataParallel.Settings s = DataParallel.Settings.of(1, 64).withSeed(11);
        Model sharded = net();
        byte[] start = ShardedTraining.toBytes(sharded);
        ShardedTraining.fit(sharded, new SoftmaxCrossEntropy(), Sgd.Config.of(0.05), data, null, replicas, 1, s,
                new DataParallel.Listener() { });

        // one model, each step on the concatenation of the replicas' shards
        Model plain = ShardedTraining.replica(start);
        Trainer t = new Trainer(plain, new SoftmaxCrossEntropy(), Sgd.Config.of(0.05));
        List<DataLoader> loaders = new ArrayList<>();
        List<int[]> orders = new ArrayList<>();
        for (int r = 0; r < replicas; r++) {
            DataLoader l = DataParallel.loader(ShardedTraining.partition(data, r, replicas), r, replicas, s);
            loaders.add(l);
            orders.add(l.order(0));
        }
        int steps = loaders.getFirst().numBatches();
        assertEquals(1024 / 32, steps);
        for (int b = 0; b < steps; b++) {
            List<Batch> shards = new ArrayList<>();
            for (int r = 0; r < replicas; r++) {
                shards.add(loaders.get(r).batch(0, orders.get(r), b));
            }
            t.step(concat(shards), new int[64]);
        }
        float[] a = values(sharded);
        float[] p = values(plain);
        double worst = 0;
        double scale = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - p[i]));
            scale = Math.max(scale, Math.abs(p[i]));
        }
        System.out.printf("sharded vs plain after %d steps: max abs difference %.3g, largest value %.3g%n", steps,
                worst, scale);
        // float32 sums taken in another order differ by an ulp or so per step: measured 1.8e-7 after 32 steps
        // (values up to 0.98); a wrong gradient scale or unsynchronized batch norm differ by 1e-3 and more
        assertTrue(worst <= 1e-5 * scale, "max abs difference " + worst + " for values up to " + scale);
    }

    static Batch concat(List<Batch> shards) {
        int n = 0;
        for (Batch b : shards) {
            n += b.size();
        }
        int[] dims = shards.getFirst().x().shape().dims();
        Shape sample = Shape.of(java.util.Arrays.copyOfRange(dims, 1, dims.length));
        float[] x = new float[n * sample.size()];
        int[] labels = new int[n];
        int[] idx = new int[n];
        int at = 0;
        for (Batch b : shards) {
            System.arraycopy(b.x().data(), 0, x, at * sample.size(), b.size() * sample.size());
            System.arraycopy(b.labels(), 0, labels, at, b.size());
            at += b.size();
        }
        return new Batch(Tensor.wrap(x, sample.withBatch(n)), labels, idx);
    }

    @Test
    void synchronizedBatchNormSeesTheWholeBatch() throws Exception {
        synchronizedHalves(Sequential.builder().add("conv", Conv2d.of(3, 3)).add("bn", BatchNorm2d.of())
                .build(Shape.of(1, 28, 28), 5), "bn.running_var");
        // a conv block runs its batch norm as a layer while replicas are bound, fused otherwise
        synchronizedHalves(Sequential.builder().add("block", ConvBlock.of(Conv2d.of(3, 3)).withBatchNorm()
                .withActivation(ConvBlock.Activation.RELU).withPool(ConvBlock.Pool.MAX))
                .build(Shape.of(1, 28, 28), 5), "block.bn.running_var");
    }

    private static void synchronizedHalves(Model whole, String runningVar) throws Exception {
        byte[] start = ShardedTraining.toBytes(whole);
        Dataset data = fashion(64);
        Batch all = DataLoader.of(data, 64).epoch(0).iterator().next();
        float[] expected = whole.forward(all.x(), Mode.TRAIN).copy().data();
        List<Collective> g = LocalCollective.group(2);
        Model[] halves = new Model[2];
        float[][] got = new float[2][];
        Thread[] ts = new Thread[2];
        for (int r = 0; r < 2; r++) {
            int rank = r;
            halves[r] = ShardedTraining.replica(start);
            Batch half = DataLoader.of(Datasets.range(data, 32 * rank, 32), 32).epoch(0).iterator().next();
            ts[r] = Thread.ofPlatform().start(() -> got[rank] = Replicas.call(g.get(rank)::allReduce,
                    () -> halves[rank].forward(half.x(), Mode.TRAIN).copy().data()));
        }
        ts[0].join();
        ts[1].join();
        float[] joined = new float[expected.length];
        System.arraycopy(got[0], 0, joined, 0, got[0].length);
        System.arraycopy(got[1], 0, joined, got[0].length, got[1].length);
        // normalized values near 1: the statistics summed in another order move them by float rounding only,
        // while each half's own statistics would move them by ~1e-2
        assertArrayEquals(expected, joined, 2e-5f, "two synchronized halves normalize as the whole batch does");
        assertArrayEquals(whole.namedBuffers().get(runningVar).value().data(),
                halves[1].namedBuffers().get(runningVar).value().data(), 1e-6f, "the running variance too");
    }

    @Test
    void validationIsSummedOverTheReplicas() {
        Dataset data = fashion(1600);
        Dataset train = Datasets.range(data, 0, 1024);
        Dataset val = Datasets.range(data, 1024, 576);
        Model m = net();
        History h = ShardedTraining.fit(m, new SoftmaxCrossEntropy(), Adam.Config.of(2e-3), train, val, 3, 1,
                DataParallel.Settings.of(1, 63), new DataParallel.Listener() { });
        org.retina.train.Evaluation whole = Trainer.evaluate(m, new SoftmaxCrossEntropy(), val, 100);
        // three replicas evaluate 192 images each; the counts add up exactly, the mean loss to rounding
        assertEquals(whole.accuracy(), h.last().valAccuracy(), 0.0, "validation accuracy of the trained model");
        assertEquals(whole.loss(), h.last().valLoss(), 1e-6 * whole.loss(), "validation loss");
    }

    @Test
    void aBatchThatDoesNotSplitIsRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DataParallel.Settings.of(1, 100).shard(3));
        assertEquals("batch size 100 does not split into 3 equal shards: use a multiple of 3", e.getMessage());
    }
}
