package org.retina.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.retina.data.Batch;
import org.retina.loss.SoftmaxCrossEntropy;
import org.retina.nn.Conv2d;
import org.retina.nn.Dense;
import org.retina.nn.Flatten;
import org.retina.nn.ReLU;
import org.retina.optim.Sgd;
import org.retina.tensor.Parameter;
import org.retina.tensor.Rng;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;
import org.retina.testing.GradientCheck;
import org.retina.train.Trainer;

/**
 * Fine-tuning a frozen base: frozen layers compute no parameter gradient, the backward pass stops below the lowest
 * layer that learns, and what learns gets the same gradient as when everything computes.
 */
class FrozenBackwardTest {

    private static Model net() {
        return Sequential.builder().add("conv1", Conv2d.of(4, 3)).add("relu1", ReLU.of())
                .add("conv2", Conv2d.of(4, 3)).add("relu2", ReLU.of()).add("flatten", Flatten.of())
                .add("fc", Dense.of(3)).build(Shape.of(1, 9, 9), 2);
    }

    @Test
    void frozenLayersComputeNoGradientAndTheHeadLearnsAlike() {
        Tensor x = GradientCheck.random(Tensor.zeros(Shape.of(5, 1, 9, 9)), new Rng(4));
        Batch b = new Batch(x, new int[] {0, 1, 2, 1, 0}, new int[5]);
        Model frozen = net();
        frozen.freezeUntil("relu2");
        Model all = net();
        new Trainer(frozen, new SoftmaxCrossEntropy(), Sgd.Config.of(0.1)).step(b, new int[5]);
        // the reference: every layer computes its gradients; the head's must be the same bits
        all.zeroGrad();
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        loss.forward(all.forward(x, org.retina.nn.Mode.TRAIN), b.labels());
        all.backwardParameters(loss.backward());
        for (String p : new String[] {"conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias"}) {
            Parameter f = frozen.namedParameters().get(p);
            assertArrayEquals(new float[f.size()], f.grad().data(), 0f, p + ": a frozen layer's gradient is not computed");
            assertTrue(java.util.Arrays.stream(toDouble(all.namedParameters().get(p).grad().data()))
                    .anyMatch(v -> v != 0), p + " has a gradient when it learns");
        }
        for (String p : new String[] {"fc.weight", "fc.bias"}) {
            assertArrayEquals(all.namedParameters().get(p).grad().data(), frozen.namedParameters().get(p).grad().data(),
                    0f, p + ": the head's gradient");
        }
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }
}
