package org.retina.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.retina.model.Model;
import org.retina.nn.Mode;
import org.retina.tensor.Rng;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;
import org.retina.testing.GradientCheck;

/** Every ImageNet-size model of the zoo runs forward and backward at batch 2 within the tests' 8 GiB heap. */
class ZooImageNetIT {

    private static boolean finite(float[] a) {
        for (float v : a) {
            if (!Float.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    @ParameterizedTest
    @ValueSource(strings = {"alexnet", "zfnet", "vgg16", "googlenet", "resnet18", "resnet34", "resnet50",
        "resnext50_32x4d", "mobilenet_v2", "efficientnet_b0", "densenet121"})
    void forwardAndBackwardAtBatch2(String name) {
        long t0 = System.nanoTime();
        Model m = Zoo.create(name, 1000);
        Rng rng = new Rng(1);
        Tensor x = GradientCheck.random(Tensor.zeros(m.inputShape().withBatch(2)), rng);
        long t1 = System.nanoTime();
        Tensor y = m.forward(x, Mode.TRAIN);
        long t2 = System.nanoTime();
        assertEquals(Shape.of(2, 1000), y.shape());
        assertTrue(finite(y.data()), name + ": the logits are finite");
        Tensor gx = m.backward(GradientCheck.random(y, rng));
        long t3 = System.nanoTime();
        assertEquals(x.shape(), gx.shape());
        assertTrue(finite(gx.data()), name + ": the input gradient is finite");
        assertTrue(m.namedParameters().values().stream().allMatch(p -> finite(p.grad().data())));
        Runtime rt = Runtime.getRuntime();
        System.out.printf("%-10s build %5.1f s   forward %5.1f s   backward %5.1f s   heap used %,d MiB%n", name,
                (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9, (rt.totalMemory() - rt.freeMemory()) >> 20);
    }

    @Test
    void vgg16At448PoolsItsMapTo7x7() {
        Model m = Vgg16.create(10, 448).build();
        assertEquals(Shape.of(512, 14, 14), m.shapeOf("features.30"));
        assertEquals(Shape.of(512, 7, 7), m.shapeOf("avgpool"));
        assertEquals(138_357_544 - 4097 * 1000 + 4097 * 10, m.summary().totalParameters());
    }
}
