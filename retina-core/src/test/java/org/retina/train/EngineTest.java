package org.retina.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.retina.data.Dataset;
import org.retina.data.DatasetStore;
import org.retina.data.Datasets;
import org.retina.kernel.Engine;
import org.retina.loss.SoftmaxCrossEntropy;
import org.retina.model.Model;
import org.retina.optim.Adam;
import org.retina.testing.TestData;
import org.retina.zoo.Zoo;

/**
 * Execution contexts: a model given an engine runs on that engine's threads, so two models with different thread
 * counts train side by side in one JVM, each exactly as it trains alone.
 */
class EngineTest {

    /** One epoch of the Fashion-MNIST network on 1,024 MNIST images: every step's loss, and the final weights. */
    private static float[] train(Engine engine, Dataset data) {
        Model m = Zoo.create("fashion-cnn", 10, 11).withEngine(engine);
        Trainer t = new Trainer(m, new SoftmaxCrossEntropy(), Adam.Config.of(1e-3).create(m.namedParameters()));
        java.util.List<Double> losses = new java.util.ArrayList<>();
        Callback keep = new Callback() {
            @Override
            public void onStepEnd(StepResult step) {
                losses.add(step.loss());
            }
        };
        t.fit(data, null, 1, 64, keep);
        float[] w = m.namedParameters().get("fc.weight").value().data();
        float[] out = new float[losses.size() + w.length];
        for (int i = 0; i < losses.size(); i++) {
            out[i] = losses.get(i).floatValue();
        }
        System.arraycopy(w, 0, out, losses.size(), w.length);
        return out;
    }

    @Test
    void twoModelsWithTheirOwnThreadCountsTrainSideBySide() throws Exception {
        Dataset data = Datasets.take(DatasetStore.open("mnist", DatasetStore.Split.TRAIN,
                TestData.dataset("mnist")), 1024);
        try (Engine one = Engine.cpu(1); Engine two = Engine.cpu(2)) {
            float[] alone1 = train(one, data);
            float[] alone2 = train(two, data);
            assertEquals(0, one.parallelJobs(), "a one-thread engine never hands work to a pool thread");
            long before = two.parallelJobs();
            assertTrue(before > 100, "the two-thread engine split the work: " + before + " jobs");
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                Future<float[]> a = pool.submit(() -> train(one, data));
                Future<float[]> b = pool.submit(() -> train(two, data));
                assertArrayEquals(alone1, a.get(), "on one thread beside the other model: the same bits as alone");
                assertArrayEquals(alone2, b.get(), "on two threads beside the other model: the same bits as alone");
            } finally {
                pool.shutdown();
            }
            assertEquals(0, one.parallelJobs(), "still no job on a pool thread of the one-thread engine");
            assertTrue(two.parallelJobs() > 2 * before - 10, "the two-thread model used its own pool again");
        }
    }

    @Test
    void anEngineIsCurrentWhereItIsBoundAndOnItsOwnThreads() {
        try (Engine e = Engine.cpu(3, Engine.Vectors.OFF)) {
            assertEquals(e, e.call(Engine::current));
            assertTrue(!e.call(() -> Engine.current().vectors()), "scalar twins only");
            java.util.Set<Engine> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
            e.run(() -> Engine.current().parallelFor(3, (chunk, from, to) -> seen.add(Engine.current())));
            assertEquals(java.util.Set.of(e), seen, "pool threads answer their own engine");
            assertEquals(3, e.threads());
        }
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> Engine.cpu(0));
        assertTrue(bad.getMessage().contains("threads 0, expected 1 or more"), bad.getMessage());
        IllegalStateException shared = assertThrows(IllegalStateException.class, () -> Engine.defaults().close());
        assertTrue(shared.getMessage().contains("Engine.setDefaults"), shared.getMessage());
    }

    @Test
    void aModelWithoutAnEngineUsesTheCallersCurrentOne() throws IOException {
        Model m = Zoo.create("fashion-cnn", 10, 1);
        assertEquals(Engine.defaults(), m.engine());
        try (Engine e = Engine.cpu(2)) {
            assertEquals(e, e.call(m::engine));
            assertEquals(e, m.withEngine(e).engine());
        }
    }
}
