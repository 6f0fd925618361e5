package org.retina.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.retina.nn.Mode;
import org.retina.tensor.Rng;
import org.retina.tensor.Tensor;
import org.retina.testing.GradientCheck;
import org.retina.zoo.Zoo;

/** One built model serves predictions from 16 threads at once with results identical to a single thread. */
class ConcurrentInferenceTest {

    @ParameterizedTest
    @ValueSource(strings = {"fashion-cnn", "cifar-cnn", "lenet5"})
    void sixteenThreadsGiveSingleThreadResults(String name) throws Exception {
        Model m = Zoo.create(name, 10);
        // a training step first, so batch-norm statistics and caches are not at their initial values
        Tensor warm = GradientCheck.random(Tensor.zeros(m.inputShape().withBatch(4)), new Rng(1));
        m.backward(Tensor.full(m.forward(warm, Mode.TRAIN).shape(), 0.1f));
        int inputs = 8;
        List<Tensor> xs = new ArrayList<>();
        List<float[]> expected = new ArrayList<>();
        for (int i = 0; i < inputs; i++) {
            Tensor x = GradientCheck.random(Tensor.zeros(m.inputShape().withBatch(1 + i % 3)), new Rng(10 + i));
            xs.add(x);
            expected.add(m.forward(x, Mode.EVAL).data());
        }
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<float[]>> results = new ArrayList<>();
            for (int r = 0; r < 16 * 8; r++) {
                Tensor x = xs.get(r % inputs);
                results.add(pool.submit(() -> m.predict(x, 2).data()));
            }
            for (int r = 0; r < results.size(); r++) {
                assertArrayEquals(expected.get(r % inputs), results.get(r).get(), "request " + r);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
