package org.retina.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.retina.tensor.Rng;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;
import org.retina.testing.GradientCheck;

/** What the contract table cannot say about batch normalization: batch-1 training, 1d == 2d, running statistics. */
class BatchNormTest {

    @Test
    void trainingOnOneValuePerChannelIsNamed() {
        BatchNorm1d bn = BatchNorm1d.of();
        bn.build(Shape.of(5));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> bn.forward(Tensor.zeros(1, 5), Mode.TRAIN));
        assertEquals("BatchNorm1d: training needs more than 1 value per channel, got input (1, 5); use a batch of 2"
                + " or more, or evaluate", e.getMessage());
        assertEquals(Shape.of(1, 5), bn.forward(Tensor.zeros(1, 5), Mode.EVAL).shape(), "evaluation takes batch 1");
        BatchNorm2d bn2 = BatchNorm2d.of();
        bn2.build(Shape.of(3, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> bn2.forward(Tensor.zeros(1, 3, 1, 1), Mode.TRAIN));
    }

    @Test
    void oneDimensionalIsTwoDimensionalOnOnePixel() {
        Rng rng = new Rng(11);
        BatchNorm1d a = BatchNorm1d.of().withMomentum(0.2);
        BatchNorm2d b = BatchNorm2d.of().withMomentum(0.2);
        a.build(Shape.of(4));
        b.build(Shape.of(4, 1, 1));
        a.initialize(rng);
        b.initialize(rng);
        for (int i = 0; i < 4; i++) {
            a.weight().value().data()[i] = 0.5f + i;
            b.weight().value().data()[i] = 0.5f + i;
        }
        Tensor x = GradientCheck.random(Tensor.zeros(6, 4), rng);
        Tensor ya = a.forward(x, Mode.TRAIN);
        Tensor yb = b.forward(x.reshape(6, 4, 1, 1), Mode.TRAIN);
        assertArrayEquals(ya.data(), yb.data());
        Tensor gy = GradientCheck.random(ya, rng);
        assertArrayEquals(a.backward(gy).data(), b.backward(gy.reshape(6, 4, 1, 1)).data());
        assertArrayEquals(a.weight().grad().data(), b.weight().grad().data());
        assertArrayEquals(a.bias().grad().data(), b.bias().grad().data());
        assertArrayEquals(a.runningMean().value().data(), b.runningMean().value().data());
        assertArrayEquals(a.runningVar().value().data(), b.runningVar().value().data());
        assertArrayEquals(a.forward(x, Mode.EVAL).data(), b.forward(x.reshape(6, 4, 1, 1), Mode.EVAL).data());
    }

    @Test
    void runningStatisticsFollowPyTorchsUpdate() {
        BatchNorm1d bn = BatchNorm1d.of();
        bn.build(Shape.of(1));
        // one feature, values 1, 2, 3, 6: mean 3, unbiased variance 14/3
        bn.forward(Tensor.of(new float[] {1, 2, 3, 6}, 4, 1), Mode.TRAIN);
        assertEquals(0.9 * 0 + 0.1 * 3, bn.runningMean().value().data()[0], 1e-7);
        assertEquals(0.9 * 1 + 0.1 * 14.0 / 3, bn.runningVar().value().data()[0], 1e-6);
        bn.initialize(new Rng(1));
        assertEquals(0f, bn.runningMean().value().data()[0], "initialize resets the running mean");
        assertEquals(1f, bn.runningVar().value().data()[0], "initialize resets the running variance");
    }

    @Test
    void settingsOutsideTheirRangeAreNamed() {
        assertEquals("BatchNorm2d: eps is 0.0, expected a finite number > 0",
                assertThrows(IllegalArgumentException.class, () -> BatchNorm2d.of().withEps(0)).getMessage());
        assertEquals("BatchNorm1d: momentum is 1.5, expected 0 <= momentum <= 1",
                assertThrows(IllegalArgumentException.class, () -> BatchNorm1d.of().withMomentum(1.5)).getMessage());
    }
}
